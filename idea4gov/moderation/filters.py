"""Screening text before it is published: a word list, too many links, the same text twice.

The word list (Thai and English, in `wordlists/`) is matched on PyThaiNLP words, after
undoing the usual tricks: letters spaced or dotted apart ("ค ว ย", "f.u.c.k"), zero-width
characters and reordered tone marks (PyThaiNLP's normalize), repeated letters ("fuuuck")
and digits for letters in Latin words ("sh1t"). Matching whole words keeps ordinary words
that merely contain a listed one (หีบ, สัดส่วน, Scunthorpe) out of the queue.
"""
from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from pythainlp.corpus import thai_words
from pythainlp.tokenize import word_tokenize
from pythainlp.util import Trie
from pythainlp.util import normalize as thai_normalize

from idea4gov.grouping import tokenize as _engine  # noqa: F401  (sets PyThaiNLP offline before import)

WORDLIST_DIR = Path(__file__).parent / "wordlists"
#: More links than this in one text sends it to the queue.
MAX_LINKS = 2

_LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|io|ly|me|co|th|xyz|top|shop|online|site|"
    r"link|club|bet|vip|win|app|cc|tk|ru|cn)\b(?:/[^\s<>\"]*)?",
    re.IGNORECASE,
)
#: One "letter" of a spaced-out word: a base character and its combining marks.
_UNIT = r"[^\W\d_][\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0300-\u036f]*"
#: Three or more single letters separated by spaces, dots, dashes, stars or underscores.
_SPACED = re.compile(rf"(?<![^\W\d_])(?:{_UNIT}[\s.\-*_·|/]+){{2,}}{_UNIT}(?![^\W\d_])")
_SEPARATORS = re.compile(r"[\s.\-*_·|/]+")
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
#: A Latin word with digits or symbols standing in for letters ("sh1t", "@ss").
_LEET_WORD = re.compile(r"(?<![a-z0-9@$])(?=[a-z0-9@$]*[a-z])(?=[a-z0-9@$]*[0-9@$])[a-z0-9@$]{3,}")
_REPEAT = re.compile(r"(.)\1{2,}")


def _read(name: str) -> frozenset[str]:
    lines = (WORDLIST_DIR / name).read_text(encoding="utf-8").splitlines()
    return frozenset(thai_normalize(line.strip().lower()) for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def blocked_words() -> frozenset[str]:
    return _read("th.txt") | _read("en.txt")


@lru_cache(maxsize=1)
def _dictionary() -> Trie:
    """PyThaiNLP's dictionary plus the listed words, so newmm cuts them out as words."""
    return Trie(set(thai_words()) | blocked_words())


def warm_up() -> None:
    """Build the dictionary now (about a second of CPU) rather than in the first idea or comment
    posted after a start (`ideas.similar.warm`)."""
    _dictionary()


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    text = _ZERO_WIDTH.sub("", text).lower()
    text = _SPACED.sub(lambda m: _SEPARATORS.sub("", m.group(0)), text)
    text = _LEET_WORD.sub(lambda m: m.group(0).translate(_LEET), text)
    return thai_normalize(text)


def _variants(word: str) -> set[str]:
    """The word, its letters-for-digits form, and forms with long letter runs cut to 1 or 2."""
    forms = {word}
    for form in list(forms):
        runs = _REPEAT.findall(form)
        if runs and len(runs) <= 3:
            for lengths in itertools.product((1, 2), repeat=len(runs)):
                forms.add(_shorten_runs(form, lengths))
    return forms


def _shorten_runs(word: str, lengths: tuple[int, ...]) -> str:
    """Cut each run of 3+ equal letters to the given length, in order."""
    lengths_left = iter(lengths)
    return _REPEAT.sub(lambda match: match.group(1) * next(lengths_left), word)


def _words(normalised: str) -> list[str]:
    """The words of a `_normalise`d text that the list is matched against."""
    tokens = word_tokenize(normalised, custom_dict=_dictionary(), engine="newmm", keep_whitespace=False)
    words = []
    for token in tokens:
        token = token.strip()
        if token and not _SEPARATORS.fullmatch(token):
            words.append(token)
    return words


_RUN = re.compile(r"(.)\1+")


def _squeeze(text: str) -> str:
    """Every run of one letter cut to a single letter ("fuuuck" -> "fuck", "aab" -> "ab")."""
    return _RUN.sub(r"\1", text)


@lru_cache(maxsize=1)
def _squeezed_list() -> tuple[str, ...]:
    return tuple(sorted({_squeeze(word) for word in blocked_words() if word}))


def could_hold_listed_words(normalised: str) -> bool:
    """False when no listed word can be in the (`_normalise`d) text, found without segmenting it.

    A listed word is matched on a word of the text, or on that word with runs of a letter cut
    short (`_variants`); either way, with every run cut to one letter it is a piece of the text
    with every run cut to one letter. Most texts hold no such piece, and segmenting them (the
    costly part, milliseconds for a long idea) is then skipped.
    """
    squeezed = _squeeze(normalised)
    return any(word in squeezed for word in _squeezed_list())


def listed_words(text: str) -> list[str]:
    """Listed words found in the text (empty when it is clean)."""
    normalised = _normalise(text)
    if not could_hold_listed_words(normalised):
        return []
    listed = blocked_words()
    found = []
    for word in _words(normalised):
        hits = _variants(word) & listed
        if hits:
            found.append(sorted(hits)[0])
    return sorted(set(found))


def count_links(text: str) -> int:
    return len(_LINK.findall(text or ""))


def screen(text: str) -> str | None:
    """Why this text must wait for a moderator (`word_list`, `links`), or None."""
    if listed_words(text):
        return "word_list"
    if count_links(text) > MAX_LINKS:
        return "links"
    return None


def fingerprint(text: str) -> str:
    """SHA-256 of the text with case, spacing and mark order normalised."""
    normalised = " ".join(thai_normalize(unicodedata.normalize("NFC", text or "")).casefold().split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()
