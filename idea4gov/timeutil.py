"""UTC in the database; Asia/Bangkok and the Buddhist era only when rendering."""
from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
#: The Buddhist era (พ.ศ.) is the Common Era plus 543.
BUDDHIST_ERA_OFFSET = 543
THAI_MONTHS_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
EN_MONTHS_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite returns naive datetimes; they were stored as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def to_bangkok(value: datetime) -> datetime:
    """A stored time (aware, or naive meaning UTC) as Bangkok wall-clock time."""
    return as_utc(value).astimezone(BANGKOK)


def format_date(value: datetime | date | None, locale: str = "th", with_time: bool = False) -> str:
    """Format a stored UTC time in Bangkok time: "22 พ.ย. 2569" in Thai, "22 Nov 2026" in English.

    A plain `date` is a calendar day already and is not shifted; `with_time` adds " HH:MM".
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        local: datetime | date = to_bangkok(value)
    else:
        local, with_time = value, False
    if locale.startswith("th"):
        text = f"{local.day} {THAI_MONTHS_ABBR[local.month - 1]} {local.year + BUDDHIST_ERA_OFFSET}"
    else:
        text = f"{local.day} {EN_MONTHS_ABBR[local.month - 1]} {local.year}"
    if with_time:
        text += local.strftime(" %H:%M")
    return text


#: The dates a filter, a form or an import accepts (`idea4gov.params` checks forms with them). Wide
#: enough for any real idea or event, and far enough inside Python's year 1–9999 that a day plus
#: one or a shift to UTC cannot overflow.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2200, 12, 31)


def date_in_range(value: date) -> bool:
    return EARLIEST_DATE <= value <= LATEST_DATE


def parse_bangkok(value: str, day_time: time = time(12, 0), end_of_day: bool = False) -> datetime:
    """`2026-11-20`, `2026-11-20 14:30` or `2026-11-20T14:30` in Bangkok time, as UTC.

    Years above 2400 are Buddhist era (2569). A bare date means `day_time` that day, or with
    `end_of_day` its last second (23:59:59). ValueError otherwise.
    """
    value = (value or "").strip().replace("T", " ")
    parsed = None
    for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        break
    if parsed is None:
        raise ValueError("expected a date like 2026-11-20 or 2026-11-20 14:30")
    if parsed.year > 2400:
        parsed = parsed.replace(year=parsed.year - BUDDHIST_ERA_OFFSET)
    if not date_in_range(parsed.date()):
        raise ValueError(f"{value!r} is out of range: the year must be {EARLIEST_DATE.year}–{LATEST_DATE.year} "
                         f"(or {EARLIEST_DATE.year + BUDDHIST_ERA_OFFSET}–{LATEST_DATE.year + BUDDHIST_ERA_OFFSET} "
                         "in the Buddhist era)")
    if len(value) == 10:
        day = date(parsed.year, parsed.month, parsed.day)
        parsed = datetime.combine(day, time(23, 59, 59) if end_of_day else day_time)
    try:
        return parsed.replace(tzinfo=BANGKOK).astimezone(UTC)
    except OverflowError:  # 0001-01-01 00:00 in Bangkok is before year 1 in UTC
        raise ValueError("date out of range") from None
