"""Group key words carry meaning: no lone fragments a segmenter or stopword removal cut from a
phrase ("แสน" from "บางแสน"/"แสนสุข", "เย็น", "ห้าม"), on hand-written Thai and on the demo.

The shared real data is measured by `bench/keywords.py` (read by path, never copied here)."""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.extensions import db
from idea4gov.grouping import keywords, tokenize
from idea4gov.grouping.phrases import grow, prepare, stands_alone
from idea4gov.groups.models import IdeaGroup

#: Pieces that say nothing alone; each came up as a key word before (demo data and real reports).
FRAGMENTS = {"เย็น", "ห้าม", "แสน", "หนอง", "มน", "ราช", "เทวี", "ดับ", "ทอ", "กี่", "สาม", "ขัง", "รุ"}

#: A group about market waste at ตลาดหนองมน in เทศบาลเมืองแสนสุข: names the segmenter cuts
#: (หนอง|มน, แสน|สุข, บาง|แสน), times of day (ตอนเย็น, ช่วงเย็น) and signs (ห้ามทิ้ง, ห้ามจอด).
MARKET = [
    "ขยะล้นตลาดหนองมนตอนเย็น ถังขยะหน้าตลาดหนองมนเต็มตั้งแต่ช่วงเย็น อยากให้เทศบาลเมืองแสนสุขเพิ่มรอบเก็บ",
    "ตลาดหนองมนมีขยะพลาสติกเยอะมาก ป้ายห้ามทิ้งขยะก็ไม่มีใครสนใจ ช่วงเย็นคนแน่น ขอถังขยะเพิ่มที่ตลาดหนองมน",
    "แม่ค้าตลาดหนองมนทิ้งเศษอาหารปนขยะ ตอนเย็นส่งกลิ่นเหม็น ขอให้เทศบาลเมืองแสนสุขจัดจุดแยกขยะ",
    "รถเก็บขยะไม่เข้าซอยหลังตลาดหนองมน เพราะมีรถจอดขวาง ควรติดป้ายห้ามจอดและเก็บขยะทุกเย็น",
]
#: The rest of the area, so the market's words are distinctive against it.
AREA = MARKET + [
    "ขยะบนชายหาดบางแสนเยอะหลังวันหยุด อยากให้มีอาสาสมัครเก็บขยะริมหาดบางแสนทุกเช้า",
    "ขอไฟส่องสว่างริมหาดบางแสน ตอนกลางคืนมืดมาก นักท่องเที่ยวเดินไม่ปลอดภัย",
    "ทางเท้าริมถนนเลียบชายหาดชำรุด เป็นหลุมหลายจุด ผู้สูงอายุสะดุดล้มบ่อย",
    "อยากให้มีที่จอดจักรยานริมหาดบางแสน และทางจักรยานแยกจากถนน",
    "ห้องน้ำสาธารณะริมหาดสกปรก ไม่มีสบู่ ขอให้ทำความสะอาดวันละหลายรอบ",
    "สุนัขจรจัดริมหาดบางแสนคุ้ยถังขยะกระจาย ขอให้เทศบาลดูแลเรื่องสุนัข",
]


def test_fragments_do_not_stand_alone_and_words_do():
    for word in ("เย็น", "ห้าม", "แสน", "สาม", "ดับ", "กี่"):
        assert not stands_alone(word), word
    for word in ("ถังขยะ", "ไฟ", "ป้าย", "ถัง", "ชายหาด", "ชำรุด", "ตลาด", "เศษอาหาร"):
        assert stands_alone(word), word


def test_a_piece_grows_into_the_phrase_it_keeps_occurring_in():
    cleaned = prepare(MARKET)
    assert grow("หนอง", cleaned) == "ตลาดหนองมน"
    assert grow("มน", cleaned) == "ตลาดหนองมน"
    # A function word is never taken in ("เทศบาล" after "ให้"), and a word with varied
    # neighbours stays as it is.
    assert grow("เทศบาล", cleaned) == "เทศบาล"
    assert grow("ขยะ", cleaned) == "ขยะ"


def test_key_words_of_a_group_have_no_lone_fragments():
    tokens = [tokenize(text) for text in AREA]
    members = tokens[:len(MARKET)]
    # Without the texts, words that never stand alone are dropped ("หนอง", a pond, may stay).
    plain = keywords(members, tokens)
    assert plain and not [word for word in plain if not stands_alone(word)], plain
    assert {"เย็น", "ห้าม", "แสน"} & set(plain) == set(), plain
    # With them, pieces grow back into the phrase they were cut from.
    with_texts = keywords(members, tokens, texts=MARKET)
    assert set(with_texts) & FRAGMENTS == set(), with_texts
    assert any("หนองมน" in word for word in with_texts), with_texts
    # Nothing is said twice: no key word inside another.
    assert not [a for a in with_texts for b in with_texts if a != b and a in b], with_texts


def test_without_fragments_a_group_still_gets_its_meaningful_words():
    tokens = [tokenize(text) for text in AREA]
    found = keywords(tokens[:len(MARKET)], tokens, n=5, texts=MARKET)
    assert len(found) >= 4 and "ถังขยะ" in found, found
    # "แสน" is back in the name it was cut from, although newmm cut the next word two ways.
    assert any("แสนสุข" in word for word in found), found
    assert keywords([], tokens) == [] and keywords(tokens[:2], tokens, n=0) == []


def test_demo_groups_have_meaningful_key_words(runner):
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    groups = list(db.session.scalars(sa.select(IdeaGroup)))
    assert len(groups) >= 6
    words = [word for group in groups for word in group.keyword_list]
    assert set(words) & FRAGMENTS == set(), sorted(set(words) & FRAGMENTS)
    assert all(stands_alone(word) or len(tokenize(word)) > 1 for word in words)
    # The names the segmenter cuts come back whole.
    assert {"ราชเทวี", "ตลาดหนองมน"} & set(words) or any("หนองมน" in w for w in words), words
