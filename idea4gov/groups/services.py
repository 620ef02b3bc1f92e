"""Storing groups of similar ideas and the issues inside them: full recompute per area (both
levels), and placing one newly published idea (in the background worker, `place_published`).

Groups and issues are derived data: a recompute may delete those that no longer have two
members (an issue an officer decided about stays). Counts: `size` is the number of published
members; `supporter_count` the distinct residents supporting any member (one who supports two
members counts once), recounted whenever membership or a member's votes change.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa

from idea4gov import pagecache
from idea4gov.areas.models import Area
from idea4gov.extensions import db
from idea4gov.grouping import SimilarityIndex, assign_group, group_levels, keywords
from idea4gov.grouping.phrases import MAX_TEXTS
from idea4gov.groups import issues
from idea4gov.groups.models import IdeaGroup, IdeaIssue, IssueSeparation
from idea4gov.ideas.models import Idea, Visibility, Vote
from idea4gov.text import plain_from_rich

KEYWORDS_PER_GROUP = 5


def _texts(where: sa.ColumnElement[bool]) -> list[str]:
    """Title and description of up to MAX_TEXTS ideas, as their words were made: key words read
    them to grow a segmenter's fragment back into its phrase ("หนอง" "มน" → "หนองมน")."""
    rows = db.session.execute(sa.select(Idea.title, Idea.body).where(where).order_by(Idea.id).limit(MAX_TEXTS))
    return [f"{title}\n{plain_from_rich(body)}" for title, body in rows]


def _published(area: Area) -> list[issues.Row]:
    rows = db.session.execute(
        sa.select(Idea.id, Idea.search_tokens, Idea.group_id, Idea.issue_id, Idea.issue_pinned, Idea.vote_count)
        .where(Idea.area_id == area.id, Idea.visible(), Idea.merged_into_id.is_(None))
        .order_by(Idea.id)
    )
    return [issues.Row(row.id, row.search_tokens.split(), row.group_id, row.issue_id, row.issue_pinned,
                       row.vote_count) for row in rows]


def recount(model: type[IdeaGroup] | type[IdeaIssue], ids: list[int]) -> None:
    """Recount size and distinct supporters of these groups (or issues) from the rows."""
    ids = sorted({i for i in ids if i is not None})
    if not ids:
        return
    column = Idea.group_id if model is IdeaGroup else Idea.issue_id
    sizes = dict(db.session.execute(
        sa.select(column, sa.func.count()).where(column.in_(ids), Idea.visible()).group_by(column)
    ).all())
    supporters = dict(db.session.execute(
        sa.select(column, sa.func.count(sa.distinct(Vote.user_id)))
        .join(Vote, Vote.idea_id == Idea.id)
        .where(column.in_(ids), Idea.visible())
        .group_by(column)
    ).all())
    for row_id in ids:
        db.session.execute(
            sa.update(model).where(model.id == row_id)
            .values(size=sizes.get(row_id, 0), supporter_count=supporters.get(row_id, 0))
        )


def refresh_counts(group_ids: list[int]) -> None:
    """Recount size and distinct supporters of these groups from the rows."""
    recount(IdeaGroup, group_ids)


def recount_idea(idea: Idea) -> None:
    """Recount the group and the issue the idea is in (after its votes or visibility changed)."""
    recount(IdeaGroup, [idea.group_id])
    recount(IdeaIssue, [idea.issue_id])


def recompute_area(area: Area, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Regroup every published idea of the area from stored words, both levels: topics and the
    issues inside them; ids kept where they persist, officers' issue decisions kept."""
    say = progress or (lambda _step: None)
    rows = _published(area)
    token_lists = [row.tokens for row in rows]
    say("index")
    index = SimilarityIndex.from_tokens(token_lists)
    say("groups")
    pinned, apart = issues.decisions(area.id, rows)
    labels, issue_labels = group_levels(
        index, previous_topics=[row.group_id for row in rows], previous_issues=[row.issue_id for row in rows],
        pinned=pinned, cannot_link=apart) if rows else ([], [])
    members: dict[int, list[int]] = defaultdict(list)
    for position, label in enumerate(labels):
        members[label].append(position)
    existing = {group.id: group for group in db.session.scalars(sa.select(IdeaGroup).where(IdeaGroup.area_id == area.id))}
    kept: set[int] = set()
    assignment: dict[int, int | None] = {}
    say("store")
    for label, positions in members.items():
        if len(positions) < 2:
            assignment[rows[positions[0]].id] = None
            continue
        group = existing.get(label)
        if group is None or label in kept:
            group = IdeaGroup(area_id=area.id)
            db.session.add(group)
            db.session.flush()
        kept.add(group.id)
        texts = _texts(Idea.id.in_([rows[p].id for p in positions[:MAX_TEXTS]]))
        group.keywords = " ".join(keywords([token_lists[p] for p in positions], index, n=KEYWORDS_PER_GROUP,
                                           texts=texts))[:300]
        for position in positions:
            assignment[rows[position].id] = group.id
    by_group: dict[int | None, list[int]] = defaultdict(list)
    for idea_id, group_id in assignment.items():
        by_group[group_id].append(idea_id)
    for group_id, idea_ids in by_group.items():
        # Decided here: a placement still waiting for the worker has nothing left to do.
        _update_in_chunks(idea_ids, group_id=group_id, awaiting_placement=False)
    say("issues")
    stored_issues = issues.store(area, rows, issue_labels, assignment, index)
    # Ideas no longer published (or merged into another) leave their group and issue too.
    db.session.execute(
        sa.update(Idea).where(Idea.area_id == area.id, sa.or_(~Idea.visible(), Idea.merged_into_id.is_not(None)),
                              sa.or_(Idea.group_id.is_not(None), Idea.issue_id.is_not(None)))
        .values(group_id=None, issue_id=None, issue_pinned=False)
    )
    issues.drop_unused(area.id, stored_issues)
    gone = [group_id for group_id in existing if group_id not in kept]
    if gone:
        db.session.execute(sa.delete(IdeaGroup).where(IdeaGroup.id.in_(gone)))
    refresh_counts(sorted(kept))
    recount(IdeaIssue, stored_issues)
    db.session.flush()
    return {"ideas": len(rows), "groups": len(kept), "grouped": sum(len(v) for k, v in by_group.items() if k),
            "issues": sum(1 for i in stored_issues if i is not None)}


def _update_in_chunks(idea_ids: list[int], **values) -> None:
    """UPDATE ideas by id, a thousand ids per statement (a bound-parameter limit of some drivers)."""
    for start in range(0, len(idea_ids), 1000):
        db.session.execute(sa.update(Idea).where(Idea.id.in_(idea_ids[start:start + 1000])).values(**values))


@dataclass(frozen=True)
class Placement:
    """Where a new idea belongs, decided against the ideas published before it (never itself)."""

    #: An existing group to join, or an idea in no group to pair with in a new group.
    group_id: int | None = None
    group_partner: int | None = None
    #: An existing issue to join, or a lone report to pair with in a new issue.
    issue_id: int | None = None
    issue_partner: int | None = None


def place_new_idea(area: Area, tokens: list[str], idea_id: int | None = None,
                   before_id: int | None = None) -> Placement:
    """The group and the issue of a new idea, from the area's similarity index (never rebuilt here).

    Every indexed idea counts, except `idea_id` (the idea itself, once the index holds it) and,
    with `before_id`, ideas numbered from it on: placed after it was posted, an idea gets the
    decision it would have got when it was posted, whatever was published since."""
    from idea4gov.ideas.similar import area_index

    entry = area_index(area)
    if not entry.idea_ids or not tokens:
        return Placement()
    with entry.lock:
        ids = list(entry.idea_ids)
        among = None
        if idea_id is not None or before_id is not None:
            numbers = np.asarray(ids, dtype=np.int64)
            among = numbers != (idea_id or 0)
            if before_id is not None:
                among &= numbers < before_id
            if not among.any():
                return Placement()
        winner = assign_group(entry.index, tokens, _GroupLabels(ids), among=among)
        issue = issues.assign(entry.index, tokens, ids, among=among)
    group_id, partner = (None, None) if winner is None else (winner, None) if winner > 0 else (None, -winner)
    return Placement(group_id, partner, *issue)


def place_after_commit(idea: Idea, before_id: int | None = None) -> None:
    """Have a just-published idea placed in its group and issue by the background worker once this
    transaction commits (`place_published`; in this process after the response without Redis): the
    nearest-neighbour search and the recounts were most of the time of posting an idea, and the
    resident need not wait for them. `before_id`: see `place_new_idea` (posting: the idea's own id)."""
    from idea4gov import jobs

    idea.awaiting_placement = True
    jobs.after_commit(db.session, place_published_job, idea.id, before_id)


def place_published(idea_id: int, before_id: int | None = None) -> bool:
    """Put a published idea awaiting placement in its group and issue (`place_new_idea`, then
    `join`); True if it was placed. Once only: the first run clears `awaiting_placement` (a second
    run, or one after a regrouping, which decides every idea, finds nothing to do). An idea that
    got its group and issue otherwise meanwhile, or whose issue an officer decided (pinned, or
    split off from other reports), is left as it is; so is one no longer published."""
    idea = db.session.get(Idea, idea_id)
    if idea is None or not idea.awaiting_placement or not idea.search_tokens:
        return False
    # The search first, only reading, and its read transaction ended: the claim and `join` below then
    # hold the write lock (SQLite's one writer, PostgreSQL's row locks) for a moment, not for the search.
    tokens = idea.search_tokens
    placement = place_new_idea(idea.area, tokens.split(), idea_id=idea.id, before_id=before_id)
    area_id = idea.area_id
    db.session.commit()
    with pagecache.in_area(area_id):
        claimed = db.session.execute(
            sa.update(Idea).where(Idea.id == idea_id, Idea.awaiting_placement.is_(True))
            .values(awaiting_placement=False).execution_options(synchronize_session=False)).rowcount
        if not claimed:
            return False  # another run has it (PostgreSQL waited for its commit)
        db.session.refresh(idea)
        if (idea.visibility != Visibility.published or idea.merged_into_id is not None or not idea.search_tokens
                or (idea.group_id is not None and idea.issue_id is not None) or idea.issue_pinned
                or _separated(idea.id)):
            return False
        if idea.search_tokens != tokens:  # edited meanwhile: decide for the text it has now
            placement = place_new_idea(idea.area, idea.search_tokens.split(), idea_id=idea.id, before_id=before_id)
        join(idea, placement)
    return True


def _separated(idea_id: int) -> bool:
    """An officer took the idea apart from other reports (`IssueSeparation`)."""
    return db.session.scalar(sa.select(IssueSeparation.id).where(
        sa.or_(IssueSeparation.idea_id == idea_id, IssueSeparation.other_id == idea_id)).limit(1)) is not None


def place_published_job(idea_id: int, before_id: int | None = None) -> bool:
    """The background job: `place_published` and commit."""
    from flask import has_app_context

    if not has_app_context():
        from idea4gov import create_app

        with create_app().app_context():
            return place_published_job(idea_id, before_id)
    try:
        placed = place_published(idea_id, before_id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return placed


class _GroupLabels(Sequence):
    """The group of each indexed idea, by position, read only for the positions the engine asks
    about (its k nearest neighbours): a new idea no longer reads the group of every idea of its
    area (10,000 rows at the bench's size, half the cost of posting). Ideas in no group, or no
    longer public, get labels of their own (negative ids), as the engine expects."""

    _QUERY = sa.text("SELECT group_id FROM ideas WHERE id = :id AND visibility = 'published'")

    def __init__(self, idea_ids: list[int]) -> None:
        self.idea_ids = idea_ids

    def __len__(self) -> int:
        return len(self.idea_ids)

    def __getitem__(self, position):  # noqa: ANN001, ANN204
        idea_id = self.idea_ids[position]
        return db.session.scalar(self._QUERY, {"id": idea_id}) or -idea_id


def join(idea: Idea, placement: Placement) -> None:
    """Put a just-stored (or just-published) idea in its issue and its group, and recount. An issue
    lies inside one group: its group wins over the one the idea's own neighbours chose."""
    issue, partner_report = issues.resolve(idea, placement)
    topic = idea.group_id if idea.group_id is not None else placement.group_id
    pair_with = placement.group_partner if topic is None else None
    if issue is not None and issue.group_id is not None:
        topic, pair_with = issue.group_id, None
    elif partner_report is not None:
        if partner_report.group_id is not None:
            topic, pair_with = partner_report.group_id, None
        elif topic is None:
            pair_with = partner_report.id
    touched = {idea.group_id}
    if topic is None and pair_with is not None:
        group = IdeaGroup(area_id=idea.area_id)
        db.session.add(group)
        db.session.flush()
        topic = group.id
        db.session.execute(sa.update(Idea).where(Idea.id == pair_with).values(group_id=topic))
    idea.group_id = topic
    db.session.flush()
    touched |= issues.attach(idea, issue, partner_report)
    touched.add(topic)
    refresh_counts(sorted(g for g in touched if g is not None))
    if topic is not None:
        # Key words only name the group on its pages: the background worker renews them after the
        # commit (a third of the cost of posting an idea when done here).
        from idea4gov import jobs

        jobs.after_commit(db.session, refresh_keywords_job, topic)


def refresh_keywords(group_id: int) -> None:
    """Name the group by its members' distinctive words."""
    group = db.session.get(IdeaGroup, group_id)
    if group is None:
        return
    member_tokens = [tokens.split() for tokens in db.session.scalars(
        sa.select(Idea.search_tokens).where(Idea.group_id == group_id, Idea.visible()))]
    from idea4gov.ideas.similar import area_index

    background = area_index(db.session.get(Area, group.area_id)).index
    texts = _texts(sa.and_(Idea.group_id == group_id, Idea.visible()))
    group.keywords = " ".join(keywords(member_tokens, background, n=KEYWORDS_PER_GROUP, texts=texts))[:300]


def refresh_keywords_job(group_id: int) -> None:
    """The background job: renew a group's key words and commit."""
    from flask import has_app_context

    if not has_app_context():
        from idea4gov import create_app

        with create_app().app_context():
            return refresh_keywords_job(group_id)
    refresh_keywords(group_id)
    db.session.commit()
    return None
