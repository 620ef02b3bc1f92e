"""Loading projects for officers: 404 when missing, 403 unless an officer of the project's own area."""
from __future__ import annotations

from flask import abort, request

from idea4gov.areas.services import refuse_if_archived
from idea4gov.auth.models import Role
from idea4gov.auth.permissions import has_role, require_role
from idea4gov.extensions import db
from idea4gov.projects.models import Milestone, Project


def project_for_officer(project_id: int) -> Project:
    project = db.get_or_404(Project, project_id)
    require_role(Role.officer, project.area_id)
    if request.method not in ("GET", "HEAD"):
        refuse_if_archived(project.area)
    return project


def milestone_for_officer(project_id: int, milestone_id: int) -> Milestone:
    project = project_for_officer(project_id)
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or milestone.project_id != project.id:
        abort(404)
    return milestone


def can_manage(project: Project) -> bool:
    """For templates: show the officer link on the public project page."""
    from flask_login import current_user

    return has_role(current_user, Role.officer, project.area_id)
