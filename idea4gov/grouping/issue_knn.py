"""The issue graph of a corpus: each distinct report's best partners by issue score.

Built once with the index (`SimilarityIndex.from_tokens`) and reused by the issue
grouping. Near-linear:

1. Identical reports (same issue terms) collapse into one node, so a text sent forty
   times costs one node (its weight is forty).
2. Candidates: pairs sharing a term used by at most ``issue_candidate_df`` ideas
   (numbers, names, word pairs: what a repeat report shares; a sparse product over
   short postings only), the best ``2 * issue_knn_k`` per node by those terms, then
   rescored exactly. On the dev data this finds the same issues as an exact all-pairs
   search at a third of its time.
3. Each node keeps its ``issue_knn_k`` best partners; the mean of their scores is the
   node's *issue hub* value: how much it looks like everything (call-centre templates,
   boilerplate, one-line generic reports). Scores are then read CSLS-style,
   ``score - issue_hub_weight * (hub(a) + hub(b)) / 2``, so a pair counts as the same
   issue only when it stands out from both reports' usual neighbours.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .issue_features import numbers_conflict, shared_places
from .params import Params

__all__ = ["IssueGraph", "collapse_copies", "issue_graph", "pair_scores", "place_bonus"]

_BLOCK = 512
_PAIR_CHUNK = 65536


@dataclass
class IssueGraph:
    """Candidate pairs between distinct reports ("nodes"), best first per node."""

    rep_of: np.ndarray  # node of every idea
    reps: np.ndarray  # first idea (position) of every node
    rows: np.ndarray  # node a < node b of each candidate pair
    cols: np.ndarray
    raw: np.ndarray  # issue score of the pair (place-number conflicts already applied)
    hub: np.ndarray  # issue hub value of every node

    def adjusted(self, params: Params) -> np.ndarray:
        """CSLS-adjusted pair scores (see the module docstring)."""
        g = np.float32(params.issue_hub_weight / 2)
        return self.raw - g * (self.hub[self.rows] + self.hub[self.cols])


def collapse_copies(u: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """(node per idea, first idea of every node): ideas with identical issue terms share
    a node; empty texts stay apart (two empty reports are not one issue)."""
    rep_of = np.empty(u.shape[0], dtype=np.int64)
    reps: list[int] = []
    seen: dict[bytes, int] = {}
    ptr, ind = u.indptr, u.indices
    for i in range(u.shape[0]):
        s, e = ptr[i], ptr[i + 1]
        key = ind[s:e].tobytes() if e > s else None
        r = seen.get(key) if key is not None else None
        if r is None:
            r = len(reps)
            reps.append(i)
            if key is not None:
                seen[key] = r
        rep_of[i] = r
    return rep_of, np.asarray(reps, dtype=np.int64)


def issue_graph(
    u: sp.csr_matrix,
    w: sp.csr_matrix,
    z: np.ndarray,
    places: Sequence,
    params: Params,
    near: np.ndarray | None = None,
    specificity: Callable[[str, str], float] | None = None,
) -> IssueGraph:
    """The graph of an index's ideas (``u`` issue terms, ``w`` words, ``z`` LSA).
    ``near`` (ideas x m, -1 = none): more candidates per idea, e.g. its nearest by LSA
    (`knn.lsa_neighbours`): a generic report shares no rare term with its look-alikes,
    and without them its hub value would come out too low. ``specificity`` (an issue
    place's rarity, `IssueFeaturizer.place_specificity`) enables the shared-place bonus."""
    rep_of, reps = collapse_copies(u)
    n = len(reps)
    k = min(params.issue_knn_k, n - 1)
    if k <= 0:
        e = np.zeros(0, dtype=np.int64)
        return IssueGraph(rep_of, reps, e, e, np.zeros(0, np.float32), np.zeros(n, np.float32))
    ur, wr, zr = u[reps], w[reps], z[reps]
    # A few spare candidates per node: place-number conflicts may demote some.
    rows, cols = _rare_term_candidates(ur, params, 2 * k)
    if near is not None and near.size:
        nr = near[reps]
        more_r = np.repeat(np.arange(n), nr.shape[1])
        more_c = nr.ravel()
        ok = more_c >= 0
        more_r, more_c = more_r[ok], rep_of[more_c[ok]]
        ok = more_r != more_c
        key = np.unique(np.r_[rows, more_r[ok]] * np.int64(n) + np.r_[cols, more_c[ok]])
        rows, cols = key // n, key % n
    topic = np.zeros(len(rows), dtype=np.float32)
    vals = pair_scores(ur, wr, zr, rows, cols, params, topic)
    vals = _place_rule(rows, cols, vals, topic, [places[r] for r in reps], params, specificity)
    rows, cols, vals = _top_per_row(rows, cols, vals, k)
    hub = np.bincount(rows, weights=np.maximum(vals, 0), minlength=n).astype(np.float32) / np.float32(k)
    keep = vals > 0
    lo, hi = np.minimum(rows[keep], cols[keep]), np.maximum(rows[keep], cols[keep])
    vals = vals[keep]
    order = np.lexsort((hi, lo))
    lo, hi, vals = lo[order], hi[order], vals[order]
    first = np.ones(len(lo), dtype=bool)
    first[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
    return IssueGraph(rep_of, reps, lo[first], hi[first], vals[first], hub)


def topic_weights(params: Params) -> tuple[np.float32, np.float32]:
    """Weights of word cosine and LSA cosine in the topic part of the issue score
    (the grouping graph's words + LSA blend, renormalised: a perfect match is 1)."""
    a, s = params.char_weight, params.sparse_weight
    ww, wz = s * (1 - a), 1 - s
    return np.float32(ww / (ww + wz)), np.float32(wz / (ww + wz))


def _rare_term_candidates(u: sp.csr_matrix, params: Params, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs sharing terms used by at most ``issue_candidate_df`` ideas, the ``k`` best
    per node by those terms' weights (a sparse product over short postings only)."""
    n = u.shape[0]
    df = np.bincount(u.indices, minlength=u.shape[1])
    ur = sp.csr_matrix(u @ sp.diags((df <= params.issue_candidate_df).astype(np.float32)))
    ur.eliminate_zeros()
    urt = sp.csr_matrix(ur.T)
    rows, cols = [], []
    for start in range(0, n, _BLOCK):
        q = np.arange(start, min(start + _BLOCK, n))
        prod = sp.csr_matrix(ur[q] @ urt)
        prod.sort_indices()  # ascending columns within a row: ties go to the lower one
        r = np.repeat(q, np.diff(prod.indptr))
        c, v = prod.indices.astype(np.int64), prod.data
        keep = (c != r) & (v > 0)
        rr, cc, vv = _top_per_row(r[keep], c[keep], v[keep], k, presorted=True)
        rows.append(rr)
        cols.append(cc)
    if not rows:
        e = np.zeros(0, dtype=np.int64)
        return e, e
    return np.concatenate(rows), np.concatenate(cols)


def _rowwise_dot(m: sp.csr_matrix, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray(m[a].multiply(m[b]).sum(axis=1), dtype=np.float32).ravel()


def pair_scores(
    u, w, z, rows: np.ndarray, cols: np.ndarray, params: Params, topic_out: np.ndarray | None = None
) -> np.ndarray:
    """Exact raw issue scores of the given pairs (no place-number rules); ``topic_out``
    (same length) receives their topic part (words + LSA)."""
    lam = np.float32(params.issue_topic_weight)
    ww, wz = topic_weights(params)
    out = np.zeros(len(rows), dtype=np.float32)
    for s in range(0, len(rows), _PAIR_CHUNK):
        a, b = rows[s : s + _PAIR_CHUNK], cols[s : s + _PAIR_CHUNK]
        topic = ww * _rowwise_dot(w, a, b)
        if z.shape[1]:
            topic += wz * np.einsum("ij,ij->i", z[a], z[b])
        if topic_out is not None:
            topic_out[s : s + _PAIR_CHUNK] = topic
        out[s : s + _PAIR_CHUNK] = (1 - lam) * _rowwise_dot(u, a, b) + lam * topic
    return out


def _top_per_row(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, k: int, presorted: bool = False):
    """The ``k`` best (row, col, val) per row, ties to the lower col. ``presorted``:
    the input is already ordered by (row, col)."""
    if not len(rows):
        return rows, cols, vals
    if not presorted:
        by = np.lexsort((cols, rows))
        rows, cols, vals = rows[by], cols[by], vals[by]
    # One float key (row first, then the best score; scores are below 4) in a stable
    # sort keeps (row, col) order among ties, several times faster than a lexsort.
    order = np.argsort(rows.astype(np.float64) * 8.0 - vals.astype(np.float64), kind="stable")
    rows, cols, vals = rows[order], cols[order], vals[order]
    starts = np.r_[0, np.flatnonzero(rows[1:] != rows[:-1]) + 1]
    rank = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    keep = rank < k
    return rows[keep], cols[keep], vals[keep]


def _place_rule(
    rows: np.ndarray,
    cols: np.ndarray,
    vals: np.ndarray,
    topic: np.ndarray,
    places: Sequence,
    params: Params,
    specificity: Callable[[str, str], float] | None = None,
) -> np.ndarray:
    """Place numbers between the two reports of each pair: the same one ("ซอย 47" in
    both) adds ``issue_place_bonus`` x the rarity of that number's term (`place_bonus`)
    x the pair's ``topic`` score (one place, the same kind of problem);
    only different ones after the same word ("ซอย 47" / "ซอย 2") multiply the score by
    ``issue_conflict_penalty`` where it reaches ``issue_threshold`` (below it the
    penalty changes no merge; the queries of `SimilarityIndex` follow the same rules).
    Checked once per distinct pair of place sets (copies and repeat reports share them)."""
    penalise = params.issue_conflict_penalty < 1
    reward = params.issue_place_bonus > 0 and specificity is not None
    if not (penalise or reward):
        return vals
    ids: dict[tuple, int] = {}
    pid = np.fromiter(
        (ids.setdefault(tuple(sorted(p.items())), len(ids)) if p else -1 for p in places),
        dtype=np.int64,
        count=len(places),
    )
    both = (pid[rows] >= 0) & (pid[cols] >= 0)
    if not reward:
        both &= vals >= np.float32(params.issue_threshold)
    both = np.flatnonzero(both)
    if not len(both):
        return vals
    distinct = [dict(key) for key in ids]
    key = pid[rows[both]] * np.int64(len(ids)) + pid[cols[both]]
    pairs, where = np.unique(key, return_inverse=True)
    factor = np.ones(len(pairs), dtype=np.float32)
    bonus = np.zeros(len(pairs), dtype=np.float32)
    for j, k in enumerate(pairs.tolist()):
        a, b = distinct[k // len(ids)], distinct[k % len(ids)]
        if penalise and numbers_conflict(a, b):
            factor[j] = params.issue_conflict_penalty
        elif reward:
            bonus[j] = place_bonus(a, b, specificity, params)
    vals = vals.copy()
    v = vals[both]
    f = factor[where]
    f[v < np.float32(params.issue_threshold)] = 1  # the penalty rule, as before
    vals[both] = v * f + bonus[where] * np.maximum(topic[both], 0)
    return vals


def place_bonus(a, b, specificity: Callable[[str, str], float], params: Params) -> float:
    """``issue_place_bonus`` x the rarity of the rarest place number both reports give
    after the same word ("เลขที่ 52/23" in both); 0 when they share none."""
    shared = shared_places(a, b)
    if not shared:
        return 0.0
    return params.issue_place_bonus * max(specificity(w, n) for w, n in shared)
