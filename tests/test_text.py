"""Unit tests of idea4gov/text.py: the one place user text is cleaned."""
from __future__ import annotations

import unicodedata

import pytest
from markupsafe import Markup

from idea4gov.text import clean_plain, clean_rich, normalize_input, plain_from_rich, rich_filter, visible_length

# --- normalize_input -------------------------------------------------------------------

def test_normalize_composes_to_nfc():
    decomposed = "e\u0301"  # e + combining acute
    assert normalize_input(decomposed) == "\u00e9"
    thai = unicodedata.normalize("NFD", "น้ำท่วม")
    assert normalize_input(thai) == unicodedata.normalize("NFC", "น้ำท่วม")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\x00b", "ab"),  # NUL
        ("a\x07b\x1bc", "abc"),  # bell, escape
        ("a\x7fb", "ab"),  # DEL
        ("a\u200bb", "ab"),  # zero-width space
        ("a\u200eb\u202ec", "abc"),  # direction marks and overrides
        ("a\ufeffb", "ab"),  # byte-order mark
        ("line1\r\nline2\rline3", "line1\nline2\nline3"),  # Windows and old Mac newlines
        ("keep\ttabs\nand newlines", "keep\ttabs\nand newlines"),
        ("  \n trimmed \t ", "trimmed"),
        ("\u0085next-line", "next-line"),  # C1 control
    ],
)
def test_normalize_drops_control_and_invisible_characters(raw, expected):
    assert normalize_input(raw) == expected


@pytest.mark.parametrize("empty", [None, "", "   ", "\u200b\u200b", "\x00\r\n"])
def test_normalize_empty_inputs_give_empty_string(empty):
    assert normalize_input(empty) == ""


def test_normalize_keeps_thai_marks_and_emoji():
    text = "ขยะบนชายหาดเยอะมาก 🏖️ ๑๒๓"
    assert normalize_input(text) == unicodedata.normalize("NFC", text)


# --- clean_rich ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<scr<script>ipt>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<iframe src=https://evil.example></iframe>",
        '<a href="javascript:alert(1)">click</a>',
        '<a href="JaVaScRiPt:alert(1)">click</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">click</a>',
        '<a href="https://ok.example" onclick="alert(1)" style="x">ok</a>',
        "<style>body{display:none}</style>",
        '<div onmouseover="alert(1)">hover</div>',
    ],
)
def test_clean_rich_never_keeps_active_content(attack):
    cleaned = clean_rich(attack).lower()
    assert "<script" not in cleaned
    assert "<img" not in cleaned and "<svg" not in cleaned and "<iframe" not in cleaned
    assert "<style" not in cleaned and "<div" not in cleaned
    assert "javascript:" not in cleaned
    assert "data:" not in cleaned
    assert "onerror" not in cleaned and "onclick" not in cleaned and "onload" not in cleaned
    assert "onmouseover" not in cleaned and "style=" not in cleaned


def test_clean_rich_escapes_angle_brackets_in_plain_text():
    assert clean_rich("1 < 2 > 0 & ok") == "1 &lt; 2 &gt; 0 &amp; ok"


def test_clean_rich_links_urls_with_nofollow_ugc():
    cleaned = clean_rich("ดูแผนที่ https://example.org/map?a=1&b=2 ได้เลย")
    assert '<a href="https://example.org/map?a=1&amp;b=2" rel="nofollow ugc">' in cleaned
    assert cleaned.startswith("ดูแผนที่ ")
    assert cleaned.endswith(" ได้เลย")


def test_clean_rich_links_bare_domains():
    assert clean_rich("www.example.org") == '<a href="http://www.example.org" rel="nofollow ugc">www.example.org</a>'


def test_clean_rich_user_links_get_rel_and_lose_target_and_events():
    cleaned = clean_rich('<a href="https://example.org" target="_blank" rel="opener" onclick="x()">เว็บ</a>')
    assert cleaned == '<a href="https://example.org" rel="nofollow ugc">เว็บ</a>'


def test_clean_rich_does_not_link_email_addresses():
    assert clean_rich("ติดต่อ somchai@example.org") == "ติดต่อ somchai@example.org"


def test_clean_rich_strips_other_tags_but_keeps_their_text():
    assert clean_rich("<b>ตัวหนา</b> <i>เอียง</i> <span>ช่วง</span>") == "ตัวหนา เอียง ช่วง"


def test_clean_rich_is_stable_when_run_twice():
    once = clean_rich("ขยะ <script>x</script> https://example.org 1 < 2 & 3")
    assert clean_rich(once) == once


def test_clean_rich_normalizes_first():
    assert clean_rich("  a\u200bb\r\nc  ") == "ab\nc"


# --- clean_plain -----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<b>ถังขยะ</b>ริมหาด", "ถังขยะริมหาด"),
        ("<script>alert(1)</script>ชื่อ", "alert(1)ชื่อ"),
        ("1 < 2 & 3 > 2", "1 < 2 & 3 > 2"),  # stored unescaped; templates escape
        ("AT&amp;T", "AT&T"),
        ("  ชื่อ\u200b  ", "ชื่อ"),
        ("<b></b><i></i>", ""),
        ("https://example.org", "https://example.org"),  # no links in plain text
    ],
)
def test_clean_plain(raw, expected):
    assert clean_plain(raw) == expected


def test_clean_plain_none():
    assert clean_plain(None) == ""


# --- plain_from_rich and the |rich filter ----------------------------------------------

def test_plain_from_rich_gives_the_words_back():
    stored = clean_rich("ขยะ 1 < 2 ที่ https://example.org นะ")
    assert plain_from_rich(stored) == "ขยะ 1 < 2 ที่ https://example.org นะ"


def test_rich_filter_marks_clean_text_safe():
    stored = clean_rich("ดู https://example.org")
    rendered = rich_filter(stored)
    assert isinstance(rendered, Markup)
    assert str(rendered) == stored


def test_rich_filter_recleans_text_that_bypassed_storage_cleaning():
    # Defence in depth: a row written by some other path still renders inert.
    rendered = str(rich_filter('<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:x">y</a>'))
    assert "<script" not in rendered and "<img" not in rendered and "javascript:" not in rendered


def test_rich_filter_none_is_empty():
    assert str(rich_filter(None)) == ""


# --- visible_length --------------------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "length"),
    [
        ("ถังขยะ", 6),
        ("  ถังขยะ  ", 6),
        ("<b></b><i></i><b></b>", 0),
        ("a\u200b\u200b\u200b\u200b", 1),
        ("1 < 2", 5),
        ("<b>ab</b>", 2),
        (None, 0),
    ],
)
def test_visible_length_counts_what_readers_see(raw, length):
    assert visible_length(raw) == length
