"""Thai fiscal years (ปีงบประมาณ): 1 October to 30 September, named by the Buddhist-era year
they end in (ปีงบประมาณ 2569 = 1 Oct 2025 – 30 Sep 2026)."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from idea4gov.timeutil import BANGKOK, BUDDHIST_ERA_OFFSET, to_bangkok, utcnow

#: Fiscal years the pages accept (Buddhist era); CE years in the CE range are redirected.
FIRST_FY, LAST_FY = 2500, 2700
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


@dataclass(frozen=True)
class FiscalYear:
    be: int

    @property
    def first_day(self) -> date:
        return date(self.be - BUDDHIST_ERA_OFFSET - 1, 10, 1)

    @property
    def last_day(self) -> date:
        return date(self.be - BUDDHIST_ERA_OFFSET, 9, 30)

    @property
    def start(self) -> datetime:
        """Midnight starting 1 October in Bangkok, in UTC (inclusive)."""
        return datetime.combine(self.first_day, time.min, tzinfo=BANGKOK).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """Midnight starting the next 1 October in Bangkok, in UTC (exclusive)."""
        return datetime.combine(date(self.be - BUDDHIST_ERA_OFFSET, 10, 1), time.min,
                                tzinfo=BANGKOK).astimezone(UTC)

    def contains(self, moment: datetime) -> bool:
        return self.first_day <= to_bangkok(moment).date() <= self.last_day


def current(now: datetime | None = None) -> FiscalYear:
    local = to_bangkok(now or utcnow())
    return FiscalYear(local.year + BUDDHIST_ERA_OFFSET + (1 if local.month >= 10 else 0))


class FiscalYearError(ValueError):
    """`?fy=` is not a fiscal year; `redirect_to` is set when it is a CE year we can translate."""

    def __init__(self, message: str, redirect_to: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.redirect_to = redirect_to


def parse(raw: str | None) -> FiscalYear:
    """A fiscal year from `?fy=`: empty is the current one; 2569 (or ๒๕๖๙) is 2569; a CE year
    such as 2026 raises FiscalYearError with `redirect_to=2569`; anything else raises it with a
    message for the resident."""
    from flask_babel import gettext as _

    text = unicodedata.normalize("NFKC", raw or "").translate(_THAI_DIGITS).strip()
    if not text:
        return current()
    if len(text) > 8 or not text.isascii() or not text.isdigit():
        raise FiscalYearError(_("ปีงบประมาณต้องเป็นปี พ.ศ. 4 หลัก เช่น 2569"))
    year = int(text)
    if 1900 <= year <= 2200:
        raise FiscalYearError(_("ใช้ปี พ.ศ. เช่น %(be)d", be=year + BUDDHIST_ERA_OFFSET),
                              redirect_to=year + BUDDHIST_ERA_OFFSET)
    if not FIRST_FY <= year <= LAST_FY:
        raise FiscalYearError(_("ปีงบประมาณต้องอยู่ระหว่าง พ.ศ. %(first)d ถึง %(last)d", first=FIRST_FY,
                                last=LAST_FY))
    return FiscalYear(year)


def recent(count: int = 5, now: datetime | None = None) -> list[FiscalYear]:
    """The current fiscal year and the ones before it, newest first (for the year picker)."""
    this = current(now).be
    return [FiscalYear(this - n) for n in range(count)]
