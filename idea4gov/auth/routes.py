"""Register (with an e-mailed link), log in and log out."""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from idea4gov import ratelimit
from idea4gov.auth import bp, devices, notices, services, sessions
from idea4gov.auth.forms import ConfirmRegistrationForm, LoginForm, RegisterForm
from idea4gov.extensions import db, login_manager
from idea4gov.joincodes import services as joincodes

login_manager.user_loader(sessions.load)


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


@bp.route("/register", methods=["GET", "POST"])
@ratelimit.per_address("RATELIMIT_REGISTER", exemptible=True)
def register():
    """Ask for an account: the same answer whether or not the address has one (the link comes by e-mail)."""
    if current_user.is_authenticated:
        return redirect(url_for("areas.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        services.request_registration(form.email.data, form.display_name.data, form.password.data,
                                      safe_next(request.args.get("next")) or "",
                                      join_code=joincodes.active_code())
        db.session.commit()
        return redirect(url_for("auth.register_sent"))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.get("/register/sent")
def register_sent():
    """Tell the person to open the link we e-mailed (or, for a known address, the note we sent)."""
    return render_template("auth/register_sent.html", hours=services.LINK_HOURS,
                           printed=current_app.config.get("MAIL_BACKEND") == "log")


@bp.route("/register/confirm/<token>", methods=["GET", "POST"])
def register_confirm(token: str):
    """The e-mailed link: a GET shows a button (mail scanners follow links); the POST creates the account."""
    pending = services.pending_registration(token)
    if pending is None:
        return render_template("auth/register_confirm.html", pending=None, hours=services.LINK_HOURS), 404
    form = ConfirmRegistrationForm()
    if not form.validate_on_submit():
        return render_template("auth/register_confirm.html", pending=pending, form=form), 400 if form.errors else 200
    next_path = safe_next(pending.next_path)
    join_code_id = pending.join_code_id
    try:
        user = services.confirm_registration(pending)
        if user is not None and join_code_id is not None:
            joincodes.note_use("register", user.id, actor=user, code_id=join_code_id)
        db.session.commit()
    except IntegrityError:  # the same address confirmed a moment ago, in a parallel request
        db.session.rollback()
        user = None
    if user is None:
        flash(_("อีเมลนี้มีบัญชีอยู่แล้ว กรุณาเข้าสู่ระบบ"), "info")
        return redirect(url_for("auth.login"))
    sessions.start(user)
    flash(_l("สมัครสมาชิกเรียบร้อย ยินดีต้อนรับ %(name)s", name=user.display_name), "success")
    return devices.remember(redirect(next_path or url_for("areas.index")), user.email)


def _tell_owner(request_limit) -> None:  # noqa: ANN001 (Flask-Limiter's RequestLimit)
    """A per-account log-in limit was reached: e-mail the account's owner (at most once an hour)."""
    user = services.find_by_email(ratelimit.login_email())
    if user is None or user.deleted_at is not None:
        return
    if ratelimit.first_in_window("login_notice", ratelimit.email_digest(user.email)):
        notices.failed_logins(user.email, ratelimit.address_key())
        db.session.commit()


@bp.route("/login", methods=["GET", "POST"])
@ratelimit.per_address("RATELIMIT_LOGIN", deduct_when=ratelimit.failed)
@ratelimit.login_limits(on_breach=_tell_owner, known_device=devices.known)
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
        sessions.start(user, remember=form.remember.data)
        flash(_l("เข้าสู่ระบบแล้ว"), "success")
        return devices.remember(redirect(safe_next(form.next.data) or url_for("areas.index")), user.email)
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
def logout():
    """Log out (POST with CSRF, so no link can log anyone out): every session of the account ends,
    so a copied session or remember-me cookie is worthless from now on."""
    if current_user.is_authenticated:
        sessions.end_everywhere(current_user)
        db.session.commit()
    sessions.end_here()
    flash(_l("ออกจากระบบแล้ว"), "success")
    return redirect(url_for("areas.index"))
