"""My account: own ideas and votes, API tokens, data download, account deletion."""
from __future__ import annotations

import json

import sqlalchemy as sa
from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from idea4gov.account import bp, services, tokens
from idea4gov.account.forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    DeleteProviderAccountForm,
    ExportNameForm,
    SetPasswordForm,
    TokenForm,
)
from idea4gov.auth import services as auth_services
from idea4gov.auth import sessions
from idea4gov.auth.passwords import verify_password
from idea4gov.extensions import db
from idea4gov.ideas.forms import EmptyForm
from idea4gov.ideas.models import Idea, Vote

LIST_LIMIT = 50


def _delete_form_class() -> type:
    return DeleteAccountForm if current_user.has_password else DeleteProviderAccountForm


def _password_form_class() -> type:
    return ChangePasswordForm if current_user.has_password else SetPasswordForm


def _render(token_form: TokenForm | None = None, delete_form: DeleteAccountForm | None = None,
            new_secret: str | None = None, password_form: ChangePasswordForm | None = None, status: int = 200):
    my_ideas = db.session.scalars(
        sa.select(Idea).where(Idea.author_id == current_user.id).options(selectinload(Idea.area))
        .order_by(Idea.created_at.desc()).limit(LIST_LIMIT)
    ).all()
    supported = db.session.scalars(
        sa.select(Idea).join(Vote, Vote.idea_id == Idea.id).where(Vote.user_id == current_user.id, Idea.visible())
        .options(selectinload(Idea.area)).order_by(Vote.created_at.desc()).limit(LIST_LIMIT)
    ).all()
    return render_template(
        "account/index.html",
        my_ideas=my_ideas,
        supported=supported,
        api_tokens=tokens.active_tokens(current_user),
        token_form=token_form or TokenForm(formdata=None),
        delete_form=delete_form or _delete_form_class()(formdata=None),
        password_form=password_form or _password_form_class()(formdata=None),
        tokens_per_account=tokens.tokens_per_account(),
        button_form=EmptyForm(),
        export_name_form=ExportNameForm(formdata=None, show_name=current_user.show_name_in_exports),
        new_secret=new_secret,
    ), status


@bp.get("/")
@login_required
def index():
    """Show my ideas, what I support and my API tokens."""
    return _render()


@bp.post("/tokens")
@login_required
def create_token():
    """Make a personal API token; its secret is shown once."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _render(token_form=form, status=400)
    try:
        _token, secret = tokens.create_token(current_user, form.name.data)
    except tokens.TokenLimitReached:
        db.session.rollback()
        form.name.errors.append(_("มีโทเคนครบ %(n)d โทเคนแล้ว กรุณาเพิกถอนโทเคนที่ไม่ใช้ก่อน",
                                  n=tokens.tokens_per_account()))
        return _render(token_form=form, status=400)
    db.session.commit()
    return _render(new_secret=secret)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of my tokens."""
    if not tokens.revoke_token(current_user, token_id):
        return _render(status=404)
    db.session.commit()
    flash(_l("เพิกถอนโทเคนแล้ว"), "success")
    return redirect(url_for("account.index"))


@bp.post("/export-name")
@login_required
def export_name():
    """Agree, or stop agreeing, to be named as author in shortlist exports."""
    form = ExportNameForm()
    if not form.validate_on_submit():
        return _render(status=400)
    services.set_export_name(current_user, bool(form.show_name.data))
    db.session.commit()
    flash(_l("บันทึกการตั้งค่าแล้ว"), "success")
    return redirect(url_for("account.index") + "#export-name")


@bp.get("/data.json")
@login_required
def download():
    """Download everything stored about me as JSON."""
    body = json.dumps(services.export_data(current_user), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="idea4gov-my-data.json"'})


@bp.post("/delete")
@login_required
def delete():
    """Erase my personal data; my ideas and comments stay, shown as by a deleted user."""
    form = _delete_form_class()()
    if not form.validate_on_submit():
        return _render(delete_form=form, status=400)
    if current_user.has_password and not verify_password(current_user.password_hash, form.password.data):
        form.password.errors.append(_("รหัสผ่านไม่ถูกต้อง"))
        return _render(delete_form=form, status=400)
    services.erase_account(current_user)
    db.session.commit()
    sessions.end_here()
    flash(_l("ลบข้อมูลส่วนบุคคลของคุณแล้ว ไอเดียและความคิดเห็นยังอยู่โดยไม่แสดงชื่อ"), "success")
    return redirect(url_for("areas.index"))


@bp.post("/password")
@login_required
def change_password():
    """Change my password; every other device is signed out, this one stays, and I am told by e-mail."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _render(password_form=form, status=400)
    if not verify_password(current_user.password_hash, form.current.data):
        form.current.errors.append(_("รหัสผ่านไม่ถูกต้อง"))
        return _render(password_form=form, status=400)
    return _password_saved(form.password.data, _("เปลี่ยนรหัสผ่านแล้ว อุปกรณ์อื่นออกจากระบบทั้งหมด"))


@bp.post("/password/set")
@login_required
def set_password():
    """Give an account made through a sign-in provider a password (it then signs in by e-mail too)."""
    if current_user.has_password:
        return redirect(url_for("account.index") + "#security")
    form = SetPasswordForm()
    if not current_user.has_mail:
        form.form_errors.append(_("บัญชีนี้ไม่มีอีเมล จึงตั้งรหัสผ่านไม่ได้"))
        return _render(password_form=form, status=400)
    if not form.validate_on_submit():
        return _render(password_form=form, status=400)
    return _password_saved(form.password.data, _("ตั้งรหัสผ่านแล้ว เข้าสู่ระบบด้วยอีเมลและรหัสผ่านได้ด้วย"))


def _password_saved(password: str, message: str):
    """Store the new password, end every other session (this one is renewed) and say so."""
    auth_services.change_password(current_user, password)
    db.session.commit()
    sessions.renew(current_user)
    flash(message, "success")
    return redirect(url_for("account.index") + "#security")


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """End every session and remember-me cookie of my account, this browser's too."""
    form = EmptyForm()
    if not form.validate_on_submit():
        return _render(status=400)
    sessions.end_everywhere(current_user)
    db.session.commit()
    sessions.end_here()
    flash(_("ออกจากระบบทุกอุปกรณ์แล้ว กรุณาเข้าสู่ระบบอีกครั้ง"), "success")
    return redirect(url_for("auth.login"))
