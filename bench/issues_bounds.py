#!/usr/bin/env python3
"""How far can text alone go on "the same issue"? Upper bounds computed from the truth.

    python bench/issues_bounds.py --data ../shared/data/traffy-bangkok-dev.csv \\
        --issues ../shared/data/traffy-bangkok-dev-same-issue.csv

For every ticket of the issue file (the scorer's queries) it ranks all other texts by
several text views, each on its own:

- engine      `SimilarityIndex.similar` as shipped (what eval_same_issue.py scores)
- topic       the engine's topic score (words + character n-grams of words + LSA)
- issue       the engine's issue-term cosine (words with numbers + adjacent pairs)
- char-raw    BM25 over character 2-4-grams of the raw text inside whitespace-bounded
              chunks (Thai runs without spaces are one chunk: n-grams cross words,
              particles and spelling habits stay), the strongest plain probe found
- words-bm25  BM25 over the stored tokens with numbers plus adjacent token pairs
- char-tok    TF-IDF over character 3-grams of the stored tokens joined without spaces
- fusion      reciprocal-rank fusion (k=10) of engine (weight 2), char-raw and
              words-bm25: the best "one ranking for both scorers" found
- place       TF-IDF cosine over the *place expressions* only (`issue_places.place_phrases`:
              "ซอยลาดพร้าว 15", "หน้าวัดแก้วแจ่มฟ้า", "เลขที่ 52/23", with the corpus's bare
              street names; names may not start with a word of > 1% of reports): the same
              spot named in other problem words, weighted by how rare the place phrase is
- place-loose the same without the common-word rule (more phrases, more noise)
- place-abbr  "place" on the raw text with ซ./ถ./ม./รร./รพ./มบ. written out first

and prints, with the scorer's definitions (ties by position, depth 100):
1. R@5, R@10, R@10 on different texts and MRR per view, plus topic P@5 (eval_grouping's
   queries) for the views a `similar` could return;
2. the per-query **oracle** over all views (each query gets the view that ranks its
   partner best, after the fact): no single text ranking built from these signals can
   beat it, and it is generous (it picks per query using the truth);
3. for the place views: the queries they rescue (no other view has a partner in its top 5,
   a place view has), the oracle with and without them, and how many of the queries no
   view finds share a place expression with a partner at all (``--show-missed`` lists them);
4. a bound on per-issue pair recall: the share of same-issue pairs whose partner is
   within rank r of the other under the best view for that pair. A grouping that joins
   a pair ranked below r must join about r other reports too.
Every figure is also given for the two seeded halves of the issues (as issues_sweep.py).

Dense: it holds (queries x texts) score rows, fine for files up to ~20k rows.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grouping_sweep import default_tools, load_scorer  # noqa: E402  (bench/ is on the path)
from issue_places import common_words, expand_abbreviations, place_names, place_phrases  # noqa: E402
from issues_sweep import halves  # noqa: E402

from idea4gov.grouping import SimilarityIndex, tokenize  # noqa: E402
from idea4gov.grouping.issue_features import issue_terms  # noqa: E402

DEPTH = 100


# -- views: rows of scores (one per query) over all texts --------------------------------
def _counts(docs: list[list[str]]) -> sp.csr_matrix:
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, d in enumerate(docs):
        for t, v in Counter(d).items():
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
            vals.append(v)
    return sp.csr_matrix((np.asarray(vals, np.float64), (rows, cols)), shape=(len(docs), len(vocab)))


def bm25_rows(docs: list[list[str]], queries: list[int], k1: float = 1.2, b: float = 0.75) -> np.ndarray:
    c = _counts(docs)
    n = c.shape[0]
    df = np.bincount(c.indices, minlength=c.shape[1])
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    dl = np.asarray(c.sum(1)).ravel()
    coo = c.tocoo()
    den = coo.data + k1 * (1 - b + b * dl[coo.row] / dl.mean())
    w = sp.csr_matrix((coo.data * (k1 + 1) / den * idf[coo.col], (coo.row, coo.col)), shape=c.shape)
    q = c[queries].copy()
    q.data[:] = 1
    return (q @ w.T).toarray()


def tfidf_rows(docs: list[list[str]], queries: list[int]) -> np.ndarray:
    c = _counts(docs)
    n = c.shape[0]
    df = np.bincount(c.indices, minlength=c.shape[1])
    x = c.copy()
    x.data = 1 + np.log(x.data)
    x = sp.csr_matrix(x @ sp.diags(np.log((1 + n) / (1 + df)) + 1))
    norm = np.sqrt(np.asarray(x.multiply(x).sum(1)).ravel())
    x = sp.csr_matrix(sp.diags(1 / np.where(norm == 0, 1, norm)) @ x)
    return (x[queries] @ x.T).toarray()


def char_chunks(text: str, lo: int, hi: int) -> list[str]:
    out = []
    for chunk in unicodedata.normalize("NFC", text).lower().split():
        w = f" {chunk} "
        for m in range(lo, hi + 1):
            out += [w[i : i + m] for i in range(len(w) - m + 1)]
    return out


def engine_rows(index: SimilarityIndex, tokens, queries: list[int]) -> np.ndarray:
    out = np.full((len(queries), len(index)), -np.inf)
    for r, i in enumerate(queries):
        for rank, (j, _s) in enumerate(index.similar_tokens(tokens[i], DEPTH, exclude=i)):
            out[r, j] = DEPTH - rank
    return out


def rrf_rows(views: list[np.ndarray], weights: list[float], queries: list[int], k: int = 10) -> np.ndarray:
    out = np.zeros_like(views[0], dtype=np.float64)
    for v, w in zip(views, weights, strict=True):
        out += w / (k + _ranks(v, queries))
    return out


def _ranks(rows: np.ndarray, queries: list[int]) -> np.ndarray:
    """1-based rank of every text in each query's row (the query itself last; ties by position)."""
    rows = rows.astype(np.float64, copy=True)
    rows[np.arange(len(queries)), queries] = -np.inf
    order = np.argsort(-rows, axis=1, kind="stable")
    ranks = np.empty_like(order)
    ranks[np.arange(len(queries))[:, None], order] = np.arange(1, rows.shape[1] + 1)[None, :]
    return ranks


# -- metrics -----------------------------------------------------------------------------
def first_hits(ranks: np.ndarray, queries: list[int], issue: dict, key: list[str]) -> tuple[list, list]:
    """Per query: rank of the first same-issue text, and of the first with a different text
    (None when the issue has no different text)."""
    members: dict[str, list[int]] = {}
    for i, g in issue.items():
        members.setdefault(g, []).append(i)
    first, first_d = [], []
    for r, i in enumerate(queries):
        others = [j for j in members[issue[i]] if j != i]
        first.append(min(ranks[r, j] for j in others))
        diff = [j for j in others if key[j] != key[i]]
        first_d.append(min(ranks[r, j] for j in diff) if diff else None)
    return first, first_d


def summary(first, first_d, subset) -> str:
    f = [first[r] for r in subset]
    fd = [first_d[r] for r in subset if first_d[r] is not None]

    def mean(xs):
        return sum(xs) / len(xs) if xs else float("nan")

    return f"{mean([x <= 5 for x in f]):.3f} / {mean([x <= 10 for x in f]):.3f} / {mean([x <= 10 for x in fd]):.3f} / {mean([1 / x if x <= DEPTH else 0 for x in f]):.3f}"


def p_at_5(rows: np.ndarray, tq: list[int], labels) -> float:
    ranks = _ranks(rows, tq)
    hits = []
    for r, i in enumerate(tq):
        (lab,) = labels[i]
        top = np.argsort(ranks[r])[:5]
        hits.append(sum(lab in labels[j] for j in top) / 5)
    return round(float(np.mean(hits)), 4)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--issues", required=True)
    ap.add_argument("--tools", default=str(default_tools()), help="folder of the two scorers")
    ap.add_argument("--seed", type=int, default=0, help="seed of the split of issues into halves")
    ap.add_argument("--show-missed", action="store_true", help="print the queries no view finds, with their places")
    args = ap.parse_args(argv)
    same = load_scorer(str(Path(args.tools) / "eval_same_issue.py"))
    topic = load_scorer(str(Path(args.tools) / "eval_grouping.py"))
    ids, texts = same.load_texts(args.data)
    issue, _missing = same.load_issues(args.issues, ids)
    ttexts, labels = topic.load(args.data)
    with_p5 = ttexts == texts
    tokens = [tokenize(t) for t in texts]
    key = [same._key(t) for t in texts]
    queries = sorted(issue)
    tq = topic.queries_of(texts, labels, 1000, 13) if with_p5 else []
    rows_for = queries + [i for i in tq if i not in set(queries)]
    at = {i: r for r, i in enumerate(rows_for)}
    qsel = [at[i] for i in queries]

    index = SimilarityIndex.from_tokens(tokens)
    w, c, z = index.vectors()
    u, _places = index.issue_vectors()
    p = index.params
    ww, wc, wz = p.sparse_weight * (1 - p.char_weight), p.sparse_weight * p.char_weight, 1 - p.sparse_weight
    views: dict[str, np.ndarray] = {}
    views["engine"] = engine_rows(index, tokens, rows_for)
    views["topic"] = (
        ww * (w[rows_for] @ w.T).toarray() + wc * (c[rows_for] @ c.T).toarray() + wz * (z[rows_for] @ z.T)
    ) - p.hub_weight * index.hubness()[None, :]
    views["issue"] = (u[rows_for] @ u.T).toarray()
    views["char-raw"] = bm25_rows([char_chunks(t, 2, 4) for t in texts], rows_for)
    views["words-bm25"] = bm25_rows([issue_terms(t) for t in tokens], rows_for)
    views["char-tok"] = tfidf_rows([char_chunks("".join(t), 3, 3) for t in tokens], rows_for)
    views["fusion"] = rrf_rows([views["engine"], views["char-raw"], views["words-bm25"]], [2.0, 1.0, 1.0], rows_for)
    names = place_names(tokens)
    common = common_words(tokens)
    views["place-loose"] = tfidf_rows([place_phrases(t, names) for t in tokens], rows_for)
    phrases = [place_phrases(t, names, common) for t in tokens]
    views["place"] = tfidf_rows(phrases, rows_for)
    raw_tokens = [tokenize(expand_abbreviations(t)) for t in texts]
    raw_names = place_names(raw_tokens)
    views["place-abbr"] = tfidf_rows([place_phrases(t, raw_names, common) for t in raw_tokens], rows_for)

    a, b = halves(issue, args.seed)
    part = {"all": range(len(queries))}
    part["A"] = [r for r, i in enumerate(queries) if i in a]
    part["B"] = [r for r, i in enumerate(queries) if i in b]
    print(f"# {len(texts)} texts, {len(queries)} queries in {len(set(issue.values()))} issues; halves seed {args.seed}")
    print("Cells: R@5 / R@10 / R@10 on different texts / MRR (eval_same_issue.py's definitions)\n")
    print("| view | all | half A | half B | topic P@5 |")
    print("| --- | --- | --- | --- | --- |")
    ranks = {name: _ranks(v[qsel], queries) for name, v in views.items()}
    for name in views:
        if name.startswith("place"):  # no shared place phrase: not found (not "found by position")
            ranks[name][views[name][qsel] <= 0] = len(texts) + 1
    firsts = {}
    for name in views:
        f, fd = first_hits(ranks[name], queries, issue, key)
        firsts[name] = (f, fd)
        p5 = p_at_5(views[name][[at[i] for i in tq]], tq, labels) if with_p5 else "-"
        print(f"| {name} | " + " | ".join(summary(f, fd, part[x]) for x in part) + f" | {p5} |")
    placed = [name for name in views if name.startswith("place")]
    others = [name for name in views if name not in placed]
    before = np.minimum.reduce([ranks[name] for name in others])
    f, fd = first_hits(before, queries, issue, key)
    print("| oracle without place | " + " | ".join(summary(f, fd, part[x]) for x in part) + " | - |")
    best = np.minimum.reduce([ranks[name] for name in views])
    f, fd = first_hits(best, queries, issue, key)
    print("| **oracle: best view per query** | " + " | ".join(summary(f, fd, part[x]) for x in part) + " | - |")
    two = np.minimum.reduce([ranks["engine"], *(ranks[name] for name in placed)])
    f, fd = first_hits(two, queries, issue, key)
    print(
        "| oracle: engine or a place view, per query | " + " | ".join(summary(f, fd, part[x]) for x in part) + " | - |"
    )
    fb, _ = first_hits(before, queries, issue, key)
    fp, _ = first_hits(np.minimum.reduce([ranks[name] for name in placed]), queries, issue, key)
    rescued = [queries[r] for r in range(len(queries)) if fp[r] <= 5 and fb[r] > 5]
    print(f"\nthe place views rescue {len(rescued)} queries no other view had in its top 5: {rescued}")
    phrases = [set(place_phrases(t, names)) for t in tokens]  # the loose extractor: the most places
    df = Counter(f for s in phrases for f in s)
    missed = [r for r in range(len(queries)) if fb[r] > 5]
    members_of: dict[str, list[int]] = {}
    for i, g in issue.items():
        members_of.setdefault(g, []).append(i)

    def shared(i: int) -> set[str]:
        return {f for j in members_of[issue[i]] if j != i for f in phrases[i] & phrases[j]}

    with_place = [queries[r] for r in missed if shared(queries[r])]
    rare = [i for i in with_place if any(df[f] <= 20 for f in shared(i))]
    sharing = [r for r in range(len(queries)) if shared(queries[r])]
    fe, _ = firsts["engine"]
    print(
        f"{len(sharing)} of the {len(queries)} queries share a place expression with a partner; the engine "
        f"has a partner in its top 5 for {sum(fe[r] <= 5 for r in sharing)} of them, some other view for "
        f"{sum(fb[r] <= 5 for r in sharing)}"
    )
    bare = [queries[r] for r in missed if not phrases[queries[r]]]
    print(
        f"of the {len(missed)} queries no other view has in its top 5, {len(with_place)} share a place "
        f"expression with a partner ({len(rare)} one used by at most 20 reports), {len(bare)} name no "
        f"place at all; {sum(bool(p) for p in phrases)} of {len(texts)} reports name one"
    )
    if args.show_missed:
        for r in missed:
            i = queries[r]
            print(f"-- {i}: {sorted(phrases[i])} | {texts[i][:150]!r}")
            for j in members_of[issue[i]]:
                if j != i:
                    print(f"     {j}: {sorted(phrases[j])} | {texts[j][:150]!r}")

    print("\nPer-issue pair recall if every same-issue pair within rank r (either direction) were joined:\n")
    members: dict[str, list[int]] = {}
    for i, g in issue.items():
        members.setdefault(g, []).append(i)
    row = {i: r for r, i in enumerate(queries)}
    print("| view | r = 1 | 2 | 3 | 5 | 10 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, rk in [*ranks.items(), ("best view per pair", best)]:
        cells = []
        for r in (1, 2, 3, 5, 10):
            per = []
            for ms in members.values():
                pairs = [(x, y) for k, x in enumerate(ms) for y in ms[k + 1 :]]
                per.append(np.mean([min(rk[row[x], y], rk[row[y], x]) <= r for x, y in pairs]))
            cells.append(f"{np.mean(per):.3f}")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
