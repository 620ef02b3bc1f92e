"""Issues (เรื่องเดียวกัน: the same problem reported again) inside groups of similar ideas.

What is stored, and when:

* a **regrouping** (`groups.services.recompute_area`) gets one issue label per published idea
  from the engine (`group_levels`) and keeps a row per issue of two or more reports, or of
  any report an officer pinned there; each issue is named by its most representative report
  (the one closest on average to the others by the engine's issue score, else the most
  supported; the older on a tie);
* **officers' decisions** come back to the engine at every regrouping: reports whose issue an
  officer decided (`ideas.issue_pinned`) are pinned to their issue id, and reports an officer
  took apart (`issue_separations`) are cannot-links;
* a **newly published report** joins the issue the engine names (`assign`, `attach`), or pairs
  with a lone report into a new issue; its group follows its issue's. This runs in the
  background worker once the report is committed (`groups.services.place_published`), against
  the reports published before it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa

from idea4gov.areas.models import Area
from idea4gov.extensions import db
from idea4gov.grouping import SimilarityIndex, assign_issue
from idea4gov.groups.models import IdeaIssue, IssueSeparation
from idea4gov.ideas.models import Idea, Visibility

#: Nearest published ideas whose issues a new report may join (the engine's default).
ASSIGN_K = 10


@dataclass(frozen=True)
class Row:
    """A published idea as a regrouping reads it."""

    id: int
    tokens: list[str]
    group_id: int | None
    issue_id: int | None
    pinned: bool
    votes: int


# --- regrouping ---------------------------------------------------------------------------------

def decisions(area_id: int, rows: Sequence[Row]) -> tuple[dict[int, int], list[tuple[int, int]]]:
    """Officers' decisions as the engine takes them, by position in `rows`: pinned reports
    ({position: issue id}) and pairs kept apart."""
    pinned = {pos: row.issue_id for pos, row in enumerate(rows) if row.pinned and row.issue_id is not None}
    position = {row.id: pos for pos, row in enumerate(rows)}
    pairs = db.session.execute(sa.select(IssueSeparation.idea_id, IssueSeparation.other_id)
                               .where(IssueSeparation.area_id == area_id).order_by(IssueSeparation.id))
    apart = [(position[a], position[b]) for a, b in pairs if a in position and b in position]
    return pinned, apart


def store(area: Area, rows: Sequence[Row], labels: Sequence[int], group_of: dict[int, int | None],
          index: SimilarityIndex) -> list[int]:
    """Store a regrouping's issues (one engine label per row) inside the stored groups (`group_of`:
    idea id -> group id); returns the ids of the issue rows in use."""
    members: dict[int, list[int]] = defaultdict(list)
    for position, label in enumerate(labels):
        members[label].append(position)
    existing = {issue.id: issue for issue in db.session.scalars(sa.select(IdeaIssue).where(IdeaIssue.area_id == area.id))}
    kept: set[int] = set()
    by_issue: dict[int | None, list[int]] = defaultdict(list)
    for label, positions in members.items():
        if len(positions) < 2 and not rows[positions[0]].pinned:
            by_issue[None].append(rows[positions[0]].id)
            continue
        issue = existing.get(label)
        if issue is None or issue.id in kept:
            issue = IdeaIssue(area_id=area.id)
            db.session.add(issue)
            db.session.flush()
        kept.add(issue.id)
        issue.group_id = group_of.get(rows[positions[0]].id)
        issue.representative_id = representative([rows[p] for p in positions], index, positions)
        by_issue[issue.id].extend(rows[p].id for p in positions)
    for issue_id, idea_ids in by_issue.items():
        for start in range(0, len(idea_ids), 1000):
            chunk = idea_ids[start:start + 1000]
            values = {"issue_id": issue_id} if issue_id is not None else {"issue_id": None, "issue_pinned": False}
            db.session.execute(sa.update(Idea).where(Idea.id.in_(chunk)).values(**values))
    return sorted(kept)


def drop_unused(area_id: int, kept: list[int]) -> None:
    """Delete the area's issue rows a regrouping no longer uses."""
    db.session.execute(sa.delete(IdeaIssue).where(IdeaIssue.area_id == area_id, IdeaIssue.id.not_in(kept or [-1])))


def representative(members: Sequence[Row], index: SimilarityIndex | None,
                   positions: Sequence[int | None]) -> int | None:
    """The report that names an issue: the highest mean issue score to the other reports (from
    three reports up, where it can differ), then the most supported, then the older."""
    if not members:
        return None
    means = [0.0] * len(members)
    known = [i for i, pos in enumerate(positions) if pos is not None]
    if index is not None and len(known) >= 3:
        for i in known:
            others = [positions[j] for j in known if j != i]
            means[i] = round(float(index.issue_scores_tokens(members[i].tokens, others).mean()), 6)
    best = min(range(len(members)), key=lambda i: (-means[i], -members[i].votes, members[i].id))
    return members[best].id


# --- a new report -------------------------------------------------------------------------------

def assign(index: SimilarityIndex, tokens: list[str], idea_ids: list[int],
           among: np.ndarray | None = None) -> tuple[int | None, int | None]:
    """The issue of a new report: (issue id, None) to join an issue, (None, idea id) to pair with
    a lone report, or (None, None). Reads the issues of its nearest ideas only (the caller holds
    the index's lock; positions are `idea_ids`'; `among`: the positions that count)."""
    near = [m.position for m in index.matches_tokens(tokens, ASSIGN_K, among=among) if m.position < len(idea_ids)]
    if not near:
        return None, None
    near_ids = [idea_ids[p] for p in near]
    their_issues = sa.select(Idea.issue_id).where(Idea.id.in_(near_ids), Idea.issue_id.is_not(None))
    members = dict(db.session.execute(sa.select(Idea.id, Idea.issue_id).where(
        Idea.issue_id.in_(their_issues), Idea.visible(), Idea.merged_into_id.is_(None))).all())
    ids = np.asarray(idea_ids, dtype=np.int64)
    labels = -ids  # a lone report is an issue of its own
    if members:
        mask = np.isin(ids, np.fromiter(members, dtype=np.int64))
        labels[mask] = [members[int(i)] for i in ids[mask]]
    winner = assign_issue(index, tokens, labels, k=ASSIGN_K, among=among)
    if winner is None:
        return None, None
    return (int(winner), None) if winner > 0 else (None, int(-winner))


def resolve(idea: Idea, placement) -> tuple[IdeaIssue | None, Idea | None]:  # noqa: ANN001 (services.Placement)
    """The stored issue, or the lone report, a placement names, when it still stands (same area,
    public, not merged away); nothing for an idea already in an issue."""
    if idea.issue_id is not None:
        return None, None
    if placement.issue_id is not None:
        issue = db.session.get(IdeaIssue, placement.issue_id)
        if issue is not None and issue.area_id == idea.area_id:
            return issue, None
    if placement.issue_partner is not None and placement.issue_partner != idea.id:
        partner = db.session.get(Idea, placement.issue_partner)
        if (partner is not None and partner.area_id == idea.area_id and partner.visibility == Visibility.published
                and partner.merged_into_id is None and partner.issue_id is None):
            return None, partner
    return None, None


def attach(idea: Idea, issue: IdeaIssue | None, partner: Idea | None) -> set[int | None]:
    """Put the idea in `issue` (or in a new issue with `partner`), every report of it in the idea's
    group; returns the groups whose members changed."""
    if issue is None and partner is None:
        return set()
    if issue is None:
        pair = sorted((partner, idea), key=lambda i: (-i.vote_count, i.id))
        issue = IdeaIssue(area_id=idea.area_id, group_id=idea.group_id, representative_id=pair[0].id)
        db.session.add(issue)
        db.session.flush()
        partner.issue_id = issue.id
    idea.issue_id = issue.id
    db.session.flush()
    touched = nest(issue, idea.group_id)
    from idea4gov.groups.services import recount

    recount(IdeaIssue, [issue.id])
    return touched


def nest(issue: IdeaIssue, group_id: int | None) -> set[int | None]:
    """Keep every report of the issue in `group_id` (an issue lies inside one group); returns the
    groups that lost or gained reports."""
    if group_id is None:
        return set()
    moved = sa.and_(Idea.issue_id == issue.id, sa.or_(Idea.group_id.is_(None), Idea.group_id != group_id))
    touched: set[int | None] = set(db.session.scalars(sa.select(Idea.group_id).where(moved).distinct()))
    if touched:
        db.session.execute(sa.update(Idea).where(moved).values(group_id=group_id))
        touched.add(group_id)
    issue.group_id = group_id
    return touched


def rename(issue_ids: list[int]) -> None:
    """Name these issues again after officers changed their reports, from the area's similarity
    index in memory (never rebuilt here: a report it does not hold yet counts by its supporters)."""
    from idea4gov.ideas.similar import area_index

    for issue in db.session.scalars(sa.select(IdeaIssue).where(IdeaIssue.id.in_(issue_ids or [-1]))):
        rows = [Row(r.id, r.search_tokens.split(), None, issue.id, False, r.vote_count) for r in db.session.execute(
            sa.select(Idea.id, Idea.search_tokens, Idea.vote_count)
            .where(Idea.issue_id == issue.id, Idea.visible()).order_by(Idea.id))]
        if len(rows) < 3:
            issue.representative_id = representative(rows, None, [None] * len(rows))
            continue
        entry = area_index(db.session.get(Area, issue.area_id))
        with entry.lock:
            ids = np.asarray(entry.idea_ids, dtype=np.int64)
            positions = [int(found[0]) if len(found := np.flatnonzero(ids == row.id)) else None for row in rows]
            issue.representative_id = representative(rows, entry.index, positions)
