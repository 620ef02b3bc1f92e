"""Demo events (`idea4gov/seed/demo_events.py`): a past hackathon with its report, an upcoming forum.

Idempotent: an event already present (by its Thai title) is left as it is, so running `flask seed demo`
again, or on a database seeded before events existed, adds only what is missing. The past hackathon is
written as it would stand the morning after: its rows are made directly (its registration window and
proposal deadline are long past), while judging and outcomes go through the services, audited.
"""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from idea4gov.areas.models import Area
from idea4gov.auth import services as auth_services
from idea4gov.auth import staff
from idea4gov.auth.models import Role, User
from idea4gov.auth.passwords import hash_password
from idea4gov.events.models import (
    AgeBand,
    Event,
    EventKind,
    Outcome,
    Proposal,
    ProposalStatus,
    Registration,
    RegistrationStatus,
    Sector,
    SurveyAnswer,
    Team,
    TeamMember,
)
from idea4gov.events.services import events as event_services
from idea4gov.events.services import judging, outcomes
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea
from idea4gov.seed import demo_data, demo_events
from idea4gov.timeutil import BANGKOK, utcnow
from idea4gov.triage.models import Agency


def _bangkok(days: int, at: time) -> datetime:
    day = (utcnow().astimezone(BANGKOK) + timedelta(days=days)).date()
    return datetime.combine(day, at, tzinfo=BANGKOK).astimezone(UTC)


def _organisers(password: str) -> dict[str, User]:
    people = {}
    for email, name, slug in demo_events.ORGANISERS:
        user = auth_services.find_by_email(email) or auth_services.register(email, name, password)
        area = db.session.scalar(sa.select(Area).where(Area.slug == slug))
        staff.grant(user, Role.organiser, area)
        people[slug] = user
    return people


def _participants(password: str) -> list[User]:
    """The demo residents, then `participant-NN@example.org` (one password hash for all: seeding stays quick)."""
    users = [auth_services.find_by_email(spec["email"]) for spec in demo_data.RESIDENTS]
    users = [user for user in users if user is not None]
    hashed = None
    for number in range(1, demo_events.PARTICIPANTS + 1):
        email = f"participant-{number:02d}@example.org"
        user = auth_services.find_by_email(email)
        if user is None:
            hashed = hashed or hash_password(password)
            first = demo_events.FIRST_NAMES[number % len(demo_events.FIRST_NAMES)]
            last = demo_events.LAST_NAMES[number % len(demo_events.LAST_NAMES)]
            user = User(email=email, display_name=f"{first} {last}", password_hash=hashed, pdpa_consent_at=utcnow())
            db.session.add(user)
        users.append(user)
    db.session.flush()
    return users


def _event(spec: dict, kind: EventKind, area: Area, organiser: User, starts_at: datetime, ends_at: datetime,
           agencies: list[Agency]) -> Event:
    data = event_services.EventInput(
        kind=kind, title_th=spec["title_th"], title_en=spec["title_en"], description_th=spec["description_th"],
        description_en=spec["description_en"], starts_at=starts_at, ends_at=ends_at, place=spec["place"],
        online_url="", capacity=spec["capacity"], theme_ids=[theme.id for theme in area.themes],
        agency_ids=[agency.id for agency in agencies])
    event = event_services.create_event(organiser, [area], data)
    event_services.publish(event, organiser)
    return event


def _hackathon(area: Area, organiser: User, people: list[User]) -> None:
    spec = demo_events.HACKATHON
    starts = _bangkok(-spec["days_ago"], time(9, 0))
    ends = starts + timedelta(days=1, hours=8)
    agencies = list(db.session.scalars(sa.select(Agency).where(Agency.area_id == area.id).order_by(Agency.id)))
    event = _event(spec, EventKind.hackathon, area, organiser, starts, ends, agencies)
    event.proposal_deadline = ends - timedelta(hours=3)
    registered_at = starts - timedelta(days=10)
    present = people[:spec["checked_in"]]
    rows = []
    for index, user in enumerate(present):
        row = Registration(event_id=event.id, user_id=user.id, status=RegistrationStatus.accepted,
                           created_at=registered_at, accepted_at=registered_at,
                           checked_in_at=starts + timedelta(minutes=index % 50))
        if index < len(demo_events.SECTORS):
            row.sector = Sector(demo_events.SECTORS[index])
            row.age_band = AgeBand(demo_events.AGE_BANDS[index])
            row.demographics_consent_at = registered_at
        rows.append(row)
    rest = people[spec["checked_in"]:]
    for user in rest[:spec["no_shows"]]:
        rows.append(Registration(event_id=event.id, user_id=user.id, status=RegistrationStatus.accepted,
                                 created_at=registered_at, accepted_at=registered_at))
    for user in rest[spec["no_shows"]:spec["no_shows"] + spec["cancelled"]]:
        rows.append(Registration(event_id=event.id, user_id=user.id, status=RegistrationStatus.cancelled,
                                 created_at=registered_at, cancelled_at=registered_at + timedelta(days=3)))
    db.session.add_all(rows)
    event.accepted_count = sum(1 for row in rows if row.status == RegistrationStatus.accepted)
    db.session.flush()
    _teams_and_proposals(event, area, organiser, present, starts)
    answers = [row for row in rows if row.checked_in_at is not None]
    position = 0
    for satisfaction, back, count in demo_events.SURVEY:
        for _ in range(count):
            comment = demo_events.COMMENTS[position] if position < len(demo_events.COMMENTS) else ""
            db.session.add(SurveyAnswer(event_id=event.id, registration_id=answers[position].id,
                                        satisfaction=satisfaction, would_return=back, comment=comment,
                                        created_at=ends + timedelta(minutes=position)))
            position += 1
    db.session.flush()


def _teams_and_proposals(event: Event, area: Area, organiser: User, present: list[User], starts: datetime) -> None:
    ideas = {idea.title: idea for idea in db.session.scalars(sa.select(Idea).where(Idea.area_id == area.id))}
    keyed = {spec["key"]: ideas.get(spec["title"]) for spec in _area_ideas(area.slug)}
    rubric = judging.rubric_of(event)
    criteria = [rubric.add_criterion(name, weight, organiser) for name, weight in demo_events.HACKATHON["criteria"]]
    judges = [auth_services.find_by_email(email) for email in demo_events.HACKATHON["judges"]]
    judges = [judge for judge in judges if judge is not None]
    for judge in judges:
        rubric.add_judge(judge, organiser)
    members = iter(present)
    made = []
    for number, (name, size, text, idea_keys, scores, outcome) in enumerate(demo_events.TEAMS):
        team = Team(event_id=event.id, name=name, invite_token=f"demo{event.id}x{number}team", member_count=size,
                    created_by_id=None)
        db.session.add(team)
        db.session.flush()
        for _ in range(size):
            db.session.add(TeamMember(team_id=team.id, event_id=event.id, user_id=next(members).id))
        submitted = starts + timedelta(days=1, hours=4, minutes=number * 7)
        proposal = Proposal(event_id=event.id, team_id=team.id, status=ProposalStatus.final, submitted_at=submitted,
                            created_at=starts + timedelta(hours=6), **text)
        proposal.ideas = [keyed[key] for key in idea_keys if keyed.get(key) is not None]
        db.session.add(proposal)
        db.session.flush()
        made.append((proposal, scores, outcome))
    entries = [proposal for proposal, _scores, _outcome in made]
    for index, judge in enumerate(judges):
        values = {(proposal.id, criterion.id): scores[index % len(scores)][position]
                  for proposal, scores, _outcome in made for position, criterion in enumerate(criteria)}
        rubric.save_scores(judge, values, [proposal.id for proposal in entries])
    agencies = {agency.name_th: agency for agency in db.session.scalars(sa.select(Agency).where(Agency.area_id == area.id))}
    # The area's demo projects (seeded before the events) carry the proposals taken forward, one each.
    from idea4gov.projects.models import Project

    projects = list(db.session.scalars(sa.select(Project.id).where(Project.area_id == area.id).order_by(Project.id)))
    for proposal, _scores, (kind, agency_name, reason) in made:
        agency = agencies.get(agency_name) if agency_name else None
        project_id = projects.pop(0) if Outcome(kind) == Outcome.taken_forward and projects else None
        outcomes.set_outcome(proposal, organiser, Outcome(kind), reason, agency.id if agency else None, project_id)


def _area_ideas(slug: str) -> list[dict]:
    return next((spec["ideas"] for spec in demo_data.AREAS if spec["slug"] == slug), [])


def _forum(area: Area, organiser: User) -> None:
    spec = demo_events.FORUM
    starts = _bangkok(spec["in_days"], time(13, 0))
    agencies = list(db.session.scalars(sa.select(Agency).where(Agency.area_id == area.id).order_by(Agency.id).limit(1)))
    event = _event(spec, EventKind.forum, area, organiser, starts, starts + timedelta(hours=4), agencies)
    residents = {resident["key"]: resident["email"] for resident in demo_data.RESIDENTS}
    now = utcnow()
    for key in spec["registered"]:
        user = auth_services.find_by_email(residents[key])
        if user is not None:
            db.session.add(Registration(event_id=event.id, user_id=user.id, status=RegistrationStatus.accepted,
                                        created_at=now, accepted_at=now))
            event.accepted_count += 1
    db.session.flush()


def seed_events(password: str) -> int:
    """Add the demo events that are missing; returns how many were added."""
    organisers = _organisers(password)
    saensuk = db.session.scalar(sa.select(Area).where(Area.slug == "saensuk"))
    huawiang = db.session.scalar(sa.select(Area).where(Area.slug == "huawiang"))
    existing = set(db.session.scalars(sa.select(Event.title_th)))
    added = 0
    if saensuk is not None and demo_events.HACKATHON["title_th"] not in existing:
        _hackathon(saensuk, organisers["saensuk"], _participants(password))
        added += 1
    if huawiang is not None and demo_events.FORUM["title_th"] not in existing:
        _forum(huawiang, organisers["huawiang"])
        added += 1
    return added
