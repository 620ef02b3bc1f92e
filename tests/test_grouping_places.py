"""The place-expression extractor behind the "place" views of bench/issues_bounds.py (a research
tool: the engine does not use it; docs/grouping.md, "A second, independent look", says why)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from issue_places import common_words, expand_abbreviations, place_names, place_phrases  # noqa: E402

from idea4gov.grouping import tokenize  # noqa: E402


def places(text, names=(), common=()):
    return place_phrases(tokenize(expand_abbreviations(text)), names, common)


def test_street_names_with_and_without_numbers():
    assert places("น้ำท่วมซอยลาดพร้าว15") == ["ลาดพร้าว", "ลาดพร้าว 15"]
    assert places("มีน้ำท่วมในซอย๔๗") == ["ซอย 47"]  # Thai digits; a bare number keeps its anchor
    assert places("ถนนพระราม 2 แยกอโศก") == ["พระราม", "พระราม 2", "อโศก"]


def test_abbreviations_are_written_out_before_tokenize():
    assert expand_abbreviations("ปากซ.สุขุมวิท 11 ถ. สุขุมวิท") == "ปาก ซอย สุขุมวิท 11  ถนน  สุขุมวิท"
    assert places("หน้ารร.วัดดอน") == ["วัด ดอน", "ดอน"]
    assert places("ตรงข้ามรพ.ราชวิถี") == ["โรงพยาบาล ราชวิถี", "ราชวิถี"]
    assert "หมู่ 3" in places("บ้านเลขที่ 52/23 ม.3")


def test_house_numbers_stop_at_two_parts():
    assert places("บ้านเลขที่ ๕๒/๒๓ ม.3") == ["เลขที่ 52/23", "หมู่ 3"]
    # without the "ม." written out, "3" is the next field, not a third part of the number
    assert place_phrases(["บ้าน", "เลขที่", "52", "23", "3"]) == ["เลขที่ 52/23"]


def test_venues_after_position_words():
    assert places("รถจอดหน้าวัดแก้วแจ่มฟ้า") == ["วัด แก้ว", "วัด แก้ว แจ่ม", "แก้ว", "แก้ว แจ่ม", "แก้ว แจ่ม ฟ้า"]


def test_call_centre_tail_and_districts_are_not_places():
    text = "ซอย: เพชรบุรี 32 ถนน: เพชรบุรี จุดสังเกต: บริเวณ เขต: ราชเทวี #1555"
    assert places(text) == ["เพชรบุรี", "เพชรบุรี 32", "เพชรบุรี"]
    assert places("แจ้งเขตบางรัก #1555") == []
    assert places("ถนน") == []


def test_common_words_cannot_start_a_name():
    assert places("ถนนแตกเป็นหลุม") == ["แตก", "แตก หลุม"]  # problem words read as a name
    assert places("ถนนแตกเป็นหลุม", common={"แตก", "หลุม"}) == []
    docs = [["ถนน", "หลุม"], ["หลุม"], ["ไฟ", "ดับ"], ["ไฟ"]]
    assert common_words(docs, share=0.3) == {"หลุม", "ไฟ"}


def test_bare_street_names_learnt_from_the_corpus():
    docs = [tokenize(t) for t in ["ซอยลาดพร้าว 15 น้ำท่วม", "ถนนลาดพร้าว รถติด", "ไฟดับ ลาดพร้าว 15", "ซอยเป็นประจำ"]]
    docs += [tokenize("เป็นประจำ ทุกวัน")] * 5
    names = place_names(docs)
    assert names == {"ลาดพร้าว"}  # "เป็นประจำ" follows ซอย once, in a sixth of its uses
    assert place_phrases(docs[2], names) == ["ลาดพร้าว", "ลาดพร้าว 15"]
    assert place_phrases(docs[2]) == []


def test_deterministic_and_empty():
    text = "จาก ซอยลาดพร้าว15แยก 7-1 เจ้าของบ้านเลขที่ 52/23 จอดรถ"
    assert places(text) == places(text) == ["ลาดพร้าว", "ลาดพร้าว 15", "แยก 7/1", "เลขที่ 52/23"]
    assert place_phrases([]) == []
