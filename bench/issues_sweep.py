#!/usr/bin/env python3
"""Issue-level sweep, scored like ../shared/tools/eval_same_issue.py and eval_grouping.py.

    python bench/issues_sweep.py --data ../shared/data/traffy-bangkok-dev.csv \\
        --issues ../shared/data/traffy-bangkok-dev-same-issue.csv

One factor at a time around the defaults in `idea4gov.grouping.params`. Each row gives the
same-issue figures (R@5, R@10 on different texts, MRR, pair precision / per-issue pair
recall of `group_issue_index`, share of all reports put in an issue, median issue size)
and the topic P@5 of the same `similar` — the two scorers' own functions on cached
tokens, so the numbers match them. Guard against tuning to these tickets: the issues
are split at random into two halves (seeded) and every figure is also given per half:
pick a value on half A, then read how the same value does on half B. Rows marked `*`
are the defaults.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grouping_sweep import CachedIndex, default_tools, load_scorer  # noqa: E402  (bench/ is on the path)

from idea4gov.grouping import DEFAULT, Params, SimilarityIndex, group_issue_index, tokenize  # noqa: E402

FACTORS: dict[str, list] = {
    "issue_threshold": [0.0, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2, 0.25, 0.3],
    "issue_hub_weight": [0.0, 0.25, 0.5, 0.75, 1.0],
    "issue_topic_weight": [0.0, 0.1, 0.2, 0.3],
    "issue_conflict_penalty": [0.25, 0.5, 1.0],
    "issue_place_bonus": [0.0, 0.25, 0.5, 0.75],
    "issue_knn_k": [5, 10, 20],
    "issue_rank_weight": [0.0, 0.1, 0.2, 0.3],
}


def halves(issue: dict[int, str], seed: int) -> tuple[dict[int, str], dict[int, str]]:
    ids = sorted(set(issue.values()))
    random.Random(seed).shuffle(ids)
    a = set(ids[::2])
    return {i: g for i, g in issue.items() if g in a}, {i: g for i, g in issue.items() if g not in a}


def run(params: Params, ctx: dict) -> dict:
    t0 = time.perf_counter()
    index = SimilarityIndex.from_tokens(ctx["tokens"], params)
    groups = group_issue_index(index)
    seconds = time.perf_counter() - t0
    cached = CachedIndex(index, ctx["tokens_of"])
    same, topic = ctx["same"], ctx["topic"]
    out: dict = {"s": round(seconds, 1)}
    for part, issue in (("all", ctx["issue"]), ("A", ctx["A"]), ("B", ctx["B"])):
        r = same.score_search("idea4gov", cached, ctx["texts"], issue, 100)
        r.update(same.score_groups(groups, issue))
        out[part] = r
    out["P@5"] = topic.score("idea4gov", cached, None, ctx["texts"], ctx["labels"], ctx["queries"], 5)["P@5"]
    sizes: dict[int, int] = {}
    for g in groups:
        sizes[g] = sizes.get(g, 0) + 1
    out["grouped"] = round(sum(1 for g in groups if sizes[g] >= 2) / len(groups), 3)
    return out


def fmt(name: str, value, mark: str, r: dict) -> str:
    cells = [name, f"{value}{mark}"]
    for part in ("all", "A", "B"):
        x = r[part]
        cells.append(
            f"{x['R@5']:.3f} / {x['R@10_distinct']:.3f} / {x['MRR']:.3f} / {x['pair_P']} / {x['pair_R_macro']:.3f}"
        )
    cells += [str(r["all"]["group_size_median"]), str(r["grouped"]), str(r["P@5"]), str(r["s"])]
    return "| " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--issues", required=True)
    ap.add_argument("--tools", default=str(default_tools()), help="folder of eval_grouping.py and eval_same_issue.py")
    ap.add_argument("--only", help="comma-separated factor names to sweep")
    ap.add_argument("--seed", type=int, default=0, help="seed of the split of issues into halves")
    ap.add_argument("--set", action="append", default=[], help="override a default: name=value")
    args = ap.parse_args(argv)
    tools = Path(args.tools)
    topic = load_scorer(str(tools / "eval_grouping.py"))
    same = load_scorer(str(tools / "eval_same_issue.py"))
    ids, texts = same.load_texts(args.data)
    issue, _missing = same.load_issues(args.issues, ids)
    ttexts, labels = topic.load(args.data)
    if ttexts != texts:
        sys.exit("the two scorers read different rows of this file; sweep them separately")
    tokens = [tokenize(t) for t in texts]
    a, b = halves(issue, args.seed)
    base = dataclasses.replace(
        DEFAULT, **{k: type(getattr(DEFAULT, k))(v) for k, v in (s.split("=") for s in args.set)}
    )
    ctx = {
        "same": same,
        "topic": topic,
        "texts": texts,
        "labels": labels,
        "tokens": tokens,
        "tokens_of": dict(zip(texts, tokens, strict=True)),
        "queries": topic.queries_of(texts, labels, 1000, 13),
        "issue": issue,
        "A": a,
        "B": b,
    }
    print(f"# {len(texts)} texts; issues split (seed {args.seed}): A {len(set(a.values()))}, B {len(set(b.values()))}")
    print(f"# base: {base}")
    print(
        "| factor | value | all: R@5 / R@10 distinct / MRR / pair P / per-issue pair R | half A | half B "
        "| issue size median | grouped | topic P@5 | s |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    factors = FACTORS if not args.only else {k: FACTORS[k] for k in args.only.split(",")}
    for name, values in factors.items():
        for value in values:
            r = run(dataclasses.replace(base, **{name: value}), ctx)
            mark = " *" if getattr(DEFAULT, name) == value else ""
            print(fmt(name, value, mark, r), flush=True)


if __name__ == "__main__":
    main()
