"""Ideas appended with `add` are searched from a side buffer: a query after an append neither
re-stacks the index's matrices nor answers differently from the same index merged."""
from __future__ import annotations

import pickle

import pytest

from idea4gov.grouping import SimilarityIndex, assign_issue, tokenize

BASE = [
    "ขยะล้นถังหน้าตลาดหนองมนทุกเช้า ส่งกลิ่นเหม็น",
    "ไฟถนนซอยสุขุมวิท 101 ดับทั้งซอยมาสามวัน",
    "ทางเท้าหน้าโรงเรียนวัดแสนสุขชำรุดเป็นหลุม",
    "น้ำท่วมขังถนนลาดพร้าว 71 หลังฝนตก รถเล็กผ่านไม่ได้",
    "อยากให้มีถังขยะแยกประเภทริมชายหาดบางแสน",
    "รถจอดขวางทางเข้าออกซอยรามคำแหง 24 ทุกวัน",
    "สุนัขจรจัดในชุมชนกัดเด็กนักเรียน",
    "ท่อระบายน้ำอุดตันหน้าตลาดสด ส่งกลิ่นเหม็น",
]
ADDED = [
    "ไฟถนนในซอยสุขุมวิท 101 ไม่ติดเลยสามคืนแล้ว มืดมาก",
    "ขยะหน้าตลาดหนองมนล้นถังทุกเช้า เหม็นมาก",
    "ต้นไม้ล้มขวางถนนหน้าวัด",
]


@pytest.fixture(scope="module")
def index_with_appended():
    index = SimilarityIndex.build(BASE)
    for text in ADDED:
        index.add(tokenize(text))
    return index


def test_a_query_after_an_append_does_not_restack_the_index(index_with_appended):
    index = SimilarityIndex.build(BASE)
    w, wt = index._w, index._wt
    index.add(tokenize(ADDED[0]))
    found = index.matches_tokens(tokenize("ไฟถนนซอยสุขุมวิท 101 ดับ"), 3)
    assert index._w is w and index._wt is wt, "the main matrices were re-stacked for one appended idea"
    assert found[0].position in (1, len(BASE)) and found[0].same_issue
    # The appended idea is found by its own text, at its position, flagged as the same issue.
    assert {(m.position, m.same_issue) for m in index.matches_tokens(tokenize(ADDED[0]), 2)} == {(1, True),
                                                                                               (len(BASE), True)}


def test_answers_match_the_same_index_merged(index_with_appended):
    merged = pickle.loads(pickle.dumps(index_with_appended))
    merged._merge()
    for text in BASE + ADDED + ["ขยะล้นถังตลาดหนองมน", "ไฟดับซอย 101"]:
        tokens = tokenize(text)
        got = index_with_appended.matches_tokens(tokens, 5)
        want = merged.matches_tokens(tokens, 5)
        assert [m.position for m in got] == [m.position for m in want], text
        assert [m.same_issue for m in got] == [m.same_issue for m in want], text
        assert [m.score for m in got] == pytest.approx([m.score for m in want], abs=1e-4), text
    # Issue scores: the same up to one shift, the query's hub value (read from the merged ideas
    # only: an appended idea is nobody's partner until the next merge).
    positions = list(range(len(index_with_appended)))
    got = index_with_appended.issue_scores_tokens(tokenize(ADDED[1]), positions)
    want = merged.issue_scores_tokens(tokenize(ADDED[1]), positions)
    both = (got > 0) & (want > 0)
    assert both.sum() >= 3
    shift = got[both] - want[both]
    assert float(shift.max() - shift.min()) < 1e-4 and abs(float(shift.mean())) < 0.05


def test_a_new_report_joins_the_issue_of_an_appended_one(index_with_appended):
    # Issue ids by position: the appended "ไฟถนน … 101" report (position 9) is in issue 1 with
    # the original one; a third report of it joins issue 1 without any merge of the index.
    issues = [0, 1, 2, 3, 4, 5, 6, 7, 1, 0, 10]
    assert assign_issue(index_with_appended, tokenize("ซอยสุขุมวิท 101 ไฟถนนดับ มืดทั้งซอย"), issues) == 1
    assert index_with_appended._pending, "answered from the side buffer"


def test_an_index_built_from_nothing_answers_from_appended_ideas():
    index = SimilarityIndex.from_tokens([tokenize(BASE[0]), tokenize(BASE[1])])
    index.add(tokenize(ADDED[1]))
    assert index.matches_tokens(tokenize("ขยะตลาดหนองมน"), 2)[0].position in (0, 2)


@pytest.mark.parametrize("merged", [False, True], ids=["side-buffer", "merged"])
def test_among_answers_as_if_only_those_ideas_were_indexed(merged):
    """A new idea placed after it was appended (with later ideas, one a near copy of it) gets the
    neighbours, issue scores and issue it would have got before `add` (`among` leaves the rest out)."""
    import numpy as np

    from idea4gov.grouping import assign_group

    query = tokenize(ADDED[0])
    before = SimilarityIndex.build(BASE + ADDED[1:2])
    expected = before.matches_tokens(query, 5)
    expected_scores = before.issue_scores_tokens(query, [1, 8])
    labels = list(range(len(BASE) + 1))
    expected_issue = assign_issue(before, query, labels)
    expected_group = assign_group(before, query, labels)
    after = SimilarityIndex.build(BASE + ADDED[1:2])
    for text in (ADDED[0], ADDED[0] + " อีกครั้ง", ADDED[2]):  # itself, a later copy, another
        after.add(tokenize(text))
    if merged:
        after._merge()
    among = np.arange(len(after)) < len(BASE) + 1
    assert after.matches_tokens(query, 5, among=among) == expected
    assert any(m.position > len(BASE) for m in after.matches_tokens(query, 5))  # without it: itself, its copy
    assert np.allclose(after.issue_scores_tokens(query, [1, 8], among=among), expected_scores)
    later = labels + [100, 101, 102]
    assert assign_issue(after, query, later, among=among) == expected_issue
    assert assign_group(after, query, later, among=among) == expected_group
    with pytest.raises(ValueError):
        after.matches_tokens(query, 5, among=among[:-1])
