"""The word list is matched on PyThaiNLP words, with spacing and spelling tricks undone."""
from __future__ import annotations

import pytest

from idea4gov.moderation import filters

LISTED = [
    "ไอ้ ค ว ย", "ค.ว.ย", "ค-ว-ย", "ค_ว_ย", "ค\u200bว\u200bย", "เหี้ยมาก", "ร้านนี้ เ-หี้-ย จริง",
    "f u c k", "F.U.C.K you", "fuuuuuck", "sh1t", "b1tch", "เว็บ บาคาร่า ได้เงินจริง", "สล็อตออนไลน์ เครดิตฟรี",
    "fuuuckkk", "เหี้ยยยย", "ควยยย ย", "FUCKKKK",
]
ORDINARY = [
    "หีบเพลงของชุมชนบ้านครัว", "สัดส่วนงบประมาณปีนี้", "ควายไถนาในทุ่งหัวเวียง", "Scunthorpe and Essex",
    "ซอย 5a ติดถนนใหญ่", "class assignment", "ขยะบนชายหาดเยอะมาก", "", "a b c d e",
]


@pytest.mark.parametrize("text", LISTED)
def test_listed_words_are_found(text):
    assert filters.listed_words(text)
    assert filters.screen(text) == "word_list"


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_words_pass(text):
    assert filters.listed_words(text) == []
    assert filters.screen(text) is None


def _listed_by_segmenting(text: str) -> list[str]:
    """The words `listed_words` finds, always segmenting (no quick check first)."""
    found = set()
    for word in filters._words(filters._normalise(text)):
        hits = filters._variants(word) & filters.blocked_words()
        if hits:
            found.add(sorted(hits)[0])
    return sorted(found)


@pytest.mark.parametrize("text", LISTED + ORDINARY + [f"ถนนเส้นนี้{w}มาก" for w in sorted(filters.blocked_words())])
def test_the_quick_check_finds_what_segmenting_finds(text):
    assert filters.listed_words(text) == _listed_by_segmenting(text)


def test_a_text_with_no_listed_word_in_it_is_not_segmented(monkeypatch):
    long_idea = "ถนนในซอยมีหลุมบ่อเยอะมาก น้ำท่วมขังทุกครั้งที่ฝนตก ขอให้เขตช่วยซ่อมแซมโดยเร็ว " * 20
    monkeypatch.setattr(filters, "_words", lambda normalised: pytest.fail("segmented a clean text"))
    assert filters.listed_words(long_idea) == [] and filters.screen(long_idea) is None
    assert filters.could_hold_listed_words(filters._normalise("ร้านนี้ เ-หี้-ย จริง"))


def test_more_than_two_links_go_to_the_queue():
    two = "ดูที่ https://a.example.org และ www.b.example.org"
    assert filters.count_links(two) == 2 and filters.screen(two) is None
    three = two + " และ bit.ly/abc"
    assert filters.count_links(three) == 3 and filters.screen(three) == "links"


def test_fingerprint_ignores_case_spacing_and_mark_order():
    assert filters.fingerprint("  ขยะ   ชายหาด\nABC ") == filters.fingerprint("ขยะ ชายหาด abc")
    assert filters.fingerprint("ขยะชายหาด") != filters.fingerprint("ขยะชายหาดบางแสน")


def test_the_lists_are_kept_in_the_repository():
    words = filters.blocked_words()
    assert "ควย" in words and "fuck" in words
    assert all(word == word.strip().lower() and not word.startswith("#") for word in words)
