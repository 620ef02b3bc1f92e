"""Register, log in and log out."""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit, urlunsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from idea4gov import ratelimit
from idea4gov.auth import bp, services
from idea4gov.auth.forms import LoginForm, RegisterForm
from idea4gov.auth.models import User
from idea4gov.extensions import db, login_manager
from idea4gov.joincodes import services as joincodes


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    # An erased account's other sessions end with it.
    return user if user is not None and user.deleted_at is None else None


login_manager.login_view = "auth.login"
login_manager.login_message = _l("กรุณาเข้าสู่ระบบก่อน")
login_manager.localize_callback = str  # the lazy message is translated when flashed
login_manager.login_message_category = "info"


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target:
        return None
    target = target.strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in target):
        return None
    return target


def _back_after_login() -> str | None:
    """Where to return after logging in: this page, or for a POST (vote, comment) the page
    its form was on, since following `next` is a GET and a POST-only URL would answer 405."""
    if request.method == "GET":
        return safe_next(request.full_path.rstrip("?"))
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    return safe_next(urlunsplit(("", "", referrer.path, referrer.query, "")))


@login_manager.unauthorized_handler
def unauthorized():
    """Send an anonymous visitor to the log-in page, and back afterwards."""
    flash(login_manager.login_message, login_manager.login_message_category)  # lazy: the next page translates it
    return redirect(url_for("auth.login", next=_back_after_login()))


def _start_session(user: User, remember: bool = False) -> None:
    """Renew the session at login so an identifier planted before it is worthless."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session["nonce"] = secrets.token_urlsafe(8)
    login_user(user, remember=remember)


@bp.route("/register", methods=["GET", "POST"])
@ratelimit.per_address("RATELIMIT_REGISTER", deduct_when=ratelimit.created, exemptible=True)
def register():
    """Create a resident account."""
    if current_user.is_authenticated:
        return redirect(url_for("areas.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register(form.email.data, form.display_name.data, form.password.data)
            joincodes.note_use("register", user.id, actor=user)  # audited when made through a join code
            db.session.commit()
        except IntegrityError:  # the same e-mail registered a moment ago, in a parallel request
            db.session.rollback()
            form.email.errors.append(_("อีเมลนี้มีบัญชีอยู่แล้ว ลองเข้าสู่ระบบแทน"))
            return render_template("auth/register.html", form=form), 400
        _start_session(user)
        flash(_l("สมัครสมาชิกเรียบร้อย ยินดีต้อนรับ %(name)s", name=user.display_name), "success")
        return redirect(safe_next(request.args.get("next")) or url_for("areas.index"))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@ratelimit.per_address("RATELIMIT_LOGIN", deduct_when=ratelimit.failed)
@ratelimit.per_login_account()
def login():
    """Log in with e-mail and password."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.form_errors.append(_("อีเมลหรือรหัสผ่านไม่ถูกต้อง"))
            return render_template("auth/login.html", form=form), 400
        _start_session(user, remember=form.remember.data)
        flash(_l("เข้าสู่ระบบแล้ว"), "success")
        return redirect(safe_next(form.next.data) or url_for("areas.index"))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
def logout():
    """Log out (POST with CSRF, so no link can log anyone out)."""
    lang = session.get("lang")
    logout_user()
    # logout_user() leaves "_remember": "clear" for Flask-Login to delete the remember-me
    # cookie after this request; clearing the session must not lose that order.
    remember = session.get("_remember")
    session.clear()
    if remember:
        session["_remember"] = remember
    if lang:
        session["lang"] = lang  # the language choice outlives the login
    flash(_l("ออกจากระบบแล้ว"), "success")
    return redirect(url_for("areas.index"))
