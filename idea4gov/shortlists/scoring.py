"""Weighted totals, ranking and judge disagreement of a shortlist (or of an event's proposals).

For each idea and criterion the judges' scores (1–5) are averaged; the idea's weighted
score is the weighted mean of those averages over the criteria scored so far (weights
are relative: 40/30/30 and 4/3/3 rank alike), so it stays on the 1–5 scale. Ideas are
ranked by it, highest first; equal scores share a rank (1, 2, 2, 4); unscored ideas
get no rank. Disagreement: each judge's own weighted score of the idea, then the range
(highest minus lowest) and the standard deviation across judges. A range of
DISAGREE_HIGH points or more is flagged for discussion.
"""
from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from idea4gov.extensions import db
from idea4gov.shortlists.models import Shortlist, ShortlistItem

#: A range of judges' scores (on 1–5) from which the page asks the panel to talk it over.
DISAGREE_HIGH = 1.5
#: From here judges "partly disagree".
DISAGREE_SOME = 0.75


@dataclass
class ItemResult:
    #: The scored entry: a `ShortlistItem`, or an event's `Proposal`.
    item: Any
    #: {criterion_id: mean of the judges' scores}
    criterion_means: dict[int, float] = field(default_factory=dict)
    #: {judge_id: that judge's weighted score}
    judge_totals: dict[int, float] = field(default_factory=dict)
    weighted: float | None = None
    rank: int | None = None
    scores_given: int = 0

    @property
    def spread(self) -> float | None:
        """Highest minus lowest judge score; None with fewer than two judges."""
        values = list(self.judge_totals.values())
        return max(values) - min(values) if len(values) >= 2 else None

    @property
    def stdev(self) -> float | None:
        values = list(self.judge_totals.values())
        return statistics.pstdev(values) if len(values) >= 2 else None

    @property
    def disagreement(self) -> str:
        """"high", "some", "low" or "" (fewer than two judges)."""
        spread = self.spread
        if spread is None:
            return ""
        if spread >= DISAGREE_HIGH:
            return "high"
        return "some" if spread >= DISAGREE_SOME else "low"


def weighted_mean(values: dict[int, float], weights: dict[int, int]) -> float | None:
    scored = [cid for cid in values if cid in weights]
    total_weight = sum(weights[cid] for cid in scored)
    if not total_weight:
        return None
    return sum(values[cid] * weights[cid] for cid in scored) / total_weight


def results(shortlist: Shortlist) -> list[ItemResult]:
    """One result per item, in the shortlist's order, with ranks filled in."""
    from idea4gov.shortlists.services import rubric_of

    items = list(db.session.scalars(
        sa.select(ShortlistItem).where(ShortlistItem.shortlist_id == shortlist.id)
        .order_by(ShortlistItem.position, ShortlistItem.id)
    ))
    return rubric_of(shortlist).results(items)


def compute(entries: Sequence[Any], weights: dict[int, int],
            rows: Iterable[tuple[int, int, int, int]]) -> list[ItemResult]:
    """Results of scored entries (shortlist items or event proposals) from their score rows
    `(entry_id, judge_id, criterion_id, value)`, in the entries' order, ranked."""
    by_entry: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))  # entry -> judge -> crit
    for entry_id, judge_id, criterion_id, value in rows:
        by_entry[entry_id][judge_id][criterion_id] = value
    out = []
    for entry in entries:
        result = ItemResult(item=entry)
        per_criterion: dict[int, list[int]] = defaultdict(list)
        for judge_id, scores in by_entry.get(entry.id, {}).items():
            for criterion_id, value in scores.items():
                per_criterion[criterion_id].append(value)
                result.scores_given += 1
            total = weighted_mean({cid: float(v) for cid, v in scores.items()}, weights)
            if total is not None:
                result.judge_totals[judge_id] = total
        result.criterion_means = {cid: statistics.fmean(vals) for cid, vals in per_criterion.items()}
        result.weighted = weighted_mean(result.criterion_means, weights)
        out.append(result)
    _rank(out)
    return out


def _rank(rows: list[ItemResult]) -> None:
    """Competition ranking (1, 2, 2, 4) on the weighted score, compared at 2 decimals as shown."""
    scored = sorted((r for r in rows if r.weighted is not None), key=lambda r: -round(r.weighted, 2))
    previous, rank = None, 0
    for index, row in enumerate(scored, 1):
        value = round(row.weighted, 2)
        if value != previous:
            rank, previous = index, value
        row.rank = rank


def ranked(rows: list[ItemResult]) -> list[ItemResult]:
    """Ranked first (best first), then unscored in the owner's order (rows come in that order)."""
    order = {id(row): index for index, row in enumerate(rows)}
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, order[id(r)]))
