"""Group ideas: Leiden communities on the k-NN graph, with stable ids across recomputes."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import igraph
import leidenalg
import numpy as np

from .index import SimilarityIndex
from .knn import knn_graph
from .params import DEFAULT, Params
from .tokenize import tokenize

__all__ = ["assign_group", "group_index", "group_texts", "group_tokens", "stable_ids"]


def group_texts(texts: Sequence[str], params: Params = DEFAULT) -> list[int]:
    """One group id per text (see `group_tokens`)."""
    return group_tokens([tokenize(t) for t in texts], params=params)


def group_tokens(
    token_lists: Sequence[Sequence[str]],
    previous: Sequence[int | None] | None = None,
    params: Params = DEFAULT,
) -> list[int]:
    """One group id per idea. An idea in no group (no neighbour close enough) gets
    an id of its own, so ids are "same id = same group" and a group of one is a
    singleton. With ``previous`` (old id per position, None/-1 for new ideas), ids
    are carried over as described in `stable_ids`."""
    if not token_lists:
        return []
    return group_index(SimilarityIndex.from_tokens(token_lists, params), previous)


def group_index(index: SimilarityIndex, previous: Sequence[int | None] | None = None) -> list[int]:
    """Group the ideas of an existing index (saves a second build in the web app)."""
    params = index.params
    w, _c, z = index.vectors()
    n = w.shape[0]
    if n == 0:
        return []
    rows, cols, vals = knn_graph(w, z, params)
    keep = vals >= params.min_edge_score
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    # Undirected edge (i, j) with the best score either way; one edge per pair.
    lo, hi = np.minimum(rows, cols), np.maximum(rows, cols)
    edges: dict[tuple[int, int], float] = {}
    for i, j, v in zip(lo.tolist(), hi.tolist(), vals.tolist(), strict=True):
        if v > edges.get((i, j), -1.0):
            edges[(i, j)] = v
    pairs = sorted(edges)  # sorted: the graph, hence Leiden's result, is reproducible
    graph = igraph.Graph(n=n, edges=pairs, edge_attrs={"weight": [edges[e] for e in pairs]})
    part = leidenalg.find_partition(
        graph,
        leidenalg.RBConfigurationVertexPartition,
        weights="weight",
        resolution_parameter=params.resolution,
        seed=params.seed,
        n_iterations=params.leiden_iterations,
    )
    labels = _canonical(part.membership)
    return labels if previous is None else stable_ids(labels, previous)


def _canonical(membership: Sequence[int]) -> list[int]:
    """Number groups 0, 1, 2... in order of their first member (implementation-free ids)."""
    seen: dict[int, int] = {}
    return [seen.setdefault(m, len(seen)) for m in membership]


def stable_ids(labels: Sequence[int], previous: Sequence[int | None]) -> list[int]:
    """Relabel a new grouping so groups keep their old ids where they persist.

    Rule: a new group takes the id of the old group that gave it the most members,
    provided that more than half of that old group's (still present) members are in
    it; each old id goes to at most one new group (largest overlap first, ties to
    the lower id). Every other new group gets a fresh id above all old ids. New
    ideas carry None or a negative number in ``previous``.
    """
    if len(previous) != len(labels):
        raise ValueError("previous must have one entry per idea")
    old = [p if p is not None and p >= 0 else None for p in previous]
    old_size = Counter(p for p in old if p is not None)
    overlap: dict[int, Counter[int]] = defaultdict(Counter)
    for new, p in zip(labels, old, strict=True):
        if p is not None:
            overlap[new][p] += 1
    claims = []
    for new, counts in overlap.items():
        best_old, best = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if best * 2 > old_size[best_old]:
            claims.append((-best, best_old, new))
    mapping: dict[int, int] = {}
    taken: set[int] = set()
    for _neg, old_id, new in sorted(claims):
        if old_id not in taken:
            mapping[new] = old_id
            taken.add(old_id)
    next_id = max(old_size, default=-1) + 1
    for new in labels:
        if new not in mapping:
            mapping[new] = next_id
            next_id += 1
    return [mapping[g] for g in labels]


def assign_group(
    index: SimilarityIndex,
    tokens: Sequence[str],
    groups: Sequence[int],
    k: int = 10,
    min_score: float | None = None,
    among: np.ndarray | None = None,
) -> int | None:
    """Group for a new idea without regrouping: its ``k`` nearest ideas scoring at
    least ``min_score`` (default `Params.assign_min_score`) vote with their scores;
    the group holding more than half of the votes wins, otherwise None (leave it
    alone until the next full grouping). ``groups`` are the indexed ideas' ids;
    ``among``: only these positions count (`SimilarityIndex.matches_tokens`)."""
    threshold = index.params.assign_min_score if min_score is None else min_score
    votes: Counter[int] = Counter()
    for pos, score in index.similar_tokens(tokens, k, among=among):
        if score >= threshold and pos < len(groups):
            votes[groups[pos]] += score
    if not votes:
        return None
    best, weight = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    return best if weight * 2 > sum(votes.values()) else None
