"""The engine's tuning knobs in one place, with the values chosen by the sweep.

`bench/grouping_sweep.py` prints the table these defaults were picked from and
`docs/grouping.md` records it. They were chosen for short Thai citizen reports
(one to a few sentences), not for one data file: every value is a round number
on a plateau of the sweep, not its single best cell.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Params:
    """Model parameters. Frozen so an index and its grouping agree on them."""

    # Share of the sparse score that comes from character n-grams of words
    # (the rest from whole words). Sub-word overlap catches misspellings and
    # compound words that newmm splits differently ("ฟุตบาท" / "ฟุตบาธ").
    char_weight: float = 0.5
    char_ngram_min: int = 2
    char_ngram_max: int = 4
    # LSA: dimensions of the smoothed "topic" vectors. Few dimensions work best on
    # short texts: they merge near-synonyms without drowning the exact words.
    lsa_dims: int = 30
    # Above this many ideas the LSA basis is fitted on a fixed random sample.
    lsa_fit_sample: int = 20000
    # Final score = sparse_weight * sparse cosine + (1 - sparse_weight) * LSA cosine.
    sparse_weight: float = 0.5
    # Fixed seed for the randomized SVD, the k-means cells and Leiden.
    seed: int = 0
    # Grouping: each idea links to its k most similar ideas (scores below
    # min_edge_score do not link), and Leiden finds communities of that graph
    # maximising modularity at this resolution (higher = more, smaller groups).
    knn_k: int = 10
    min_edge_score: float = 0.2
    resolution: float = 2.0
    # Leiden passes over the graph; -1 = until nothing moves (slow at 100k and,
    # on the sweep, no better than two passes).
    leiden_iterations: int = 2
    # Up to this many ideas the k-NN graph is exact; above it candidates come
    # from k-means cells over the LSA vectors (approximate, near-linear).
    exact_knn_limit: int = 12000
    # similar(): above this corpus size, the character part of the score is only
    # computed for the best candidates by words + LSA (keeps p95 under 10 ms).
    exact_query_limit: int = 5000
    query_candidates: int = 200
    # similar(): hubness reduction (CSLS-style, Conneau et al. 2018). Ideas are
    # ranked by score - hub_weight * hub(y), hub(y) = mean LSA cosine of idea y to
    # its hub_k nearest ideas (fixed at build time). Generic texts that are close to
    # everything ("hubs") drop; the returned score stays the plain blend.
    hub_k: int = 20
    hub_weight: float = 0.2
    # assign_group(): neighbours below this score do not vote.
    assign_min_score: float = 0.3

    # -- issues: the same problem reported again (issue_features.py, issues.py) --------
    # Raw issue score = (1 - issue_topic_weight) * cosine of issue terms (words *with*
    # numbers + adjacent word pairs) + issue_topic_weight * topic score (words + LSA),
    # times issue_conflict_penalty when the two name different place numbers,
    # plus the place bonus below when they name the same one.
    issue_topic_weight: float = 0.2
    issue_conflict_penalty: float = 0.5
    # Two reports that give the same place number after the same word ("ซอย 47",
    # "เลขที่ 52/23", "ป้ายรถเมล์ 2" in both) get this x the rarity of that term
    # (log(n / df) / log(n)) added to their raw issue score: one shared house or soi
    # number is strong evidence of one place, which a cosine over long texts dilutes.
    issue_place_bonus: float = 0.5
    # Issue score = raw - issue_hub_weight * (hub(a) + hub(b)) / 2, hub = an idea's
    # mean raw score to its issue_knn_k best partners (CSLS): templates and generic
    # one-liners, close to many reports, need more to count as the same issue.
    issue_hub_weight: float = 0.5
    # Two groups of reports merge into one issue while the average issue score over
    # all their cross pairs is at least this (average linkage); similar() flags a
    # match "same issue" (and ranks it first) from this score on.
    issue_threshold: float = 0.15
    # The issue graph: each distinct report's issue_knn_k best partners, found through
    # the terms used by at most issue_candidate_df ideas and rescored exactly.
    issue_knn_k: int = 10
    issue_candidate_df: int = 200
    # similar(): matches that are not flagged rank by topic rank + this x issue score.
    issue_rank_weight: float = 0.2


DEFAULT = Params()
