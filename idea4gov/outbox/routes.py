"""Admins see what the outbox could not deliver, and send it again."""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from idea4gov import params
from idea4gov.auth.permissions import admin_required
from idea4gov.extensions import db
from idea4gov.ideas.forms import EmptyForm
from idea4gov.outbox import bp, services
from idea4gov.outbox.models import OutboxMessage, OutboxStatus

PER_PAGE = 50


@bp.get("/admin/outbox")
@admin_required
def index():
    """List messages that failed or wait for a retry (?status=failed|pending|sent), newest first."""
    status = request.args.get("status", "problems")
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status in {s.value for s in OutboxStatus}:
        query = query.where(OutboxMessage.status == OutboxStatus(status))
    else:
        status = "problems"
        query = query.where(sa.or_(OutboxMessage.status == OutboxStatus.failed, OutboxMessage.last_error != ""),
                            OutboxMessage.status != OutboxStatus.sent)
    page = params.paginate(query, per_page=PER_PAGE)
    return render_template("outbox/index.html", page=page, status=status, counts=services.counts(),
                           button_form=EmptyForm())


@bp.post("/admin/outbox/<int:message_id>/retry")
@admin_required
def retry(message_id: int):
    """Send a failed or waiting message again now."""
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("outbox.index"))
    message = db.get_or_404(OutboxMessage, message_id)
    if message.status != OutboxStatus.sent:
        services.retry_now(message)
        db.session.commit()
        services.kick()
        flash(_("ส่งข้อความนี้ใหม่แล้ว"), "success")
    return redirect(url_for("outbox.index"))
