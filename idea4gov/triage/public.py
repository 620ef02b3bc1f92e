"""What residents see of triage: evidence photos (only of visible ideas) and the status history."""
from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Blueprint, abort, send_from_directory
from flask_login import current_user

from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, Visibility
from idea4gov.triage.access import can_triage
from idea4gov.triage.models import EvidencePhoto
from idea4gov.triage.services import photos, statuses

public_bp = Blueprint("evidence", __name__)


@public_bp.get("/photos/<int:photo_id>")
def photo(photo_id: int):
    """Serve an evidence photo of a visible idea (never a path the request chose)."""
    row = db.get_or_404(EvidencePhoto, photo_id)
    if not row.is_ready:  # still being re-encoded: the upload itself is never served
        abort(404)
    idea = db.session.get(Idea, row.idea_id)
    if idea is None or (idea.visibility != Visibility.published and not can_triage(idea)
                        and not (current_user.is_authenticated and idea.author_id == current_user.id)):
        abort(404)
    if not os.path.isfile(os.path.join(photos.upload_folder(), row.filename)):
        abort(404)
    response = send_from_directory(photos.upload_folder(), row.filename, mimetype=row.content_type, max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@public_bp.app_template_global()
def status_history(idea_id: int) -> list:
    """For the idea page: its status history with answers and photos."""
    return statuses.history(idea_id)


@public_bp.app_template_global()
def merged_target(idea: Idea) -> Idea | None:
    return db.session.get(Idea, idea.merged_into_id) if idea.merged_into_id else None


@public_bp.app_template_global()
def merged_sources(idea: Idea, officer: bool = False) -> list[Idea]:
    """The ideas merged into this one, oldest first: the public ones, or all of them for its officers."""
    query = sa.select(Idea).where(Idea.merged_into_id == idea.id).order_by(Idea.id)
    if not officer:
        query = query.where(Idea.visible())
    return list(db.session.scalars(query))


public_bp.add_app_template_global(can_triage, "can_triage")
