"""Similar-idea search over one corpus (one area's ideas), in memory.

Scores are a blend of sparse cosine (words + character n-grams) and LSA cosine,
see `params.Params`. Sparse scores come from an inverted index (the query's
terms times the transposed document matrix), so a query touches only the ideas
that share a term with it, plus one small dense product for LSA.

Ranking puts **same-issue matches first**: every idea also gets an issue score
(`issue_features`: words, numbers and adjacent word pairs, blended with a little of
the topic score, lowered when the two texts give different place numbers); ideas
whose issue score reaches ``Params.issue_threshold`` come first, best issue score
first. The others follow by the topic rank ``score - hub_weight * hub(idea) +
issue_rank_weight * issue_score``, where ``hub`` is the idea's mean LSA cosine to its
``hub_k`` nearest ideas, computed at build time (`knn.hubness`): generic texts close
to everything stop crowding the top (CSLS-style). The returned score is still the
plain topic blend (a cosine in [0, 1], what a "did you mean" threshold should read),
so results are best first by rank, not always by returned score; `matches` gives the
issue score and the same-issue flag too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .features import Featurizer
from .issue_features import IssueFeaturizer, numbers_conflict, place_numbers
from .issue_knn import IssueGraph, issue_graph, place_bonus
from .knn import hubness, lsa_neighbours
from .params import DEFAULT, Params
from .tokenize import tokenize

__all__ = ["Match", "SimilarityIndex"]

# Rows added with `add` are searched from a side buffer; past this many the
# buffer is merged into the main matrices (one re-transpose, tens of ms at 100k).
_MERGE_EVERY = 512


@dataclass(frozen=True)
class Match:
    """One result of `SimilarityIndex.matches`."""

    position: int
    #: Plain topic blend (what `similar` returns), a cosine in [0, 1].
    score: float
    #: Same-issue evidence in [0, 1] (see `issue_features`).
    issue_score: float
    #: ``issue_score >= Params.issue_threshold``: "อาจเป็นเรื่องเดียวกัน" rather than
    #: "เรื่องใกล้เคียง". Flagged matches always come before the others.
    same_issue: bool


@dataclass
class _Found:
    """What one query computed (internal to `SimilarityIndex`). With issue features the
    results come from ``cand`` (the best by issue terms and the best by topic rank,
    which holds the final top k); without, from ``rank`` over every idea."""

    topic: _Topic  # topic scores of every idea
    rank: np.ndarray  # ranking value: of every idea, or of ``cand``; -inf = never returned
    qi: np.ndarray | None = None  # the query's issue terms and weights
    qv: np.ndarray | None = None
    cand: np.ndarray | None = None  # positions with an exact issue score
    issue: np.ndarray | None = None  # their issue score (hub-adjusted)
    hub: float = 0.0  # the query's issue hub value
    vectors: tuple | None = None  # the query's (word ids, weights, n-gram ids, weights, LSA vector)


class SimilarityIndex:
    """Nearest ideas by text. Positions are the order of the input lists.

    Build it once per area from stored tokens (`from_tokens`), query with
    `similar_tokens`; `add` appends one new idea without a rebuild (its words are
    weighed with the frozen vocabulary until the next rebuild, which is how a
    stale index drifts: rebuild from tokens now and then, it is fast). Appended
    ideas are searched from a side buffer beside the main matrices (merged in every
    ``_MERGE_EVERY`` appends), so a query right after an append costs about what
    any query costs; they count in no query's issue hub value until merged.
    """

    def __init__(
        self,
        featurizer: Featurizer,
        w: sp.csr_matrix,
        c: sp.csr_matrix,
        z: np.ndarray,
        hub: np.ndarray | None = None,
        issue: tuple[IssueFeaturizer, sp.csr_matrix, list] | None = None,
    ) -> None:
        self.featurizer = featurizer
        self.params: Params = featurizer.params
        self._w, self._c, self._z = w, c, z
        # Issue features: (featurizer, unit rows of issue terms, place numbers per idea),
        # the issue graph of the ideas at build time and every idea's issue hub value.
        self._issue, self._u, self._places = issue if issue is not None else (None, None, None)
        self._igraph: IssueGraph | None = None
        self._ihub = np.zeros(w.shape[0], dtype=np.float32)
        near = None
        if hub is None or self._issue is not None:
            # Each idea's nearest by LSA: its hub value, and issue candidates (below).
            lsa_hub, near = lsa_neighbours(z, self.params)
            hub = lsa_hub if hub is None else hub
        self._hub = np.asarray(hub, dtype=np.float32)
        if self._issue is not None:
            self._igraph = issue_graph(self._u, w, z, self._places, self.params, near, self._issue.place_specificity)
            self._ihub = self._igraph.hub[self._igraph.rep_of]
        self._pending: list[tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]] = []
        self._pending_hub: list[float] = []
        self._pending_issue: list[tuple[sp.csr_matrix, dict, float]] = []
        self._side_cache: _Side | None = None
        self._reindex()

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_side_cache"] = None  # rebuilt from the pending rows when needed
        return state

    def __setstate__(self, state: dict) -> None:
        # Indexes pickled by older versions: hubness is computed on load; issue
        # features cannot be (they need the tokens), so such an index ranks by topic
        # only and cannot group issues until it is rebuilt from tokens.
        state.setdefault("_issue", None)
        state.setdefault("_u", None)
        state.setdefault("_places", None)
        state.setdefault("_pending_issue", [])
        state.setdefault("_ut", None)
        state.setdefault("_udf", None)
        state.setdefault("_igraph", None)
        state.setdefault("_side_cache", None)
        if "_ihub" not in state:
            state["_ihub"] = np.zeros(state["_w"].shape[0], dtype=np.float32)
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
        issue = IssueFeaturizer()
        u = issue.fit_transform(token_lists)
        places = [place_numbers(t) or None for t in token_lists]
        return cls(featurizer, w, c, z, issue=(issue, u, places))

    def add(self, tokens: Sequence[str]) -> int:
        """Append one idea; returns its position. Its hub values (LSA and issue) are
        computed against the indexed ideas at add time (older ideas keep theirs); the
        issue graph is rebuilt when a grouping asks for it."""
        if self._issue is not None:
            # Its issue hub value against the ideas merged so far (pending ones aside).
            found = self._query(tokens, None, 1) if self._w.shape[0] else None
            ihub = found.hub if found is not None else 0.0
            self._pending_issue.append((self._issue.transform([tokens]), place_numbers(tokens) or None, ihub))
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
        if self._issue is not None:
            us, places, hubs = zip(*self._pending_issue, strict=True)
            self._u = sp.vstack([self._u, *us], format="csr")
            self._places = [*self._places, *places]
            self._ihub = np.concatenate([self._ihub, np.asarray(hubs, dtype=np.float32)])
        else:
            self._ihub = np.zeros(self._w.shape[0], dtype=np.float32)
        self._pending = []
        self._pending_hub = []
        self._pending_issue = []
        self._side_cache = None
        self._reindex()

    def _reindex(self) -> None:
        # Transposed CSR = inverted index: row t lists the ideas containing term t.
        self._wt = sp.csr_matrix(self._w.T)
        # LSA vectors by dimension: query x all ideas is then one contiguous
        # (d x n) product, several times faster than (n x d) @ d on this BLAS.
        self._zt = np.ascontiguousarray(self._z.T)
        self._ut = sp.csr_matrix(self._u.T) if self._u is not None else None
        self._udf = np.diff(self._ut.indptr) if self._ut is not None else None
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

    @property
    def has_issues(self) -> bool:
        """False only for an index unpickled from a version without issue features."""
        return self._issue is not None

    def issue_vectors(self) -> tuple[sp.csr_matrix, list]:
        """(issue-term matrix, place numbers per idea), rows in position order."""
        if self._issue is None:
            raise ValueError("this index has no issue features: rebuild it from tokens")
        self._merge()
        return self._u, self._places

    def issue_graph(self) -> IssueGraph:
        """The issue graph (`issue_knn.issue_graph`) of every indexed idea; rebuilt here
        if ideas were added since the index was built."""
        u, places = self.issue_vectors()
        if self._igraph is None or len(self._igraph.rep_of) != u.shape[0]:
            self._igraph = issue_graph(
                u,
                self._w,
                self._z,
                places,
                self.params,
                lsa_neighbours(self._z, self.params)[1],
                self._issue.place_specificity,
            )
            self._ihub = self._igraph.hub[self._igraph.rep_of]
        return self._igraph

    def issue_hubness(self) -> np.ndarray:
        """Issue hub value of every idea (mean issue score to its best partners)."""
        self._merge()
        return self._ihub

    # -- queries -------------------------------------------------------------------
    def similar(self, text: str, k: int = 5, exclude: int | None = None) -> list[tuple[int, float]]:
        """The ``k`` ideas most similar to ``text``: [(position, score)], best first
        (same-issue matches first, see the module docstring)."""
        return self.similar_tokens(tokenize(text), k, exclude)

    def similar_tokens(self, tokens: Sequence[str], k: int = 5, exclude: int | None = None,
                       among: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Like `similar` for an already-tokenized query. Ideas with no overlap at all
        (no shared word, number, piece or topic) are never returned, so an empty query
        gives []. ``among``: see `matches_tokens`."""
        return [(m.position, m.score) for m in self.matches_tokens(tokens, k, exclude, among)]

    def matches(self, text: str, k: int = 5, exclude: int | None = None) -> list[Match]:
        """Like `similar`, with each result's issue score and same-issue flag."""
        return self.matches_tokens(tokenize(text), k, exclude)

    def matches_tokens(self, tokens: Sequence[str], k: int = 5, exclude: int | None = None,
                       among: np.ndarray | None = None) -> list[Match]:
        """Like `similar_tokens`, with each result's issue score and same-issue flag.

        ``among``: a boolean mask over every position; the query then runs as if only those ideas
        were indexed (the others are never returned and weigh in no candidate or hub value): a
        new idea placed after it was appended, against the ideas indexed before it."""
        if k <= 0 or len(self) == 0:
            return []
        self._merge_if_empty()
        among = self._mask(among)
        found = self._query(tokens, exclude, k, among)
        if found is None:
            return []
        if self._pending:
            found = self._with_side(tokens, found, exclude, among)
        if found.cand is None:
            scores = found.topic.scores
            return [Match(pos, float(scores[pos]), 0.0, False) for pos, _r in top_k(found.rank, k, found.rank)]
        cand, issue, rank = found.cand, found.issue, found.rank
        # Same-issue matches first, best issue score first (ties: lower position).
        hit = np.flatnonzero((issue >= np.float32(self.params.issue_threshold)) & np.isfinite(rank))
        hit = hit[np.lexsort((cand[hit], -issue[hit]))][:k]
        rest = rank.copy()
        rest[hit] = -np.inf
        picks = [(int(e), True) for e in hit] + [(e, False) for e, _r in top_k(rest, k - len(hit), rest)]
        scores = found.topic.scores
        return [
            Match(int(cand[e]), float(scores[cand[e]]), float(np.clip(issue[e], 0.0, 1.0)), same) for e, same in picks
        ]

    def issue_scores_tokens(self, tokens: Sequence[str], positions: Sequence[int],
                            among: np.ndarray | None = None) -> np.ndarray:
        """Issue scores (hub-adjusted, at least 0) of ``tokens`` against the ideas at
        ``positions``: what the grouping compares with ``issue_threshold``, and what
        `assign_issue` averages over an issue's members (``among``: see `matches_tokens`)."""
        pos = np.asarray(positions, dtype=np.int64)
        if not len(pos) or len(self) == 0 or self._issue is None:
            return np.zeros(len(pos), dtype=np.float32)
        self._merge_if_empty()
        found = self._query(tokens, None, 1, self._mask(among))
        if found is None or found.qi is None:
            return np.zeros(len(pos), dtype=np.float32)
        n = self._w.shape[0]
        merged = pos < n
        raw = np.zeros(len(pos), dtype=np.float32)
        ihub = np.zeros(len(pos), dtype=np.float32)
        if merged.any():
            raw[merged] = self._issue_raw(tokens, found.qi, found.qv, found.topic, pos[merged])
            ihub[merged] = self._ihub[pos[merged]]
        if not merged.all():  # appended since the last merge: read from the side buffer
            rows = pos[~merged] - n
            raw[~merged] = self._side_scores(tokens, found, rows)[2]
            ihub[~merged] = self._side().ihub[rows]
        gamma = np.float32(self.params.issue_hub_weight / 2)
        return np.maximum(raw - gamma * (np.float32(found.hub) + ihub), 0)

    def _mask(self, among: np.ndarray | None) -> np.ndarray | None:
        if among is None:
            return None
        among = np.asarray(among, dtype=bool)
        if among.shape != (len(self),):
            raise ValueError(f"among has {among.shape} entries for {len(self)} indexed ideas")
        return among

    def _query(self, tokens: Sequence[str], exclude: int | None, k: int,
               among: np.ndarray | None = None) -> _Found | None:
        """Topic scores of every merged idea and the ranking of the results; None when
        the query shares nothing with the index (``among``: see `matches_tokens`)."""
        p = self.params
        (wi, wv), (gi, gv), z = self.featurizer.transform_one(tokens)
        qi = qv = None
        if self._issue is not None:
            qi, qv = self._issue.transform_one(tokens)
            qi, qv = (qi, qv) if len(qi) else (None, None)
        if len(wi) == 0 and len(gi) == 0 and qi is None:
            return None
        topic = self._scores(wi, wv, gi, gv, z, k, among)
        vectors = (wi, wv, gi, gv, z)
        scores = topic.scores
        n = len(scores)
        rank = scores - np.float32(p.hub_weight) * self._hub if p.hub_weight else scores.copy()
        if among is not None:
            rank[~among[:n]] = -np.inf
        excluded = exclude is not None and 0 <= exclude < n
        if qi is None:
            rank[scores <= 0] = -np.inf  # no overlap at all is never returned
            if excluded:
                rank[exclude] = -np.inf
            return _Found(topic, rank, vectors=vectors)
        # Candidates: the best by topic rank (on a large corpus exactly the ideas that
        # got the character part) and the best by issue terms (on a large corpus the
        # query's rarer terms only: short postings), then scored exactly.
        m = max(4 * k, 50)
        if topic.top is not None:
            by_rank = topic.top if len(topic.top) <= m else topic.top[_best(rank[topic.top], m)]
        else:
            by_rank = _best(rank, min(n, m))
        ids, vals = qi, qv
        if n > p.exact_query_limit:
            short = self._udf[qi] <= p.issue_candidate_df
            ids, vals = qi[short], qv[short]
        docs, dots = _postings_sparse(self._ut, ids, vals)
        if among is not None:
            keep = among[docs]
            docs, dots = docs[keep], dots[keep]
        lam = np.float32(p.issue_topic_weight)
        approx = (1 - lam) * dots + lam * topic.graph_at(docs)
        by_terms = docs[np.argpartition(-approx, m - 1)[:m]] if len(docs) > m else docs
        cand = np.union1d(by_rank, by_terms)
        if among is not None:
            cand = cand[among[cand]]
        if excluded:
            cand = cand[cand != exclude]
        raw = self._issue_raw(tokens, qi, qv, topic, cand)
        hub = self._query_hub(cand[raw > 0], raw[raw > 0])
        issue = raw - np.float32(p.issue_hub_weight / 2) * (np.float32(hub) + self._ihub[cand])
        rank = rank[cand] + np.float32(p.issue_rank_weight) * np.maximum(issue, 0)
        rank[(scores[cand] <= 0) & (raw <= 0)] = -np.inf  # no overlap at all is never returned
        return _Found(topic, rank, qi, qv, cand, issue, hub, vectors)

    def _issue_raw(self, tokens: Sequence[str], qi: np.ndarray, qv: np.ndarray, topic: _Topic, pos: np.ndarray):
        """Raw issue scores of the query against ``pos``, with the place-number rules of
        the issue graph (`issue_knn._place_rule`, see `_place_rules`)."""
        lam = np.float32(self.params.issue_topic_weight)
        topical = topic.graph_at(pos)
        raw = ((1 - lam) * _rows_dot(self._u, pos, qi, qv) + lam * topical).astype(np.float32)
        return _place_rules(self.params, tokens, raw, [self._places[i] for i in pos.tolist()], topical,
                            self._issue.place_specificity)

    # -- ideas appended since the last merge ---------------------------------------------
    def _merge_if_empty(self) -> None:
        # An index built from nothing answers from its appended ideas once merged (cheap then).
        if self._pending and self._w.shape[0] == 0:
            self._merge()

    def _side(self) -> _Side:
        """The appended ideas' rows stacked (a few hundred at most): queries read them beside
        the main matrices instead of merging them in, which would re-stack and re-transpose
        every row of the index after each append. Rows appended since the last call are
        stacked onto the previous stack."""
        side, done = self._side_cache, 0 if self._side_cache is None else self._side_cache.z.shape[0]
        if done == len(self._pending):
            return side
        ws, cs, zs = zip(*self._pending[done:], strict=True)
        hubs = np.asarray(self._pending_hub[done:], dtype=np.float32)
        if self._issue is not None:
            us, places, ihubs = zip(*self._pending_issue[done:], strict=True)
            ihubs = np.asarray(ihubs, dtype=np.float32)
        else:
            us, places, ihubs = None, [None] * len(ws), np.zeros(len(ws), dtype=np.float32)
        if side is not None:
            ws, cs, zs = (side.w, *ws), (side.c, *cs), (side.z, *zs)
            hubs, ihubs = np.concatenate([side.hub, hubs]), np.concatenate([side.ihub, ihubs])
            places = [*side.places, *places]
            us = (side.u, *us) if us is not None else None
        u = sp.vstack(us, format="csr") if us is not None else None
        self._side_cache = _Side(sp.vstack(ws, format="csr"), sp.vstack(cs, format="csr"), np.vstack(zs), hubs, u,
                                 list(places), ihubs)
        return self._side_cache

    def _side_scores(
        self, tokens: Sequence[str], found: _Found, rows: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """(topic score, words + LSA part, raw issue score or None) of the appended ideas
        (``rows`` of the side buffer, all by default) against the query of ``found``: the
        same blend as `_scores` and `_issue_raw`, the character part always exact."""
        p = self.params
        side = self._side()
        wi, wv, gi, gv, z = found.vectors
        a, s = p.char_weight, p.sparse_weight
        ww, wz = s * (1 - a), 1 - s
        w, c, zs, u = side.w, side.c, side.z, side.u
        if rows is not None:
            w, c, zs = w[rows], c[rows], zs[rows]
            u = u[rows] if u is not None else None
        graph = np.zeros(w.shape[0], dtype=np.float32)
        if len(wi):
            graph += np.float32(ww) * (w @ _dense(w.shape[1], wi, wv))
        if len(z):
            graph += np.float32(wz) * (zs @ z)
        scores = graph.copy()
        if len(gi):
            scores += np.float32(s * a) * (c @ _dense(c.shape[1], gi, gv))
        graph *= found.topic.factor
        if found.qi is None or u is None:
            return scores, graph, None
        lam = np.float32(p.issue_topic_weight)
        raw = ((1 - lam) * (u @ _dense(u.shape[1], found.qi, found.qv)) + lam * graph).astype(np.float32)
        places = side.places if rows is None else [side.places[r] for r in rows.tolist()]
        return scores, graph, _place_rules(p, tokens, raw, places, graph, self._issue.place_specificity)

    def _with_side(self, tokens: Sequence[str], found: _Found, exclude: int | None,
                   among: np.ndarray | None = None) -> _Found:
        """``found`` (the merged ideas) with the appended ideas ranked beside them, as the
        merged ones are; the query's issue hub value stays the one read from the merged
        ideas (an appended idea is nobody's partner until the next merge, as in `add`)."""
        p = self.params
        n = self._w.shape[0]
        side = self._side()
        scores, _graph, raw = self._side_scores(tokens, found)
        rank = scores - np.float32(p.hub_weight) * side.hub if p.hub_weight else scores.copy()
        found.topic.scores = np.concatenate([found.topic.scores, scores])
        mine = exclude - n if exclude is not None and n <= exclude < len(self) else None
        if among is not None:
            mine = ~among[n:] if mine is None else ~among[n:] | (np.arange(len(scores)) == mine)
        if found.cand is None or raw is None:
            rank[scores <= 0] = -np.inf
            if mine is not None:
                rank[mine] = -np.inf
            found.rank = np.concatenate([found.rank, rank])
            return found
        issue = raw - np.float32(p.issue_hub_weight / 2) * (np.float32(found.hub) + side.ihub)
        rank = rank + np.float32(p.issue_rank_weight) * np.maximum(issue, 0)
        rank[(scores <= 0) & (raw <= 0)] = -np.inf
        if mine is not None:
            rank[mine] = -np.inf
        found.cand = np.concatenate([found.cand, n + np.arange(len(scores))])
        found.issue = np.concatenate([found.issue, issue])
        found.rank = np.concatenate([found.rank, rank])
        return found

    def _query_hub(self, cand: np.ndarray, raw: np.ndarray) -> float:
        """The query's issue hub value: the mean of its ``issue_knn_k`` best raw issue
        scores over distinct texts other than its own (as the graph's nodes)."""
        k = self.params.issue_knn_k
        if k <= 0 or not len(cand):
            return 0.0
        keep = raw < np.float32(0.9999)  # an identical text is the query's own node
        cand, raw = cand[keep], raw[keep]
        g = self._igraph
        if g is not None and len(g.rep_of) == self._w.shape[0] and len(cand):
            node = g.rep_of[cand]
            order = np.lexsort((-raw, node))
            first = np.r_[True, node[order][1:] != node[order][:-1]]
            raw = raw[order][first]
        best = np.sort(raw)[::-1][:k]
        return float(best.sum() / k)

    def _scores(self, wi: np.ndarray, wv: np.ndarray, gi: np.ndarray, gv: np.ndarray, z: np.ndarray, k: int,
                among: np.ndarray | None = None) -> _Topic:
        """Blended topic score of every idea (see `_Topic`); on a large corpus the
        character part only for the best ``max(query_candidates, 2k)`` by the rest."""
        p = self.params
        n = self._w.shape[0]
        a, s = p.char_weight, p.sparse_weight
        ww, wz = s * (1 - a), 1 - s
        scores = np.zeros(n, dtype=np.float32)
        if len(wi):
            scores += np.float32(ww) * _postings_dot(self._wt, wi, wv, n)
        if len(z):
            # One axpy per LSA dimension instead of a BLAS gemv: multi-threaded BLAS
            # spins badly on a busy 2-core web server (3x slower p95 measured).
            zs = z * np.float32(wz)
            for d in range(len(zs)):
                scores += zs[d] * self._zt[d]
        topic = _Topic(scores, np.float32(1.0 / (ww + wz)))
        if not len(gi):
            return topic
        if n <= p.exact_query_limit:
            topic.graph = scores * topic.factor
            scores += np.float32(s * a) * _postings_dot(self._ct, gi, gv, n)
            return topic
        # Large corpus: the character part is the costly one (short n-grams occur
        # everywhere), and it is at most s*a of the score. Add it exactly for the
        # best candidates by words + LSA only; anything else scores words + LSA.
        m = min(max(p.query_candidates, 2 * k), n)
        rank = scores - np.float32(p.hub_weight) * self._hub if p.hub_weight else scores
        if among is not None:
            rank = np.where(among[:n], rank, -np.inf)
        cand = np.sort(np.argpartition(rank, n - m)[n - m :])
        q = np.zeros(self._c.shape[1], dtype=np.float32)
        q[gi] = gv
        topic.top, topic.top_graph = cand, scores[cand] * topic.factor
        scores[cand] += np.float32(s * a) * (self._c[cand] @ q)
        return topic


@dataclass
class _Topic:
    """Topic scores of one query against every idea, and their words + LSA part (the
    grouping graph's topic score, used in the issue score), read with `graph_at`."""

    scores: np.ndarray
    factor: np.float32  # words + LSA part = (score without the character part) x factor
    graph: np.ndarray | None = None  # small corpora: the words + LSA part of every idea
    top: np.ndarray | None = None  # large corpora: the ideas that got the character part
    top_graph: np.ndarray | None = None  # (sorted) and their words + LSA part

    def graph_at(self, pos: np.ndarray) -> np.ndarray:
        if self.graph is not None:
            return self.graph[pos]
        out = self.scores[pos] * self.factor
        if self.top is not None and len(pos):
            at = np.minimum(np.searchsorted(self.top, pos), len(self.top) - 1)
            hit = self.top[at] == pos
            out[hit] = self.top_graph[at[hit]]
        return out


@dataclass
class _Side:
    """The appended ideas' rows, stacked (see `SimilarityIndex._side`)."""

    w: sp.csr_matrix
    c: sp.csr_matrix
    z: np.ndarray
    hub: np.ndarray
    u: sp.csr_matrix | None
    places: list
    ihub: np.ndarray


def _dense(size: int, ids: np.ndarray, vals: np.ndarray) -> np.ndarray:
    q = np.zeros(size, dtype=np.float32)
    q[ids] = vals
    return q


def _place_rules(p: Params, tokens: Sequence[str], raw: np.ndarray, places: Sequence, topical: np.ndarray,
                 specificity) -> np.ndarray:  # noqa: ANN001
    """The place-number rules of the issue graph on raw issue scores (in place; ``places``: the
    other text's place numbers, one per score; ``topical``: the topic part of each score):
    different place numbers lower a score that reaches ``issue_threshold`` (below it no flag or
    merge can change, which saves most of the checks); a shared one raises it by
    `issue_knn.place_bonus` times the topic score."""
    penalise, reward = p.issue_conflict_penalty < 1, p.issue_place_bonus > 0
    if not (penalise or reward):
        return raw
    threshold = np.float32(p.issue_threshold)
    check = range(len(raw)) if reward else np.flatnonzero(raw >= threshold).tolist()
    mine = place_numbers(tokens) if len(check) else None
    if not mine:
        return raw
    penalty = np.float32(p.issue_conflict_penalty)
    for e in check:
        other = places[e]
        if not other:
            continue
        if penalise and numbers_conflict(mine, other):
            if raw[e] >= threshold:
                raw[e] *= penalty
        elif reward:
            raw[e] += np.float32(place_bonus(mine, other, specificity, p) * max(topical[e], 0))
    return raw


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


def _rows_dot(m: sp.csr_matrix, rows: np.ndarray, ids: np.ndarray, vals: np.ndarray) -> np.ndarray:
    """Dot products of a query (sorted term ids, weights) with some rows of ``m``:
    numpy gathers on the CSR arrays, no per-call scipy objects."""
    starts = m.indptr[rows]
    lengths = m.indptr[rows + 1] - starts
    total = int(lengths.sum())
    if total == 0 or not len(ids):
        return np.zeros(len(rows), dtype=np.float32)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
    cols = m.indices[offsets]
    at = np.minimum(np.searchsorted(ids, cols), len(ids) - 1)
    hit = ids[at] == cols
    owner = np.repeat(np.arange(len(rows)), lengths)
    return np.bincount(owner[hit], weights=m.data[offsets[hit]] * vals[at[hit]], minlength=len(rows)).astype(np.float32)


def _postings_sparse(inverted: sp.csr_matrix, ids: np.ndarray, vals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Like `_postings_dot`, as (documents touched, their dot products): no array of
    the corpus's size, for a query's short postings."""
    starts = inverted.indptr[ids]
    lengths = inverted.indptr[ids + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
    docs, where = np.unique(inverted.indices[offsets], return_inverse=True)
    dots = np.bincount(where, weights=inverted.data[offsets] * np.repeat(vals, lengths), minlength=len(docs))
    return docs.astype(np.int64), dots.astype(np.float32)


def _best(values: np.ndarray, m: int) -> np.ndarray:
    """Positions of the ``m`` largest finite values (any order)."""
    if m <= 0:
        return np.zeros(0, dtype=np.int64)
    pick = np.argpartition(-values, m - 1)[:m] if m < len(values) else np.arange(len(values))
    return pick[np.isfinite(values[pick])]


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
