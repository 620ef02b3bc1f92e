"""The one place user text is cleaned: bleach allowlists and the Jinja filter."""
from __future__ import annotations

import html
import unicodedata
from functools import lru_cache, partial, wraps

import bleach
from bleach.linkifier import Linker
from markupsafe import Markup

#: Ideas and comments are plain text; the only markup kept is links we add ourselves.
ALLOWED_TAGS: frozenset[str] = frozenset({"a"})
ALLOWED_ATTRIBUTES = {"a": ["href", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _nofollow_ugc(attrs: dict, new: bool = False) -> dict:
    """Every link in user text is marked as user-generated and not endorsed."""
    href_key = (None, "href")
    if href_key not in attrs:
        return attrs
    attrs[(None, "rel")] = "nofollow ugc"
    attrs.pop((None, "target"), None)
    return attrs


_linker = Linker(callbacks=[_nofollow_ugc], skip_tags={"pre", "code"}, parse_email=False)
_clean = partial(
    bleach.clean, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS, strip=True
)


def normalize_input(value: str | None) -> str:
    """NFC, no control characters except newlines and tabs, Windows newlines folded, trimmed."""
    value = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").replace("\r", "\n")
    # Category C covers control and invisible format characters (zero-width spaces too).
    return "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()


#: Posting an idea cleans the same title and body several times (the form's length checks, the API's
#: checks on the stored form, the service): texts up to this long are cleaned once and remembered.
_REMEMBER_UP_TO = 6000


def _remembered(clean):  # noqa: ANN001, ANN202
    """`clean`, with its latest answers for short texts kept (bleach is pure: same text, same answer)."""
    cached = lru_cache(maxsize=64)(clean)

    @wraps(clean)
    def cleaned(value: str | None) -> str:
        value = value or ""
        return cached(value) if len(value) <= _REMEMBER_UP_TO else clean(value)

    return cleaned


@_remembered
def clean_rich(value: str | None) -> str:
    """Clean user text for storage: tags stripped, entities escaped, links rel="nofollow ugc"."""
    return _linker.linkify(_clean(normalize_input(value)))


@_remembered
def clean_plain(value: str | None) -> str:
    """Plain text (titles, names): tags removed, stored unescaped; templates autoescape it."""
    return html.unescape(bleach.clean(normalize_input(value), tags=set(), strip=True)).strip()


@_remembered
def plain_from_rich(value: str) -> str:
    """The words of stored rich text, for search and grouping."""
    return html.unescape(bleach.clean(value, tags=set(), strip=True))


def visible_length(value: str | None) -> int:
    """How many characters a reader will see: tags, control characters and edge spaces don't count."""
    return len(clean_plain(value))


class TextLength:
    """WTForms validator: the length of what is stored and shown, not of what was typed.

    `Length` alone lets "<b></b><b></b>" or ten zero-width spaces pass as a ten-character
    title that is stored empty. This measures the cleaned text against `min` and caps the
    typed text (NFC, control characters dropped, trimmed) at `max`.
    """

    def __init__(self, min: int, max: int, message: str) -> None:  # noqa: A002 (WTForms' names)
        self.min = min
        self.max = max
        self.message = message
        self.field_flags = {"minlength": min, "maxlength": max}

    def __call__(self, form, field) -> None:  # noqa: ANN001
        from wtforms.validators import ValidationError

        typed = len(normalize_input(field.data))
        if visible_length(field.data) < self.min or typed > self.max:
            raise ValidationError(self.message % {"min": self.min, "max": self.max})


def rich_filter(value: str | None) -> Markup:
    """Jinja filter `|rich`: re-clean stored text (defence in depth) and mark it safe."""
    return Markup(_clean(value or ""))
