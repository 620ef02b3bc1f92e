#!/usr/bin/env python3
"""Parameter sweep for the Thai grouping engine, scored like ../shared/tools/eval_grouping.py.

    python bench/grouping_sweep.py --data ../shared/data/traffy-bangkok-dev.csv

One factor at a time around the defaults in `idea4gov.grouping.params` (a full grid
is too slow for two cores), then the defaults with several seeds to show the
spread. Metrics come from the scorer's own functions, so the numbers match it.
Prints a markdown table; docs/grouping.md records a run and the chosen values.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from idea4gov.grouping import DEFAULT, Params, SimilarityIndex, group_index, tokenize  # noqa: E402

FACTORS: dict[str, list] = {
    "char_weight": [0.0, 0.3, 0.5, 0.7],
    "lsa_dims": [0, 20, 30, 50, 100],
    "sparse_weight": [0.3, 0.5, 0.7, 1.0],
    "knn_k": [5, 10, 15],
    "min_edge_score": [0.0, 0.1, 0.2, 0.3],
    "resolution": [0.5, 1.0, 2.0, 4.0],
    "hub_weight": [0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0],
    "hub_k": [5, 10, 20, 50, 100],
}


def default_tools() -> Path:
    """The shared scorers' folder: ../shared/tools beside the checkout (/work/main), or
    two levels up for a worktree (/work/wt/NAME)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "tools" / "eval_grouping.py").exists():
            return base / "shared" / "tools"
    return ROOT.parent / "shared" / "tools"


def load_scorer(path: str):
    spec = importlib.util.spec_from_file_location("eval_grouping", path)
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


class CachedIndex:
    """The scorer's `similar(text)` on cached tokens (the sweep tokenizes once)."""

    def __init__(self, index: SimilarityIndex, tokens_of: dict[str, list[str]]) -> None:
        self.index, self.tokens_of = index, tokens_of

    def similar(self, text: str, k: int = 5, exclude: int | None = None):
        return self.index.similar_tokens(self.tokens_of[text], k, exclude)


def run(params: Params, ctx: dict) -> dict:
    t0 = time.perf_counter()
    index = SimilarityIndex.from_tokens(ctx["tokens"], params)
    groups = group_index(index)
    seconds = time.perf_counter() - t0
    r = ctx["scorer"].score(
        "idea4gov", CachedIndex(index, ctx["tokens_of"]), groups, ctx["texts"], ctx["labels"], ctx["queries"], 5
    )
    r["s"] = round(seconds, 1)
    return r


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--scorer", default=str(default_tools() / "eval_grouping.py"))
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--only", help="comma-separated factor names to sweep")
    args = ap.parse_args(argv)
    scorer = load_scorer(args.scorer)
    texts, labels = scorer.load(args.data)
    tokens = [tokenize(t) for t in texts]
    ctx = {
        "scorer": scorer,
        "texts": texts,
        "labels": labels,
        "tokens": tokens,
        "tokens_of": dict(zip(texts, tokens, strict=True)),
        "queries": scorer.queries_of(texts, labels, args.queries, 13),
    }
    print(f"# {len(texts)} texts, {len(ctx['queries'])} queries; defaults: {DEFAULT}")
    print("| factor | value | P@5 | hit@1 | AMI | groups | grouped | build+group s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    factors = FACTORS if not args.only else {k: FACTORS[k] for k in args.only.split(",")}
    for name, values in factors.items():
        for value in values:
            r = run(dataclasses.replace(DEFAULT, **{name: value}), ctx)
            mark = " *" if getattr(DEFAULT, name) == value else ""
            print(
                f"| {name} | {value}{mark} | {r['P@5']} | {r['hit@1']} | {r['AMI']} | {r['groups']} "
                f"| {r['grouped']} | {r['s']} |",
                flush=True,
            )
    for seed in range(args.seeds):
        r = run(dataclasses.replace(DEFAULT, seed=seed), ctx)
        print(
            f"| seed | {seed} | {r['P@5']} | {r['hit@1']} | {r['AMI']} | {r['groups']} | {r['grouped']} | {r['s']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
