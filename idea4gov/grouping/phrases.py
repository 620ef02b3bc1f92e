"""Whole words for key words: a segmenter's fragment is grown back into the phrase it came from.

PyThaiNLP's dictionary segmenter cuts names and set phrases it does not know into pieces
("แสนสุข" → "แสน" "สุข", "ราชเทวี" → "ราช" "เทวี"), and stored words have Thai stopwords
removed ("บางแสน" → "แสน"). A piece alone says nothing as a key word. Two rules fix it:

* `grow(word, texts)` looks at the word where it occurs in the members' own text and adds
  the neighbouring word while nearly every occurrence has the same one ("หนอง" is always
  followed by "มน" → "หนองมน"; "ราช" by "เทวี" → "ราชเทวี"). Function words (stopwords)
  are never added, so a piece next to one ("แสน" after "บาง") stays a piece.
* `stands_alone(word)` says whether a single word carries meaning by itself: a number word
  never does (แสน, สาม); a one-syllable word does only when PyThaiNLP's part-of-speech
  lexicons call it a noun, in two of them at least and in most of those that know it
  (ถัง, ไฟ, ป้าย do; เย็น, ห้าม, ดับ, ราช do not). A piece that neither grows nor stands
  alone is not a key word.

Everything used ships inside PyThaiNLP (dictionary syllables, unigram POS lexicons).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from pythainlp.tag import pos_tag
from pythainlp.tokenize import syllable_tokenize, word_tokenize

from .tokenize import ENGINE, _clean, _stopwords

__all__ = ["grow", "may_be_a_piece", "prepare", "stands_alone"]

_THAI = re.compile(r"[\u0e01-\u0e4e]")
#: The part-of-speech lexicons consulted (unigram: word -> its most frequent tag).
_CORPORA = ("orchid", "pud", "tdtb", "tud")
_NUMBER_TAGS = {"NUM", "DCNM", "NCNM", "DONM", "NONM"}
_NOUN_TAGS = {"NOUN", "PROPN", "NCMN", "NPRP", "NLBL", "NTTL", "CNIT", "CLTV", "CMTR", "CFQC", "CVBL"}

#: How much of a word's text is read: the members read, occurrences per member and in all.
MAX_TEXTS = 40
MAX_PER_TEXT = 2
MAX_OCCURRENCES = 24
#: Characters read on each side of an occurrence (enough for two neighbouring words).
WINDOW = 24
#: Share of occurrences that must agree on a neighbour: any word, and a fragment.
AGREE = 0.8
AGREE_FRAGMENT = 0.6
#: Letters shared by every occurrence that complete a fragment: at least, at most.
SHARED_MIN = 2
SHARED_MAX = 8
_LETTERS_AFTER = re.compile(rf"[\u0e01-\u0e4e]{{1,{SHARED_MAX}}}")
#: Longest phrase, in words and in characters.
MAX_WORDS = 3
MAX_CHARS = 18


@lru_cache(maxsize=20000)
def _syllables(word: str) -> int:
    return len(syllable_tokenize(word, engine="dict"))


def may_be_a_piece(word: str) -> bool:
    """Worth looking at in the texts: a fragment, or a one-syllable word (names are cut into
    those: "หนอง"|"มน"). Longer words that stand alone ("ชายหาด") are whole already."""
    return _syllables(word) < 2 or not stands_alone(word)


@lru_cache(maxsize=20000)
def stands_alone(word: str) -> bool:
    """True when the word means something on its own as a key word (see the module doc)."""
    if not _THAI.search(word):
        return True
    tags = [tag for _word, tag in (pos_tag([word], engine="unigram", corpus=c)[0] for c in _CORPORA) if tag]
    if any(tag in _NUMBER_TAGS for tag in tags):
        return False
    if _syllables(word) >= 2:
        return True
    # One syllable: a noun in at least two lexicons, and in most of those that know it.
    nouns = sum(tag in _NOUN_TAGS for tag in tags)
    return nouns >= 2 and nouns > len(tags) - nouns


def prepare(texts: Sequence[str]) -> list[str]:
    """The members' raw texts (at most MAX_TEXTS), cleaned as their words were, for `grow`."""
    return [_clean(text) for text in texts[:MAX_TEXTS]]


def grow(word: str, cleaned: Sequence[str]) -> str:
    """The phrase `word` stands for in these texts (from `prepare`): itself, or grown by the
    neighbouring words that (nearly) every occurrence shares."""
    contexts = _contexts(word, cleaned)
    if len(contexts) < 2:
        return word
    weak = not stands_alone(word)
    # A whole word grows only on firmer evidence than a fragment does.
    need = max(2 if weak else 3, (AGREE_FRAGMENT if weak else AGREE) * len(contexts))
    stop = _stopwords()
    words = [word]
    # Each step takes the neighbour, left or right, that most occurrences still agree on.
    agreeing = {0: contexts, 1: contexts}
    steps = {0: 0, 1: 0}
    while len(words) < MAX_WORDS:
        best = None
        for side in (1, 0):
            step = steps[side]
            counts = Counter(ctx[side][step] for ctx in agreeing[side] if len(ctx[side]) > step)
            if not counts:
                continue
            neighbour, count = counts.most_common(1)[0]
            # Never a function word: "ให้"+"เทศบาล", "คน"+"ที่"+"พก" are not names of anything.
            if count < need or neighbour in stop or len("".join(words)) + len(neighbour) > MAX_CHARS:
                continue
            if best is None or count > best[2]:
                best = (side, neighbour, count)
        if best is None:
            break
        side, neighbour, _count = best
        words = [neighbour, *words] if side == 0 else [*words, neighbour]
        agreeing[side] = [ctx for ctx in agreeing[side] if len(ctx[side]) > steps[side] and ctx[side][steps[side]] == neighbour]
        steps[side] += 1
    phrase = "".join(words)
    if weak and steps[1] == 0:
        # A fragment whose next word the segmenter cut differently each time ("แสน|สุข|เพิ่ม",
        # "แสน|สุ|ขจัด"): the letters every occurrence continues with, up to a word's end.
        phrase += _shared_start(contexts, stop)
    return phrase


def _shared_start(contexts: list[Context], stop: frozenset[str]) -> str:
    """The longest run of letters every occurrence continues with that ends where one of them
    has a word boundary (at least SHARED_MIN letters; never a lone stopword)."""
    shared = os.path.commonprefix([ctx[2] for ctx in contexts])[:SHARED_MAX]
    ends = set()
    for ctx in contexts:
        position = 0
        for token in ctx[1]:
            position += len(token)
            ends.add(position)
    for length in range(len(shared), SHARED_MIN - 1, -1):
        if length in ends and shared[:length] not in stop:
            return shared[:length]
    return ""


Context = tuple[list[str], list[str], str]


def _contexts(word: str, texts: Sequence[str]) -> list[Context]:
    """For each occurrence of `word` as a whole segmented word: the words to its left (nearest
    first) and to its right, up to the first space or punctuation, and the Thai letters
    right after it."""
    found: list[Context] = []
    for cleaned in texts:
        start = cleaned.find(word)
        seen = 0
        while start >= 0 and seen < MAX_PER_TEXT and len(found) < MAX_OCCURRENCES:
            context = _context_at(cleaned, start, word)
            if context is not None:
                found.append(context)
            seen += 1
            start = cleaned.find(word, start + len(word))
    return found


def _context_at(cleaned: str, start: int, word: str) -> Context | None:
    left_edge = max(0, start - WINDOW)
    right_edge = min(len(cleaned), start + len(word) + WINDOW)
    window = cleaned[left_edge:right_edge]
    tokens = word_tokenize(window, engine=ENGINE, keep_whitespace=True)
    offsets, position = [], 0
    for token in tokens:
        offsets.append(position)
        position += len(token)
    target = start - left_edge
    try:
        index = next(i for i, offset in enumerate(offsets) if offset == target and tokens[i] == word)
    except StopIteration:
        return None  # here the letters are part of a longer word ("แสนแสบ")
    left: list[str] = []
    for i in range(index - 1, -1, -1):
        # The first token of a cut window may be half a word: never use it.
        if not _is_word(tokens[i]) or (i == 0 and left_edge > 0):
            break
        left.append(tokens[i])
    right: list[str] = []
    for i in range(index + 1, len(tokens)):
        if not _is_word(tokens[i]) or (i == len(tokens) - 1 and right_edge < len(cleaned)):
            break
        right.append(tokens[i])
    after = _LETTERS_AFTER.match(cleaned, start + len(word))
    return left, right, after.group(0) if after else ""


def _is_word(token: str) -> bool:
    return bool(token.strip()) and bool(_THAI.search(token))
