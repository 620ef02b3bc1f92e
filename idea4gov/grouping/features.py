"""Turn token lists into vectors: word TF-IDF, character n-gram TF-IDF and LSA.

The vocabulary, IDF weights and SVD basis are learnt once from a corpus (an
area's ideas) and then frozen, so new ideas and queries are projected into the
same space without refitting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD

from .params import DEFAULT, Params

__all__ = ["Featurizer", "feature_tokens"]


# LSA cosine is blind to how much of an idea the topics explain: a text made of
# unknown words projects to a tiny vector that, once unit length, can look like
# any topic. Ideas whose projection is shorter than this quantile of the corpus's
# get their LSA vector shortened in proportion (damped), the rest are unit length.
LSA_DAMP_QUANTILE = 0.1


def feature_tokens(tokens: Iterable[str]) -> list[str]:
    """Tokens that carry topic: bare numbers (house numbers, dates, plates) do not."""
    return [t for t in tokens if not t.isdigit()]


def char_ngrams(word: str, lo: int, hi: int) -> list[str]:
    """Character n-grams of one word with boundary marks ("<ถนน>" -> "<ถ", "ถน", ...)."""
    w = f"<{word}>"
    return [w[i : i + n] for n in range(lo, hi + 1) for i in range(len(w) - n + 1)]


def _l2_rows(m: sp.csr_matrix) -> sp.csr_matrix:
    """Scale rows of ``m`` to unit length, in place (the caller owns ``m``)."""
    lengths = np.diff(m.indptr)
    rows = np.repeat(np.arange(m.shape[0]), lengths)
    norms = np.sqrt(np.bincount(rows, weights=m.data * m.data, minlength=m.shape[0]))
    norms[norms == 0] = 1.0
    m.data /= norms.astype(m.data.dtype)[rows]
    return m


def _weigh_vec(counts: np.ndarray, idf: np.ndarray) -> np.ndarray:
    """Sublinear tf x idf, unit length (the single-document twin of `_weigh`)."""
    v = ((1.0 + np.log(counts)) * idf).astype(np.float32)
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v


def _rows_to_csr(rows: Sequence[tuple[np.ndarray, np.ndarray]], width: int) -> sp.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(i) for i, _v in rows])
    if rows:
        indices = np.concatenate([i for i, _v in rows]).astype(np.int64)
        data = np.concatenate([v for _i, v in rows]).astype(np.float32)
    else:
        indices, data = np.zeros(0, np.int64), np.zeros(0, np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), width))


def term_counts(docs: Sequence[Sequence[str]], vocab: dict[str, int]) -> sp.csr_matrix:
    """Documents x vocabulary counts (terms outside ``vocab`` are skipped)."""
    indptr, idx = [0], []
    for d in docs:
        idx.extend(vocab[w] for w in d if w in vocab)
        indptr.append(len(idx))
    m = sp.csr_matrix(
        (np.ones(len(idx)), np.asarray(idx, dtype=np.int64), np.asarray(indptr)),
        shape=(len(docs), len(vocab)),
    )
    m.sum_duplicates()
    return m


def _idf(counts: sp.csr_matrix, n_docs: int) -> np.ndarray:
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    # Smoothed IDF (as scikit-learn's), so a term in every document still counts a bit.
    return np.log((1.0 + n_docs) / (1.0 + df)) + 1.0


class Featurizer:
    """Frozen vocabulary + weights; ``transform`` maps token lists to vectors."""

    def __init__(self, params: Params = DEFAULT) -> None:
        self.params = params
        self.vocab: dict[str, int] = {}
        self.ngram_vocab: dict[str, int] = {}
        self.word_idf = np.zeros(0)
        self.char_idf = np.zeros(0)
        self.word_ngrams = sp.csr_matrix((0, 0))  # vocab word -> its n-gram counts
        self.components = np.zeros((0, 0), dtype=np.float32)
        self.components_t = np.zeros((0, 0), dtype=np.float32)
        self.reference_norm = 1.0
        self.n_docs = 0

    # -- fitting ---------------------------------------------------------------
    def fit_transform(self, token_lists: Sequence[Sequence[str]]) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]:
        """Learn the space from ``token_lists``; return (word, char, lsa) matrices."""
        p = self.params
        docs = [feature_tokens(t) for t in token_lists]
        self.n_docs = len(docs)
        # Sorted vocabulary: the same corpus always gives the same column order.
        self.vocab = {w: i for i, w in enumerate(sorted({w for d in docs for w in d}))}
        grams: dict[str, int] = {}
        rows, cols = [], []
        for w, i in self.vocab.items():
            for g in char_ngrams(w, p.char_ngram_min, p.char_ngram_max):
                rows.append(i)
                cols.append(grams.setdefault(g, len(grams)))
        self.ngram_vocab = grams
        self.word_ngrams = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(self.vocab), len(grams)))
        self.word_ngrams.sum_duplicates()
        wc = self._word_counts(docs)
        # A document's n-gram counts are the sum of its words' n-grams: one sparse
        # product instead of slicing strings for every document (fast at 100k).
        cc = sp.csr_matrix(wc @ self.word_ngrams)
        self.word_idf = _idf(wc, self.n_docs)
        self.char_idf = _idf(cc, self.n_docs)
        w = self._weigh(wc, self.word_idf)
        c = self._weigh(cc, self.char_idf)
        z = self._fit_lsa(w, c)
        return w, c, z

    def _fit_lsa(self, w: sp.csr_matrix, c: sp.csr_matrix) -> np.ndarray:
        p = self.params
        n = w.shape[0]
        rows = np.arange(n)
        if n > p.lsa_fit_sample:
            # The topic basis of a large corpus is learnt from a fixed random sample
            # of its ideas (same basis, a fraction of the cost), then applied to all.
            rows = np.sort(np.random.default_rng(p.seed).choice(n, p.lsa_fit_sample, replace=False))
        x = self._stack(w[rows], c[rows])
        dims = min(p.lsa_dims, x.shape[0] - 1, x.shape[1] - 1)
        if dims < 1 or x.nnz == 0:
            self.components = np.zeros((0, x.shape[1]), dtype=np.float32)
            self.components_t = self.components.T.copy()
            return np.zeros((n, 0), dtype=np.float32)
        svd = TruncatedSVD(dims, algorithm="randomized", n_iter=5, random_state=p.seed)
        # A corpus of identical texts has zero variance: scikit-learn divides by it for
        # explained_variance_ratio_ (unused here) and warns; the components are still fine.
        with np.errstate(divide="ignore", invalid="ignore"):
            svd.fit(x)
        self.components = svd.components_.astype(np.float32)
        # Row-gather layout for single queries (components_t[term] is that term's
        # contribution to every LSA dimension).
        self.components_t = np.ascontiguousarray(self.components.T)
        raw = np.linalg.norm(self._raw_projection(w[rows], c[rows]), axis=1)
        self.reference_norm = float(np.quantile(raw[raw > 0], LSA_DAMP_QUANTILE)) if (raw > 0).any() else 1.0
        return self._damped(self._raw_projection(w, c))

    # -- transforming ----------------------------------------------------------
    def transform(self, token_lists: Sequence[Sequence[str]]) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]:
        """Vectors of new documents in the frozen space (unknown words still give
        character n-grams, so a misspelt word still matches)."""
        rows = [self.transform_one(t) for t in token_lists]
        w = _rows_to_csr([r[0] for r in rows], len(self.vocab))
        c = _rows_to_csr([r[1] for r in rows], len(self.ngram_vocab))
        z = np.vstack([r[2] for r in rows]) if rows else np.zeros((0, self.components.shape[0]), np.float32)
        return w, c, z

    def transform_one(
        self, tokens: Sequence[str]
    ) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray], np.ndarray]:
        """One document as ((word ids, weights), (n-gram ids, weights), LSA vector).

        Plain numpy on a few hundred numbers: a query must not pay scipy.sparse's
        per-object overhead (it dominated query time before)."""
        p = self.params
        vocab, grams = self.vocab, self.ngram_vocab
        word_ids: list[int] = []
        gram_ids: list[int] = []
        for t in feature_tokens(tokens):
            i = vocab.get(t)
            if i is not None:
                word_ids.append(i)
            else:
                gram_ids.extend(
                    j for g in char_ngrams(t, p.char_ngram_min, p.char_ngram_max) if (j := grams.get(g)) is not None
                )
        wi, wcount = np.unique(np.asarray(word_ids, dtype=np.int64), return_counts=True)
        if len(wi):
            ptr, ind = self.word_ngrams.indptr, self.word_ngrams.indices
            parts = [np.repeat(ind[ptr[i] : ptr[i + 1]], c) for i, c in zip(wi, wcount, strict=True)]
            gram_ids_arr = np.concatenate([np.asarray(gram_ids, dtype=np.int64), *parts])
        else:
            gram_ids_arr = np.asarray(gram_ids, dtype=np.int64)
        gi, gcount = np.unique(gram_ids_arr, return_counts=True)
        wv = _weigh_vec(wcount, self.word_idf[wi])
        gv = _weigh_vec(gcount, self.char_idf[gi])
        z = np.zeros(self.components.shape[0], dtype=np.float32)
        if len(z):
            a = self.params.char_weight
            n_words = len(self.vocab)
            ct = self.components_t
            z = np.sqrt(1 - a) * (wv @ ct[wi]) + np.sqrt(a) * (gv @ ct[n_words + gi])
            norm = float(np.linalg.norm(z))
            z = (z / norm * min(1.0, norm / self.reference_norm) if norm else z).astype(np.float32)
        return (wi, wv), (gi, gv), z

    def _word_counts(self, docs: Sequence[Sequence[str]]) -> sp.csr_matrix:
        return term_counts(docs, self.vocab)

    @staticmethod
    def _weigh(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
        m = counts.astype(np.float32, copy=True)
        # Sublinear tf: a word said three times is not three times the topic.
        m.data = (1.0 + np.log(m.data)) * idf.astype(np.float32)[m.indices]
        return _l2_rows(m)

    def _stack(self, w: sp.csr_matrix, c: sp.csr_matrix) -> sp.csr_matrix:
        a = self.params.char_weight
        # Both parts are unit rows, so this row is unit too and its dot product is
        # the weighted blend (1 - a) * word cosine + a * char cosine.
        return sp.hstack([w * np.float32(np.sqrt(1 - a)), c * np.float32(np.sqrt(a))], format="csr")

    def _raw_projection(self, w: sp.csr_matrix, c: sp.csr_matrix) -> np.ndarray:
        # Same as stacking [w, c] and multiplying by the basis, without the copy.
        a = self.params.char_weight
        nw = w.shape[1]
        ct = self.components_t
        return np.asarray(
            np.float32(np.sqrt(1 - a)) * (w @ ct[:nw]) + np.float32(np.sqrt(a)) * (c @ ct[nw:]),
            dtype=np.float32,
        )

    def _damped(self, z: np.ndarray) -> np.ndarray:
        norms = np.linalg.norm(z, axis=1, keepdims=True)
        damp = np.minimum(1.0, norms / self.reference_norm)
        norms[norms == 0] = 1.0
        return np.ascontiguousarray(z / norms * damp, dtype=np.float32)
