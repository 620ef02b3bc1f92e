"""Issues: reports of the same problem at the same place, grouped inside topics.

The index carries the issue graph (`issue_knn`: identical reports collapsed into one
node, each node's best partners by issue score, CSLS-adjusted). The grouping is a
strict test on it: average-linkage agglomeration. Two groups merge while the average
issue score over *all* their cross pairs (pairs that are not candidates count 0) is at
least ``Params.issue_threshold``, best pair first. Chains of look-alike templates do
not snowball as connected components do, and the work is the graph's size: issues are
small (median 2 reports, p90 3).

Officer decisions are kept: ``pinned`` ({position: issue id}) holds an officer's issue
together under its id (other reports may still join it; reports pinned to different
ids never meet), ``cannot_link`` pairs never end up in one issue, ``must_link`` pairs
always do (unless that breaks a cannot-link or two pins).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np

from .cluster import _canonical, group_index, stable_ids
from .index import SimilarityIndex
from .params import DEFAULT, Params
from .tokenize import tokenize

__all__ = [
    "assign_issue",
    "group_issue_index",
    "group_issues",
    "group_issues_tokens",
    "group_levels",
    "nest_issues",
]

Pair = tuple[int, int]


def group_issues(texts: Sequence[str], params: Params = DEFAULT) -> list[int]:
    """One issue id per text: same id = same problem reported again (see `group_issues_tokens`)."""
    return group_issues_tokens([tokenize(t) for t in texts], params=params)


def group_issues_tokens(
    token_lists: Sequence[Sequence[str]],
    previous: Sequence[int | None] | None = None,
    *,
    pinned: Mapping[int, int] | None = None,
    must_link: Iterable[Pair] = (),
    cannot_link: Iterable[Pair] = (),
    params: Params = DEFAULT,
) -> list[int]:
    """One issue id per idea, from stored tokens. A report in no issue gets an id of
    its own. ``previous`` keeps ids across regroupings (as `stable_ids`); ``pinned``,
    ``must_link`` and ``cannot_link`` carry officers' decisions (module docstring)."""
    if not token_lists:
        return []
    index = SimilarityIndex.from_tokens(token_lists, params)
    return group_issue_index(index, previous, pinned=pinned, must_link=must_link, cannot_link=cannot_link)


def group_issue_index(
    index: SimilarityIndex,
    previous: Sequence[int | None] | None = None,
    *,
    pinned: Mapping[int, int] | None = None,
    must_link: Iterable[Pair] = (),
    cannot_link: Iterable[Pair] = (),
) -> list[int]:
    """Issues of the ideas of an existing index (the web app builds one per area)."""
    n = len(index)
    if n == 0:
        return []
    pinned = {int(p): int(key) for p, key in (pinned or {}).items()}
    must_link, cannot_link = _checked_pairs(must_link, n), _checked_pairs(cannot_link, n)
    for pos in pinned:
        if not 0 <= pos < n:
            raise ValueError(f"pinned position {pos} is not an indexed idea")
    graph = index.issue_graph()
    vals = graph.adjusted(index.params)
    keep = vals > 0
    rows, cols, vals = graph.rows[keep], graph.cols[keep], vals[keep]
    node_of = graph.rep_of.copy()
    weight = np.bincount(node_of, minlength=len(graph.reps)).astype(np.float64)
    decided = sorted(set(pinned) | {p for pair in (*must_link, *cannot_link) for p in pair})
    rows, cols, vals, weight = _split_decided(decided, node_of, weight, rows, cols, vals, graph, index.params)
    members = _average_linkage(
        len(weight),
        rows,
        cols,
        vals,
        weight,
        index.params.issue_threshold,
        pins={int(node_of[p]): key for p, key in sorted(pinned.items())},
        must=[(int(node_of[a]), int(node_of[b])) for a, b in must_link],
        cannot=[(int(node_of[a]), int(node_of[b])) for a, b in cannot_link],
    )
    labels = _canonical([members[r] for r in node_of])
    return _ids(labels, previous, pinned)


def nest_issues(topics: Sequence[int], issues: Sequence[int]) -> list[int]:
    """Topics adjusted so that every issue lies inside one topic: an issue's reports all
    go to the topic holding most of them (ties: the lower topic id). Returns new topics."""
    if len(topics) != len(issues):
        raise ValueError("topics and issues need one entry per idea")
    votes: dict[int, Counter[int]] = {}
    for t, i in zip(topics, issues, strict=True):
        votes.setdefault(i, Counter())[t] += 1
    home = {i: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for i, c in votes.items()}
    return [home[i] for i in issues]


def group_levels(
    index: SimilarityIndex,
    previous_topics: Sequence[int | None] | None = None,
    previous_issues: Sequence[int | None] | None = None,
    *,
    pinned: Mapping[int, int] | None = None,
    must_link: Iterable[Pair] = (),
    cannot_link: Iterable[Pair] = (),
) -> tuple[list[int], list[int]]:
    """Topics and the issues inside them, from one index: (topic id, issue id) per idea.
    Topics are `group_index`'s, with each issue's reports moved into the topic holding
    most of them (`nest_issues`), so a topic's issues never straddle two topics."""
    issues = group_issue_index(index, previous_issues, pinned=pinned, must_link=must_link, cannot_link=cannot_link)
    topics = _canonical(nest_issues(group_index(index), issues))
    return (topics if previous_topics is None else stable_ids(topics, previous_topics)), issues


def assign_issue(
    index: SimilarityIndex,
    tokens: Sequence[str],
    issues: Sequence[int],
    *,
    k: int = 10,
    threshold: float | None = None,
    among: np.ndarray | None = None,
) -> int | None:
    """Issue of a new report without regrouping: of the issues of its ``k`` best
    matches, the one whose reports it matches best *on average* (the grouping's own
    test), if that average reaches ``threshold`` (default `Params.issue_threshold`);
    else None (an issue of its own until the next regrouping). ``issues`` are the
    indexed ideas' issue ids, in position order; the answer may be a singleton's id:
    the two then pair up. Call it before adding the report to the index, or after with
    ``among`` leaving it out (`SimilarityIndex.matches_tokens`)."""
    threshold = index.params.issue_threshold if threshold is None else threshold
    if not tokens or len(index) == 0 or not len(issues):
        return None
    labels = np.asarray(issues)
    near = sorted({int(labels[m.position]) for m in index.matches_tokens(tokens, k, among=among)
                   if m.position < len(labels)})
    if not near:
        return None
    counted = np.isin(labels, near)
    if among is not None:
        counted &= np.asarray(among, dtype=bool)[: len(labels)]
    members = np.flatnonzero(counted)
    scores = index.issue_scores_tokens(tokens, members, among=among)
    best: tuple[float, int] | None = None
    for label in near:
        avg = float(scores[labels[members] == label].mean())
        if avg >= threshold and (best is None or avg > best[0]):
            best = (avg, label)
    return None if best is None else best[1]


# -- steps ------------------------------------------------------------------------------
def _checked_pairs(pairs: Iterable[Pair], n: int) -> list[Pair]:
    out = []
    for a, b in pairs:
        if not (0 <= a < n and 0 <= b < n):
            raise ValueError(f"pair ({a}, {b}) names a position outside the index")
        if a != b:
            out.append((int(a), int(b)))
    return out


def _split_decided(decided, node_of, weight, rows, cols, vals, graph, params: Params):
    """Give every report named in an officer's decision a node of its own (a copy of
    its text's node: same partners, and the copy itself as a partner), so a decision
    about one of several identical reports applies to that one. ``node_of`` is updated
    in place; returns the extended edges and node weights."""
    count = np.bincount(node_of, minlength=len(weight))
    split = [p for p in decided if count[node_of[p]] > 1]
    if not split:
        return rows, cols, vals, weight
    weights = weight.tolist()
    by_node: dict[int, list[int]] = {}
    for p in split:
        by_node.setdefault(int(node_of[p]), []).append(p)
    extra_r, extra_c, extra_v = [], [], []
    gamma = np.float32(params.issue_hub_weight)
    for node, positions in sorted(by_node.items()):
        if len(positions) == count[node]:
            positions = positions[1:]  # one of them stays on the node
        mine = np.flatnonzero((rows == node) | (cols == node))
        others = np.where(rows[mine] == node, cols[mine], rows[mine])
        for p in positions:
            new = len(weights)
            weights.append(1.0)
            weights[node] -= 1.0
            node_of[p] = new
            extra_r += [others, np.asarray([node])]
            extra_c += [np.full(len(others), new), np.asarray([new])]
            extra_v += [vals[mine], np.asarray([1.0 - gamma * graph.hub[node]], dtype=np.float32)]
    return (
        np.concatenate([rows, *extra_r]).astype(np.int64),
        np.concatenate([cols, *extra_c]).astype(np.int64),
        np.concatenate([vals, *extra_v]).astype(np.float32),
        np.asarray(weights),
    )


def _average_linkage(
    n: int,
    rows: np.ndarray,
    cols: np.ndarray,
    vals: np.ndarray,
    weight: np.ndarray,
    threshold: float,
    *,
    pins: Mapping[int, Hashable],
    must: Sequence[Pair],
    cannot: Sequence[Pair],
) -> list[int]:
    """Agglomerate nodes (``weight`` = reports per node) while the best average issue
    score between two groups reaches ``threshold``; returns a group label per node.

    Sums of cross scores are kept per pair of groups (pairs that are not candidate
    edges count 0), so a merge costs the neighbours of the two groups. Deterministic:
    ties go to the lower group numbers."""
    group = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    size = weight.astype(np.float64).tolist()
    pin: dict[int, Hashable] = dict(pins)
    forbid: dict[int, set[int]] = {}
    for a, b in cannot:
        forbid.setdefault(a, set()).add(b)
        forbid.setdefault(b, set()).add(a)
    nbr: list[dict[int, float]] = [{} for _ in range(n)]
    for a, b, v in zip(rows.tolist(), cols.tolist(), vals.tolist(), strict=True):
        s = v * size[a] * size[b]
        nbr[a][b] = nbr[a].get(b, 0.0) + s
        nbr[b][a] = nbr[b].get(a, 0.0) + s

    def allowed(a: int, b: int) -> bool:
        pa, pb = pin.get(a), pin.get(b)
        if pa is not None and pb is not None and pa != pb:
            return False
        fa, fb = forbid.get(a), forbid.get(b)
        if fa and any(group[x] == b for x in fa):
            return False
        return not (fb and any(group[x] == a for x in fb))

    def merge(a: int, b: int) -> int:
        if len(members[a]) < len(members[b]):
            a, b = b, a
        for x, s in nbr[b].items():
            if x != a:
                nbr[a][x] = nbr[a].get(x, 0.0) + s
                nx = nbr[x]
                nx[a] = nx.get(a, 0.0) + s
                del nx[b]
        nbr[a].pop(b, None)
        nbr[b] = {}
        for m in members[b]:
            group[m] = a
        members[a].extend(members.pop(b))
        size[a] += size[b]
        if b in pin:
            pin[a] = pin.pop(b)
        if b in forbid:
            forbid.setdefault(a, set()).update(forbid.pop(b))
        return a

    # Officers' groups first: one pin = one group, must-link pairs together.
    first_of_pin: dict[Hashable, int] = {}
    for node, key in sorted(pins.items()):
        if key in first_of_pin:
            a, b = group[first_of_pin[key]], group[node]
            if a != b and allowed(a, b):
                merge(a, b)
        else:
            first_of_pin[key] = node
    for x, y in must:
        a, b = group[x], group[y]
        if a != b and allowed(a, b):
            merge(a, b)

    version = [0] * n
    heap = []
    for a in range(n):
        if group[a] != a:
            continue
        for b, s in nbr[a].items():
            if a < b and s / (size[a] * size[b]) >= threshold:
                heap.append((-s / (size[a] * size[b]), a, b, 0, 0))
    heapq.heapify(heap)
    while heap:
        _neg, a, b, va, vb = heapq.heappop(heap)
        if group[a] != a or group[b] != b or version[a] != va or version[b] != vb or not allowed(a, b):
            continue
        c = merge(a, b)
        version[c] += 1
        for x, s in nbr[c].items():
            avg = s / (size[c] * size[x])
            if avg >= threshold:
                lo, hi = min(c, x), max(c, x)
                heapq.heappush(heap, (-avg, lo, hi, version[lo], version[hi]))
    return group


def _ids(labels: list[int], previous: Sequence[int | None] | None, pinned: Mapping[int, int]) -> list[int]:
    """Final ids: a group holding a pinned report takes that pin's id; the others
    follow `stable_ids` (or 0, 1, 2... without ``previous``), never reusing a pin."""
    if previous is not None and len(previous) != len(labels):
        raise ValueError("previous must have one entry per idea")
    pin_of: dict[int, int] = {}
    for pos, key in sorted(pinned.items()):
        pin_of.setdefault(labels[pos], int(key))
    if previous is None and not pin_of:
        return labels
    base = list(previous) if previous is not None else [None] * len(labels)
    # Reports of pinned groups look like members of their pin to stable_ids, so an
    # officer's issue keeps its id and no other group can claim it.
    hinted = [pin_of.get(g, base[i]) for i, g in enumerate(labels)]
    ids = stable_ids(labels, hinted)
    taken = set(pin_of.values())
    fixed = {g: pin_of[g] for g in pin_of}
    stolen = {ids[i] for i, g in enumerate(labels) if g not in fixed and ids[i] in taken}
    if not stolen:
        return [fixed.get(g, ids[i]) for i, g in enumerate(labels)]
    next_id = max([*ids, *taken]) + 1
    renamed: dict[int, int] = {}
    out = []
    for i, g in enumerate(labels):
        if g in fixed:
            out.append(fixed[g])
        elif ids[i] in stolen:
            out.append(renamed.setdefault(ids[i], next_id + len(renamed)))
        else:
            out.append(ids[i])
    return out
