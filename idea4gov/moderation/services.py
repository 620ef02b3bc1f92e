"""Moderation decisions on ideas and comments; services flush, never commit.

Content is never deleted: a decision changes its `visibility` (pending, published,
hidden, rejected), records an audit entry, resolves the reports it answers, keeps the
counts shown on lists in step, and tells the author in-app.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

import sqlalchemy as sa

from idea4gov.areas.models import Area, ModerationMode
from idea4gov.areas.settings import settings_of
from idea4gov.audit import services as audit
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.groups import services as group_services
from idea4gov.ideas import similar
from idea4gov.ideas.models import Comment, Idea, Report, Visibility
from idea4gov.moderation import filters
from idea4gov.notifications.services import notify
from idea4gov.text import clean_plain
from idea4gov.timeutil import utcnow

Target = Idea | Comment

#: Longest reason a moderator may give.
REASON_MAX = 1000


class Action(enum.Enum):
    approve = "approve"
    reject = "reject"
    hide = "hide"
    restore = "restore"
    #: Keep a reported item public and close its reports (the reporters are told, nobody else).
    dismiss = "dismiss"


#: Which visibilities each action applies to, and where it leads.
TRANSITIONS = {
    Action.approve: ({Visibility.pending}, Visibility.published),
    Action.reject: ({Visibility.pending, Visibility.hidden}, Visibility.rejected),
    Action.hide: ({Visibility.published}, Visibility.hidden),
    Action.restore: ({Visibility.hidden, Visibility.rejected}, Visibility.published),
    Action.dismiss: ({Visibility.published}, Visibility.published),
}
#: Actions whose reason the author must be given.
NEEDS_REASON = {Action.reject, Action.hide}


#: Errors a bulk decision skips (the item moved on) instead of stopping at.
SKIPPABLE = {"not_applicable", "no_open_reports"}


class ModerationError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def kind_of(target: Target) -> str:
    return "idea" if isinstance(target, Idea) else "comment"


def area_id_of(target: Target) -> int:
    return target.area_id if isinstance(target, Idea) else target.idea.area_id


def title_of(target: Target) -> str:
    return target.title if isinstance(target, Idea) else target.idea.title


# --- when content is written ------------------------------------------------------------

def initial_state(area: Area, text: str) -> tuple[Visibility, str | None]:
    """Visibility of new content and, when it must wait, why (`word_list`, `links`, `pre_moderation`)."""
    reason = filters.screen(text)
    if reason is None and settings_of(area).moderation_mode == ModerationMode.pre:
        reason = "pre_moderation"
    return (Visibility.pending, reason) if reason else (Visibility.published, None)


# --- decisions ----------------------------------------------------------------------------

def decide(target: Target, action: Action, moderator: User | None, reason: str = "") -> Visibility:
    """Apply one decision; returns the new visibility. Raises ModerationError when it does not apply."""
    allowed, after = TRANSITIONS[action]
    before = target.visibility
    if before not in allowed:
        raise ModerationError("not_applicable")
    reason = clean_plain(reason or "").strip()
    if action in NEEDS_REASON and not reason:
        raise ModerationError("reason_required")
    if len(reason) > REASON_MAX:
        raise ModerationError("reason_too_long")
    if action == Action.dismiss:
        return _dismiss_reports(target, moderator, reason)
    # Restoring what reports hid answers those reports: the reporters learn that it stays.
    reporters = open_reporters(target) if action == Action.restore and target.held_for == "reports" else set()
    if isinstance(target, Idea) and after == Visibility.published:
        _publish_idea(target, first_time=before == Visibility.pending)
        similar.published_late(target)
    _set_visibility(target, after, held_for=None)
    target.moderation_note = reason if after in (Visibility.hidden, Visibility.rejected) else ""
    if after in (Visibility.published, Visibility.rejected):
        # A decision answers every open report on the item (restoring clears those that hid it).
        _resolve_reports(target)
    audit.record(moderator, action.value, kind_of(target), target.id, area_id=area_id_of(target),
                 before=before, after=after, reason=reason)
    _tell_author(target, action, reason)
    _tell_reporters(target, reporters, "")
    db.session.flush()
    return after


def _dismiss_reports(target: Target, moderator: User | None, note: str) -> Visibility:
    """Keep a reported, public item as it is: its open reports are closed, the decision is
    audited, and only the reporters are told ("we looked, it stays"), with the optional note."""
    reporters = open_reporters(target)
    if not reporters:
        raise ModerationError("no_open_reports")
    _resolve_reports(target)
    audit.record(moderator, Action.dismiss.value, kind_of(target), target.id, area_id=area_id_of(target),
                 before=target.visibility, after=target.visibility, reason=note)
    _tell_reporters(target, reporters, note)
    db.session.flush()
    return target.visibility


def _set_visibility(target: Target, after: Visibility, held_for: str | None) -> None:
    """Change visibility and keep what counts it right: the idea's comment count, or the group's."""
    before = target.visibility
    target.visibility = after
    target.held_for = held_for
    if isinstance(target, Comment):
        _recount_comment(target, before, after)
    elif target.group_id is not None or target.issue_id is not None:
        db.session.flush()
        group_services.recount_idea(target)


def _publish_idea(idea: Idea, first_time: bool) -> None:
    """An idea goes public: outside any group or issue it joins them as a new idea would (the
    background worker places it once this is committed, against every idea public now)."""
    if idea.group_id is None or idea.issue_id is None:
        group_services.place_after_commit(idea)
    if first_time:
        from idea4gov.ideas.events import idea_published

        idea_published(idea)


def _recount_comment(comment: Comment, before: Visibility, after: Visibility) -> None:
    if comment.deleted_at is not None:
        return
    change = (after == Visibility.published) - (before == Visibility.published)
    if change:
        db.session.execute(sa.update(Idea).where(Idea.id == comment.idea_id)
                           .values(comment_count=Idea.comment_count + change))


def _resolve_reports(target: Target) -> None:
    column = Report.idea_id if isinstance(target, Idea) else Report.comment_id
    db.session.execute(sa.update(Report).where(column == target.id, Report.resolved_at.is_(None))
                       .values(resolved_at=utcnow()))


_NOTICE = {
    Action.approve: "approved",
    Action.reject: "rejected",
    Action.hide: "hidden",
    Action.restore: "restored",
}


def _tell_author(target: Target, action: Action, reason: str) -> None:
    if target.author_id is None:
        return
    kind = f"{kind_of(target)}_{_NOTICE[action]}"
    idea_id = target.id if isinstance(target, Idea) else target.idea_id
    notify([target.author_id], kind, idea_id=idea_id,
           comment_id=target.id if isinstance(target, Comment) else None,
           reason=reason, data={"title": title_of(target)})


def _tell_reporters(target: Target, reporters: set[int], note: str) -> None:
    """The item stays public: tell the residents whose reports were answered."""
    if reporters:
        notify(reporters, f"{kind_of(target)}_report_dismissed",
               idea_id=target.id if isinstance(target, Idea) else target.idea_id,
               comment_id=target.id if isinstance(target, Comment) else None,
               reason=note, data={"title": title_of(target)})


# --- reports and auto-hide -------------------------------------------------------------------

def open_reporters(target: Target) -> set[int]:
    """Who reported this item in reports not yet answered."""
    column = Report.idea_id if isinstance(target, Idea) else Report.comment_id
    return set(db.session.scalars(sa.select(Report.reporter_id).where(column == target.id,
                                                                     Report.resolved_at.is_(None))))


def open_report_count(target: Target) -> int:
    column = Report.idea_id if isinstance(target, Idea) else Report.comment_id
    return db.session.scalar(sa.select(sa.func.count(sa.distinct(Report.reporter_id)))
                             .where(column == target.id, Report.resolved_at.is_(None))) or 0


def after_report(target: Target) -> bool:
    """Hide a published item once enough distinct residents reported it; True when it was hidden."""
    if target.visibility != Visibility.published:
        return False
    threshold = settings_of(area_id_of(target)).auto_hide_reports
    count = open_report_count(target)
    if count < threshold:
        return False
    _set_visibility(target, Visibility.hidden, held_for="reports")
    audit.record(None, "auto_hide", kind_of(target), target.id, area_id=area_id_of(target),
                 before=Visibility.published, after=Visibility.hidden,
                 reason=f"{count} reports (threshold {threshold})")
    db.session.flush()
    return True


# --- the queue ------------------------------------------------------------------------------

@dataclass
class QueueItem:
    target: Target
    kind: str
    reports: int
    reasons: dict[str, int]
    waiting_since: object
    #: What reporters wrote (open reports, oldest first, at most DETAILS_PER_ITEM).
    details: list[str]


#: Reporters' notes shown per queue item.
DETAILS_PER_ITEM = 10


def _area_filter(column, area_ids: set[int] | None):  # noqa: ANN001
    return sa.true() if area_ids is None else column.in_(area_ids or {-1})


def queue(area_ids: set[int] | None, *, kind: str | None = None, limit: int = 50, offset: int = 0) -> tuple[list[QueueItem], int]:
    """Pending, auto-hidden and reported items of these areas (None: all), oldest first."""
    report_times = (sa.select(Report.idea_id.label("idea_id"), Report.comment_id.label("comment_id"),
                              sa.func.min(Report.created_at).label("first"))
                    .where(Report.resolved_at.is_(None)).group_by(Report.idea_id, Report.comment_id).subquery())
    ideas = (
        sa.select(sa.literal("idea").label("kind"), Idea.id.label("id"),
                  sa.func.coalesce(report_times.c.first, Idea.created_at).label("since"))
        .select_from(Idea).outerjoin(report_times, report_times.c.idea_id == Idea.id)
        .where(_area_filter(Idea.area_id, area_ids),
               sa.or_(Idea.visibility == Visibility.pending, report_times.c.first.is_not(None)))
    )
    comments = (
        sa.select(sa.literal("comment").label("kind"), Comment.id.label("id"),
                  sa.func.coalesce(report_times.c.first, Comment.created_at).label("since"))
        .select_from(Comment).join(Idea, Idea.id == Comment.idea_id)
        .outerjoin(report_times, report_times.c.comment_id == Comment.id)
        .where(_area_filter(Idea.area_id, area_ids), Comment.deleted_at.is_(None),
               sa.or_(Comment.visibility == Visibility.pending, report_times.c.first.is_not(None)))
    )
    parts = [q for name, q in (("idea", ideas), ("comment", comments)) if kind in (None, name)]
    union = sa.union_all(*parts).subquery()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(union)) or 0
    rows = db.session.execute(
        sa.select(union.c.kind, union.c.id, union.c.since).order_by(union.c.since, union.c.kind, union.c.id)
        .limit(limit).offset(offset)
    ).all()
    idea_ids = [row.id for row in rows if row.kind == "idea"]
    comment_ids = [row.id for row in rows if row.kind == "comment"]
    loaded: dict[tuple[str, int], Target] = {}
    if idea_ids:
        for idea in db.session.scalars(sa.select(Idea).where(Idea.id.in_(idea_ids))
                                       .options(sa.orm.selectinload(Idea.author), sa.orm.selectinload(Idea.area))):
            loaded[("idea", idea.id)] = idea
    if comment_ids:
        for comment in db.session.scalars(sa.select(Comment).where(Comment.id.in_(comment_ids))
                                          .options(sa.orm.selectinload(Comment.author),
                                                   sa.orm.selectinload(Comment.idea).selectinload(Idea.area))):
            loaded[("comment", comment.id)] = comment
    reasons, details = _open_reports(idea_ids, comment_ids)
    items = []
    for row in rows:
        key = (row.kind, row.id)
        counts = reasons.get(key, {})
        items.append(QueueItem(loaded[key], row.kind, sum(counts.values()), counts, row.since,
                               details.get(key, [])[:DETAILS_PER_ITEM]))
    return items, total


def _open_reports(idea_ids: list[int], comment_ids: list[int]) -> tuple[dict, dict]:
    """Counts by reason, and reporters' notes, of the open reports on these items (one query)."""
    if not idea_ids and not comment_ids:
        return {}, {}
    rows = db.session.execute(
        sa.select(Report.idea_id, Report.comment_id, Report.reason, Report.details)
        .where(Report.resolved_at.is_(None),
               sa.or_(Report.idea_id.in_(idea_ids or [-1]), Report.comment_id.in_(comment_ids or [-1])))
        .order_by(Report.created_at, Report.id)
    )
    counts: dict[tuple[str, int], dict[str, int]] = {}
    details: dict[tuple[str, int], list[str]] = {}
    for idea_id, comment_id, reason, note in rows:
        key = ("idea", idea_id) if idea_id is not None else ("comment", comment_id)
        by_reason = counts.setdefault(key, {})
        by_reason[reason.value] = by_reason.get(reason.value, 0) + 1
        if note:
            details.setdefault(key, []).append(note)
    return counts, details
