"""Reference numbers (เลขที่รับเรื่อง) and receipts.

A reference reads `SSK-2569-00042`: the area's code (2–6 capital letters), the Buddhist-era year
of receipt in Bangkok time, and a sequence that starts at 1 in each area every year. Numbers
come from `reference_counters` through one atomic upsert (PostgreSQL and SQLite alike), so
concurrent ideas never share one, and a number is never given twice; `ideas.reference` is
unique as well.
"""
from __future__ import annotations

import re
import string
import unicodedata

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import object_session

from idea4gov.areas.models import Area
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, Visibility
from idea4gov.links import base_url
from idea4gov.mail.sender import Mail, queue
from idea4gov.receipts.models import ReferenceCounter
from idea4gov.timeutil import BUDDHIST_ERA_OFFSET, format_date, to_bangkok, utcnow

#: Digits of the sequence part; longer sequences simply have more digits.
SEQUENCE_DIGITS = 5
CODE_MIN, CODE_MAX = 2, 6
#: What residents may type between the parts of a reference.
_SEPARATORS = r"[\s\-‐‑‒–—―_/.]*"
_REFERENCE = re.compile(rf"^([A-Z]{{{CODE_MIN},{CODE_MAX}}}){_SEPARATORS}(\d{{4}}){_SEPARATORS}(\d{{1,9}})$")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
#: Longest text the look-up reads.
LOOKUP_MAX = 64
#: Accounts that never get mail (the import account of paper forms).
NO_MAIL_DOMAIN = "@system.invalid"


# --- area codes ----------------------------------------------------------------------------


def _letters(slug: str) -> str:
    return "".join(ch for ch in (slug or "").upper() if ch in string.ascii_uppercase)


def code_candidates(slug: str, area_id: int | None = None) -> list[str]:
    """Codes to try for an area, best first: the slug's first letter and its next consonants
    ("huawiang" → HWN), then its first letters, then those with a letter added."""
    letters = _letters(slug)
    skeleton = letters[:1] + "".join(ch for ch in letters[1:] if ch not in "AEIOU")
    found: list[str] = []
    for size in (3, 4, 2, 5):
        for source in (skeleton, letters):
            if len(source) >= size and source[:size] not in found:
                found.append(source[:size])
    stem = (skeleton or letters or "AR")[:3].ljust(2, "X")
    found += [stem + ch for ch in string.ascii_uppercase if stem + ch not in found]
    number = area_id or 0
    spelled = ""
    while True:  # A, B, …, Z, BA, … from the area's id: always free, never empty
        number, digit = divmod(number, 26)
        spelled = string.ascii_uppercase[digit] + spelled
        if not number:
            break
    found.append(("AR" + spelled)[:CODE_MAX])
    return [code for code in found if CODE_MIN <= len(code) <= CODE_MAX]


def pick_code(slug: str, taken: set[str], area_id: int | None = None) -> str:
    for code in code_candidates(slug, area_id):
        if code not in taken:
            return code
    raise ValueError(f"no free reference code for {slug!r}")  # pragma: no cover - 26+ candidates


def is_valid_code(code: str) -> bool:
    return bool(re.fullmatch(rf"[A-Z]{{{CODE_MIN},{CODE_MAX}}}", code or ""))


def ensure_code(area: Area) -> str:
    """The area's code, giving it one first if it has none (an area made by a bulk insert)."""
    if area.ref_code:
        return area.ref_code
    taken = set(db.session.scalars(sa.select(Area.ref_code).where(Area.ref_code.is_not(None))))
    area.ref_code = pick_code(area.slug, taken, area.id)
    db.session.flush()
    return area.ref_code


@sa.event.listens_for(Area, "before_insert")
def _give_new_area_a_code(_mapper, connection, area: Area) -> None:  # noqa: ANN001
    """Every new area gets its code as it is stored, however it is created."""
    if area.ref_code:
        return
    taken = set(connection.scalars(sa.select(Area.ref_code).where(Area.ref_code.is_not(None))))
    # Areas inserted in the same flush are not in the table yet: their codes are taken too.
    session = object_session(area)
    if session is not None:
        taken |= {other.ref_code for other in session.new if isinstance(other, Area) and other.ref_code}
    area.ref_code = pick_code(area.slug, taken)


# --- reference numbers ---------------------------------------------------------------------


def buddhist_year(moment=None) -> int:  # noqa: ANN001
    return to_bangkok(moment or utcnow()).year + BUDDHIST_ERA_OFFSET


def format_reference(code: str, year: int, number: int) -> str:
    return f"{code}-{year}-{number:0{SEQUENCE_DIGITS}d}"


def next_number(area_id: int, year: int) -> int:
    """Take the next sequence number of the area in the year (atomic; the row stays locked
    until the transaction ends, so concurrent ideas queue for a number)."""
    table = ReferenceCounter.__table__
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (insert(table).values(area_id=area_id, year=year, last_number=1)
                 .on_conflict_do_update(index_elements=[table.c.area_id, table.c.year],
                                        set_={"last_number": table.c.last_number + 1})
                 .returning(table.c.last_number))
    return db.session.execute(statement).scalar_one()


def assign_reference(idea: Idea, area: Area) -> str:
    """Give a new idea its reference number (call before the idea is flushed)."""
    if idea.reference:
        return idea.reference
    year = buddhist_year(idea.created_at)  # an imported paper form keeps the year it was written
    number = next_number(area.id, year)
    idea.reference = format_reference(ensure_code(area), year, number)
    return idea.reference


def normalise_reference(raw: str | None) -> str | None:
    """The canonical form of what a resident typed (any case, spaces or dashes, Thai digits),
    or None when it cannot be a reference number."""
    if not raw or len(raw) > LOOKUP_MAX:
        return None
    text = unicodedata.normalize("NFKC", raw).translate(_INVISIBLE).translate(_THAI_DIGITS).strip().upper()
    match = _REFERENCE.match(text)
    if match is None:
        return None
    code, year, number = match.group(1), int(match.group(2)), int(match.group(3))
    if number < 1:
        return None
    return format_reference(code, year, number)


def find_by_reference(reference: str) -> Idea | None:
    return db.session.scalar(sa.select(Idea).where(Idea.reference == reference))


# --- the receipt ---------------------------------------------------------------------------


def _promise(area: Area) -> tuple[str, str]:
    """The area's IAP2 level and promise (Thai, English) for the receipt, or empty strings."""
    from idea4gov.areas import iap2

    if not area.promise_th and not area.promise_en:
        return "", ""
    level_th = f"({iap2.label(area.iap2_level, 'th')}) " if area.iap2_level else ""
    level_en = f"({iap2.label(area.iap2_level, 'en')}) " if area.iap2_level else ""
    return level_th + area.promise("th"), level_en + area.promise("en")


def receipt_mail(idea: Idea, terms=None) -> Mail | None:  # noqa: ANN001 (`deadlines.services.FirstAnswer`)
    """The e-mail receipt of a new idea: reference, date of receipt, expected first answer (`terms`:
    its `first_answer`, when read already)."""
    from idea4gov.deadlines.services import first_answer

    author = idea.author
    if author is None or author.deleted_at is not None or author.email.endswith(NO_MAIL_DOMAIN):
        return None
    area = idea.area
    terms = terms or first_answer(idea)
    received, due, days = terms.received, terms.due, terms.days
    url = f"{base_url()}/ideas/{idea.id}"
    lookup = f"{base_url()}/ideas/lookup?ref={idea.reference}"
    late_th = late_en = ""
    if received != to_bangkok(idea.created_at).date():
        late_th = " (ส่งนอกเวลาราชการหรือในวันหยุด จึงนับรับเรื่องในวันทำการถัดไป)"
        late_en = " (sent outside office hours or on a day off, so it counts from the next working day)"
    pending_th = pending_en = ""
    if idea.visibility != Visibility.published:
        pending_th = "\nไอเดียจะแสดงต่อสาธารณะเมื่อผู้ดูแลเนื้อหาตรวจสอบแล้ว"
        pending_en = "\nIt will be public once a moderator has reviewed it."
    promise_th, promise_en = _promise(area)
    promise_th = f"\n\nสิ่งที่พื้นที่นี้สัญญากับประชาชน:\n{promise_th}" if promise_th else ""
    promise_en = f"\n\nWhat this area promises:\n{promise_en}" if promise_en else ""
    body = (
        f"เรียน {author.display_name}\n\n"
        f"{area.name_th} ได้รับไอเดีย “{idea.title}” ของคุณแล้ว{pending_th}\n\n"
        f"เลขที่รับเรื่อง: {idea.reference}\n"
        f"วันที่รับเรื่อง: {format_date(received, 'th')}{late_th}\n"
        f"หน่วยงานจะตอบครั้งแรกภายใน: {format_date(due, 'th')} ({days} วันทำการ)"
        f"{promise_th}\n\n"
        f"ติดตามไอเดีย: {url}\nค้นหาด้วยเลขที่รับเรื่อง: {lookup}\n\n"
        f"----- English -----\n\n"
        f"Dear {author.display_name},\n\n"
        f"{area.name_en or area.name_th} received your idea “{idea.title}”.{pending_en}\n\n"
        f"Reference number: {idea.reference}\n"
        f"Received on: {format_date(received, 'en')}{late_en}\n"
        f"First answer expected by: {format_date(due, 'en')} ({days} working days)"
        f"{promise_en}\n\n"
        f"Follow your idea: {url}\nLook it up by reference: {lookup}\n"
    )
    return Mail(to=author.email, subject=f"ได้รับไอเดียแล้ว เลขที่ {idea.reference} / "
                                         f"Idea received, reference {idea.reference}", body=body)


def queue_receipt(idea: Idea) -> bool:
    """Queue the receipt to the idea's author (e-mail, and LINE when they asked for receipts there);
    it goes out once the idea is committed."""
    from idea4gov.deadlines.services import first_answer
    from idea4gov.line import services as line_notices

    terms = first_answer(idea)
    sent_line = line_notices.receipt(idea, terms) > 0
    mail = receipt_mail(idea, terms)
    if mail is None:
        return sent_line
    queue(db.session, mail)
    return True
