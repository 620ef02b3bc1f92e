"""Storing groups of similar ideas: full recompute per area, and joining one new idea.

Groups are derived data: a recompute may delete groups that no longer have two members.
Counts: `size` is the number of published members; `supporter_count` the distinct
residents supporting any member (one who supports two members counts once), recounted
whenever membership or a member's votes change.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import sqlalchemy as sa

from idea4gov.areas.models import Area
from idea4gov.extensions import db
from idea4gov.grouping import SimilarityIndex, assign_group, group_index, keywords
from idea4gov.grouping.phrases import MAX_TEXTS
from idea4gov.groups.models import IdeaGroup
from idea4gov.ideas.models import Idea, Vote
from idea4gov.text import plain_from_rich

KEYWORDS_PER_GROUP = 5


def _texts(where: sa.ColumnElement[bool]) -> list[str]:
    """Title and description of up to MAX_TEXTS ideas, as their words were made: key words read
    them to grow a segmenter's fragment back into its phrase ("หนอง" "มน" → "หนองมน")."""
    rows = db.session.execute(sa.select(Idea.title, Idea.body).where(where).order_by(Idea.id).limit(MAX_TEXTS))
    return [f"{title}\n{plain_from_rich(body)}" for title, body in rows]


def _published(area: Area) -> list[tuple[int, list[str], int | None]]:
    rows = db.session.execute(
        sa.select(Idea.id, Idea.search_tokens, Idea.group_id)
        .where(Idea.area_id == area.id, Idea.visible(), Idea.merged_into_id.is_(None))
        .order_by(Idea.id)
    )
    return [(row.id, row.search_tokens.split(), row.group_id) for row in rows]


def refresh_counts(group_ids: list[int]) -> None:
    """Recount size and distinct supporters of these groups from the rows."""
    if not group_ids:
        return
    sizes = dict(db.session.execute(
        sa.select(Idea.group_id, sa.func.count()).where(Idea.group_id.in_(group_ids), Idea.visible())
        .group_by(Idea.group_id)
    ).all())
    supporters = dict(db.session.execute(
        sa.select(Idea.group_id, sa.func.count(sa.distinct(Vote.user_id)))
        .join(Vote, Vote.idea_id == Idea.id)
        .where(Idea.group_id.in_(group_ids), Idea.visible())
        .group_by(Idea.group_id)
    ).all())
    for group_id in group_ids:
        db.session.execute(
            sa.update(IdeaGroup).where(IdeaGroup.id == group_id)
            .values(size=sizes.get(group_id, 0), supporter_count=supporters.get(group_id, 0))
        )


def recompute_area(area: Area, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Regroup every published idea of the area from stored words; ids kept where groups persist."""
    say = progress or (lambda _step: None)
    rows = _published(area)
    token_lists = [tokens for _id, tokens, _group in rows]
    say("index")
    index = SimilarityIndex.from_tokens(token_lists)
    say("groups")
    labels = group_index(index, previous=[group for _id, _tokens, group in rows]) if rows else []
    members: dict[int, list[int]] = defaultdict(list)
    for position, label in enumerate(labels):
        members[label].append(position)
    existing = {group.id: group for group in db.session.scalars(sa.select(IdeaGroup).where(IdeaGroup.area_id == area.id))}
    kept: set[int] = set()
    assignment: dict[int, int | None] = {}
    say("store")
    for label, positions in members.items():
        if len(positions) < 2:
            assignment[rows[positions[0]][0]] = None
            continue
        group = existing.get(label)
        if group is None or label in kept:
            group = IdeaGroup(area_id=area.id)
            db.session.add(group)
            db.session.flush()
        kept.add(group.id)
        texts = _texts(Idea.id.in_([rows[p][0] for p in positions[:MAX_TEXTS]]))
        group.keywords = " ".join(keywords([token_lists[p] for p in positions], index, n=KEYWORDS_PER_GROUP,
                                           texts=texts))[:300]
        for position in positions:
            assignment[rows[position][0]] = group.id
    by_group: dict[int | None, list[int]] = defaultdict(list)
    for idea_id, group_id in assignment.items():
        by_group[group_id].append(idea_id)
    for group_id, idea_ids in by_group.items():
        db.session.execute(sa.update(Idea).where(Idea.id.in_(idea_ids)).values(group_id=group_id))
    # Ideas no longer published (or merged into another) leave their group too.
    db.session.execute(
        sa.update(Idea).where(Idea.area_id == area.id, sa.or_(~Idea.visible(), Idea.merged_into_id.is_not(None)),
                              Idea.group_id.is_not(None)).values(group_id=None)
    )
    gone = [group_id for group_id in existing if group_id not in kept]
    if gone:
        db.session.execute(sa.delete(IdeaGroup).where(IdeaGroup.id.in_(gone)))
    refresh_counts(sorted(kept))
    db.session.flush()
    return {"ideas": len(rows), "groups": len(kept), "grouped": sum(len(v) for k, v in by_group.items() if k)}


def group_for_new_idea(area: Area, tokens: list[str]) -> tuple[int | None, int | None]:
    """Where a new idea belongs, before it is stored: (existing group id, None), or
    (None, idea id) when it pairs with an idea in no group yet, or (None, None)."""
    from idea4gov.ideas.similar import area_index

    entry = area_index(area)
    if not entry.idea_ids or not tokens:
        return None, None
    with entry.lock:
        winner = assign_group(entry.index, tokens, _GroupLabels(list(entry.idea_ids)))
    if winner is None:
        return None, None
    return (winner, None) if winner > 0 else (None, -winner)


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


def join(idea: Idea, group_id: int | None, partner_id: int | None) -> None:
    """Put a just-stored idea in its group (or a new group with its partner) and recount."""
    if group_id is None and partner_id is None:
        return
    if group_id is None:
        group = IdeaGroup(area_id=idea.area_id)
        db.session.add(group)
        db.session.flush()
        group_id = group.id
        db.session.execute(sa.update(Idea).where(Idea.id == partner_id).values(group_id=group_id))
    idea.group_id = group_id
    db.session.flush()
    refresh_counts([group_id])
    # Key words only name the group on its pages: the background worker renews them after the
    # commit (a third of the cost of posting an idea when done here).
    from idea4gov import jobs

    jobs.after_commit(db.session, refresh_keywords_job, group_id)


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
