"""Similar-idea search over one corpus (one area's ideas), in memory.

Scores are a blend of sparse cosine (words + character n-grams) and LSA cosine,
see `params.Params`. Sparse scores come from an inverted index (the query's
terms times the transposed document matrix), so a query touches only the ideas
that share a term with it, plus one small dense product for LSA.

Ranking is hub-reduced (CSLS-style): ideas are ordered by
``score - hub_weight * hub(idea)``, where ``hub`` is the idea's mean LSA cosine to
its ``hub_k`` nearest ideas, computed at build time (`knn.hubness`). Generic
texts close to everything stop crowding the top. The returned score is still the
plain blend (a cosine in [0, 1], what a "did you mean" threshold should read), so
results are best first by rank, not always by returned score.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from .features import Featurizer
from .knn import hubness
from .params import DEFAULT, Params
from .tokenize import tokenize

__all__ = ["SimilarityIndex"]

# Rows added with `add` are searched from a side buffer; past this many the
# buffer is merged into the main matrices (one re-transpose, tens of ms at 100k).
_MERGE_EVERY = 512


class SimilarityIndex:
    """Nearest ideas by text. Positions are the order of the input lists.

    Build it once per area from stored tokens (`from_tokens`), query with
    `similar_tokens`; `add` appends one new idea without a rebuild (its words are
    weighed with the frozen vocabulary until the next rebuild, which is how a
    stale index drifts: rebuild from tokens now and then, it is fast).
    """

    def __init__(
        self,
        featurizer: Featurizer,
        w: sp.csr_matrix,
        c: sp.csr_matrix,
        z: np.ndarray,
        hub: np.ndarray | None = None,
    ) -> None:
        self.featurizer = featurizer
        self.params: Params = featurizer.params
        self._w, self._c, self._z = w, c, z
        self._hub = hubness(z, self.params) if hub is None else np.asarray(hub, dtype=np.float32)
        self._pending: list[tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]] = []
        self._pending_hub: list[float] = []
        self._reindex()

    def __setstate__(self, state: dict) -> None:
        # Indexes pickled before hubness reduction: compute it on load.
        self.__dict__.update(state)
        if "_hub" not in state:
            self._hub = np.zeros(self._w.shape[0], dtype=np.float32)
            self._pending_hub = [0.0] * len(self._pending)
            self._merge()
            self._hub = hubness(self._z, self.params)

    # -- construction ------------------------------------------------------------
    @classmethod
    def build(cls, texts: Sequence[str], params: Params = DEFAULT) -> SimilarityIndex:
        """Tokenize ``texts`` and index them."""
        return cls.from_tokens([tokenize(t) for t in texts], params)

    @classmethod
    def from_tokens(cls, token_lists: Sequence[Sequence[str]], params: Params = DEFAULT) -> SimilarityIndex:
        """Index already-tokenized ideas (the web app's stored tokens)."""
        featurizer = Featurizer(params)
        w, c, z = featurizer.fit_transform(token_lists)
        return cls(featurizer, w, c, z)

    def add(self, tokens: Sequence[str]) -> int:
        """Append one idea; returns its position. Its hub value is its mean LSA
        cosine to its ``hub_k`` nearest indexed ideas (older ideas keep theirs)."""
        row = self.featurizer.transform([tokens])
        self._pending_hub.append(self._hub_of(row[2][0]))
        self._pending.append(row)
        if len(self._pending) >= _MERGE_EVERY:
            self._merge()
        return len(self) - 1

    def __len__(self) -> int:
        return self._w.shape[0] + len(self._pending)

    def _merge(self) -> None:
        if not self._pending:
            return
        ws, cs, zs = zip(*self._pending, strict=True)
        self._w = sp.vstack([self._w, *ws], format="csr")
        self._c = sp.vstack([self._c, *cs], format="csr")
        self._z = np.vstack([self._z, *zs])
        self._hub = np.concatenate([self._hub, np.asarray(self._pending_hub, dtype=np.float32)])
        self._pending = []
        self._pending_hub = []
        self._reindex()

    def _reindex(self) -> None:
        # Transposed CSR = inverted index: row t lists the ideas containing term t.
        self._wt = sp.csr_matrix(self._w.T)
        # LSA vectors by dimension: query x all ideas is then one contiguous
        # (d x n) product, several times faster than (n x d) @ d on this BLAS.
        self._zt = np.ascontiguousarray(self._z.T)
        self._ct_cache: sp.csr_matrix | None = None

    @property
    def _ct(self) -> sp.csr_matrix:
        # Only small corpora score character n-grams through an inverted index;
        # large ones rescore candidates from the row matrix, so build it lazily.
        if self._ct_cache is None:
            self._ct_cache = sp.csr_matrix(self._c.T)
        return self._ct_cache

    def _hub_of(self, z: np.ndarray) -> float:
        if not len(z):
            return 0.0
        sims = [z @ self._zt] + [p[2] @ z for p in self._pending]
        sims = np.concatenate(sims)
        k = min(self.params.hub_k, len(sims))
        if k <= 0:
            return 0.0
        return float(-np.partition(-sims, k - 1)[:k].mean())

    def hubness(self) -> np.ndarray:
        """Hub value of every idea (mean LSA cosine to its ``hub_k`` nearest ideas)."""
        self._merge()
        return self._hub

    def vectors(self) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]:
        """(word, char, LSA) matrices of all ideas, rows in position order."""
        self._merge()
        return self._w, self._c, self._z

    # -- queries -------------------------------------------------------------------
    def similar(self, text: str, k: int = 5, exclude: int | None = None) -> list[tuple[int, float]]:
        """The ``k`` ideas most similar to ``text``: [(position, score)], best first."""
        return self.similar_tokens(tokenize(text), k, exclude)

    def similar_tokens(self, tokens: Sequence[str], k: int = 5, exclude: int | None = None) -> list[tuple[int, float]]:
        """Like `similar` for an already-tokenized query. Ideas with no overlap at all
        (score 0) are never returned, so an empty query gives []."""
        if k <= 0 or len(self) == 0:
            return []
        self._merge()
        (wi, wv), (gi, gv), z = self.featurizer.transform_one(tokens)
        if len(wi) == 0 and len(gi) == 0:
            return []
        scores = self._scores(wi, wv, gi, gv, z)
        if exclude is not None and 0 <= exclude < len(scores):
            scores[exclude] = -np.inf
        if not self.params.hub_weight:
            return top_k(scores, k)
        rank = scores - np.float32(self.params.hub_weight) * self._hub
        rank[scores <= 0] = -np.inf  # score 0 (no overlap) is never returned
        return top_k(rank, k, scores)

    def _scores(self, wi: np.ndarray, wv: np.ndarray, gi: np.ndarray, gv: np.ndarray, z: np.ndarray) -> np.ndarray:
        p = self.params
        n = self._w.shape[0]
        a, s = p.char_weight, p.sparse_weight
        scores = np.zeros(n, dtype=np.float32)
        if len(wi):
            scores += np.float32(s * (1 - a)) * _postings_dot(self._wt, wi, wv, n)
        if len(z):
            # One axpy per LSA dimension instead of a BLAS gemv: multi-threaded BLAS
            # spins badly on a busy 2-core web server (3x slower p95 measured).
            zs = z * np.float32(1 - s)
            for d in range(len(zs)):
                scores += zs[d] * self._zt[d]
        if not len(gi):
            return scores
        if n <= p.exact_query_limit:
            scores += np.float32(s * a) * _postings_dot(self._ct, gi, gv, n)
            return scores
        # Large corpus: the character part is the costly one (short n-grams occur
        # everywhere), and it is at most s*a of the score. Add it exactly for the
        # best candidates by words + LSA only; anything else scores words + LSA.
        m = min(p.query_candidates, n)
        rank = scores - np.float32(p.hub_weight) * self._hub if p.hub_weight else scores
        cand = np.argpartition(rank, n - m)[n - m :]
        q = np.zeros(self._c.shape[1], dtype=np.float32)
        q[gi] = gv
        scores[cand] += np.float32(s * a) * (self._c[cand] @ q)
        return scores


def _postings_dot(inverted: sp.csr_matrix, ids: np.ndarray, vals: np.ndarray, n: int) -> np.ndarray:
    """Dot products of a query (term ids, weights) with every document, read from
    the inverted index (rows = terms): work is the length of the query's postings.
    Plain numpy gathers + bincount: no per-call scipy objects."""
    starts = inverted.indptr[ids]
    lengths = inverted.indptr[ids + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(n, dtype=np.float32)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
    weights = inverted.data[offsets] * np.repeat(vals, lengths)
    return np.bincount(inverted.indices[offsets], weights=weights, minlength=n).astype(np.float32)


def top_k(rank: np.ndarray, k: int, scores: np.ndarray | None = None) -> list[tuple[int, float]]:
    """Best ``k`` by ``rank``, ties broken by position (deterministic), as
    (position, score) with ``scores`` defaulting to ``rank``. Without ``scores``
    only positive values are kept; with it, only finite ranks (the caller has
    set -inf where nothing may be returned)."""
    k = min(k, len(rank))
    cand = np.argpartition(-rank, k - 1)[:k] if k < len(rank) else np.arange(len(rank))
    if scores is None:
        scores = rank
        cand = cand[rank[cand] > 0]
    else:
        cand = cand[np.isfinite(rank[cand])]
    order = np.lexsort((cand, -rank[cand]))
    return [(int(i), float(scores[i])) for i in cand[order]]
