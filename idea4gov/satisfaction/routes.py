"""Residents rate the official answer of an idea they posted or support."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from idea4gov import ratelimit
from idea4gov.extensions import db
from idea4gov.projects.forms import RatingForm
from idea4gov.projects.messages import service_message
from idea4gov.satisfaction import bp, services
from idea4gov.service_errors import ServiceError


@bp.post("/ideas/<int:idea_id>/rating")
@ratelimit.limit("votes")
@login_required
def rate(idea_id: int):
    """Rate the answer 1–5 with an optional comment (changeable for 30 days)."""
    from idea4gov.ideas.routes import _render_idea, get_visible_idea_or_404

    idea = get_visible_idea_or_404(idea_id)
    form = RatingForm()
    if not form.validate_on_submit():
        return _render_idea(idea, status=400, rating_form=form)
    try:
        services.rate(idea, current_user, int(form.score.data), form.comment.data or "")
    except ServiceError as error:
        db.session.rollback()
        if error.field:
            getattr(form, error.field).errors.append(service_message(error))
            return _render_idea(idea, status=400, rating_form=form)
        flash(service_message(error), "error")
        return redirect(url_for("ideas.show", idea_id=idea.id) + "#rating"), 303
    db.session.commit()
    flash(_l("ขอบคุณสำหรับคะแนน เปลี่ยนได้ภายใน 30 วัน"), "success")
    return redirect(url_for("ideas.show", idea_id=idea.id) + "#rating")
