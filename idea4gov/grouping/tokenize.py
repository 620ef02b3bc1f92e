"""Thai-aware tokenization: one place that turns an idea's text into index words.

The web app stores the output once per idea (at write time) and every index and
grouping is rebuilt from those stored tokens, so this function must be
deterministic and cheap; changing it means re-tokenizing stored ideas.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

# PyThaiNLP must never try a download at run time (no network in production or CI),
# nor create ~/pythainlp-data as a side effect (a web server's home may be read-only):
# newmm, the dictionary, stopwords and normalize() all ship inside the package.
# Set before the first pythainlp import anywhere in the process; an explicit setting
# (or the deprecated PYTHAINLP_READ_MODE, which may not be combined with it) wins.
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
if "PYTHAINLP_READ_MODE" not in os.environ:
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

from pythainlp.corpus import thai_stopwords  # noqa: E402
from pythainlp.tokenize import word_tokenize  # noqa: E402
from pythainlp.util import normalize as thai_normalize  # noqa: E402

__all__ = ["search_terms", "tokenize", "warm_up"]

ENGINE = "newmm"

_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+", re.IGNORECASE)
# Thai digits -> Arabic so "๑๒" and "12" are the same word.
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Everything that is not a Thai letter/vowel/tone mark, nor a letter or digit of
# another script, becomes a space: punctuation, emoji, symbols, Thai punctuation
# (ฯ, ๆ, ๏, ฿, ๚, ๛). Thai combining marks are not \w in Python, hence the range.
_NOT_WORD = re.compile(r"[^\w\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e]+|[_\u0e2f\u0e46\u0e4f\u0e5a\u0e5b]")
_THAI_CHAR = re.compile(r"[\u0e01-\u0e4e]")
_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    # Normalise the list the same way as the text, so reordered marks still match.
    return frozenset(thai_normalize(w) for w in thai_stopwords())


def _clean(text: str) -> str:
    """Normalise text before segmentation (case, digits, mark order, symbols)."""
    text = unicodedata.normalize("NFC", text)
    text = _URL.sub(" ", text)
    text = text.translate(_THAI_DIGITS).lower()
    text = _NOT_WORD.sub(" ", text)
    # Fixes vowel/tone-mark order, doubled marks and zero-width characters, so
    # two spellings that look the same on screen give the same tokens.
    return thai_normalize(text)


def _keep(token: str, stop: frozenset[str]) -> bool:
    if not token or token.isspace() or token in stop:
        return False
    # A lone Thai character is a segmentation leftover, not a word; lone digits
    # and Latin letters are kept (house numbers, "soi 5", "a/c").
    return not (len(token) == 1 and _THAI_CHAR.match(token))


def tokenize(text: str) -> list[str]:
    """Split ``text`` into normalised Thai/English words without stopwords.

    Deterministic; empty or whitespace-only text gives ``[]``. English words are
    lower-cased, Thai digits become Arabic, URLs, emoji and punctuation go away.
    """
    if not text or text.isspace():
        return []
    cleaned = _clean(text)
    if not cleaned.strip():
        return []
    stop = _stopwords()
    out: list[str] = []
    for chunk in cleaned.split():
        for token in word_tokenize(chunk, engine=ENGINE, keep_whitespace=False):
            token = token.strip()
            if _keep(token, stop):
                out.append(token)
    return out


def search_terms(text: str) -> str:
    """Space-joined tokens for a database full-text column (same words as the index)."""
    return " ".join(tokenize(text))


def warm_up() -> None:
    """Build PyThaiNLP's dictionary trie and stopword set now (≈0.7 s) instead of on
    the first request; call it at app start-up (shared by gunicorn ``--preload``)."""
    _stopwords()
    word_tokenize("อุ่นเครื่อง", engine=ENGINE)
