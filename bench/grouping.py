#!/usr/bin/env python3
"""Speed and memory of the Thai grouping engine on perturbed copies of real text.

    python bench/grouping.py --data ../shared/data/traffy-bangkok-dev.csv --sizes 10000,100000

Each size runs in its own subprocess so peak memory (ru_maxrss) is per size. The
corpus of N ideas is made from the data's tokenized rows by random word drops,
adjacent swaps and duplications (fixed seed), and each idea gets a random
"noise" word so copies are not identical (so every row has some thirty near-copies:
far more repeats than real reports, an upper bound for the issue work). Reported per
size: index build from cached tokens (topics and the issue graph), similar() latency
p50/p95 (tokens in, 300 queries) beside the same index answering by topics only
(timed interleaved, query by query), topic grouping, issue grouping, and both levels
from scratch (a fresh build + topics + issues, the `grouping recompute` of an area),
peak RSS. Also tokenization throughput of newmm (and nlpo3 if importable, with the
share of ideas it segments identically). The machine is shared: a fixed numpy
"calibration" task is timed in the same run, and every time is also printed as a
ratio to it (``*_x_cal``), so runs on a busy and a quiet machine compare.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import pickle
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def load_texts(path: str) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [t for row in csv.DictReader(f) if (t := (row.get("text") or "").strip())]


def perturb(token_lists: list[list[str]], n: int, seed: int = 7) -> list[list[str]]:
    """n ideas made from random rows: drop 10% of words, swap 5% of neighbours,
    repeat 5%, and add one made-up word (unique-ish vocabulary as real areas have)."""
    rng = random.Random(seed)
    src = [t for t in token_lists if t]
    out = []
    for i in range(n):
        toks = list(rng.choice(src))
        toks = [t for t in toks if rng.random() > 0.10] or toks[:1]
        for j in range(len(toks) - 1):
            if rng.random() < 0.05:
                toks[j], toks[j + 1] = toks[j + 1], toks[j]
        toks = [x for t in toks for x in ([t, t] if rng.random() < 0.05 else [t])]
        toks.append(f"ซอย{i % 5000}")
        out.append(toks)
    return out


def calibrate() -> float:
    """Seconds for a fixed numpy task: read other figures relative to it."""
    import numpy as np

    a = np.random.default_rng(0).standard_normal((1500, 1500)).astype(np.float32)
    t0 = time.perf_counter()
    for _ in range(10):
        a @ a
    return time.perf_counter() - t0


def tokenize_throughput(texts: list[str]) -> dict:
    from idea4gov.grouping.tokenize import tokenize, warm_up

    t0 = time.perf_counter()
    warm_up()
    result = {"warm_up_s": round(time.perf_counter() - t0, 3)}
    t0 = time.perf_counter()
    newmm = [tokenize(t) for t in texts]
    dt = time.perf_counter() - t0
    result["newmm_ideas_per_s"] = round(len(texts) / dt, 1)
    result["chars_per_idea"] = round(statistics.mean(len(t) for t in texts), 1)
    try:
        import nlpo3
        from pythainlp.corpus import thai_words
        from pythainlp.tokenize import word_tokenize
    except ImportError:
        result["nlpo3"] = "not installed"
        return result
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(sorted(thai_words())))
    nlpo3.load_dict(f.name, "bench")
    os.unlink(f.name)
    raw = [word_tokenize(t, engine="newmm") for t in texts]
    t0 = time.perf_counter()
    rust = [nlpo3.segment(t, "bench") for t in texts]
    dt_rust = time.perf_counter() - t0
    t0 = time.perf_counter()
    for t in texts:
        word_tokenize(t, engine="newmm")
    dt_py = time.perf_counter() - t0
    result["raw_newmm_ideas_per_s"] = round(len(texts) / dt_py, 1)
    result["nlpo3_ideas_per_s"] = round(len(texts) / dt_rust, 1)
    result["nlpo3_speedup"] = round(dt_py / dt_rust, 2)
    result["nlpo3_same_words_share"] = round(sum(a == b for a, b in zip(raw, rust, strict=True)) / len(texts), 4)
    del newmm
    return result


def run_one(tokens_path: str, n: int, queries: int) -> dict:
    import numpy as np

    from idea4gov.grouping import SimilarityIndex, group_index, group_issue_index, group_levels

    with open(tokens_path, "rb") as f:
        base = pickle.load(f)
    corpus = perturb(base, n)
    qs = perturb(base, queries, seed=99)
    cal = calibrate()
    out: dict = {"n": n, "calibration_s": round(cal, 3)}
    t0 = time.perf_counter()
    index = SimilarityIndex.from_tokens(corpus)
    out["build_s"] = round(time.perf_counter() - t0, 2)
    # The same vectors answering by topics only: the baseline of the issue overhead.
    topics_only = SimilarityIndex(index.featurizer, *index.vectors(), hub=index.hubness())
    index.similar_tokens(qs[0], 5)  # first call pays lazy set-up
    topics_only.similar_tokens(qs[0], 5)
    lat, lat_topics = [], []
    for q in qs:
        t0 = time.perf_counter()
        topics_only.similar_tokens(q, 5)
        lat_topics.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        index.similar_tokens(q, 5)
        lat.append((time.perf_counter() - t0) * 1000)
    out["similar_ms_p50"] = round(float(np.percentile(lat, 50)), 2)
    out["similar_ms_p95"] = round(float(np.percentile(lat, 95)), 2)
    out["topics_only_similar_ms_p50"] = round(float(np.percentile(lat_topics, 50)), 2)
    out["topics_only_similar_ms_p95"] = round(float(np.percentile(lat_topics, 95)), 2)
    out["similar_p95_x_topics_only"] = round(out["similar_ms_p95"] / out["topics_only_similar_ms_p95"], 2)
    t0 = time.perf_counter()
    pos = index.add(qs[1])
    out["add_ms"] = round((time.perf_counter() - t0) * 1000, 2)
    assert pos == n
    del topics_only, index
    t0 = time.perf_counter()
    fresh = SimilarityIndex.from_tokens(corpus)
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    topics = group_index(fresh)
    out["topics_s"] = round(time.perf_counter() - t0, 2)
    out["group_s"] = round(built + out["topics_s"], 2)  # as before: includes its own index build
    t0 = time.perf_counter()
    issues = group_issue_index(fresh)
    out["issues_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    group_levels(fresh)
    nest = time.perf_counter() - t0 - out["topics_s"] - out["issues_s"]
    # Both levels from scratch: build + topics + issues + nesting (the last measured
    # as group_levels minus its two parts, at least 0).
    out["levels_s"] = round(built + out["topics_s"] + out["issues_s"] + max(nest, 0.0), 2)
    for name, labels in (("groups", topics), ("issues", issues)):
        sizes: dict[int, int] = {}
        for g in labels:
            sizes[g] = sizes.get(g, 0) + 1
        out[name] = sum(1 for s in sizes.values() if s >= 2)
        out[f"largest_{name[:-1]}"] = max(sizes.values())
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    for key in ("build_s", "group_s", "issues_s", "levels_s"):
        out[f"{key[:-2]}_x_cal"] = round(out[key] / cal, 1)
    out["similar_p95_ms_x_cal"] = round(out["similar_ms_p95"] / 1000 / cal, 4)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="CSV with a text column")
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--tokenize-sample", type=int, default=1000)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--tokens", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.tokens, args.one, args.queries)))
        return
    from idea4gov.grouping.tokenize import tokenize

    texts = load_texts(args.data)
    tok = tokenize_throughput(texts[: args.tokenize_sample])
    print(json.dumps({"tokenize": tok}, ensure_ascii=False), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tokens_path = os.path.join(tmp, "tokens.pkl")
        with open(tokens_path, "wb") as f:
            pickle.dump([tokenize(t) for t in texts], f)
        for n in [int(s) for s in args.sizes.split(",") if s]:
            proc = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--data",
                    args.data,
                    "--one",
                    str(n),
                    "--tokens",
                    tokens_path,
                    "--queries",
                    str(args.queries),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode:
                print(json.dumps({"n": n, "error": proc.stderr.strip().splitlines()[-1:]}), flush=True)
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            print(json.dumps(r), flush=True)
            print(
                f"summary n={n}: build {r['build_s']} s, similar p50 {r['similar_ms_p50']} ms "
                f"p95 {r['similar_ms_p95']} ms ({r['similar_p95_x_topics_only']}x topics only), "
                f"group {r['group_s']} s, issues {r['issues_s']} s, topics + issues from scratch "
                f"{r['levels_s']} s, peak {r['peak_rss_mb']} MB (calibration {r['calibration_s']} s)",
                flush=True,
            )


if __name__ == "__main__":
    main()
