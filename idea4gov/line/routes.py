"""LINE notices: choosing kinds under /account, and the one-step stop link in every message."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.ideas.forms import EmptyForm
from idea4gov.line import bp, services
from idea4gov.line.forms import KIND_LABELS, LineNoticesForm
from idea4gov.mail import tokens


@bp.post("/account/line-notices")
@login_required
def settings():
    """Save which kinds of LINE notices I want (LINE must be linked for notices)."""
    form = LineNoticesForm()
    if not form.validate_on_submit():
        abort(400)
    if services.line_identity(current_user) is None:
        flash(_l("กรุณาเชื่อมต่อ LINE ก่อน จึงจะรับการแจ้งเตือนทาง LINE ได้"), "error")
        return redirect(url_for("account.index") + "#line-notices")
    kinds = services.set_kinds(current_user, form.chosen())
    db.session.commit()
    flash(_l("บันทึกการแจ้งเตือนทาง LINE แล้ว") if kinds else _l("หยุดการแจ้งเตือนทาง LINE ทั้งหมดแล้ว"), "success")
    return redirect(url_for("account.index") + "#line-notices")


def _user_for(token: str) -> User:
    return tokens.user_for_token(token, services.SALT) or abort(404)


@bp.get("/line/stop/<token>")
def stop(token: str):
    """The link in every LINE notice: one button stops them all (a GET changes nothing: LINE fetches
    links to draw previews)."""
    user = _user_for(token)
    return render_template("line/stop.html", token=token, form=EmptyForm(), done=False,
                           receiving=bool(services.kinds_of(user)))


@bp.post("/line/stop/<token>")
def stop_confirm(token: str):
    """Stop every LINE notice to the person the link was sent to."""
    user = _user_for(token)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    services.stop_all(user.id)
    db.session.commit()
    return render_template("line/stop.html", token=token, form=form, done=True, receiving=False)


@bp.app_template_global()
def line_notices(user):  # noqa: ANN001, ANN201
    """For the account page: whether LINE notices are offered, LINE linked, the form with my kinds."""
    if not services.enabled():
        return None
    return {"linked": services.line_identity(user) is not None, "labels": KIND_LABELS,
            "provider": services.provider_name(), "form": LineNoticesForm.of(services.kinds_of(user))}
