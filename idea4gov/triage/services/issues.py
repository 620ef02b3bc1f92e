"""Officers acting on an issue (เรื่องเดียวกัน) at once: answer it, route it, split it, move a report
into another issue.

Every report of an issue gets the answer or the agency through the usual services (status
history, audit entries per report), each follower is told once. Each decision **pins** the
reports it touched to their issue (`ideas.issue_pinned`), and a report split off on its own is
kept apart from the reports it left (`issue_separations`): the next regrouping passes both to
the engine, so an officer's decision survives it.
"""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.audit import services as audit
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.groups import issues as stored
from idea4gov.groups import services as group_services
from idea4gov.groups.models import IdeaGroup, IdeaIssue, IssueSeparation
from idea4gov.ideas.models import Idea, IdeaStatus, Visibility
from idea4gov.ideas.services import ServiceError
from idea4gov.text import clean_plain
from idea4gov.triage import notify
from idea4gov.triage.models import Agency
from idea4gov.triage.services import routing, statuses


def members(issue_id: int) -> list[Idea]:
    """The issue's public reports, most supported first (duplicates merged away are not in it)."""
    return list(db.session.scalars(sa.select(Idea).where(
        Idea.issue_id == issue_id, Idea.visible(), Idea.status != IdeaStatus.duplicate)
        .order_by(Idea.vote_count.desc(), Idea.id)))


def answer(issue: IdeaIssue, status: IdeaStatus, text: str, actor: User) -> int:
    """Give every report of the issue the status and the public answer; returns how many changed.
    A report already in that status is left alone when there is no answer to add."""
    reports = members(issue.id)
    if not reports:
        raise ServiceError("issue_empty", status=409)
    changing = [r for r in reports if r.status != status or clean_plain(text or "")]
    if not changing:
        raise ServiceError("status_unchanged", field="status")
    befores = {r.id: r.status for r in changing}
    for report in changing:
        statuses.set_status(report, status, text, actor, tell=False)
    _pin(reports, issue.id)
    notify.issue_answered(changing, befores, clean_plain(text or ""))
    audit.record(actor, "issue_status", "issue", issue.id, area_id=issue.area_id, after=status,
                 reason=clean_plain(text or ""))
    db.session.flush()
    return len(changing)


def route(issue: IdeaIssue, agency: Agency, actor: User) -> int:
    """Route every report of the issue that still takes a route (not answered yet) to the agency."""
    if agency.area_id != issue.area_id:
        raise ServiceError("wrong_area", status=404)
    reports = members(issue.id)
    if not reports:
        raise ServiceError("issue_empty", status=409)
    changed = routing.route([r for r in reports if r.first_answered_at is None], agency, actor)
    _pin(reports, issue.id)
    audit.record(actor, "issue_route", "issue", issue.id, area_id=issue.area_id, after=agency.id)
    db.session.flush()
    return changed


def split(issue: IdeaIssue, idea_ids: list[int], actor: User) -> IdeaIssue | None:
    """Take the chosen reports out of the issue: the larger part keeps the issue (ties: the reports
    left), the other becomes an issue of its own (two or more reports) or stands alone. Returns the
    new issue, if one was made."""
    reports = members(issue.id)
    wanted = set(idea_ids)
    chosen = [r for r in reports if r.id in wanted]
    rest = [r for r in reports if r.id not in wanted]
    if not chosen or len(chosen) < len(wanted):
        raise ServiceError("split_choose", field="ideas")
    if not rest:
        raise ServiceError("split_all", field="ideas")
    keep, other = (rest, chosen) if len(rest) >= len(chosen) else (chosen, rest)
    made = None
    if len(other) >= 2:
        made = IdeaIssue(area_id=issue.area_id, group_id=issue.group_id)
        db.session.add(made)
        db.session.flush()
        _pin(other, made.id)
    else:
        _loose(other[0], keep, actor)
    if len(keep) >= 2:
        _pin(keep, issue.id)
    else:
        _loose(keep[0], other, actor)
    db.session.flush()
    _settle([issue.id] + ([made.id] if made else []))
    audit.record(actor, "issue_split", "issue", issue.id, area_id=issue.area_id, after=made.id if made else "",
                 reason=" ".join(f"#{r.id}" for r in chosen))
    return made


def move(report: Idea, target: Idea, actor: User) -> IdeaIssue:
    """Move a report into the issue of `target` (an issue of the two when `target` is in none): the
    reports left behind keep their issue, or stand alone when only one is left."""
    if report.id == target.id:
        raise ServiceError("move_to_itself", field="target_id")
    if report.area_id != target.area_id:
        raise ServiceError("move_other_area", field="target_id")
    for idea in (report, target):
        if idea.visibility != Visibility.published or idea.status == IdeaStatus.duplicate:
            raise ServiceError("move_not_open", field="target_id")
    if report.issue_id is not None and report.issue_id == target.issue_id:
        raise ServiceError("already_same_issue", field="target_id", status=409)
    source_id = report.issue_id
    dest = db.session.get(IdeaIssue, target.issue_id) if target.issue_id is not None else None
    if dest is None:
        dest = IdeaIssue(area_id=target.area_id, group_id=target.group_id, representative_id=target.id)
        db.session.add(dest)
        db.session.flush()
        _pin([target], dest.id)
    together = [target.id, *(r.id for r in members(dest.id) if r.id != target.id)]
    # The officer says they are the same problem now: earlier separations no longer hold.
    db.session.execute(sa.delete(IssueSeparation).where(sa.or_(
        sa.and_(IssueSeparation.idea_id == report.id, IssueSeparation.other_id.in_(together)),
        sa.and_(IssueSeparation.other_id == report.id, IssueSeparation.idea_id.in_(together)))))
    old_group = report.group_id
    _pin([report, *members(dest.id)], dest.id)
    db.session.flush()
    touched = stored.nest(dest, dest.group_id or target.group_id or old_group) | {old_group}
    if source_id is not None:
        left = members(source_id)
        if len(left) >= 2:
            _pin(left, source_id)
        elif left:
            _loose(left[0], [report], actor)
    db.session.flush()
    _settle([source_id, dest.id])
    group_services.recount(IdeaGroup, list(touched))
    audit.record(actor, "issue_move", "idea", report.id, area_id=report.area_id, before=source_id or "",
                 after=dest.id, reason=f"#{target.id}")
    db.session.refresh(report)
    return dest


# --- steps --------------------------------------------------------------------------------------

def _pin(reports: list[Idea], issue_id: int) -> None:
    """Put the reports in the issue as an officer's decision (kept by regroupings)."""
    ids = [r.id for r in reports]
    if ids:
        db.session.execute(sa.update(Idea).where(Idea.id.in_(ids)).values(issue_id=issue_id, issue_pinned=True))


def _loose(report: Idea, others: list[Idea], actor: User) -> None:
    """The report stands alone, kept apart from `others` at the next regroupings."""
    db.session.execute(sa.update(Idea).where(Idea.id == report.id).values(issue_id=None, issue_pinned=False))
    pairs = {tuple(sorted((report.id, other.id))) for other in others if other.id != report.id}
    known = set(db.session.execute(sa.select(IssueSeparation.idea_id, IssueSeparation.other_id).where(
        IssueSeparation.idea_id.in_([a for a, _b in pairs] or [-1]))).all())
    for a, b in sorted(pairs - {tuple(row) for row in known}):
        db.session.add(IssueSeparation(area_id=report.area_id, idea_id=a, other_id=b, actor_id=actor.id))


def _settle(issue_ids: list[int | None]) -> None:
    """Recount and rename the issues; an issue left with no report is deleted."""
    ids = sorted({i for i in issue_ids if i is not None})
    group_services.recount(IdeaIssue, ids)
    empty = [i for i in ids if not db.session.scalar(sa.select(sa.func.count()).select_from(Idea)
                                                     .where(Idea.issue_id == i))]
    if empty:
        db.session.execute(sa.delete(IdeaIssue).where(IdeaIssue.id.in_(empty)))
    stored.rename([i for i in ids if i not in empty])
    db.session.flush()
