"""Idempotent loading of the demo data in `demo_data.py`."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from idea4gov.areas.models import Area, IAP2Level, Round, Theme
from idea4gov.auth import services as auth_services
from idea4gov.auth import staff
from idea4gov.auth.models import Role, User
from idea4gov.extensions import db
from idea4gov.ideas import services as idea_services
from idea4gov.ideas.models import Comment, Idea, ReportReason
from idea4gov.seed import demo_data, demo_programme
from idea4gov.text import clean_rich
from idea4gov.timeutil import BANGKOK, utcnow


def _area(spec: dict) -> Area:
    area = db.session.scalar(sa.select(Area).where(Area.slug == spec["slug"]))
    if area is None:
        # A new area takes its reference code from the demo; an existing one keeps the code its
        # ideas' reference numbers already carry.
        area = Area(slug=spec["slug"], ref_code=spec.get("ref_code"))
        db.session.add(area)
    for field in ("name_th", "name_en", "description_th", "description_en"):
        setattr(area, field, spec[field])
    return area


def _programme(pilots: list[Area]) -> int:
    """Each pilot's province and promise, filled in where an admin has not set them already."""
    provinces = {spec["slug"]: _area(spec) for spec in demo_programme.PROVINCES}
    db.session.flush()
    for area in pilots:
        spec = demo_programme.PILOTS[area.slug]
        if area.parent_id is None:
            area.parent_id = provinces[spec["parent"]].id
        if area.iap2_level is None and not area.promise_th:
            area.iap2_level = IAP2Level(spec["iap2_level"])
            area.promise_th, area.promise_en = spec["promise_th"], spec["promise_en"]
    return len(provinces)


def _bangkok_day(days: int, at: time) -> datetime:
    """`days` from today (Bangkok) at a Bangkok wall-clock time, as UTC."""
    day = (utcnow().astimezone(BANGKOK) + timedelta(days=days)).date()
    return datetime.combine(day, at, tzinfo=BANGKOK).astimezone(UTC)


def _rounds(area: Area, themes: dict[str, Theme], specs: list[dict]) -> int:
    """A closed past round and the open current one, unless the area has rounds of these names."""
    existing = set(db.session.scalars(sa.select(Round.title_th).where(Round.area_id == area.id)))
    ordered = [themes[spec["slug"]] for spec in specs]
    created = 0
    for title_th, title_en, opened_days_ago, closes_in_days, covers in demo_programme.ROUNDS:
        if title_th in existing:
            continue
        db.session.add(Round(area_id=area.id, title_th=title_th, title_en=title_en,
                             opens_at=_bangkok_day(-opened_days_ago, time(9, 0)),
                             closes_at=_bangkok_day(closes_in_days, time(16, 30)),
                             themes=ordered[:covers] if covers else ordered))
        created += 1
    db.session.flush()
    return created


def _themes(area: Area, specs: list[dict]) -> tuple[dict[str, Theme], int]:
    existing = {theme.slug: theme for theme in area.themes}
    created = 0
    for position, spec in enumerate(specs):
        if spec["slug"] not in existing:
            theme = Theme(slug=spec["slug"], title_th=spec["title_th"], title_en=spec["title_en"], position=position)
            area.themes.append(theme)  # appended through the collection so it cascades into the session
            existing[spec["slug"]] = theme
            created += 1
    db.session.flush()
    return existing, created


def _residents(password: str) -> tuple[dict[str, User], int]:
    users, created = {}, 0
    for spec in demo_data.RESIDENTS:
        user = auth_services.find_by_email(spec["email"])
        if user is None:
            user = auth_services.register(spec["email"], spec["display_name"], password)
            created += 1
        users[spec["key"]] = user
    return users, created


#: Demo staff: one admin, and a moderator for each pilot area (`moderator-<slug>@example.org`).
DEMO_ADMIN = ("admin@example.org", "ผู้ดูแลระบบ (ตัวอย่าง)")


def _staff(password: str, areas: list[Area]) -> int:
    created = 0
    people = [(DEMO_ADMIN, Role.admin, None)] + [
        ((f"moderator-{area.slug}@example.org", f"ผู้ดูแลเนื้อหา {area.name_th}"), Role.moderator, area)
        for area in areas
    ]
    for (email, name), role, area in people:
        user = auth_services.find_by_email(email)
        if user is None:
            user = auth_services.register(email, name, password)
            created += 1
        staff.grant(user, role, area)
    return created


#: Two residents report one demo idea, so the moderation queue has something to show
#: (one report short of the auto-hide threshold). Reports are unique: safe to repeat.
DEMO_REPORTS = (("ss-03", "malee", "off_topic", "ซ้ำกับไอเดียเรื่องถังขยะที่มีอยู่แล้ว"),
                ("ss-03", "wichai", "spam", ""))


def _reports(users: dict[str, User], ideas: dict[str, Idea]) -> None:
    for key, reporter, reason, details in DEMO_REPORTS:
        if key in ideas and reporter in users:
            idea_services.report(users[reporter], ReportReason(reason), details, idea=ideas[key])


def seed_demo(password: str) -> dict[str, int]:
    """Create or complete the demo data; returns how many rows of each kind were added."""
    counts = dict(areas=0, themes=0, rounds=0, users=0, ideas=0, votes=0, comments=0, events=0)
    users, counts["users"] = _residents(password)
    ideas: dict[str, Idea] = {}
    now = utcnow()
    pilots = []
    for spec in demo_data.AREAS:
        area = _area(spec)
        pilots.append(area)
        counts["areas"] += 1
        themes, counts_themes = _themes(area, spec["themes"])
        counts["themes"] += counts_themes
        counts["rounds"] += _rounds(area, themes, spec["themes"])
        for idea_spec in spec["ideas"]:
            title = idea_spec["title"]
            idea = db.session.scalar(sa.select(Idea).where(Idea.area_id == area.id, Idea.title == title))
            if idea is None:
                data = idea_services.IdeaInput(title, idea_spec["body"], themes[idea_spec["theme"]],
                                               idea_spec.get("place"))
                idea = idea_services.create_idea(area, users[idea_spec["author"]], data)
                idea.created_at = idea.updated_at = now - timedelta(days=idea_spec["days_ago"], hours=len(title) % 12)
                counts["ideas"] += 1
            ideas[idea_spec["key"]] = idea
        for key, voters in spec["votes"].items():
            for voter in voters:
                counts["votes"] += idea_services.vote(ideas[key], users[voter])
        for comment in spec["comments"]:
            idea = ideas[comment["idea"]]
            counts["comments"] += _comment(idea, users[comment["author"]], comment["body"], None)
            parent = _find_comment(idea, users[comment["author"]], comment["body"])
            for reply in comment.get("replies", []):
                counts["comments"] += _comment(idea, users[reply["author"]], reply["body"], parent.id)
    db.session.flush()
    counts["areas"] += _programme(pilots)
    _reports(users, ideas)
    counts["users"] += _staff(password, pilots)
    counts["agencies"], counts["officers"] = _triage(password, ideas)
    from idea4gov.seed.programme import seed_programme

    counts.update(seed_programme(password))
    from idea4gov.seed.projects import seed_projects

    counts.update(seed_projects(ideas))
    from idea4gov.seed.events import seed_events

    counts["events"] = seed_events(password)
    if counts["ideas"]:
        # Joining one idea at a time suits a live site; a fresh demo is grouped as a whole.
        from idea4gov.groups.services import recompute_area
        from idea4gov.ideas import similar

        for area in db.session.scalars(sa.select(Area)):
            recompute_area(area)
            similar.forget(area)
    return counts


def _find_comment(idea: Idea, author: User, body: str) -> Comment | None:
    return db.session.scalar(
        sa.select(Comment).where(Comment.idea_id == idea.id, Comment.author_id == author.id,
                                 Comment.body == clean_rich(body))
    )


def _comment(idea: Idea, author: User, body: str, parent_id: int | None) -> int:
    if _find_comment(idea, author, body) is not None:
        return 0
    idea_services.add_comment(idea, author, body, parent_id)
    return 1


def _triage(password: str, ideas: dict[str, Idea]) -> tuple[int, int]:
    """Demo agencies per pilot area, one demo officer each (officer role + agency membership),
    and a few answered ideas."""
    from idea4gov.auth.models import Role
    from idea4gov.auth.staff import grant
    from idea4gov.ideas.models import IdeaStatus
    from idea4gov.seed.demo_triage import AGENCIES, ANSWERS, OFFICERS
    from idea4gov.triage.models import Agency, AgencyMember, StatusChange

    agencies = officers = 0
    for slug, names in AGENCIES.items():
        area = db.session.scalar(sa.select(Area).where(Area.slug == slug))
        for name_th, name_en in names:
            if db.session.scalar(sa.select(Agency.id).where(Agency.area_id == area.id, Agency.name_th == name_th)) is None:
                db.session.add(Agency(area_id=area.id, name_th=name_th, name_en=name_en))
                agencies += 1
    db.session.flush()
    for email, display_name, slug, agency_name in OFFICERS:
        user = auth_services.find_by_email(email)
        if user is None:
            user = auth_services.register(email, display_name, password)
            officers += 1
        area = db.session.scalar(sa.select(Area).where(Area.slug == slug))
        grant(user, Role.officer, area)
        agency = db.session.scalar(sa.select(Agency).where(Agency.area_id == area.id, Agency.name_th == agency_name))
        if db.session.scalar(sa.select(AgencyMember.id).where(AgencyMember.agency_id == agency.id,
                                                              AgencyMember.user_id == user.id)) is None:
            db.session.add(AgencyMember(agency_id=agency.id, user_id=user.id))
    db.session.flush()
    officer_of = {slug: auth_services.find_by_email(email) for email, _name, slug, _agency in OFFICERS}
    for key, agency_name, status, answer, days in ANSWERS:
        idea = ideas[key]
        if db.session.scalar(sa.select(StatusChange.id).where(StatusChange.idea_id == idea.id).limit(1)):
            continue
        agency = db.session.scalar(sa.select(Agency).where(Agency.area_id == idea.area_id, Agency.name_th == agency_name))
        when = idea.created_at + timedelta(days=days)
        db.session.add(StatusChange(idea_id=idea.id, actor_id=officer_of[idea.area.slug].id, agency_id=agency.id,
                                    before=idea.status, after=IdeaStatus(status), answer=answer, created_at=when))
        idea.agency_id, idea.routed_at = agency.id, idea.created_at + timedelta(days=1)
        idea.status = IdeaStatus(status)
        if answer:  # only a written answer stops the first-answer clock
            idea.first_answered_at = when
    db.session.flush()
    return agencies, officers
