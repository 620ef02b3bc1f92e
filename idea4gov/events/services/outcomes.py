"""What happened to each final proposal: taken forward (by an agency, perhaps as a project), parked or
declined, always with a public reason. Organisers and officers of the event's areas decide it."""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.auth.models import User
from idea4gov.events.models import Event, Outcome, Proposal, TeamMember
from idea4gov.events.services import record
from idea4gov.extensions import db
from idea4gov.notifications.services import notify
from idea4gov.projects.models import Project
from idea4gov.service_errors import ServiceError
from idea4gov.text import clean_plain
from idea4gov.timeutil import utcnow
from idea4gov.triage.models import Agency

REASON_MIN, REASON_MAX = 10, 2000


def agencies_for(event: Event) -> list[Agency]:
    """Agencies that may take a proposal forward: those of the event's areas (partners first)."""
    partners = [agency.id for agency in event.agencies]
    rows = db.session.scalars(sa.select(Agency).where(Agency.area_id.in_(event.area_ids or [-1])).order_by(Agency.id))
    return sorted(rows, key=lambda agency: (agency.id not in partners, agency.id))


def projects_for(event: Event) -> list[Project]:
    """Projects that may carry a proposal on: those of the event's areas, newest fiscal year first."""
    return list(db.session.scalars(sa.select(Project).where(Project.area_id.in_(event.area_ids or [-1]))
                                   .order_by(Project.fiscal_year.desc(), Project.id.desc())))


def _project_of(event: Event, project_id: int | None) -> Project | None:
    if project_id is None:
        return None
    project = db.session.get(Project, project_id)
    if project is None or project.area_id not in (event.area_ids or []):
        raise ServiceError("outcome_project_other_area", field="project_id")
    return project


def set_outcome(proposal: Proposal, by: User, outcome: Outcome | None, reason: str = "",
                agency_id: int | None = None, project_id: int | None = None) -> bool:
    """Record (or, with None, clear) the outcome; the team is told in-app. False when nothing changed.

    Taken forward may name the project (`idea4gov.projects`) that carries it on: one of the event's areas.
    A link typed by hand before projects could be chosen stays while it is taken forward without a project."""
    event = proposal.event
    if not proposal.is_final:
        raise ServiceError("outcome_needs_final", status=409)
    before = proposal.outcome
    if outcome is None:
        if before is None:
            return False
        proposal.outcome, proposal.outcome_reason, proposal.outcome_agency_id = None, "", None
        proposal.outcome_project_url, proposal.outcome_project_id = "", None
        proposal.outcome_at, proposal.outcome_by_id = utcnow(), by.id
        record(by, "event_outcome", event, target_type="proposal", target_id=proposal.id, before=before)
        db.session.flush()
        return True
    reason = clean_plain(reason)
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise ServiceError("outcome_reason_length", field="reason", min=REASON_MIN, max=REASON_MAX)
    agency = None
    if outcome == Outcome.taken_forward:
        agency = next((a for a in agencies_for(event) if a.id == agency_id), None)
        if agency is None:
            raise ServiceError("outcome_agency_required", field="agency_id")
    project = _project_of(event, project_id) if outcome == Outcome.taken_forward else None
    legacy_url = proposal.outcome_project_url if outcome == Outcome.taken_forward and project is None else ""
    values = (outcome, reason, agency.id if agency else None, legacy_url, project.id if project else None)
    current = (proposal.outcome, proposal.outcome_reason, proposal.outcome_agency_id, proposal.outcome_project_url,
               proposal.outcome_project_id)
    if values == current:
        return False
    (proposal.outcome, proposal.outcome_reason, proposal.outcome_agency_id, proposal.outcome_project_url,
     proposal.outcome_project_id) = values
    proposal.outcome_at, proposal.outcome_by_id = utcnow(), by.id
    record(by, "event_outcome", event, target_type="proposal", target_id=proposal.id, before=before, after=outcome,
           reason=reason)
    members = db.session.scalars(sa.select(TeamMember.user_id).where(TeamMember.team_id == proposal.team_id))
    notify(members, "event_outcome", data={"title": proposal.title, "event_id": event.id, "proposal_id": proposal.id,
                                           "outcome_key": outcome.value})
    db.session.flush()
    return True
