"""Merging a duplicate idea X into Y, and undoing it exactly.

Invariants kept in one transaction: one vote per resident per idea (the unique constraint),
`ideas.vote_count` equal to each idea's vote rows, group supporter counts recounted. Both
ideas' rows are locked first, lower id first (PostgreSQL `FOR UPDATE`; SQLite holds one
writer at a time), and votes lock the idea row before touching votes, so a vote on X either
lands before the merge (and moves with it) or is refused after it.
"""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.audit import services as audit
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.groups import services as group_services
from idea4gov.groups.models import IdeaGroup
from idea4gov.ideas.models import Idea, IdeaStatus, Visibility, Vote
from idea4gov.ideas.services import ServiceError
from idea4gov.text import clean_plain
from idea4gov.timeutil import utcnow
from idea4gov.triage import notify
from idea4gov.triage.models import Merge, MergedVote, MergeVoteOutcome, StatusChange


def _lock(*ideas: Idea) -> None:
    """Lock the ideas' rows (lower id first) and reload them as they are now."""
    ids = sorted({idea.id for idea in ideas})
    if db.session.get_bind().dialect.name == "sqlite":
        # A write first: it takes SQLite's one write lock before anything below is read.
        db.session.execute(sa.update(Idea).where(Idea.id.in_(ids)).values(vote_count=Idea.vote_count))
    else:
        db.session.execute(sa.select(Idea.id).where(Idea.id.in_(ids)).order_by(Idea.id).with_for_update())
    for idea in ideas:
        db.session.refresh(idea)


def _recount(idea_id: int) -> None:
    db.session.execute(sa.update(Idea).where(Idea.id == idea_id).values(
        vote_count=sa.select(sa.func.count()).select_from(Vote).where(Vote.idea_id == idea_id).scalar_subquery()))


def active_merge(source_id: int) -> Merge | None:
    return db.session.scalar(sa.select(Merge).where(Merge.source_id == source_id, Merge.undone_at.is_(None))
                             .order_by(Merge.id.desc()))


def merge(source: Idea, target: Idea, actor: User, note: str = "") -> Merge:
    """Merge `source` (X) into `target` (Y): X's supporters support Y, each counted once."""
    if source.id == target.id:
        raise ServiceError("merge_into_itself", field="target_id")
    if source.area_id != target.area_id:
        raise ServiceError("merge_other_area", field="target_id")
    _lock(source, target)
    for idea in (source, target):
        if idea.visibility != Visibility.published:
            raise ServiceError("merge_not_published", field="target_id")
    if source.status == IdeaStatus.duplicate:
        raise ServiceError("already_merged", status=409)
    if target.status == IdeaStatus.duplicate:
        raise ServiceError("target_is_duplicate", field="target_id")
    if db.session.scalar(sa.select(sa.func.count()).select_from(Idea).where(Idea.merged_into_id == source.id)):
        raise ServiceError("source_has_duplicates", status=409)
    note = clean_plain(note or "")[:1000]
    x_votes = db.session.execute(sa.select(Vote.user_id, Vote.created_at).where(Vote.idea_id == source.id)).all()
    y_users = set(db.session.scalars(sa.select(Vote.user_id).where(Vote.idea_id == target.id)))
    people = notify.followers([source.id, target.id])
    record = Merge(source_id=source.id, target_id=target.id, actor_id=actor.id, previous_status=source.status,
                   previous_group_id=source.group_id)
    db.session.add(record)
    db.session.flush()
    if x_votes:
        db.session.execute(sa.insert(MergedVote), [
            {"merge_id": record.id, "user_id": user_id, "voted_at": created_at,
             "outcome": MergeVoteOutcome.dropped if user_id in y_users else MergeVoteOutcome.moved}
            for user_id, created_at in x_votes])
        moved = [(user_id, created_at) for user_id, created_at in x_votes if user_id not in y_users]
        if moved:
            db.session.execute(sa.insert(Vote), [
                {"idea_id": target.id, "user_id": user_id, "created_at": created_at} for user_id, created_at in moved])
        db.session.execute(sa.delete(Vote).where(Vote.idea_id == source.id))
    old_group = source.group_id
    before = source.status
    db.session.execute(sa.update(Idea).where(Idea.id == source.id).values(
        status=IdeaStatus.duplicate, merged_into_id=target.id, vote_count=0, group_id=None))
    _recount(target.id)
    db.session.add(StatusChange(idea_id=source.id, actor_id=actor.id, agency_id=source.agency_id, before=before,
                                after=IdeaStatus.duplicate, answer=note))
    group_services.refresh_counts(sorted({g for g in (old_group, target.group_id) if g is not None}))
    audit.record(actor, "merge", "idea", source.id, area_id=source.area_id, before=before,
                 after=IdeaStatus.duplicate, reason=f"→ {target.id} {note}".strip())
    db.session.flush()
    db.session.refresh(source)
    db.session.refresh(target)
    notify.merged(source, target, people)
    return record


def unmerge(source: Idea, actor: User, note: str = "") -> Merge:
    """Undo the active merge of `source`: its supporters, status and group come back as they were.

    Votes that moved to the target come back if they are still there (a supporter who withdrew
    from the target since keeps it withdrawn); votes dropped as duplicates of a supporter of
    both come back as they were. Votes the target gained after the merge stay on the target.
    """
    record = active_merge(source.id)
    if record is None or source.status != IdeaStatus.duplicate:
        raise ServiceError("not_merged", status=409)
    target = db.session.get(Idea, record.target_id)
    _lock(source, target)
    record = active_merge(source.id)
    if record is None or source.merged_into_id != target.id:
        raise ServiceError("not_merged", status=409)
    moved = {row.user_id: row.voted_at for row in record.votes if row.outcome == MergeVoteOutcome.moved}
    dropped = {row.user_id: row.voted_at for row in record.votes if row.outcome == MergeVoteOutcome.dropped}
    still_there = set(db.session.scalars(sa.select(Vote.user_id).where(
        Vote.idea_id == target.id, Vote.user_id.in_(list(moved) or [-1]))))
    back = {user_id: moved[user_id] for user_id in still_there} | dropped
    if still_there:
        db.session.execute(sa.delete(Vote).where(Vote.idea_id == target.id, Vote.user_id.in_(list(still_there))))
    if back:
        db.session.execute(sa.insert(Vote), [
            {"idea_id": source.id, "user_id": user_id, "created_at": voted_at} for user_id, voted_at in back.items()])
    group_id = record.previous_group_id
    if group_id is not None and db.session.get(IdeaGroup, group_id) is None:
        group_id = None
    db.session.execute(sa.update(Idea).where(Idea.id == source.id).values(
        status=record.previous_status, merged_into_id=None, group_id=group_id))
    _recount(source.id)
    _recount(target.id)
    record.undone_at, record.undone_by_id = utcnow(), actor.id
    note = clean_plain(note or "")[:1000]
    db.session.add(StatusChange(idea_id=source.id, actor_id=actor.id, agency_id=source.agency_id,
                                before=IdeaStatus.duplicate, after=record.previous_status, answer=note))
    group_services.refresh_counts(sorted({g for g in (group_id, target.group_id) if g is not None}))
    audit.record(actor, "unmerge", "idea", source.id, area_id=source.area_id, before=IdeaStatus.duplicate,
                 after=record.previous_status, reason=f"← {target.id} {note}".strip())
    db.session.flush()
    db.session.refresh(source)
    db.session.refresh(target)
    # The similarity index left the duplicate out: it comes back in (and a rebuild is asked for).
    from idea4gov.ideas import similar

    similar.published_late(source)
    notify.unmerged(source, target, notify.followers([source.id, target.id]))
    return record
