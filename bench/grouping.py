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
peak RSS (searching and grouping run in separate processes, as in the web app: the
similar-ideas index lives in the web workers, the regroup in a job). Also tokenization throughput of newmm (and nlpo3 if importable, with the
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


def timed(fn):
    """(result, wall seconds, CPU seconds of this process) of ``fn()``: on a shared
    machine the CPU time is the steadier of the two."""
    w0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - w0, time.process_time() - c0


def run_search(tokens_path: str, n: int, queries: int) -> dict:
    """The similar-ideas index of an area: build, queries, one added idea."""
    import numpy as np

    from idea4gov.grouping import SimilarityIndex

    with open(tokens_path, "rb") as f:
        base = pickle.load(f)
    corpus = perturb(base, n)
    qs = perturb(base, queries, seed=99)
    cal = calibrate()
    out: dict = {"n": n, "calibration_s": round(cal, 3)}
    index, wall, cpu = timed(lambda: SimilarityIndex.from_tokens(corpus))
    out["build_s"], out["build_cpu_s"] = round(wall, 2), round(cpu, 2)
    # The same vectors answering by topics only: the baseline of the issue overhead.
    topics_only = SimilarityIndex(index.featurizer, *index.vectors(), hub=index.hubness())
    index.similar_tokens(qs[0], 5)  # first call pays lazy set-up
    topics_only.similar_tokens(qs[0], 5)
    lat: dict[str, list[float]] = {"all": [], "topics": [], "all_cpu": [], "topics_cpu": []}
    for q in qs:  # interleaved, query by query, so both see the same machine
        for key, ix in (("topics", topics_only), ("all", index)):
            w0, c0 = time.perf_counter(), time.thread_time()
            ix.similar_tokens(q, 5)
            lat[key].append((time.perf_counter() - w0) * 1000)
            lat[f"{key}_cpu"].append((time.thread_time() - c0) * 1000)
    for key, name in (("all", "similar"), ("topics", "topics_only_similar")):
        for q in (50, 95):
            out[f"{name}_ms_p{q}"] = round(float(np.percentile(lat[key], q)), 2)
            out[f"{name}_cpu_ms_p{q}"] = round(float(np.percentile(lat[f"{key}_cpu"], q)), 2)
    out["similar_p95_x_topics_only"] = round(out["similar_ms_p95"] / out["topics_only_similar_ms_p95"], 2)
    out["similar_cpu_p95_x_topics_only"] = round(out["similar_cpu_ms_p95"] / out["topics_only_similar_cpu_ms_p95"], 2)
    t0 = time.perf_counter()
    pos = index.add(qs[1])
    out["add_ms"] = round((time.perf_counter() - t0) * 1000, 2)
    assert pos == n
    out["search_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out["build_x_cal"] = round(out["build_s"] / cal, 1)
    return out


def run_group(tokens_path: str, n: int) -> dict:
    """Both levels from scratch, as `grouping recompute` does for an area: a fresh
    build, topics, issues, and nesting the issues in the topics (`group_levels`)."""
    from idea4gov.grouping import SimilarityIndex, group_index, group_issue_index, nest_issues

    with open(tokens_path, "rb") as f:
        base = pickle.load(f)
    corpus = perturb(base, n)
    cal = calibrate()
    out: dict = {"group_calibration_s": round(cal, 3)}
    fresh, built, built_cpu = timed(lambda: SimilarityIndex.from_tokens(corpus))
    topics, t_wall, t_cpu = timed(lambda: group_index(fresh))
    issues, i_wall, i_cpu = timed(lambda: group_issue_index(fresh))
    _nested, n_wall, n_cpu = timed(lambda: nest_issues(topics, issues))
    out["topics_s"], out["issues_s"], out["issues_cpu_s"] = round(t_wall, 2), round(i_wall, 2), round(i_cpu, 2)
    out["group_s"] = round(built + t_wall, 2)  # as before: topics, incl. their own index build
    out["levels_s"] = round(built + t_wall + i_wall + n_wall, 2)
    out["levels_cpu_s"] = round(built_cpu + t_cpu + i_cpu + n_cpu, 2)
    for name, labels in (("groups", topics), ("issues", issues)):
        sizes: dict[int, int] = {}
        for g in labels:
            sizes[g] = sizes.get(g, 0) + 1
        out[name] = sum(1 for s in sizes.values() if s >= 2)
        out[f"largest_{name[:-1]}"] = max(sizes.values())
    out["group_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    for key in ("group_s", "issues_s", "levels_s"):
        out[f"{key[:-2]}_x_cal"] = round(out[key] / cal, 1)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="CSV with a text column")
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--tokenize-sample", type=int, default=1000)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--part", choices=["search", "group"], help=argparse.SUPPRESS)
    ap.add_argument("--tokens", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        part = (
            run_search(args.tokens, args.one, args.queries)
            if args.part == "search"
            else run_group(args.tokens, args.one)
        )
        print(json.dumps(part))
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
            r: dict = {}
            for part in ("search", "group"):  # one process each: peak memory per part
                proc = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--data",
                        args.data,
                        "--one",
                        str(n),
                        "--part",
                        part,
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
                    r["error"] = proc.stderr.strip().splitlines()[-1:]
                    break
                r.update(json.loads(proc.stdout.strip().splitlines()[-1]))
            print(json.dumps(r), flush=True)
            if "error" in r:
                continue
            print(
                f"summary n={n}: build {r['build_s']} s, similar p50 {r['similar_ms_p50']} ms "
                f"p95 {r['similar_ms_p95']} ms ({r['similar_p95_x_topics_only']}x topics only; CPU p95 "
                f"{r['similar_cpu_ms_p95']} ms, {r['similar_cpu_p95_x_topics_only']}x), group {r['group_s']} s, "
                f"issues {r['issues_s']} s, topics + issues from scratch {r['levels_s']} s "
                f"({r['levels_cpu_s']} s CPU), peak {r['search_peak_rss_mb']} MB searching, "
                f"{r['group_peak_rss_mb']} MB grouping (calibration {r['calibration_s']} s)",
                flush=True,
            )


if __name__ == "__main__":
    main()
