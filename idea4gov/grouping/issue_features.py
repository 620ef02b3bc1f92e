"""Features that tell one *issue* (the same problem at the same place) from its topic.

Derived from the stored tokens alone (``tokenize`` output, in text order), so the web
app needs no second column and no migration:

- **terms**: every token *including bare numbers* (house numbers, soi numbers, plates,
  bus-stop numbers, which the topic features drop on purpose) plus every pair of
  adjacent tokens ("ซอย 47", "52 23", "ป้ายรถเมล์ 2"): exact word sequences and
  numbers in their context. TF-IDF (sublinear tf, smoothed IDF), unit rows.
- **noise**: masked phone numbers ("0XXXXXXXXX", stored as "0", "xxxxxxxxx"; public
  report data masks them) are dropped first: a mask says nothing about the place, yet
  its rare tokens would tie every report that carries one.
- **place numbers**: a number (or a run of numbers, "52/23" is stored as "52 23") right
  after a word that is not a time or count word ("ซอย 47", "เลขที่ 52/23",
  "สุขุมวิท 11"), unless a count word follows it ("3 ดวง", "2 คัน") or it is a hotline
  short code (four digits starting with 1: "1555", "1111"). Two reports that
  give *different* numbers after the same word and no common one ("ซอย 47" and
  "ซอย 2") are probably two places: their issue score is multiplied by
  ``Params.issue_conflict_penalty``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from .features import _l2_rows, _rows_to_csr, _weigh_vec, term_counts

__all__ = ["IssueFeaturizer", "denoise", "issue_terms", "numbers_conflict", "place_numbers", "shared_places"]

# A masked digit run ("XXXXXXX" after lower-casing), as published report data hides phone numbers.
_MASK = re.compile(r"x{4,}")

# Words before a number that say *when* or *how much*, not *where*: dates, times,
# durations, counts, law sections, reference numbers of earlier complaints.
TIME_OR_COUNT_WORDS = frozenset(
    """
    เวลา วันที่ วัน ช่วงเวลา ระยะเวลา เป็นเวลา ปี เดือน สัปดาห์ อาทิตย์ ตี ชั่วโมง นาที วินาที
    ครั้ง รอบ จำนวน ประมาณ กว่า อายุ ราคา มาตรา ข้อ จุด ระยะทาง ระยะ แจ้ง เรื่อง คำร้อง
    ตอนนี้ ล่าสุด ผ่านมา เมื่อ ภายใน ทุก ค่า ขนาด สูง ยาว กว้าง ลึก เบอร์ โทร
    มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม
    พฤศจิกายน ธันวาคม
    """.split()
)
# Classifiers after a number make it a count ("3 ดวง"), not a place number.
COUNT_WORDS = frozenset(
    """
    ดวง คัน ต้น จุด ครั้ง วัน เดือน ปี คน ใบ อัน แห่ง เส้น เมตร กิโลเมตร กม ชั่วโมง นาที บาท
    ลูก ตัว หลัง ราย ชิ้น แผ่น กอง ถุง ท่อน ก้อน ช่อง เลน ร้าน บ้าน ครอบครัว สัปดาห์ อาทิตย์ รอบ
    เท่า เปอร์เซ็นต์ องศา ซม เซน เซนติเมตร นิ้ว ลิตร กิโล กิโลกรัม โมง
    """.split()
)


# Thai short codes: four digits starting with 1 are hotlines (1555 Bangkok, 1111 the
# government's complaint centre, 1669 ambulance...), which call-centre reports append
# after the district ("เขตบางนา #1555"): a channel, never a place.
_HOTLINE = re.compile(r"1\d{3}")


def denoise(tokens: Sequence[str]) -> list[str]:
    """The tokens without masked numbers: a run of x's ("0XXXXXXXXX" is stored as "0",
    "xxxxxxxxx") and the digits right before it."""
    out: list[str] = []
    for t in tokens:
        if not t:
            continue
        if _MASK.fullmatch(t):
            while out and out[-1].isdigit():
                out.pop()
            continue
        out.append(t)
    return out


def issue_terms(tokens: Sequence[str]) -> list[str]:
    """Every token (numbers too) and every pair of adjacent tokens, "a b" (masks dropped)."""
    toks = denoise(tokens)
    return toks + [f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False)]


def place_numbers(tokens: Sequence[str]) -> dict[str, frozenset[str]]:
    """Numbers that name a place, by the word before them: {"ซอย": {"47"}, "เลขที่": {"52/23"}}."""
    tokens = denoise(tokens)
    out: dict[str, set[str]] = {}
    n = len(tokens)
    i = 1
    while i < n:
        if not tokens[i].isdigit() or tokens[i - 1].isdigit():
            i += 1
            continue
        j = i
        while j < n and tokens[j].isdigit():
            j += 1
        anchor = tokens[i - 1]
        after = tokens[j] if j < n else ""
        hotline = all(_HOTLINE.fullmatch(t) for t in tokens[i:j])
        if anchor not in TIME_OR_COUNT_WORDS and after not in COUNT_WORDS and not hotline:
            out.setdefault(anchor, set()).add("/".join(tokens[i:j]))
        i = j
    return {a: frozenset(v) for a, v in out.items()}


def numbers_conflict(a: Mapping[str, frozenset[str]] | None, b: Mapping[str, frozenset[str]] | None) -> bool:
    """True when both give numbers after a same word and never the same one ("ซอย 47" / "ซอย 2")."""
    if not a or not b:
        return False
    shared = a.keys() & b.keys()
    return bool(shared) and all(not (a[w] & b[w]) for w in shared)


def shared_places(
    a: Mapping[str, frozenset[str]] | None, b: Mapping[str, frozenset[str]] | None
) -> list[tuple[str, str]]:
    """The place numbers both reports give after the same word, as (word, number):
    [("ซอย", "47"), ("เลขที่", "52/23")], sorted; [] when none."""
    if not a or not b:
        return []
    return sorted((w, n) for w in a.keys() & b.keys() for n in a[w] & b[w])


class IssueFeaturizer:
    """Frozen vocabulary + IDF of issue terms; ``transform_one`` maps a token list to a
    sparse unit vector. Query terms the corpus never saw still count in the vector's
    length (at the highest IDF), so extra words lower the cosine as they should."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.idf = np.zeros(0)
        self.unseen_idf = 1.0

    def fit_transform(self, token_lists: Sequence[Sequence[str]]) -> sp.csr_matrix:
        docs = [issue_terms(t) for t in token_lists]
        self.vocab = {w: i for i, w in enumerate(sorted({w for d in docs for w in d}))}
        counts = term_counts(docs, self.vocab)
        n = len(docs)
        df = np.bincount(counts.indices, minlength=len(self.vocab))
        self.idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
        self.unseen_idf = float(np.log(1.0 + n) + 1.0)
        m = counts.astype(np.float32)
        m.data = (1.0 + np.log(m.data)) * self.idf.astype(np.float32)[m.indices]
        return _l2_rows(m)

    def rarity(self, term: str) -> float:
        """How rare an issue term is, from 0 (in every report) to 1 (in one report, or
        never seen): log(n / df) / log(n), read from the smoothed IDF."""
        i = self.vocab.get(term)
        top = self.unseen_idf - 1.0
        if i is None or top <= 0:
            return 1.0
        return float(min(1.0, max(0.0, (self.idf[i] - 1.0) / top)))

    def place_specificity(self, word: str, number: str) -> float:
        """How specific "``word`` ``number``" is as a place: the rarity of the pair
        ("ซอย 47") times the rarity of the number itself ("47"; "52 23" for 52/23), so
        a hotline that follows every district name ("บางแค 1555", "วัฒนา 1555") or a
        small number ("ซอย 2") counts for little, a house number for much."""
        parts = number.split("/")
        return self.rarity(f"{word} {parts[0]}") * self.rarity(" ".join(parts[:2]))

    def transform(self, token_lists: Iterable[Sequence[str]]) -> sp.csr_matrix:
        return _rows_to_csr([self.transform_one(t) for t in token_lists], len(self.vocab))

    def transform_one(self, tokens: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(term ids, weights) of one document, unit length over known *and* unseen terms."""
        ids: list[int] = []
        unseen: dict[str, int] = {}
        for term in issue_terms(tokens):
            i = self.vocab.get(term)
            if i is None:
                unseen[term] = unseen.get(term, 0) + 1
            else:
                ids.append(i)
        wi, wc = np.unique(np.asarray(ids, dtype=np.int64), return_counts=True)
        weights = np.concatenate(
            [
                (1.0 + np.log(wc)) * self.idf[wi],
                (1.0 + np.log(np.fromiter(unseen.values(), dtype=np.float64, count=len(unseen)))) * self.unseen_idf,
            ]
        )
        vec = _weigh_vec(np.ones(len(weights)), weights)  # unit length over all terms
        return wi, vec[: len(wi)]
