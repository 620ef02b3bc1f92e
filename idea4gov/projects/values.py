"""Reading the values officers type for a project: baht amounts and dates (Thai or CE years)."""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from idea4gov.service_errors import ServiceError
from idea4gov.timeutil import BUDDHIST_ERA_OFFSET

#: Largest budget accepted: fits Numeric(15, 2).
BUDGET_MAX = Decimal("9999999999999.99")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
FIRST_YEAR, LAST_YEAR = 1990, 2150


def parse_budget(text: str | None) -> Decimal | None:
    """Baht from "1,250,000", "1250000.50", "๑,๒๐๐ บาท" or "฿900"; empty is None.

    Thousands commas are fine; a negative amount, more than two decimals, or anything that is
    not a plain number (NaN, 1e309) is a ServiceError with a code for the message."""
    value = unicodedata.normalize("NFKC", text or "").translate(_THAI_DIGITS).strip()
    value = re.sub(r"\s*(บาท|baht|thb)\.?$", "", value, flags=re.IGNORECASE).replace("฿", "").replace(" ", "")
    if not value:
        return None
    if len(value) > 30 or not _AMOUNT.match(value):
        raise ServiceError("budget_invalid", field="budget")
    try:
        amount = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise ServiceError("budget_invalid", field="budget") from None
    if not amount.is_finite():
        raise ServiceError("budget_invalid", field="budget")
    if amount < 0:
        raise ServiceError("budget_negative", field="budget")
    if amount != amount.quantize(Decimal("0.01")):
        raise ServiceError("budget_decimals", field="budget")
    if amount > BUDGET_MAX:
        raise ServiceError("budget_too_large", field="budget")
    return amount.quantize(Decimal("0.01"))


def format_baht(amount: Decimal | None) -> str:
    """1250000 -> "1,250,000.00"; None -> ""."""
    return "" if amount is None else f"{amount:,.2f}"


def parse_day(text: str | None, field: str) -> date | None:
    """A calendar day from "2026-10-01" (an HTML date input), "2569-10-01" (Buddhist era) or
    "1/10/2569" (day/month/year); empty is None; odd dates are a ServiceError."""
    value = unicodedata.normalize("NFKC", text or "").translate(_THAI_DIGITS).strip()
    if not value:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
        if not match:
            raise ServiceError("date_invalid", field=field)
        day, month, year = (int(part) for part in match.groups())
    if year > 2400:
        year -= BUDDHIST_ERA_OFFSET
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ServiceError("date_range", field=field)
    try:
        return date(year, month, day)
    except ValueError:
        raise ServiceError("date_invalid", field=field) from None
