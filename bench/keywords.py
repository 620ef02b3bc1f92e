#!/usr/bin/env python3
"""Key words of groups on real Thai text: lone fragments, and what growing phrases costs.

    python bench/keywords.py --data ../shared/data/traffy-bangkok-dev.csv

Groups the data with the engine, then names every group of two or more ideas three ways:
the plain top words by share x IDF (the baseline, as before), `keywords()` without the
texts (fragments dropped), and `keywords(texts=...)` (fragments grown back into phrases).
It prints, for each, how many key words are lone fragments (one word that does not stand
alone: a number word, a one-syllable non-noun) and the time taken as a ratio to the
baseline timed in the same run, then the largest groups side by side.
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.benchdata import DEFAULT_DATA, load_texts  # noqa: E402
from idea4gov.grouping import SimilarityIndex, group_index, keywords, tokenize  # noqa: E402
from idea4gov.grouping.phrases import MAX_TEXTS, stands_alone  # noqa: E402


def baseline(members: list[list[str]], idf: dict[str, float], n: int = 5) -> list[str]:
    """The key words before this change: the top words by share x IDF, nothing else."""
    fallback = max(idf.values(), default=1.0)
    df = Counter(w for toks in members for w in set(toks) if any("\u0e01" <= c <= "\u0e4e" for c in w))
    scored = sorted((-(c / len(members)) * idf.get(w, fallback), w) for w, c in df.items() if c >= 2)
    return [w for _s, w in scored[:n]]


def lone_fragments(words: list[str]) -> list[str]:
    return [w for w in words if len(tokenize(w)) <= 1 and not stands_alone(w)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show", type=int, default=15, help="largest groups to print")
    args = parser.parse_args()

    texts = load_texts(args.data)
    tokens = [tokenize(text) for text in texts]
    index = SimilarityIndex.from_tokens(tokens)
    members: dict[int, list[int]] = defaultdict(list)
    for position, label in enumerate(group_index(index)):
        members[label].append(position)
    groups = sorted((m for m in members.values() if len(m) >= 2), key=len, reverse=True)
    feat = index.featurizer
    idf = {w: float(feat.word_idf[i]) for w, i in feat.vocab.items()}
    stands_alone("อุ่นเครื่อง")  # load the lexicons before timing

    results, seconds = {}, {}
    runs = {
        "baseline": lambda m: baseline([tokens[p] for p in m], idf),
        "keywords": lambda m: keywords([tokens[p] for p in m], index),
        "keywords+texts": lambda m: keywords([tokens[p] for p in m], index,
                                             texts=[texts[p] for p in m[:MAX_TEXTS]]),
    }
    for name, run in runs.items():
        start = time.perf_counter()
        results[name] = [run(m) for m in groups]
        seconds[name] = time.perf_counter() - start

    print(f"{len(texts)} texts, {len(groups)} groups of 2+ ideas")
    for name in runs:
        words = [w for found in results[name] for w in found]
        fragments = lone_fragments(words)
        ratio = seconds[name] / seconds["baseline"] if seconds["baseline"] else math.nan
        print(f"{name:15} key words {len(words):4}  lone fragments {len(fragments):3} "
              f"({len(fragments) / max(1, len(words)):.1%})  time x{ratio:.1f} baseline "
              f"({seconds[name] / max(1, len(groups)) * 1000:.1f} ms/group)")
        common = Counter(fragments).most_common(8)
        if common:
            print(" " * 17 + "most frequent: " + ", ".join(f"{w} x{c}" for w, c in common))
    print()
    for position, group in enumerate(groups[:args.show]):
        print(f"{len(group):4} | {' '.join(results['baseline'][position])} "
              f"| {' '.join(results['keywords+texts'][position])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
