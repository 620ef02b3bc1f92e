"""Teams: participants form them and join by the invitation link; organisers rearrange them.

One team per person and event is a unique constraint; a team's size is kept by one conditional
UPDATE against the event's `team_size_max`, so two people joining at once never overfill it.
"""
from __future__ import annotations

import hmac
import secrets

import sqlalchemy as sa

from idea4gov.auth.models import User
from idea4gov.events.models import Event, Registration, RegistrationStatus, Team, TeamMember
from idea4gov.events.services import record
from idea4gov.extensions import db
from idea4gov.service_errors import ServiceError
from idea4gov.text import clean_plain
from idea4gov.timeutil import utcnow

NAME_MAX = 80


def new_token() -> str:
    return secrets.token_urlsafe(16)[:22]


def team_of(event: Event, user: User | None) -> Team | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(sa.select(Team).join(TeamMember, TeamMember.team_id == Team.id).where(
        TeamMember.event_id == event.id, TeamMember.user_id == user.id))


def is_member(team: Team, user: User | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return bool(db.session.scalar(sa.select(sa.exists().where(TeamMember.team_id == team.id,
                                                              TeamMember.user_id == user.id))))


def _participant(event: Event, user_id: int) -> None:
    """Only people with a seat (accepted) form and join teams."""
    status = db.session.scalar(sa.select(Registration.status).where(Registration.event_id == event.id,
                                                                    Registration.user_id == user_id))
    if status != RegistrationStatus.accepted:
        raise ServiceError("not_participant", status=403)


def teams_open(event: Event) -> bool:
    return utcnow() < event.deadline and not event.state.value == "cancelled"


def _name(name: str) -> str:
    name = clean_plain(name)
    if not name:
        raise ServiceError("team_name_required", field="name")
    if len(name) > NAME_MAX:
        raise ServiceError("too_long", field="name", max=NAME_MAX)
    return name


def _name_free(event: Event, name: str, team_id: int | None = None) -> None:
    query = sa.select(Team.id).where(Team.event_id == event.id, sa.func.lower(Team.name) == name.lower())
    if team_id is not None:
        query = query.where(Team.id != team_id)
    if db.session.scalar(query) is not None:
        raise ServiceError("team_name_taken", field="name")


def _reserve(team: Team) -> None:
    """Take a place in the team in one conditional UPDATE; refused when it is full."""
    size_max = sa.select(Event.team_size_max).where(Event.id == Team.event_id).scalar_subquery()
    result = db.session.execute(sa.update(Team).where(Team.id == team.id, Team.member_count < size_max)
                                .values(member_count=Team.member_count + 1)
                                .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise ServiceError("team_full", status=409)


def _add(team: Team, user_id: int) -> TeamMember:
    """Take a place in the team (refused when it is full), then the membership row."""
    _reserve(team)
    member = TeamMember(team_id=team.id, event_id=team.event_id, user_id=user_id)
    db.session.add(member)
    db.session.flush()
    db.session.expire(team, ["member_count", "members"])
    return member


def _remove(member: TeamMember) -> Team:
    team = member.team
    db.session.delete(member)
    db.session.execute(sa.update(Team).where(Team.id == team.id).values(member_count=Team.member_count - 1)
                       .execution_options(synchronize_session=False))
    db.session.flush()
    db.session.expire(team, ["member_count", "members"])
    return team


def _already_in_a_team(event: Event, user_id: int) -> None:
    if db.session.scalar(sa.select(TeamMember.id).where(TeamMember.event_id == event.id,
                                                        TeamMember.user_id == user_id)) is not None:
        raise ServiceError("already_in_team", status=409)


def create_team(event: Event, user: User, name: str) -> Team:
    """A participant starts a team and is its first member."""
    if not teams_open(event):
        raise ServiceError("teams_closed", status=409)
    _participant(event, user.id)
    _already_in_a_team(event, user.id)
    name = _name(name)
    _name_free(event, name)
    team = Team(event_id=event.id, name=name, invite_token=new_token(), created_by_id=user.id)
    db.session.add(team)
    db.session.flush()
    _add(team, user.id)
    return team


def check_token(team: Team, token: str) -> bool:
    return hmac.compare_digest((token or "").encode(), team.invite_token.encode())


def join(team: Team, user: User, token: str) -> TeamMember:
    """Join through the invitation link (IntegrityError if the same person joins two teams at once)."""
    if not check_token(team, token):
        raise ServiceError("bad_invite", status=404)
    if not teams_open(team.event):
        raise ServiceError("teams_closed", status=409)
    _participant(team.event, user.id)
    _already_in_a_team(team.event, user.id)
    return _add(team, user.id)


def leave_membership(member: TeamMember) -> Team:
    return _remove(member)


def leave(team: Team, user: User) -> None:
    member = db.session.scalar(sa.select(TeamMember).where(TeamMember.team_id == team.id, TeamMember.user_id == user.id))
    if member is None:
        raise ServiceError("not_in_team", status=409)
    _remove(member)


def renew_invite(team: Team) -> str:
    """A new invitation link; the old one stops working."""
    team.invite_token = new_token()
    db.session.flush()
    return team.invite_token


def rename(team: Team, name: str, by: User, organiser: bool = False) -> None:
    name = _name(name)
    _name_free(team.event, name, team.id)
    before, team.name = team.name, name
    if organiser:
        record(by, "event_team_rename", team.event, target_type="team", target_id=team.id, before=before[:40],
               after=name[:40])
    db.session.flush()


# --- organisers ----------------------------------------------------------------------------------


def move_member(member: TeamMember, target: Team, by: User) -> None:
    """Move a participant to another team of the same event (within its size)."""
    event = target.event
    if target.event_id != member.event_id:
        raise ServiceError("team_not_here", field="team_id", status=404)
    if target.id == member.team_id:
        return
    source = member.team
    user_id = member.user_id
    _reserve(target)
    db.session.execute(sa.update(Team).where(Team.id == source.id).values(member_count=Team.member_count - 1)
                       .execution_options(synchronize_session=False))
    member.team_id = target.id  # the same membership row, in its new team
    db.session.flush()
    for team in (source, target):
        db.session.expire(team, ["member_count", "members"])
    db.session.expire(member, ["team"])
    record(by, "event_team_move", event, target_type="team", target_id=target.id, before=source.name[:40],
           after=target.name[:40], reason=f"user {user_id}")


def remove_member(member: TeamMember, by: User) -> None:
    team = _remove(member)
    record(by, "event_team_remove_member", team.event, target_type="team", target_id=team.id,
           reason=f"user {member.user_id}")


def add_member(team: Team, user_id: int, by: User) -> None:
    """An organiser puts a participant without a team into one."""
    _participant(team.event, user_id)
    _already_in_a_team(team.event, user_id)
    _add(team, user_id)
    record(by, "event_team_add_member", team.event, target_type="team", target_id=team.id, reason=f"user {user_id}")


def delete_team(team: Team, by: User) -> None:
    """Only an empty team without a proposal goes away."""
    if team.member_count or team.proposal is not None:
        raise ServiceError("team_not_empty", status=409)
    record(by, "event_team_delete", team.event, target_type="team", target_id=team.id, before=team.name[:40])
    db.session.delete(team)
    db.session.flush()


def without_team(event: Event) -> list[Registration]:
    """Accepted participants in no team, for the organiser's page."""
    in_team = sa.select(TeamMember.user_id).where(TeamMember.event_id == event.id)
    return list(db.session.scalars(sa.select(Registration).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.accepted,
        Registration.user_id.not_in(in_team)).order_by(Registration.id)))
