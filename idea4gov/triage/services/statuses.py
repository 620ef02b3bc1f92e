"""Setting an idea's status with a public answer; evidence photos for implemented ideas."""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.audit import services as audit
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, IdeaStatus, Visibility
from idea4gov.ideas.services import ServiceError
from idea4gov.text import clean_plain
from idea4gov.timeutil import utcnow
from idea4gov.triage import notify
from idea4gov.triage.models import EvidencePhoto, StatusChange
from idea4gov.triage.services import photos as photo_files

#: Statuses an officer sets by hand; `duplicate` comes only with a merge.
SETTABLE = (IdeaStatus.received, IdeaStatus.under_review, IdeaStatus.accepted, IdeaStatus.in_progress,
            IdeaStatus.implemented, IdeaStatus.declined)
#: These tell the resident a decision, so they need a public answer.
NEEDS_ANSWER = {IdeaStatus.accepted, IdeaStatus.declined, IdeaStatus.implemented}
ANSWER_MIN, ANSWER_MAX = 10, 3000


def set_status(idea: Idea, status: IdeaStatus, answer: str, actor: User,
               photos: list[bytes] | None = None) -> StatusChange:
    """Move the idea to `status` with a public answer, store evidence photos, tell its followers."""
    answer = clean_plain(answer or "")
    photos = [data for data in (photos or []) if data]
    if idea.visibility != Visibility.published:
        raise ServiceError("idea_not_open", status=404)
    if idea.status == IdeaStatus.duplicate:
        raise ServiceError("idea_is_duplicate", status=409)
    if status not in SETTABLE:
        raise ServiceError("status_not_settable", field="status")
    if status == idea.status and not answer:
        raise ServiceError("status_unchanged", field="status")
    if status in NEEDS_ANSWER and len(answer) < ANSWER_MIN:
        raise ServiceError("answer_required", field="answer")
    if len(answer) > ANSWER_MAX:
        raise ServiceError("answer_too_long", field="answer")
    if photos and status != IdeaStatus.implemented:
        raise ServiceError("photos_only_implemented", field="photos")
    from flask import current_app

    if len(photos) > current_app.config["PHOTOS_PER_ANSWER"]:
        raise ServiceError("too_many_photos", field="photos")
    # Uploads are only checked here; the worker re-encodes them after the commit (photos module).
    stored = [photo_files.store_upload(db.session, data) for data in photos]
    before = idea.status
    now = utcnow()
    change = StatusChange(idea_id=idea.id, actor_id=actor.id, agency_id=idea.agency_id, before=before,
                          after=status, answer=answer, created_at=now)
    db.session.add(change)
    db.session.flush()
    rows = [EvidencePhoto(idea_id=idea.id, status_change_id=change.id, filename=photo.filename,
                          content_type=photo.content_type, width=photo.width, height=photo.height,
                          size_bytes=photo.size_bytes) for photo in stored]
    db.session.add_all(rows)
    idea.status = status
    # Only a written public answer stops the first-answer clock, not a bare status change.
    if answer and idea.first_answered_at is None:
        idea.first_answered_at = now
    audit.record(actor, "set_status", "idea", idea.id, area_id=idea.area_id, before=before, after=status,
                 reason=answer)
    notify.status_changed(idea, before, answer)
    db.session.flush()
    photo_files.process_after_commit(db.session, [row.id for row in rows])
    return change


def history(idea_id: int) -> list[StatusChange]:
    """The idea's status history, oldest first, with answers, agencies and photos."""
    from sqlalchemy.orm import selectinload

    return list(db.session.scalars(
        sa.select(StatusChange).where(StatusChange.idea_id == idea_id)
        .options(selectinload(StatusChange.agency), selectinload(StatusChange.photos))
        .order_by(StatusChange.created_at, StatusChange.id)))
