"""UTC in the database; Asia/Bangkok and the Buddhist era only when rendering."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
THAI_MONTHS_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
EN_MONTHS_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


def as_utc(value: datetime) -> datetime:
    """SQLite returns naive datetimes; they were stored as UTC."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def format_date(value: datetime | None, locale: str = "th", with_time: bool = False) -> str:
    """Format a stored UTC time in Bangkok time: "22 พ.ย. 2569" in Thai, "22 Nov 2026" in English."""
    if value is None:
        return ""
    local = as_utc(value).astimezone(BANGKOK)
    if locale == "th":
        text = f"{local.day} {THAI_MONTHS_ABBR[local.month - 1]} {local.year + 543}"
    else:
        text = f"{local.day} {EN_MONTHS_ABBR[local.month - 1]} {local.year}"
    if with_time:
        text += local.strftime(" %H:%M")
    return text
