"""Residents answer "is it really done?" on an idea or a project page; photos of their answers."""
from __future__ import annotations

import os

from flask import abort, flash, redirect, request, send_from_directory, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from idea4gov import ratelimit
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, Visibility
from idea4gov.projects.forms import ConfirmForm
from idea4gov.projects.messages import service_message
from idea4gov.projects.models import Project
from idea4gov.service_errors import ServiceError
from idea4gov.verification import bp, services
from idea4gov.verification.models import Verification, VerificationResponse, VerificationState


@bp.url_value_preprocessor
def _allow_photo(endpoint, values) -> None:  # noqa: ANN001
    if endpoint in ("verification.confirm_idea", "verification.confirm_project"):
        from flask import current_app

        request.max_content_length = current_app.config["PHOTO_MAX_BYTES"] + 256 * 1024


def _answer(round_: Verification | None, back: str, render):  # noqa: ANN001
    form = ConfirmForm()
    if round_ is None or round_.state != VerificationState.open:
        flash(service_message(ServiceError("round_closed")), "error")
        return redirect(back), 303
    if not form.validate_on_submit():
        return render(form, 400)
    upload = request.files.get(form.photo.name)
    data = upload.read() if upload and upload.filename else None
    try:
        _response, disputed = services.respond(round_, current_user, form.answer.data == "done", form.note.data or "",
                                               data)
    except ServiceError as error:
        db.session.rollback()
        if error.status in (403, 409):
            flash(service_message(error), "error")
            return redirect(back), 303
        getattr(form, "photo" if error.field == "photos" else (error.field or "note")).errors.append(service_message(error))
        return render(form, error.status if error.status in (413, 415) else 400)
    db.session.commit()
    flash(_l("ขอบคุณ บันทึกคำตอบของคุณแล้ว") if not disputed else
          _l("ขอบคุณ ผู้ติดตามส่วนใหญ่แจ้งว่ายังไม่เสร็จ เรื่องนี้จึงกลับไปให้เจ้าหน้าที่ตรวจสอบอีกครั้ง"), "success")
    return redirect(back + "#confirm")


@bp.post("/ideas/<int:idea_id>/confirm")
@ratelimit.limit("comments")
@login_required
def confirm_idea(idea_id: int):
    """The author or a supporter says whether an implemented idea is really done."""
    from idea4gov.ideas.routes import _render_idea, get_visible_idea_or_404

    idea = get_visible_idea_or_404(idea_id)
    return _answer(services.latest(idea=idea), url_for("ideas.show", idea_id=idea.id),
                   lambda form, code: _render_idea(idea, status=code, confirm_form=form))


@bp.post("/projects/<int:project_id>/confirm")
@ratelimit.limit("comments")
@login_required
def confirm_project(project_id: int):
    """An author or supporter of the project's ideas says whether the done project is really done."""
    from idea4gov.projects.routes import render_project

    project = db.get_or_404(Project, project_id)
    return _answer(services.latest(project=project), url_for("projects.show", project_id=project.id),
                   lambda form, code: render_project(project, form, code))


@bp.get("/confirmations/photos/<int:response_id>")
def photo(response_id: int):
    """A resident's photo attached to their answer, when its idea is public."""
    from idea4gov.triage.services import photos

    response = db.get_or_404(VerificationResponse, response_id)
    round_ = db.session.get(Verification, response.verification_id)
    if response.photo_filename is None:
        abort(404)
    if round_.idea_id is not None:
        idea = db.session.get(Idea, round_.idea_id)
        if idea is None or idea.visibility != Visibility.published:
            abort(404)
    if not os.path.isfile(os.path.join(photos.upload_folder(), response.photo_filename)):
        abort(404)
    sent = send_from_directory(photos.upload_folder(), response.photo_filename,
                               mimetype=response.photo_content_type, max_age=3600)
    sent.headers["X-Content-Type-Options"] = "nosniff"
    return sent
