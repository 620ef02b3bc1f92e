"""Numbers for managers: ideas per week and per theme, the status funnel, days to first answer."""
from __future__ import annotations

import statistics
from collections import Counter
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from idea4gov.areas.models import Area
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, IdeaStatus
from idea4gov.timeutil import to_bangkok, utcnow

WEEKS = 12
#: The path an idea takes; an idea at a later stage has passed the earlier ones.
FUNNEL = (IdeaStatus.received, IdeaStatus.under_review, IdeaStatus.accepted, IdeaStatus.in_progress,
          IdeaStatus.implemented)
_RANK = {status: rank for rank, status in enumerate(FUNNEL)}


def week_start(moment: datetime) -> date:
    """The Monday (Bangkok time) of the week of this moment."""
    local = to_bangkok(moment).date()
    return local - timedelta(days=local.weekday())


def ideas_per_week(area: Area, weeks: int = WEEKS) -> list[tuple[date, int]]:
    """Published ideas posted in each of the last `weeks` weeks (oldest first)."""
    this_week = week_start(utcnow())
    first = this_week - timedelta(weeks=weeks - 1)
    since = datetime.combine(first, datetime.min.time()) - timedelta(days=1)
    counts = Counter(week_start(created) for created in db.session.scalars(
        sa.select(Idea.created_at).where(Idea.area_id == area.id, Idea.visible(), Idea.created_at >= since)))
    return [(first + timedelta(weeks=n), counts.get(first + timedelta(weeks=n), 0)) for n in range(weeks)]


def ideas_per_theme(area: Area, locale: str) -> list[tuple[str, int]]:
    counts = dict(db.session.execute(sa.select(Idea.theme_id, sa.func.count()).where(
        Idea.area_id == area.id, Idea.visible()).group_by(Idea.theme_id)).all())
    return [(theme.title(locale), counts.get(theme.id, 0)) for theme in area.themes]


def status_counts(area: Area) -> dict[IdeaStatus, int]:
    return dict(db.session.execute(sa.select(Idea.status, sa.func.count()).where(
        Idea.area_id == area.id, Idea.visible()).group_by(Idea.status)).all())


def funnel(area: Area) -> list[tuple[IdeaStatus, int]]:
    """How many ideas reached each stage (declined and duplicate ideas reached only "received")."""
    counts = status_counts(area)
    reached = []
    for status in FUNNEL:
        reached.append((status, sum(n for s, n in counts.items() if _RANK.get(s, 0) >= _RANK[status])))
    return reached + [(IdeaStatus.declined, counts.get(IdeaStatus.declined, 0)),
                      (IdeaStatus.duplicate, counts.get(IdeaStatus.duplicate, 0))]


def days_to_first_answer(area: Area, weeks: int = WEEKS) -> tuple[float | None, list[tuple[date, float | None, int]]]:
    """The median working days from receipt to the first written answer, overall and per week of
    posting: (median, [(week, median or None, answered ideas)]). Counted by `idea4gov.deadlines`."""
    from idea4gov.deadlines.services import calendar

    rows = db.session.execute(sa.select(Idea.created_at, Idea.first_answered_at).where(
        Idea.area_id == area.id, Idea.visible(), Idea.first_answered_at.is_not(None))).all()
    working = calendar()
    delays = [(week_start(created), working.working_days_to_answer(created, answered)) for created, answered in rows]
    overall = round(statistics.median(d for _w, d in delays), 1) if delays else None
    this_week = week_start(utcnow())
    per_week = []
    for n in range(weeks - 1, -1, -1):
        week = this_week - timedelta(weeks=n)
        values = [d for w, d in delays if w == week]
        per_week.append((week, round(statistics.median(values), 1) if values else None, len(values)))
    return overall, per_week
