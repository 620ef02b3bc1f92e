"""Loading objects for staff views: 404 when missing, 403 unless an officer of the object's own area."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, request
from flask_login import current_user

from idea4gov.areas.models import Area
from idea4gov.areas.services import refuse_if_archived
from idea4gov.auth.models import Role
from idea4gov.auth.permissions import has_role, require_role
from idea4gov.extensions import db
from idea4gov.groups.models import IdeaGroup, IdeaIssue
from idea4gov.ideas.models import Idea
from idea4gov.triage.models import Agency


def _read_only_when_archived(area: Area) -> None:
    """Officers read an archived area's board and ideas; every change there is refused."""
    if request.method not in ("GET", "HEAD"):
        refuse_if_archived(area)


def area_for_officer(slug: str) -> Area:
    area = db.session.scalar(sa.select(Area).where(Area.slug == slug)) or abort(404)
    require_role(Role.officer, area.id)
    _read_only_when_archived(area)
    return area


def idea_for_officer(idea_id: int) -> Idea:
    idea = db.get_or_404(Idea, idea_id)
    require_role(Role.officer, idea.area_id)
    _read_only_when_archived(idea.area)
    return idea


def group_for_officer(group_id: int) -> IdeaGroup:
    group = db.get_or_404(IdeaGroup, group_id)
    require_role(Role.officer, group.area_id)
    _read_only_when_archived(db.session.get(Area, group.area_id))
    return group


def issue_for_officer(issue_id: int) -> IdeaIssue:
    issue = db.get_or_404(IdeaIssue, issue_id)
    require_role(Role.officer, issue.area_id)
    _read_only_when_archived(db.session.get(Area, issue.area_id))
    return issue


def agency_for_officer(agency_id: int) -> Agency:
    agency = db.get_or_404(Agency, agency_id)
    require_role(Role.officer, agency.area_id)
    _read_only_when_archived(agency.area)
    return agency


def require_admin() -> None:
    if not current_user.is_authenticated or not current_user.is_admin:
        abort(403)


def can_triage(idea: Idea) -> bool:
    """For templates: show officer tools on the public idea page."""
    return has_role(current_user, Role.officer, idea.area_id)
