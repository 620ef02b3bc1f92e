"""The triage board: groups of similar ideas with the issues inside them (and ideas in no group),
with filters, most distinct supporters first."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from idea4gov.deadlines import services as deadlines
from idea4gov.extensions import db
from idea4gov.groups.models import IdeaGroup, IdeaIssue
from idea4gov.ideas.models import Idea, IdeaStatus, Visibility, Vote

PER_PAGE = 20


@dataclass(frozen=True)
class BoardFilter:
    theme_id: int | None = None
    status: IdeaStatus | None = None
    #: An agency id, 0 for "not yet routed", None for any.
    agency_id: int | None = None
    overdue: bool = False
    #: Only ideas whose supporters said "implemented" is not done (`idea4gov.verification`).
    disputed: bool = False


@dataclass
class IssueRow:
    """An issue on the board: the reports of it that match the filters, named by its representative."""

    issue: IdeaIssue
    ideas: list[Idea]

    @property
    def name(self) -> Idea:
        named = self.issue.representative
        return named if named is not None and named.visibility == Visibility.published else self.ideas[0]


@dataclass
class BoardRow:
    """One line of the board: a group with its issues and its other matching members, an issue in no
    group, or one idea in neither."""

    supporters: int
    latest: datetime | None
    group: IdeaGroup | None = None
    ideas: list[Idea] = field(default_factory=list)
    issues: list[IssueRow] = field(default_factory=list)

    @property
    def loose(self) -> list[Idea]:
        """Its ideas in no issue."""
        return [idea for idea in self.ideas if idea.issue_id is None or not any(
            row.issue.id == idea.issue_id for row in self.issues)]


def deadline(area_id: int) -> datetime:
    """Ideas posted before this moment and never answered in writing are overdue
    (the working-day calculation of `idea4gov.deadlines`)."""
    return deadlines.overdue_cutoff(area_id)


overdue_clause = deadlines.overdue_clause
is_overdue = deadlines.is_overdue


def unrouted_clause() -> sa.ColumnElement[bool]:
    """Waiting for an agency: no agency, and nobody answered it yet (an idea an officer already
    answered or implemented without naming an agency is not "not yet routed")."""
    return sa.and_(Idea.agency_id.is_(None), Idea.first_answered_at.is_(None), Idea.status != IdeaStatus.duplicate)


def is_unrouted(idea: Idea) -> bool:
    return idea.agency_id is None and idea.first_answered_at is None and idea.status != IdeaStatus.duplicate


def _conditions(area_id: int, f: BoardFilter) -> list[sa.ColumnElement[bool]]:
    where = [Idea.area_id == area_id, Idea.visible()]
    if f.theme_id is not None:
        where.append(Idea.theme_id == f.theme_id)
    if f.status is not None:
        where.append(Idea.status == f.status)
    else:
        where.append(Idea.status != IdeaStatus.duplicate)
    if f.agency_id == 0:
        where.append(unrouted_clause())
    elif f.agency_id is not None:
        where.append(Idea.agency_id == f.agency_id)
    if f.overdue:
        where.append(overdue_clause(area_id))
    if f.disputed:
        from idea4gov.verification.services import currently_disputed_clause

        where.append(currently_disputed_clause())
    return where


def board(area_id: int, f: BoardFilter, page: int) -> tuple[list[BoardRow], int]:
    """One page of rows and the number of rows, in a fixed number of queries."""
    where = _conditions(area_id, f)
    grouped = (sa.select(sa.literal("g").label("kind"), IdeaGroup.id.label("ref"),
                         IdeaGroup.supporter_count.label("supporters"))
               .where(IdeaGroup.id.in_(sa.select(Idea.group_id).where(*where, Idea.group_id.is_not(None)))))
    # An issue lies inside a group, but one an officer kept may be in none.
    issued = (sa.select(sa.literal("s").label("kind"), IdeaIssue.id.label("ref"),
                        IdeaIssue.supporter_count.label("supporters"))
              .where(IdeaIssue.id.in_(sa.select(Idea.issue_id).where(*where, Idea.group_id.is_(None),
                                                                     Idea.issue_id.is_not(None)))))
    single = (sa.select(sa.literal("i").label("kind"), Idea.id.label("ref"), Idea.vote_count.label("supporters"))
              .where(*where, Idea.group_id.is_(None), Idea.issue_id.is_(None)))
    rows = sa.union_all(grouped, issued, single).subquery()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(rows)) or 0
    picked = db.session.execute(
        sa.select(rows.c.kind, rows.c.ref, rows.c.supporters)
        .order_by(rows.c.supporters.desc(), rows.c.kind, rows.c.ref.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    refs = {kind: [row.ref for row in picked if row.kind == kind] for kind in ("g", "s", "i")}
    groups = {g.id: g for g in db.session.scalars(sa.select(IdeaGroup).where(IdeaGroup.id.in_(refs["g"])))}
    members: dict[tuple[str, int], list[Idea]] = defaultdict(list)
    options = (selectinload(Idea.theme),)
    for idea in db.session.scalars(
            sa.select(Idea).where(*where, sa.or_(Idea.group_id.in_(refs["g"]),
                                                 sa.and_(Idea.group_id.is_(None), Idea.issue_id.in_(refs["s"]))))
            .options(*options).order_by(Idea.vote_count.desc(), Idea.id)):
        members[("g", idea.group_id) if idea.group_id is not None else ("s", idea.issue_id)].append(idea)
    issue_ids = {idea.issue_id for ideas in members.values() for idea in ideas if idea.issue_id is not None}
    issues = {i.id: i for i in db.session.scalars(
        sa.select(IdeaIssue).where(IdeaIssue.id.in_(issue_ids)).options(selectinload(IdeaIssue.representative)))}
    singles = {i.id: i for i in db.session.scalars(sa.select(Idea).where(Idea.id.in_(refs["i"])).options(*options))}
    latest = _latest_activity(refs["g"], refs["i"], refs["s"])
    result = []
    for row in picked:
        key = (row.kind, row.ref)
        if row.kind == "i":
            result.append(BoardRow(row.supporters, latest.get(key), None, [singles[row.ref]]))
            continue
        ideas = members[key]
        result.append(BoardRow(row.supporters, latest.get(key), groups.get(row.ref) if row.kind == "g" else None,
                               ideas, _issue_rows(ideas, issues)))
    return result, total


def _issue_rows(ideas: list[Idea], issues: dict[int, IdeaIssue]) -> list[IssueRow]:
    """The issues among these ideas, most distinct supporters first, each with its matching reports."""
    by_issue: dict[int, list[Idea]] = defaultdict(list)
    for idea in ideas:
        if idea.issue_id in issues:
            by_issue[idea.issue_id].append(idea)
    rows = [IssueRow(issues[issue_id], reports) for issue_id, reports in by_issue.items()]
    return sorted(rows, key=lambda r: (-r.issue.supporter_count, -r.issue.size, r.issue.id))


def _latest_activity(group_ids: list[int], idea_ids: list[int],
                     issue_ids: list[int] | None = None) -> dict[tuple[str, int], datetime]:
    """Newest idea or vote per group, per issue in no group and per single idea."""
    from idea4gov.timeutil import as_utc

    latest: dict[tuple[str, int], datetime] = {}

    def keep(key: tuple[str, int], value: datetime | None) -> None:
        if value is not None and (key not in latest or as_utc(value) > latest[key]):
            latest[key] = as_utc(value)

    for kind, column, ids in (("g", Idea.group_id, group_ids), ("s", Idea.issue_id, issue_ids or [])):
        if not ids:
            continue
        for ref, newest in db.session.execute(sa.select(column, sa.func.max(Idea.created_at))
                                              .where(column.in_(ids)).group_by(column)):
            keep((kind, ref), newest)
        for ref, newest in db.session.execute(
                sa.select(column, sa.func.max(Vote.created_at)).join(Vote, Vote.idea_id == Idea.id)
                .where(column.in_(ids)).group_by(column)):
            keep((kind, ref), newest)
    if idea_ids:
        for idea_id, newest in db.session.execute(sa.select(Idea.id, Idea.created_at).where(Idea.id.in_(idea_ids))):
            keep(("i", idea_id), newest)
        for idea_id, newest in db.session.execute(sa.select(Vote.idea_id, sa.func.max(Vote.created_at))
                                                  .where(Vote.idea_id.in_(idea_ids)).group_by(Vote.idea_id)):
            keep(("i", idea_id), newest)
    return latest


def counts(area_id: int) -> dict[str, int]:
    """Headline numbers: open ideas, unrouted, overdue."""
    base = [Idea.area_id == area_id, Idea.visible(), Idea.status != IdeaStatus.duplicate]
    count = sa.select(sa.func.count()).select_from(Idea)
    from idea4gov.verification.services import currently_disputed_clause

    return {
        "open": db.session.scalar(count.where(*base)) or 0,
        "unrouted": db.session.scalar(count.where(*base, unrouted_clause())) or 0,
        "overdue": db.session.scalar(count.where(*base, overdue_clause(area_id))) or 0,
        "disputed": db.session.scalar(count.where(*base, currently_disputed_clause())) or 0,
    }


def overdue_by_agency(area_id: int) -> dict[int | None, list[Idea]]:
    """Overdue ideas of an area by agency (None: not routed yet), oldest first."""
    ideas = db.session.scalars(sa.select(Idea).where(Idea.area_id == area_id, Idea.visible(),
                                                     overdue_clause(area_id)).order_by(Idea.created_at, Idea.id))
    result: dict[int | None, list[Idea]] = defaultdict(list)
    for idea in ideas:
        result[idea.agency_id].append(idea)
    return result
