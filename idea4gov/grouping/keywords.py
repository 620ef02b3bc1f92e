"""Key words of a group: words common among its members but rare in the area."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from .index import SimilarityIndex
from .phrases import grow, may_be_a_piece, prepare, stands_alone

__all__ = ["keywords"]

_THAI = re.compile(r"[\u0e01-\u0e4e]")
#: Candidates examined per key word wanted (the best ones may turn out to be fragments).
CANDIDATES_PER_KEYWORD = 4


def keywords(
    member_tokens: Sequence[Sequence[str]],
    background: SimilarityIndex | Sequence[Sequence[str]] | Mapping[str, float],
    n: int = 5,
    texts: Sequence[str] | None = None,
) -> list[str]:
    """Up to ``n`` distinctive Thai words or phrases of a group, best first.

    Score = share of members using the word x its IDF in the area (``background``:
    the area's index, the area's token lists, or a ready word -> IDF mapping). A
    word must occur in at least two members when the group has two or more, so one
    long idea cannot name the group. Bare numbers and non-Thai words are skipped.

    No lone fragments: with the members' raw ``texts`` (title and description, as
    tokenized), a word grows into the phrase it keeps occurring in ("แสน" → "บางแสน",
    "หนอง" → "หนองมน"); a word that is still a fragment by itself (a number word, or
    a one-syllable word that is not a noun: "เย็น", "ห้าม") is left out, and so is a
    word already inside a better key word.
    """
    if n <= 0 or not member_tokens:
        return []
    idf = _idf_of(background)
    fallback = max(idf.values(), default=1.0)  # unseen in the area: as rare as it gets
    df = Counter(w for toks in member_tokens for w in set(toks) if _THAI.search(w))
    min_df = 2 if len(member_tokens) >= 2 else 1
    scored = [(-(count / len(member_tokens)) * idf.get(w, fallback), w) for w, count in df.items() if count >= min_df]
    cleaned = prepare(texts) if texts else []
    chosen: list[str] = []
    for _score, word in sorted(scored)[:n * CANDIDATES_PER_KEYWORD]:
        phrase = grow(word, cleaned) if cleaned and may_be_a_piece(word) else word
        if phrase == word and not stands_alone(word):
            continue
        if any(phrase in kept for kept in chosen):
            continue
        inside = [i for i, kept in enumerate(chosen) if kept in phrase]
        if inside:  # the longer phrase takes the place of the words it contains
            chosen[inside[0]] = phrase
            chosen = [kept for i, kept in enumerate(chosen) if i not in inside[1:]]
            continue
        chosen.append(phrase)
        if len(chosen) == n:
            break
    return chosen


def _idf_of(background: SimilarityIndex | Sequence[Sequence[str]] | Mapping[str, float]) -> Mapping[str, float]:
    if isinstance(background, SimilarityIndex):
        f = background.featurizer
        return {w: float(f.word_idf[i]) for w, i in f.vocab.items()}
    if isinstance(background, Mapping):
        return background
    docs = len(background)
    df = Counter(w for toks in background for w in set(toks))
    return {w: math.log((1 + docs) / (1 + c)) + 1 for w, c in df.items()}
