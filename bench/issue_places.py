"""Place expressions in a report: the part of Thai text that says *where*, not *what*.

Thai addresses have a grammar: a place word, then a name or a number ("ซอยลาดพร้าว 15",
"ถ.สุขุมวิท", "หน้าวัดแก้วแจ่มฟ้า", "บ้านเลขที่ 52/23", "ป้ายรถเมล์หน้าตลาดบางกะปิ").
`place_phrases` reads them from the stored tokens (`tokenize` output, in text order):

- an **anchor** is a place word (street: ซอย, ถนน, ตรอก, แยก, สะพาน...; venue: วัด,
  ตลาด, โรงเรียน/รร, โรงพยาบาล/รพ, หมู่บ้าน/มบ, คอนโด, สถานี, ป้ายรถเมล์, ท่าเรือ, ปั๊ม,
  เซเว่น...; position: หน้า, ตรงข้าม, ปาก, ริม, บริเวณ, แถว; house: เลขที่, หมู่);
- the **name** is the run of up to three tokens after it, stopped by another anchor, a
  template label (เขต, แขวง, จุด, สังเกต...: the call-centre form's field names) or
  after a number run; a number run is written "52/23" (``tokenize`` splits on "/").
- features: the name's prefixes ("แก้ว", "แก้ว แจ่ม", "แก้ว แจ่ม ฟ้า") and, when it
  ends in a number, the name with it ("ลาดพร้าว 15"); a name that *is* a number keeps its
  anchor ("ซอย 47", "เลขที่ 52/23"), since "47" alone says nothing. Hotline short codes
  (four digits starting with 1, the template's "#1555") are never place numbers.
  District names (after เขต/แขวง) are not places: a district holds thousands of reports.

How much a feature counts is left to the caller (its rarity in the corpus): "ซอย 2"
or a road everybody lives on counts little, "เลขที่ 52/23" for much. ``tokenize`` drops
lone letters, so "ซ."/"ถ."/"ม." leave their name without an anchor; `place_names`
(names seen after street anchors elsewhere in the corpus, "ลาดพร้าว") lets such bare
names count too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from idea4gov.grouping.issue_features import denoise

__all__ = ["ANCHORS", "common_words", "expand_abbreviations", "place_names", "place_phrases"]

# Street-level anchors: the word before a street, lane or crossing name.
STREET = frozenset(
    """
    ซอย ซ ถนน ถ ตรอก แยก ทางหลวง ทางด่วน สะพาน ทางแยก สี่แยก สามแยก ห้าแยก วงเวียน
    ถนนสาย ซอยย่อย
    """.split()
)
# Venues and buildings: the word before their name.
VENUE = frozenset(
    """
    หมู่บ้าน มบ คอนโด คอนโดมิเนียม อาคาร ตึก แฟลต หอพัก อพาร์ทเม้นท์ อพาร์ทเมนท์ โรงแรม
    ตลาด วัด โรงเรียน รร โรงเรียนสตรี โรงพยาบาล รพ สถานี สน ป้ายรถเมล์ ป้ายรถ ท่าเรือ ท่า
    ปั๊ม ปั้ม เซเว่น ห้าง ห้างสรรพสินค้า ชุมชน สวน สวนสาธารณะ คลอง มหาวิทยาลัย มหาลัย ธนาคาร
    บริษัท ร้าน สำนักงาน ศูนย์ การเคหะ เคหะ อนุสาวรีย์ ประตู โครงการ นิคม ค่าย โรงงาน
    """.split()
)
# Positions: the word before a landmark ("หน้าวัด...", "ตรงข้ามรพ...").
POSITION = frozenset("หน้า ตรงข้าม ปาก ปากซอย ริม หัวมุม แถว บริเวณ สุดซอย ท้ายซอย ทางเข้า ฝั่ง".split())
# House and village numbers.
HOUSE = frozenset("เลขที่ บ้านเลขที่ หมู่".split())
ANCHORS = STREET | VENUE | POSITION | HOUSE
# Words that end a name: administrative areas (a district is not a place here) and the
# call-centre form's field labels ("จุดสังเกต:", "เขต: บางแค #1555").
_STOP = frozenset("เขต แขวง จุด สังเกต ปัญหา จังหวัด กรุงเทพ กรุงเทพมหานคร กทม ตำบล อำเภอ".split())
_HOTLINE = re.compile(r"1\d{3}")
_NAME_LEN = 3


def _number_run(tokens: Sequence[str], i: int) -> int:
    """End of the number run at ``i``, at most two numbers ("52/23"; a third is usually
    the next field: "52/23 ม.3" loses its "ม.")."""
    j = i
    while j < len(tokens) and j < i + 2 and tokens[j].isdigit():
        j += 1
    return j


def place_phrases(tokens: Sequence[str], names: Iterable[str] = (), common: Iterable[str] = ()) -> list[str]:
    """The place features of one report, in text order, repeats kept.
    ``names``: bare words that are place names (`place_names`), read without an anchor.
    ``common``: words too common to start a name (`common_words`: "ถนน *หลุม*",
    "ซอย *มืด*", "บริเวณ *นี้มี*" are problem words after a place word, not names)."""
    toks = denoise(tokens)
    names = names if isinstance(names, (set, frozenset, dict)) else frozenset(names)
    common = common if isinstance(common, (set, frozenset, dict)) else frozenset(common)
    out: list[str] = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        if t in ANCHORS:
            anchor, start = t, i + 1
        elif t in names and (i == 0 or toks[i - 1] not in ANCHORS):
            anchor, start = "", i
        else:
            i += 1
            continue
        j = start
        name: list[str] = []
        while j < n and len(name) < _NAME_LEN:
            w = toks[j]
            if w in _STOP or (w in ANCHORS and (name or w not in VENUE)):
                break
            if w.isdigit():
                k = _number_run(toks, j)
                run = toks[j:k]
                if not all(_HOTLINE.fullmatch(x) for x in run):
                    name.append("/".join(run))
                j = k
                break
            if w in ANCHORS:  # "หน้า วัด ..." : the venue word is part of the name
                name.append(w)
                j += 1
                continue
            if (not name or name[-1] in ANCHORS) and w in common and w not in names:
                break
            name.append(w)
            j += 1
        if name:
            out += _features(anchor, name)
        i = max(j, i + 1) if anchor == "" else i + 1
    return out


def _features(anchor: str, name: list[str]) -> list[str]:
    if name[0][0].isdigit():  # "ซอย 47", "เลขที่ 52/23": the number alone says nothing
        return [f"{anchor} {name[0]}"] if anchor and anchor not in POSITION else []
    feats = []
    for m in range(1, len(name) + 1):
        if name[m - 1] in ANCHORS:
            continue
        feats.append(" ".join(name[:m]))
    return feats


def common_words(token_lists: Iterable[Sequence[str]], share: float = 0.01) -> frozenset[str]:
    """Words in more than ``share`` of the reports: topic words, which cannot start a name."""
    df: Counter[str] = Counter()
    n = 0
    for tokens in token_lists:
        df.update(set(tokens))
        n += 1
    return frozenset(w for w, c in df.items() if c > share * n)


# Abbreviations that ``tokenize`` would drop as lone letters, with their dot.
_ABBREVIATIONS = [
    (re.compile(r"ซ\s*\."), " ซอย "),
    (re.compile(r"ถ\s*\."), " ถนน "),
    (re.compile(r"รร\s*\."), " โรงเรียน "),
    (re.compile(r"รพ\s*\."), " โรงพยาบาล "),
    (re.compile(r"มบ\s*\."), " หมู่บ้าน "),
    (re.compile(r"ม\s*\.\s*(?=[0-9๐-๙])"), " หมู่ "),
]


def expand_abbreviations(text: str) -> str:
    """Raw text with the address abbreviations written out ("ซ.สุขุมวิท 11" -> "ซอย สุขุมวิท 11",
    "ม.3" -> "หมู่ 3"), before ``tokenize``: it drops "ซ", "ถ", "ม" as lone letters."""
    for pattern, word in _ABBREVIATIONS:
        text = pattern.sub(word, text)
    return text


def place_names(token_lists: Iterable[Sequence[str]], min_count: int = 2, min_share: float = 0.25) -> frozenset[str]:
    """Words that name a street in this corpus: seen right after a street anchor at least
    ``min_count`` times and in at least ``min_share`` of their uses ("ลาดพร้าว" after
    ซอย/ถนน), so that "ลาดพร้าว 15" counts where "ซ." was dropped. Common words that
    sometimes follow "ซอย" ("ซอย เป็นประจำ") do not reach the share."""
    after: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for tokens in token_lists:
        toks = denoise(tokens)
        total.update(toks)
        for a, b in zip(toks, toks[1:], strict=False):
            if a in STREET and b not in ANCHORS and b not in _STOP and not b.isdigit() and len(b) > 1:
                after[b] += 1
    return frozenset(w for w, c in after.items() if c >= min_count and c / total[w] >= min_share)
