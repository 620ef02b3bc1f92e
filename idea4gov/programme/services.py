"""Results of the programme by Thai fiscal year, per area and per agency.

Counts are aggregated in SQL (GROUP BY area and agency, COUNT DISTINCT participants), in a
fixed number of queries whatever the number of areas. "Answered on time" and "median working
days to first answer" need the working-day calendar, so they read one row per answered or due
idea and go through `idea4gov.deadlines` (the one calculation of the deadline), vectorised.

Definitions (README, "Results by fiscal year"):
- ideas received: published ideas submitted in the fiscal year (merged duplicates included: they
  were received);
- participants: distinct accounts that posted, supported or commented on the area's ideas in
  the year (the import account of paper forms is not a person and is left out);
- answered on time: of the year's ideas whose answer is due (answered, or their due day is
  over), the share whose first written public answer came by the end of the due day
  (duplicates are left out: their target carries the answer);
- median working days to first answer: over the year's answered ideas;
- accepted: ideas accepted, in progress or implemented; implemented: implemented;
- satisfaction: the mean of the residents' 1–5 ratings of the answers the year's ideas got
  (`idea4gov.satisfaction`), with how many ratings it is of; "no data yet" without any.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field

import sqlalchemy as sa

from idea4gov.areas.models import Area, Theme
from idea4gov.auth.models import User
from idea4gov.deadlines import services as deadlines
from idea4gov.extensions import db
from idea4gov.ideas.models import Comment, Idea, IdeaStatus, Visibility, Vote
from idea4gov.programme.fiscal import FiscalYear
from idea4gov.receipts.services import NO_MAIL_DOMAIN
from idea4gov.timeutil import utcnow
from idea4gov.triage.models import Agency

ACCEPTED = (IdeaStatus.accepted, IdeaStatus.in_progress, IdeaStatus.implemented)
#: Key of the ideas no agency was given yet.
UNROUTED = None


@dataclass
class Figures:
    ideas: int = 0
    participants: int = 0
    #: Ideas whose first answer is due (answered, or past their due day) and those on time.
    due: int = 0
    on_time: int = 0
    accepted: int = 0
    implemented: int = 0
    delays: list[int] = field(default_factory=list)

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * self.on_time / self.due, 1) if self.due else None

    @property
    def median_days(self) -> float | None:
        return round(statistics.median(self.delays), 1) if self.delays else None

    @property
    def answered(self) -> int:
        return len(self.delays)

    #: Residents' ratings (1–5) of the answers to these ideas: their sum and how many.
    rating_total: int = 0
    rating_count: int = 0

    @property
    def satisfaction(self) -> float | None:
        """The mean rating, or None while nobody rated."""
        return round(self.rating_total / self.rating_count, 2) if self.rating_count else None


@dataclass
class AreaResult:
    area: Area
    figures: Figures
    #: (agency or None for "not routed yet", figures), agencies by name.
    agencies: list[tuple[Agency | None, Figures]]


@dataclass
class Results:
    fy: FiscalYear
    total: Figures
    areas: list[AreaResult]


def _in_year(column: sa.ColumnElement, fy: FiscalYear) -> sa.ColumnElement[bool]:
    return sa.and_(column >= fy.start, column < fy.end)


def _idea_filters(fy: FiscalYear, area_ids: list[int] | None) -> list[sa.ColumnElement[bool]]:
    where = [Idea.visible(), _in_year(Idea.created_at, fy)]
    if area_ids is not None:
        where.append(Idea.area_id.in_(area_ids))
    return where


def _participation(fy: FiscalYear, area_ids: list[int] | None) -> sa.Subquery:
    """(area_id, agency_id, user_id) for every idea posted, vote and comment in the year."""
    scope = [Idea.visible()]
    if area_ids is not None:
        scope.append(Idea.area_id.in_(area_ids))
    posted = sa.select(Idea.area_id, Idea.agency_id, Idea.author_id.label("user_id")).where(
        *scope, _in_year(Idea.created_at, fy), Idea.author_id.is_not(None))
    voted = sa.select(Idea.area_id, Idea.agency_id, Vote.user_id).join(Vote, Vote.idea_id == Idea.id).where(
        *scope, _in_year(Vote.created_at, fy))
    commented = (sa.select(Idea.area_id, Idea.agency_id, Comment.author_id.label("user_id"))
                 .join(Comment, Comment.idea_id == Idea.id)
                 .where(*scope, _in_year(Comment.created_at, fy), Comment.author_id.is_not(None),
                        Comment.visibility == Visibility.published))
    return sa.union(posted, voted, commented).subquery("participation")


def _participants(fy: FiscalYear, area_ids: list[int] | None) -> tuple[dict, dict, int]:
    """Distinct participants per (area, agency), per area, and in all: three GROUP BY queries."""
    rows = _participation(fy, area_ids)
    people = sa.and_(User.id == rows.c.user_id, ~User.email.endswith(NO_MAIL_DOMAIN))
    distinct = sa.func.count(sa.distinct(rows.c.user_id))
    base = sa.select().select_from(rows).join(User, people)
    by_agency = {(area_id, agency_id): count for area_id, agency_id, count in db.session.execute(
        base.add_columns(rows.c.area_id, rows.c.agency_id, distinct).group_by(rows.c.area_id, rows.c.agency_id))}
    by_area = dict(db.session.execute(base.add_columns(rows.c.area_id, distinct).group_by(rows.c.area_id)).all())
    total = db.session.scalar(base.add_columns(distinct)) or 0
    return by_agency, by_area, total


def _counts(fy: FiscalYear, area_ids: list[int] | None) -> dict[tuple[int, int | None], tuple[int, int, int]]:
    """(ideas, accepted, implemented) per (area, agency), one GROUP BY."""
    accepted = sa.func.sum(sa.case((Idea.status.in_(ACCEPTED), 1), else_=0))
    implemented = sa.func.sum(sa.case((Idea.status == IdeaStatus.implemented, 1), else_=0))
    rows = db.session.execute(
        sa.select(Idea.area_id, Idea.agency_id, sa.func.count(), accepted, implemented)
        .where(*_idea_filters(fy, area_ids)).group_by(Idea.area_id, Idea.agency_id))
    return {(area_id, agency_id): (count, int(acc or 0), int(impl or 0))
            for area_id, agency_id, count, acc, impl in rows}


def _timings(fy: FiscalYear, area_ids: list[int] | None, days: dict[int, int]):  # noqa: ANN202
    """Per (area, agency): [(counted, on_time, delay)] from the one working-day calculation."""
    rows = db.session.execute(
        sa.select(Idea.area_id, Idea.agency_id, Idea.created_at, Idea.first_answered_at)
        .where(*_idea_filters(fy, area_ids), Idea.status != IdeaStatus.duplicate)).all()
    timing = deadlines.calendar().answer_timing(
        [row.created_at for row in rows], [row.first_answered_at for row in rows],
        [days[row.area_id] for row in rows], utcnow())
    result: dict[tuple[int, int | None], list[tuple[bool, bool, int]]] = {}
    for row, counted, on_time, delay in zip(rows, timing.counted, timing.on_time, timing.delays, strict=True):
        result.setdefault((row.area_id, row.agency_id), []).append((bool(counted), bool(on_time), int(delay)))
    return result


def _add(figures: Figures, counts: tuple[int, int, int] | None, timings: list[tuple[bool, bool, int]],
         rated=None) -> None:  # noqa: ANN001
    if rated is not None:
        figures.rating_total += rated.total
        figures.rating_count += rated.count
    if counts:
        figures.ideas += counts[0]
        figures.accepted += counts[1]
        figures.implemented += counts[2]
    for counted, on_time, delay in timings:
        figures.due += counted
        figures.on_time += on_time
        if delay >= 0:
            figures.delays.append(delay)


def results(fy: FiscalYear, areas: list[Area] | None = None) -> Results:
    """The fiscal year's figures for these areas (all areas when None), per area and agency."""
    scope = None if areas is None else [area.id for area in areas]
    if areas is None:
        areas = list(db.session.scalars(sa.select(Area).order_by(Area.name_th, Area.id)))
    area_ids = [area.id for area in areas]
    counts = _counts(fy, scope)
    timings = _timings(fy, scope, deadlines.days_to_first_answer(area_ids))
    by_agency, by_area, everyone = _participants(fy, scope)
    from idea4gov.satisfaction.services import averages

    ratings = averages(scope, fy)
    agencies: dict[int, list[Agency]] = {}
    for agency in db.session.scalars(sa.select(Agency).where(Agency.area_id.in_(area_ids))
                                     .order_by(Agency.name_th, Agency.id)):
        agencies.setdefault(agency.area_id, []).append(agency)
    total = Figures(participants=everyone)
    rows = []
    for area in areas:
        figures = Figures(participants=by_area.get(area.id, 0))
        per_agency = []
        for agency in [*agencies.get(area.id, []), UNROUTED]:
            key = (area.id, agency.id if agency is not None else None)
            own = Figures(participants=by_agency.get(key, 0))
            _add(own, counts.get(key), timings.get(key, []), ratings.get(key))
            _add(figures, counts.get(key), timings.get(key, []), ratings.get(key))
            _add(total, counts.get(key), timings.get(key, []), ratings.get(key))
            if agency is not None or own.ideas:
                per_agency.append((agency, own))
        rows.append(AreaResult(area, figures, per_agency))
    return Results(fy, total, rows)


def ideas_per_theme(fy: FiscalYear, area: Area, locale: str) -> list[tuple[str, int]]:
    """The year's ideas of one area per theme (one GROUP BY)."""
    counts = dict(db.session.execute(sa.select(Idea.theme_id, sa.func.count())
                                     .where(*_idea_filters(fy, [area.id])).group_by(Idea.theme_id)).all())
    themes = db.session.scalars(sa.select(Theme).where(Theme.area_id == area.id).order_by(Theme.position, Theme.id))
    return [(theme.title(locale), counts.get(theme.id, 0)) for theme in themes]
