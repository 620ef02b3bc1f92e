"""The one calculation of "first answer due", and keeping the holiday calendar.

Everything that asks whether an idea is late goes through here: the triage board and its
counts (`overdue_cutoff`), `flask triage remind`, the stats pages, the programme results and
the receipt (`first_answer`). The days an area gives itself are read in exactly one
place, `days_to_first_answer`.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa
from flask import g

from idea4gov.areas.models import DEFAULT_DAYS_TO_FIRST_ANSWER, Area, AreaSettings
from idea4gov.areas.settings import settings_of
from idea4gov.audit import services as audit
from idea4gov.auth.models import User
from idea4gov.deadlines.calendar import WorkingCalendar
from idea4gov.deadlines.models import Holiday, HolidayKind
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, IdeaStatus
from idea4gov.ideas.services import ServiceError
from idea4gov.text import clean_plain
from idea4gov.timeutil import utcnow

#: The shipped list of Thai government holidays (read by the migration, `flask holidays load`
#: and `flask seed demo`).
HOLIDAYS_FILE = Path(__file__).parent / "data" / "holidays_th.csv"
#: Years an administrator may put a day off in (CE).
FIRST_YEAR, LAST_YEAR = 2000, 2100
NAME_MAX = 200


# --- the deadline --------------------------------------------------------------------------


def days_to_first_answer(area_ids: Iterable[int]) -> dict[int, int]:
    """Working days each area gives itself to answer a new idea (its `area_settings`), in one query.

    With `days_for`, the ONE place the deadline code reads this setting.
    """
    ids = list(dict.fromkeys(area_ids))
    if not ids:
        return {}
    stored = dict(db.session.execute(sa.select(AreaSettings.area_id, AreaSettings.days_to_first_answer)
                                      .where(AreaSettings.area_id.in_(ids))).all())
    return {area_id: stored.get(area_id, DEFAULT_DAYS_TO_FIRST_ANSWER) for area_id in ids}


def days_for(area: Area | int) -> int:
    """One area's days; an area already loaded answers from its settings (joined with it: no query)."""
    if isinstance(area, Area):
        return settings_of(area).days_to_first_answer
    return days_to_first_answer([area])[area]


_CACHE = "_working_calendar"


def calendar() -> WorkingCalendar:
    """The working calendar from the holidays table (read once per request or command)."""
    cached = g.get(_CACHE)
    if cached is None:
        days = db.session.scalars(sa.select(Holiday.day).where(Holiday.removed_at.is_(None)))
        cached = WorkingCalendar.from_days(days)
        setattr(g, _CACHE, cached)
    return cached


def forget_calendar() -> None:
    """Drop the cached calendar after the holidays changed."""
    g.pop(_CACHE, None)


@dataclass(frozen=True)
class FirstAnswer:
    """What a receipt tells: the day the idea counts as received, the day its first answer is due,
    and the working days between, as the area set them."""

    received: date
    due: date
    days: int


def first_answer(idea: Idea) -> FirstAnswer:
    """The receipt's terms for a new idea (read once, for its e-mail and its LINE message alike)."""
    working, days = calendar(), days_for(idea.area)
    received = working.received_day(idea.created_at)
    return FirstAnswer(received, working.add_working_days(received, days), days)


def first_answer_due_day(idea: Idea, days: int | None = None) -> date:
    """The last day (Bangkok) on which the idea's first public answer is on time."""
    return calendar().due_day(idea.created_at, days if days is not None else days_for(idea.area_id))


def first_answer_due(idea: Idea, days: int | None = None) -> datetime:
    """The moment (UTC) from which the idea, still unanswered, is overdue."""
    return calendar().due_at(idea.created_at, days if days is not None else days_for(idea.area_id))


def overdue_cutoff(area_id: int, now: datetime | None = None) -> datetime:
    """Unanswered ideas of the area submitted before this moment are overdue now."""
    return calendar().overdue_cutoff(now or utcnow(), days_for(area_id))


def overdue_clause(area_id: int, now: datetime | None = None) -> sa.ColumnElement[bool]:
    """SQL: the area's ideas that are overdue (no written public answer past the deadline)."""
    return sa.and_(Idea.first_answered_at.is_(None), Idea.created_at < overdue_cutoff(area_id, now),
                   Idea.status != IdeaStatus.duplicate)


def is_overdue(idea: Idea, cutoff: datetime) -> bool:
    """The same test as `overdue_clause`, for an idea already loaded (cutoff from `overdue_cutoff`)."""
    from idea4gov.timeutil import as_utc

    return (idea.first_answered_at is None and idea.status != IdeaStatus.duplicate
            and as_utc(idea.created_at) < cutoff)


# --- the holiday calendar ------------------------------------------------------------------


@dataclass(frozen=True)
class ShippedDay:
    day: date
    kind: HolidayKind
    name_th: str
    name_en: str


def shipped_days(path: Path = HOLIDAYS_FILE) -> list[ShippedDay]:
    """The days of the shipped list (lines starting with # are comments)."""
    with open(path, encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if line.strip() and not line.startswith("#"))
        return [ShippedDay(date.fromisoformat(row["day"]), HolidayKind(row["kind"]), row["name_th"], row["name_en"])
                for row in rows]


def load_shipped(path: Path = HOLIDAYS_FILE) -> int:
    """Add the shipped days that are missing; never touches a day already in the table
    (an administrator may have renamed or removed it). Returns how many were added."""
    known = set(db.session.scalars(sa.select(Holiday.day)))
    added = 0
    for row in shipped_days(path):
        if row.day not in known:
            db.session.add(Holiday(day=row.day, kind=row.kind, name_th=row.name_th, name_en=row.name_en))
            known.add(row.day)
            added += 1
    db.session.flush()
    forget_calendar()
    return added


def holidays_in(year: int, include_removed: bool = True) -> list[Holiday]:
    """The calendar's days in a CE year, in date order."""
    query = sa.select(Holiday).where(Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31))
    if not include_removed:
        query = query.where(Holiday.removed_at.is_(None))
    return list(db.session.scalars(query.order_by(Holiday.day)))


def add_day_off(day: date, name_th: str, name_en: str, actor: User) -> Holiday:
    """Make a weekday a day off (a special holiday), or put back a day that was removed."""
    name_th, name_en = clean_plain(name_th)[:NAME_MAX], clean_plain(name_en or "")[:NAME_MAX]
    if not name_th:
        raise ServiceError("holiday_name_required", field="name_th")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ServiceError("holiday_year_range", field="day")
    if day.weekday() >= 5:
        raise ServiceError("holiday_on_weekend", field="day")
    row = db.session.scalar(sa.select(Holiday).where(Holiday.day == day))
    if row is not None and row.removed_at is None:
        raise ServiceError("holiday_exists", field="day", status=409)
    if row is None:
        row = Holiday(day=day, kind=HolidayKind.special, created_by_id=actor.id)
        db.session.add(row)
    row.name_th, row.name_en, row.removed_at, row.removed_by_id = name_th, name_en, None, None
    db.session.flush()
    audit.record(actor, "add_holiday", "holiday", row.id, after=day.isoformat(), reason=name_th)
    forget_calendar()
    return row


def remove_day_off(row: Holiday, actor: User, reason: str = "") -> bool:
    """Take a day off the calendar (it becomes a working day); the row stays. False if it was off already."""
    if row.removed_at is not None:
        return False
    row.removed_at, row.removed_by_id = utcnow(), actor.id
    audit.record(actor, "remove_holiday", "holiday", row.id, before=row.day.isoformat(),
                 reason=clean_plain(reason or "") or row.name_th)
    db.session.flush()
    forget_calendar()
    return True
