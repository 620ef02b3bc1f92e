"""Tests of the Thai similar-idea search and grouping engine (small synthetic texts)."""

from __future__ import annotations

import pickle

import pytest

from idea4gov.grouping import (
    SimilarityIndex,
    assign_group,
    group_texts,
    group_tokens,
    keywords,
    search_terms,
    stable_ids,
    tokenize,
    warm_up,
)

# Three topics, four ways each of saying it, plus one idea about nothing else.
FOOTPATH = [
    "ทางเท้าชำรุดเป็นหลุมเป็นบ่อ เดินลำบากมาก",
    "ฟุตบาทพังเป็นหลุม คนเดินเท้าสะดุดล้ม",
    "ทางเท้าแตกเป็นหลุมหน้าปากซอย ช่วยซ่อมทางเท้าด้วย",
    "ขอให้ซ่อมทางเท้าที่ชำรุดเป็นหลุม",
]
GARBAGE = [
    "ขยะล้นถังส่งกลิ่นเหม็น ไม่มีรถมาเก็บขยะ",
    "รถเก็บขยะไม่มาเก็บขยะหลายวันแล้ว กลิ่นเหม็นมาก",
    "มีคนทิ้งขยะริมถนน ขยะส่งกลิ่นเหม็น",
    "ขยะกองสูงส่งกลิ่นเหม็น ขอรถเก็บขยะ",
]
NOISE = [
    "เสียงดังจากร้านคาราโอเกะตอนกลางคืน นอนไม่หลับ",
    "ร้านคาราโอเกะเปิดเสียงดังทั้งคืน รบกวนการนอน",
    "เสียงเพลงดังมากจากร้านคาราโอเกะ รบกวนชาวบ้าน",
    "คาราโอเกะเสียงดังรบกวนเวลานอนทุกคืน",
]
TEXTS = FOOTPATH + GARBAGE + NOISE + ["อยากให้มีห้องสมุดในสวนสาธารณะ"]


@pytest.fixture(scope="module")
def index() -> SimilarityIndex:
    return SimilarityIndex.build(TEXTS)


# -- tokenization -------------------------------------------------------------------
def test_tokenize_thai_words_without_stopwords() -> None:
    toks = tokenize("ทางเท้าชำรุดเป็นหลุมครับ")
    assert "ทางเท้า" in toks and "ชำรุด" in toks and "หลุม" in toks
    assert "ครับ" not in toks and "เป็น" not in toks


def test_tokenize_keeps_english_and_numbers_lower_cased() -> None:
    toks = tokenize("ไฟ LED ดับ 3 ดวง ที่ซอย 12")
    assert "led" in toks and "3" in toks and "12" in toks and "ไฟ" in toks


def test_tokenize_thai_digits_become_arabic() -> None:
    assert tokenize("ซอย ๑๒") == tokenize("ซอย 12")


def test_tokenize_drops_urls_emoji_punctuation() -> None:
    toks = tokenize("น้ำท่วม!!! 😡😡 ดูที่ https://example.com/a?b=1 (ด่วน)")
    assert "น้ำท่วม" in toks
    assert not any("http" in t or "example" in t or "😡" in t or "!" in t or "(" in t for t in toks)


@pytest.mark.parametrize("text", ["", "   ", "\n\t ", "😀 !!!"])
def test_tokenize_empty_and_whitespace(text: str) -> None:
    assert tokenize(text) == []


def test_tokenize_normalises_tone_and_vowel_order() -> None:
    # "น้ำ" typed tone mark before the vowel (U+0E49 after U+0E33 is the right order;
    # a doubled tone mark is the common typo) gives the same word.
    assert tokenize("น้ำท่วม") == tokenize("น้้ำท่วม")
    # Sara Am typed as Nikhahit + Sara Aa.
    assert tokenize("น้ำท่วม") == tokenize("น\u0e49\u0e4d\u0e32ท่วม")


def test_tokenize_is_deterministic_and_search_terms_match() -> None:
    warm_up()
    text = "ไฟฟ้าส่องสว่างดับทั้งซอย"
    assert tokenize(text) == tokenize(text)
    assert search_terms(text) == " ".join(tokenize(text))


# -- index ----------------------------------------------------------------------------
def test_exact_copy_ranks_first(index: SimilarityIndex) -> None:
    for i, text in enumerate(TEXTS):
        assert index.similar(text, k=1)[0][0] == i


def test_similar_finds_same_topic(index: SimilarityIndex) -> None:
    found = [pos for pos, _ in index.similar("ขยะเหม็นมาก ไม่มีคนมาเก็บ", k=3)]
    assert set(found) <= set(range(4, 8))


def test_exclude_and_ordering(index: SimilarityIndex) -> None:
    res = index.similar(TEXTS[0], k=5, exclude=0)
    assert 0 not in [p for p, _ in res]
    assert all(0 < s <= 1.0 + 1e-6 for _, s in res)
    # Same-issue matches first (tests/test_grouping_issues.py); with that tier and the
    # issue term switched off, best first by the hub-reduced rank (score - hub_weight * hub).
    import dataclasses

    from idea4gov.grouping import DEFAULT

    topics_only = SimilarityIndex.build(TEXTS, dataclasses.replace(DEFAULT, issue_threshold=2.0, issue_rank_weight=0.0))
    res = topics_only.similar(TEXTS[0], k=5, exclude=0)
    hub, lam = topics_only.hubness(), topics_only.params.hub_weight
    ranks = [s - lam * float(hub[p]) for p, s in res]
    assert ranks == sorted(ranks, reverse=True)


def test_k_larger_than_corpus(index: SimilarityIndex) -> None:
    res = index.similar(TEXTS[0], k=100)
    assert 0 < len(res) <= len(TEXTS)
    assert len({p for p, _ in res}) == len(res)


def test_empty_query_and_empty_corpus(index: SimilarityIndex) -> None:
    assert index.similar("", k=5) == []
    assert index.similar("   ", k=5) == []
    empty = SimilarityIndex.build([])
    assert len(empty) == 0
    assert empty.similar("ทางเท้าชำรุด", k=5) == []
    assert group_texts([]) == []


def test_from_tokens_equals_build_and_add() -> None:
    toks = [tokenize(t) for t in TEXTS]
    a = SimilarityIndex.build(TEXTS)
    b = SimilarityIndex.from_tokens(toks)
    assert a.similar(TEXTS[5], k=4) == b.similar_tokens(toks[5], k=4)
    pos = b.add(tokenize("ทางเท้าชำรุดเป็นหลุมเป็นบ่อ เดินลำบากมาก ช่วยด้วย"))
    assert pos == len(TEXTS) and len(b) == len(TEXTS) + 1
    # Found with its near-copy TEXTS[0] (the two differ by one word): top two.
    top = [p for p, _ in b.similar_tokens(tokenize("ทางเท้าชำรุดเป็นหลุมเป็นบ่อ เดินลำบากมาก ช่วยด้วย"), k=2)]
    assert set(top) == {0, pos}
    assert len(b.hubness()) == len(b)


def test_index_pickles() -> None:
    index = SimilarityIndex.build(TEXTS)
    again = pickle.loads(pickle.dumps(index))
    assert again.similar(TEXTS[2], k=3) == index.similar(TEXTS[2], k=3)


def test_tiny_corpora() -> None:
    one = SimilarityIndex.build(["ทางเท้าชำรุด"])
    assert one.similar("ทางเท้าชำรุด", k=5)[0][0] == 0
    assert one.similar("ทางเท้าชำรุด", k=5, exclude=0) == []
    assert group_texts(["ทางเท้าชำรุด"]) == [0]
    assert len(group_texts(["", "  "])) == 2


# -- grouping ---------------------------------------------------------------------------
def test_grouping_is_deterministic_and_finds_topics() -> None:
    a = group_texts(TEXTS)
    assert a == group_texts(TEXTS)
    assert len(a) == len(TEXTS)
    for topic in (range(0, 4), range(4, 8), range(8, 12)):
        ids = [a[i] for i in topic]
        assert max(ids.count(g) for g in ids) >= 3  # most of each topic together
    assert a[0] != a[4] and a[4] != a[8]


def test_stable_ids_across_recompute() -> None:
    toks = [tokenize(t) for t in TEXTS]
    first = group_tokens(toks)
    # Shift old ids so "keeping an id" is visible; add two new ideas at the front.
    old = [g + 100 for g in first]
    extra = [tokenize("ทางเท้าเป็นหลุมใหญ่ เดินไม่ได้"), tokenize("ขยะเหม็นไม่มีใครเก็บ")]
    again = group_tokens(extra + toks, previous=[None, -1, *old])
    assert again[2:] == old or sum(a == b for a, b in zip(again[2:], old, strict=True)) >= len(old) - 2
    assert again[0] == again[2] and again[1] == again[6]


def test_stable_ids_rule() -> None:
    # old groups 7 (a, b, c) and 9 (d, e); new grouping splits 7 two to one.
    assert stable_ids([0, 0, 1, 2, 2], [7, 7, 7, 9, 9]) == [7, 7, 10, 9, 9]
    # A new group made mostly of one old group's minority does not take its id.
    assert stable_ids([0, 1, 1, 1], [5, 5, 5, 5]) == [6, 5, 5, 5]
    # New ideas only: fresh ids from 0.
    assert stable_ids([0, 0, 1], [None, -1, None]) == [0, 0, 1]
    with pytest.raises(ValueError):
        stable_ids([0], [])


def test_assign_group(index: SimilarityIndex) -> None:
    groups = group_texts(TEXTS)
    g = assign_group(index, tokenize("คาราโอเกะเสียงดังรบกวนตอนกลางคืน"), groups)
    assert g == groups[8]
    assert assign_group(index, tokenize("ทดสอบ"), groups) is None
    assert assign_group(index, [], groups) is None


def test_keywords_are_thai_words_of_members(index: SimilarityIndex) -> None:
    members = [tokenize(t) for t in GARBAGE]
    words = keywords(members, index, n=3)
    assert words and words[0] == "ขยะ"
    member_words = {w for m in members for w in m}
    assert set(words) <= member_words
    assert keywords(members, [tokenize(t) for t in TEXTS], n=3)[0] == "ขยะ"
    assert keywords([], index) == []


# -- hubness reduction ------------------------------------------------------------------
HUB_TEXT = "ปัญหาทางเท้าชำรุด ขยะส่งกลิ่นเหม็น เสียงดังรบกวน ช่วยแก้ไขด้วย"


def test_generic_text_is_the_biggest_hub_and_is_pushed_down() -> None:
    import dataclasses

    from idea4gov.grouping import DEFAULT

    texts = TEXTS + [HUB_TEXT]
    index = SimilarityIndex.build(texts)
    hub = index.hubness()
    assert int(hub.argmax()) == len(TEXTS)  # the text about everything is the hub
    # The topic rank subtracts hub_weight * hub: a hub whose score ties a topical idea
    # loses. (The same-issue tier and issue term are off here: they rank first by
    # issue score, tests/test_grouping_issues.py.)
    topics = dataclasses.replace(DEFAULT, issue_threshold=2.0, issue_rank_weight=0.0)
    plain = SimilarityIndex.build(texts, dataclasses.replace(topics, hub_weight=0.0))
    query = "ขยะเหม็นมาก ไม่มีคนมาเก็บ"
    (first, score), *_ = plain.similar(query, k=3)
    plain._hub = index._hub.copy()
    plain._hub[first] = 1.0
    plain.params = dataclasses.replace(topics, hub_weight=1.0)
    res = plain.similar(query, k=3)
    assert res[0][0] != first
    assert dict(res).get(first, score) == pytest.approx(score)  # returned scores stay cosine blends
    # hub_weight 0 is the plain blend, sorted by score.
    scores = [s for _, s in SimilarityIndex.build(texts, dataclasses.replace(topics, hub_weight=0.0)).similar(query, k=5)]
    assert scores == sorted(scores, reverse=True)


def test_identical_texts_build_without_warnings():
    """A young area where every idea says the same thing must not trip numeric warnings."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        index = SimilarityIndex.build(["ขยะบนชายหาดเยอะมาก"] * 6)
        assert index.similar("ขยะบนชายหาด", k=3)
