"""k-nearest-neighbour graph of a corpus, exact for small corpora, near-linear for big ones.

The graph scores pairs by words + LSA (the character n-grams reach it through
the LSA, which is fitted on them): an all-pairs character product is the one
part that does not scale (short n-grams are shared by almost every pair).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .params import Params

__all__ = ["hubness", "knn_graph", "lsa_neighbours"]

_BLOCK = 512  # query rows per dense block: 512 x 100k float32 = 200 MB at most


def knn_graph(w: sp.csr_matrix, z: np.ndarray, params: Params) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's ``params.knn_k`` best neighbours as (rows, cols, scores) arrays."""
    n = w.shape[0]
    k = min(params.knn_k, n - 1)
    if k <= 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    if n <= params.exact_knn_limit:
        everyone = np.arange(n)
        groups = [(np.arange(s, min(s + _BLOCK, n)), everyone) for s in range(0, n, _BLOCK)]
    else:
        groups = list(_cells(z, params))
    rows, cols, vals = [], [], []
    wt = sp.csr_matrix(w.T)
    a, s = params.char_weight, params.sparse_weight
    # Renormalised so a perfect match still scores 1 without the char part.
    ww, wz = s * (1 - a), 1 - s
    total = ww + wz
    ww, wz = np.float32(ww / total), np.float32(wz / total)
    for queries, cands in groups:
        everyone = len(cands) == n
        # Column slices copy the matrix: take them once per candidate set, not per block.
        wt_c = wt if everyone else sp.csr_matrix(wt[:, cands])
        z_c = z if everyone else z[cands]
        for start in range(0, len(queries), _BLOCK):
            q = queries[start : start + _BLOCK]
            sc = ww * (w[q] @ wt_c).toarray()
            if z.shape[1]:
                sc += wz * (z[q] @ z_c.T)
            sc[cands[None, :] == q[:, None]] = -np.inf  # not your own neighbour
            kk = min(k, len(cands) - 1)
            if kk <= 0:
                continue
            top = np.argpartition(-sc, kk - 1, axis=1)[:, :kk]
            rows.append(np.repeat(q, kk))
            cols.append(cands[top].ravel())
            vals.append(np.take_along_axis(sc, top, axis=1).ravel())
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals).astype(np.float32)


def _cells(z: np.ndarray, params: Params, n_iter: int = 8, n_probe: int = 8):
    """Inverted-file candidates: k-means cells over the LSA vectors; each cell's
    ideas are compared with the ideas of the ``n_probe`` cells nearest to it."""
    n = z.shape[0]
    n_cells = max(2, int(np.sqrt(n)))
    rng = np.random.default_rng(params.seed)
    centroids = z[rng.choice(n, n_cells, replace=False)].copy()
    assign = np.zeros(n, dtype=np.int64)
    for _ in range(n_iter):  # spherical k-means (cosine), a few rounds is plenty here
        for s in range(0, n, 8192):
            assign[s : s + 8192] = np.argmax(z[s : s + 8192] @ centroids.T, axis=1)
        sums = np.zeros_like(centroids)
        np.add.at(sums, assign, z)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        empty = norms[:, 0] == 0
        centroids = np.where(empty[:, None], centroids, sums / np.where(norms == 0, 1, norms))
    members = [np.flatnonzero(assign == c) for c in range(n_cells)]
    near = np.argsort(-(centroids @ centroids.T), axis=1, kind="stable")[:, :n_probe]
    for c in range(n_cells):
        if len(members[c]):
            yield members[c], np.sort(np.concatenate([members[j] for j in near[c]]))


def hubness(z: np.ndarray, params: Params) -> np.ndarray:
    """Each idea's mean LSA cosine to its ``params.hub_k`` nearest other ideas.

    Exact up to ``exact_knn_limit`` ideas, above it the neighbours come from the
    same k-means cells as `knn_graph` (LSA only: a few seconds at 100k)."""
    return lsa_neighbours(z, params)[0]


def lsa_neighbours(z: np.ndarray, params: Params) -> tuple[np.ndarray, np.ndarray]:
    """(hub value of every idea, its ``hub_k`` nearest other ideas by LSA cosine as an
    (n, hub_k) array, -1 where there are fewer); see `hubness`."""
    n = z.shape[0]
    k = min(params.hub_k, n - 1)
    hub = np.zeros(n, dtype=np.float32)
    near = np.full((n, max(k, 0)), -1, dtype=np.int64)
    if k <= 0 or z.shape[1] == 0:
        return hub, near
    if n <= params.exact_knn_limit:
        everyone = np.arange(n)
        groups = [(np.arange(s, min(s + _BLOCK, n)), everyone) for s in range(0, n, _BLOCK)]
    else:
        groups = list(_cells(z, params))
    for queries, cands in groups:
        z_c = z[cands].T.copy()
        for start in range(0, len(queries), _BLOCK):
            q = queries[start : start + _BLOCK]
            sc = z[q] @ z_c
            sc[cands[None, :] == q[:, None]] = -np.inf
            kk = min(k, len(cands) - 1)
            if kk <= 0:
                continue
            top = np.argpartition(-sc, kk - 1, axis=1)[:, :kk]
            hub[q] = np.take_along_axis(sc, top, axis=1).mean(axis=1)
            near[q, :kk] = cands[top]
    return hub, near
