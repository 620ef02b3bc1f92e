"""The notification list of the signed-in person."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from idea4gov import params
from idea4gov.extensions import db
from idea4gov.ideas.forms import EmptyForm
from idea4gov.notifications import bp, services
from idea4gov.notifications.kinds import message


@bp.get("/notifications/")
@login_required
def index():
    """List my notifications, newest first, 20 a page."""
    page = params.paginate(services.for_user_select(current_user.id), per_page=20)
    return render_template("notifications/index.html", page=page, message=message, form=EmptyForm(),
                           unread=services.unread_count(current_user.id))


@bp.post("/notifications/read")
@login_required
def mark_read():
    """Mark all my notifications as read."""
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect(url_for("notifications.index")), 303
    services.mark_all_read(current_user.id)
    db.session.commit()
    flash(_l("ทำเครื่องหมายว่าอ่านแล้วทั้งหมด"), "success")
    return redirect(url_for("notifications.index", page=request.args.get("page")))
