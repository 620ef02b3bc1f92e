"""Tests of issue-level grouping: the same problem at the same place, inside topics
(`idea4gov.grouping.issues`, `issue_features`, `issue_knn` and the issue-aware ranking
of `SimilarityIndex`). Small synthetic Thai texts: fast enough for every CI run."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from idea4gov.grouping import (
    DEFAULT,
    SimilarityIndex,
    assign_issue,
    group_issue_index,
    group_issues,
    group_issues_tokens,
    group_levels,
    group_texts,
    nest_issues,
    tokenize,
)
from idea4gov.grouping.issue_features import (
    IssueFeaturizer,
    denoise,
    issue_terms,
    numbers_conflict,
    place_numbers,
    shared_places,
)

# Three problems of one topic (street lights), told several ways; the first two differ
# only by the soi number.
LIGHT_47 = [
    "ไฟฟ้าส่องสว่างดับทั้งซอย ซอยลาดพร้าว 47 มืดมาก",
    "ซอยลาดพร้าว 47 ไฟดับมาสามคืนแล้ว อันตรายมาก",
    "แจ้งอีกครั้ง ไฟส่องสว่างในซอยลาดพร้าว 47 ยังดับอยู่",
]
LIGHT_12 = [
    "ไฟฟ้าส่องสว่างดับทั้งซอย ซอยลาดพร้าว 12 มืดมาก",
    "ซอยลาดพร้าว 12 ไฟดับ กลางคืนมืด เดินไม่ได้",
]
CAR_5223 = [
    "บ้านเลขที่ 52/23 จอดรถกีดขวางทางเข้าซอยทุกวัน",
    "รถของบ้านเลขที่ 52/23 ยังจอดขวางทางอยู่ ช่วยดำเนินการด้วย",
]
# The same text sent again, three times.
COPY = ["ท่อระบายน้ำอุดตัน น้ำท่วมขังหน้าตลาดบางกะปิ"] * 3
# Other reports of the area: one per topic, no repeats.
BACKGROUND = [
    "ทางเท้าชำรุดเป็นหลุมเป็นบ่อ เดินลำบากมาก",
    "ขยะล้นถังส่งกลิ่นเหม็น ไม่มีรถมาเก็บขยะ",
    "เสียงดังจากร้านคาราโอเกะตอนกลางคืน นอนไม่หลับ",
    "อยากให้มีห้องสมุดในสวนสาธารณะ",
    "ขอให้ตัดหญ้าริมคลองแสนแสบ หญ้ารกสูงมาก",
    "รถเมล์ไม่จอดป้าย ผู้สูงอายุขึ้นรถไม่ได้",
    "ร้านอาหารตั้งโต๊ะกินพื้นที่ผิวจราจร",
    "สุนัขจรจัดไล่กัดเด็กนักเรียนหน้าโรงเรียน",
    "ต้นไม้ใหญ่กิ่งหักพาดสายไฟ เสี่ยงไฟไหม้",
    "ไฟจราจรแยกรัชดาเสีย รถติดยาว",
]
TEXTS = LIGHT_47 + LIGHT_12 + CAR_5223 + COPY + BACKGROUND
L47, L12, CAR, CP = range(0, 3), range(3, 5), range(5, 7), range(7, 10)
BG = range(10, len(TEXTS))


@pytest.fixture(scope="module")
def tokens() -> list[list[str]]:
    return [tokenize(t) for t in TEXTS]


@pytest.fixture(scope="module")
def index(tokens) -> SimilarityIndex:
    return SimilarityIndex.from_tokens(tokens)


@pytest.fixture(scope="module")
def issues(index) -> list[int]:
    return group_issue_index(index)


# -- features -------------------------------------------------------------------------
def test_issue_terms_keep_numbers_and_word_pairs() -> None:
    terms = issue_terms(tokenize("ไฟดับ ซอย 47 บ้านเลขที่ 52/23"))
    assert "47" in terms and "52" in terms and "23" in terms
    assert "ซอย 47" in terms and "52 23" in terms


def test_masked_phone_numbers_are_noise_for_issues() -> None:
    # Public report data masks phone numbers ("0XXXXXXXXX"): the mask must not tie two
    # reports together nor read as a place number.
    tokens = tokenize("ไฟดับ ซอย 5 ติดต่อ 0XXXXXXXXX")
    assert tokens[-2:] == ["0", "xxxxxxxxx"]  # stored tokens keep it (search), issue terms do not
    assert denoise(tokens) == tokens[:-2]
    assert not any("xxxx" in t or t == "0" for t in issue_terms(tokens))
    assert place_numbers(tokenize("ซอย 5 ติดต่อ 0XXXXXXXXX")) == {"ซอย": frozenset({"5"})}
    masked = SimilarityIndex.build(["ถนนพัง โทร 0XXXXXXXXX", "ขยะเต็ม โทร 0XXXXXXXXX", "ต้นไม้ล้ม"])
    plain = SimilarityIndex.build(["ถนนพัง โทร", "ขยะเต็ม โทร", "ต้นไม้ล้ม"])
    um, up = masked.issue_vectors()[0], plain.issue_vectors()[0]
    assert (um[0] @ um[1].T).toarray() == pytest.approx((up[0] @ up[1].T).toarray())


def test_place_numbers_are_numbers_after_a_place_word() -> None:
    assert place_numbers(tokenize("ซอยลาดพร้าว 47")) == {"ลาดพร้าว": frozenset({"47"})}
    assert place_numbers(tokenize("บ้านเลขที่ 52/23")) == {"เลขที่": frozenset({"52/23"})}
    # Dates, times and counts are not places.
    assert place_numbers(tokenize("วันที่ 27/11/66 เวลา 18.30 น.")) == {}
    assert place_numbers(tokenize("ไฟดับ 3 ดวง")) == {}


def test_hotline_short_codes_are_not_places() -> None:
    # Call-centre reports end with the channel ("เขตบางนา #1555"): the same hotline after
    # every district name must not tie two reports to one place.
    assert place_numbers(tokenize("ถนนอุดมสุข เขตบางนา #1555")) == {}
    assert place_numbers(tokenize("ส่งต่อจาก ศร 1111/1555")) == {}
    assert place_numbers(tokenize("บ้านเลขที่ 1555/2 ซอย 1555")) == {"เลขที่": frozenset({"1555/2"})}


def test_shared_places_and_their_specificity() -> None:
    a = place_numbers(tokenize("บ้านเลขที่ 52/23 ซอยลาดพร้าว 15"))
    assert shared_places(a, place_numbers(tokenize("เลขที่ 52/23 รถจอดขวาง"))) == [("เลขที่", "52/23")]
    assert shared_places(a, place_numbers(tokenize("ซอยลาดพร้าว 12"))) == []
    assert shared_places(a, None) == []
    featurizer = IssueFeaturizer()
    docs = [f"ซอย {n} ไฟดับ" for n in range(2, 30)] + ["ซอย 2 น้ำท่วม"] * 20 + ["เลขที่ 52/23 รถจอด"]
    featurizer.fit_transform([tokenize(d) for d in docs])
    rare, common = featurizer.place_specificity("เลขที่", "52/23"), featurizer.place_specificity("ซอย", "2")
    assert 0 <= common < rare <= 1
    assert featurizer.place_specificity("ซอย", "999") == 1.0  # never seen: as rare as can be


def test_a_shared_house_number_is_evidence_of_one_issue(tokens) -> None:
    # Two long reports that share only the house number (and the kind of problem): the
    # bonus raises their issue score; another house number gets none.
    extra = [
        "บ้านเลขที่ 88/14 นำรถมาจอดขวางหน้าประตูบ้านคนอื่นทุกเช้า ออกจากบ้านไม่ได้ ไปทำงานสายทุกวัน",
        "รถยนต์สีขาวของเจ้าของบ้านเลขที่ 88/14 จอดทิ้งไว้บนถนนในหมู่บ้านหลายวัน กีดขวางการสัญจร",
        "รถยนต์สีขาวของเจ้าของบ้านเลขที่ 31/7 จอดทิ้งไว้บนถนนในหมู่บ้านหลายวัน กีดขวางการสัญจร",
    ]
    toks = tokens + [tokenize(t) for t in extra]
    a, same, other = len(tokens), len(tokens) + 1, len(tokens) + 2
    off = SimilarityIndex.from_tokens(toks, dataclasses.replace(DEFAULT, issue_place_bonus=0.0))
    on = SimilarityIndex.from_tokens(toks)
    s_off, s_on = off.issue_scores_tokens(toks[a], [same, other]), on.issue_scores_tokens(toks[a], [same, other])
    assert s_on[0] > s_off[0] + 0.01
    assert s_on[1] <= s_off[1] + 1e-6
    edges = [
        {(int(r), int(c)): v for r, c, v in zip(g.rows, g.cols, g.raw, strict=True)}
        for g in (off.issue_graph(), on.issue_graph())
    ]
    rep_of = on.issue_graph().rep_of
    key = (int(rep_of[a]), int(rep_of[same]))
    assert edges[1][key] > edges[0][key]  # the grouping's graph applies the same rule


def test_numbers_conflict_only_when_a_shared_place_word_never_agrees() -> None:
    a, b = place_numbers(tokenize("ซอย 47")), place_numbers(tokenize("ซอย 2"))
    assert numbers_conflict(a, b)
    assert not numbers_conflict(a, place_numbers(tokenize("ซอย 47 แยก 3")))
    assert not numbers_conflict(a, place_numbers(tokenize("เลขที่ 5")))  # no shared word
    assert not numbers_conflict(a, None)


# -- grouping -------------------------------------------------------------------------
def test_group_issues_is_the_contract_and_deterministic(tokens) -> None:
    ids = group_issues(TEXTS)
    assert len(ids) == len(TEXTS)
    assert ids == group_issues(TEXTS) == group_issues_tokens(tokens)
    assert ids[0] == 0  # ids number issues in order of their first report
    assert group_issues([]) == []
    assert group_issues(["ไฟดับ"]) == [0]


def test_same_problem_same_place_is_one_issue(issues) -> None:
    for members in (L47, L12, CAR, CP):
        assert len({issues[i] for i in members}) == 1, [TEXTS[i] for i in members]


def test_same_topic_other_place_is_another_issue(issues) -> None:
    assert issues[L47[0]] != issues[L12[0]]  # one soi number apart
    assert issues[L47[0]] != issues[CAR[0]]
    # ...while the topic engine may well put them together: that is the point.
    topics = group_texts(TEXTS)
    assert len({topics[i] for i in (*L47, *L12)}) <= 2


def test_unrelated_reports_stay_alone(issues) -> None:
    for i in BG:
        assert issues.count(issues[i]) == 1, TEXTS[i]


def test_empty_texts_are_never_one_issue() -> None:
    ids = group_issues(["", "  ", "😀", *TEXTS])
    assert len({ids[0], ids[1], ids[2]}) == 3


def test_stable_ids_across_regrouping(tokens, issues) -> None:
    old = [i + 100 for i in issues]
    new_report = tokenize("ไฟในซอยลาดพร้าว 47 ดับอีกแล้ว มืดมาก")
    again = group_issues_tokens([new_report, *tokens], previous=[None, *old])
    assert again[1:] == old
    assert again[0] == old[L47[0]]


# -- officers' decisions ----------------------------------------------------------------
def test_cannot_link_splits_an_issue(index, issues) -> None:
    a, b = L47[0], L47[1]
    split = group_issue_index(index, cannot_link=[(a, b)])
    assert split[a] != split[b]
    assert issues[L12[0]] == issues[L12[1]] and split[L12[0]] == split[L12[1]]


def test_must_link_and_pins_keep_an_officers_issue(index, issues) -> None:
    bg = BG[0]
    joined = group_issue_index(index, must_link=[(bg, CAR[0])])
    assert joined[bg] == joined[CAR[0]] == joined[CAR[1]]
    # An officer moved a background report into issue 42 (the street lights of soi 47)
    # and split soi 12 off under id 43: the ids are kept and the two never meet.
    pinned = {L47[0]: 42, L47[1]: 42, L47[2]: 42, bg: 42, L12[0]: 43, L12[1]: 43}
    kept = group_issue_index(index, previous=issues, pinned=pinned)
    assert {kept[i] for i in (*L47, bg)} == {42}
    assert {kept[i] for i in L12} == {43}
    assert 42 not in {kept[i] for i in range(len(TEXTS)) if i not in (*L47, bg)}


def test_pins_split_identical_copies(index) -> None:
    ids = group_issue_index(index, pinned={CP[0]: 7, CP[1]: 8})
    assert ids[CP[0]] == 7 and ids[CP[1]] == 8
    assert ids[CP[2]] in (7, 8)  # the unpinned copy joins one of them


def test_decisions_outside_the_index_are_rejected(index) -> None:
    with pytest.raises(ValueError):
        group_issue_index(index, cannot_link=[(0, len(TEXTS))])
    with pytest.raises(ValueError):
        group_issue_index(index, pinned={-1: 3})
    with pytest.raises(ValueError):
        group_issue_index(index, previous=[1, 2])


# -- two levels -------------------------------------------------------------------------
def test_issues_nest_inside_topics(index) -> None:
    topics, issues = group_levels(index)
    assert issues == group_issue_index(index)
    for issue in set(issues):
        assert len({t for t, i in zip(topics, issues, strict=True) if i == issue}) == 1


def test_nest_issues_moves_reports_to_the_issues_main_topic() -> None:
    assert nest_issues([0, 0, 1, 1], [5, 5, 5, 6]) == [0, 0, 0, 1]
    assert nest_issues([0, 1], [5, 5]) == [0, 0]  # tie: the lower topic id
    with pytest.raises(ValueError):
        nest_issues([0], [1, 2])


# -- similar(): same-issue matches first ---------------------------------------------------
def test_similar_ranks_same_issue_first_and_flags_it(index) -> None:
    query = "ไฟส่องสว่างซอยลาดพร้าว 47 ดับ มืดมาก"
    found = index.matches(query, k=6)
    flags = [m.same_issue for m in found]
    assert flags == sorted(flags, reverse=True)  # flagged matches come first
    flagged = [m.position for m in found if m.same_issue]
    assert set(flagged) == set(L47)
    scores = [m.issue_score for m in found if m.same_issue]
    assert scores == sorted(scores, reverse=True)
    assert [p for p, _s in index.similar(query, k=6)] == [m.position for m in found]
    assert all(0 <= m.issue_score <= 1 and 0 < m.score <= 1 + 1e-6 for m in found)


def test_similar_contract_unchanged(index) -> None:
    assert index.similar("", k=5) == []
    res = index.similar(TEXTS[0], k=5, exclude=0)
    assert 0 not in [p for p, _ in res] and len(res) == 5
    assert len(index.similar(TEXTS[0], k=100)) <= len(TEXTS)
    assert index.similar(TEXTS[0], k=3) == index.similar(TEXTS[0], k=3)


def test_assign_issue_for_a_new_report(index, issues) -> None:
    new = tokenize("ซอยลาดพร้าว 47 ไฟยังดับอยู่เลย มืดมาก")
    assert assign_issue(index, new, issues) == issues[L47[0]]
    assert assign_issue(index, tokenize("ขอให้เพิ่มรอบรถเมล์สาย 8"), issues) is None
    assert assign_issue(index, [], issues) is None
    assert assign_issue(index, new, issues, threshold=1.0) is None


def test_added_ideas_are_matched_and_grouped(tokens) -> None:
    index = SimilarityIndex.from_tokens(tokens)
    pos = index.add(tokenize("รถบ้านเลขที่ 52/23 จอดขวางทางเข้าซอยอีกแล้ว"))
    assert pos == len(TEXTS)
    assert pos in [m.position for m in index.matches("บ้านเลขที่ 52/23 จอดรถขวาง", k=4) if m.same_issue]
    ids = group_issue_index(index)
    assert len(ids) == len(TEXTS) + 1 and ids[pos] == ids[CAR[0]]
    assert len(index.issue_hubness()) == len(index)


def test_pickled_index_keeps_issues(index, issues) -> None:
    again = pickle.loads(pickle.dumps(index))
    assert group_issue_index(again) == issues
    assert again.matches(TEXTS[5], k=3) == index.matches(TEXTS[5], k=3)


def test_index_from_before_issues_still_answers(index) -> None:
    state = dict(index.__dict__)
    for name in ("_issue", "_u", "_places", "_ut", "_udf", "_igraph", "_ihub", "_pending_issue"):
        state.pop(name)
    old = SimilarityIndex.__new__(SimilarityIndex)
    old.__setstate__(state)
    assert not old.has_issues
    found = old.matches(TEXTS[0], k=3)
    assert found and not any(m.same_issue for m in found)
    with pytest.raises(ValueError):
        group_issue_index(old)


def test_threshold_is_a_parameter(tokens) -> None:
    strict = SimilarityIndex.from_tokens(tokens, dataclasses.replace(DEFAULT, issue_threshold=1.01))
    ids = group_issue_index(strict)
    assert ids[CP[0]] == ids[CP[1]]  # identical copies are one node whatever the threshold
    assert ids[L47[0]] != ids[L47[1]]
    assert not any(m.same_issue for m in strict.matches(TEXTS[0], k=5, exclude=0))
