"""Unsubscribing from a link in an e-mail (no log-in), and the setting on the notifications page."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.ideas.forms import EmptyForm
from idea4gov.mail import bp, services, tokens


def _user_for(token: str) -> User:
    return tokens.user_for_token(token) or abort(404)


@bp.get("/mail/unsubscribe/<token>")
def unsubscribe(token: str):
    """Ask to confirm: a GET (mail scanners follow links) never changes anything."""
    user = _user_for(token)
    return render_template("mail/unsubscribe.html", token=token, form=EmptyForm(),
                           subscribed=services.wants_mail(user.id), done=False)


@bp.post("/mail/unsubscribe/<token>")
def unsubscribe_confirm(token: str):
    """Stop e-mail about followed ideas for the person the link was sent to."""
    user = _user_for(token)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_wants_mail(user.id, False)
    db.session.commit()
    return render_template("mail/unsubscribe.html", token=token, form=form, subscribed=False, done=True)


@bp.post("/mail/settings")
@login_required
def settings():
    """Turn e-mail about followed ideas on or off from the notifications page."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    wanted = not services.wants_mail(current_user.id)
    services.set_wants_mail(current_user.id, wanted)
    db.session.commit()
    flash(_l("จะส่งอีเมลแจ้งความคืบหน้าให้คุณ") if wanted else _l("หยุดส่งอีเมลแจ้งความคืบหน้าแล้ว"), "success")
    return redirect(url_for("notifications.index"))


@bp.app_template_global()
def mail_wanted() -> bool:
    """For the notifications page: does the signed-in person get e-mail about followed ideas?"""
    return current_user.is_authenticated and services.wants_mail(current_user.id)
