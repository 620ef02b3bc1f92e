"""Who may see and manage an event, judge its proposals and decide their outcomes.

Managing needs the organiser role in EVERY area of the event (admins: any event); outcomes may
also be set by officers of every one of its areas. Judges see and score only the events they judge.
A draft event does not exist for anyone else (404).
"""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from idea4gov.auth.models import Role, User
from idea4gov.auth.permissions import area_ids_for, has_role
from idea4gov.events.models import Event, Team, TeamMember
from idea4gov.extensions import db


def _in_every_area(user: User | None, role: Role, event: Event) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    area_ids = event.area_ids
    return bool(area_ids) and all(has_role(user, role, area_id) for area_id in area_ids)


def can_manage(user: User | None, event: Event) -> bool:
    return _in_every_area(user, Role.organiser, event)


def can_decide_outcomes(user: User | None, event: Event) -> bool:
    """Organisers and the officers of the event's areas mark what happened to each proposal."""
    return can_manage(user, event) or _in_every_area(user, Role.officer, event)


def is_judge(user: User | None, event: Event) -> bool:
    from idea4gov.events.services.judging import rubric_of

    return rubric_of(event).is_judge(user)


def can_see(user: User | None, event: Event) -> bool:
    return event.is_public or can_manage(user, event)


def may_use_event_pages(user: User | None) -> bool:
    """Organisers (any area), officers (outcomes), admins and judges of at least one event."""
    if user is None or not user.is_authenticated:
        return False
    for role in (Role.organiser, Role.officer):
        ids = area_ids_for(user, role)
        if ids is None or ids:
            return True
    from idea4gov.events.services.judging import judged_event_ids

    return bool(judged_event_ids(user))


def get_event(event_id: int) -> Event:
    """The event for its public pages: 404 when it does not exist or is a draft the visitor may not see."""
    event = db.session.get(Event, event_id)
    if event is None or not can_see(current_user, event):
        abort(404)
    return event


def get_managed(event_id: int, *, outcomes: bool = False, judging: bool = False) -> Event:
    """The event for a staff page: 404 when it does not exist, 403 when the current user may not
    (manage it; decide outcomes, with `outcomes`; or judge it, with `judging`)."""
    event = db.get_or_404(Event, event_id)
    allowed = can_manage(current_user, event)
    if not allowed and outcomes:
        allowed = can_decide_outcomes(current_user, event)
    if not allowed and judging:
        allowed = is_judge(current_user, event)
    if not allowed:
        abort(403)
    return event


def team_of(event: Event, team_id: int) -> Team:
    """A team of this event, or a 404 (a team number of another event is not this event's)."""
    team = db.session.get(Team, team_id)
    if team is None or team.event_id != event.id:
        abort(404)
    return team


def member_of(event: Event, member_id: int) -> TeamMember:
    """A team membership in this event, or a 404."""
    member = db.session.get(TeamMember, member_id)
    if member is None or member.event_id != event.id:
        abort(404)
    return member
