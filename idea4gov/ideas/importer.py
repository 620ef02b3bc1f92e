"""Bulk import of ideas typed in from paper forms (`flask ideas import FILE.csv --area SLUG`).

The file is CSV in UTF-8 (with or without the BOM Excel writes), a header row, then one
idea a row. Columns: title, body, theme (the theme's slug) are required; place_name,
author_name and submitted_at are optional. Every row passes the web form's rules (title
10–150 characters, description 30–5,000, a theme open in the area, place up to 200),
then each idea goes through `create_idea` like one posted on the site (text cleaned,
search words stored, joined to its group). All or nothing: one bad row and nothing is
written.

Author: imported ideas belong to the area's import account, "นำเข้าจากแบบฟอร์มกระดาษ"
(`import-<slug>@system.invalid`, no password: nobody can sign in with it). `author_name`
is the name written on the form; fill it only when the person agreed on the form to be
named: it is stored in `ideas.submitted_name` and shown in shortlist exports.
`submitted_at` is the day (or day and time, Bangkok) written on the form, ISO style
`2026-11-20` or `2026-11-20 14:30`; a Buddhist-era year (2569) is understood too.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from idea4gov.areas import rounds
from idea4gov.areas.models import Area, Theme
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.ideas import services
from idea4gov.ideas.models import Idea
from idea4gov.text import clean_plain, normalize_input, visible_length
from idea4gov.timeutil import parse_bangkok, to_bangkok, utcnow

#: Largest file and most rows one import takes (a forum's paper forms are hundreds at most).
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
REQUIRED_COLUMNS = ("title", "body", "theme")
OPTIONAL_COLUMNS = ("place_name", "author_name", "submitted_at")
AUTHOR_NAME_MAX = 80
IMPORT_ACCOUNT_NAME = "นำเข้าจากแบบฟอร์มกระดาษ"


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, size, header)."""


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.column}: {self.message}"


@dataclass
class ImportResult:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: list[Idea] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    line: int
    data: services.IdeaInput
    submitted_name: str | None
    submitted_at: datetime | None


def decode(raw: bytes) -> str:
    """UTF-8 text (a leading BOM dropped); anything else is refused with where it went wrong."""
    if len(raw) > MAX_BYTES:
        raise ImportFileError(f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,} (split it into several files)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFileError(
            f"the file is not UTF-8 (first bad byte on line {line}); in Excel use "
            "'Save as' > 'CSV UTF-8 (Comma delimited)'. TIS-620 / Windows-874 files are not accepted"
        ) from None
    if "\x00" in text:
        raise ImportFileError("the file contains NUL bytes: is it really a CSV file (not .xlsx or UTF-16)?")
    return text


def parse_datetime(value: str) -> datetime:
    """`2026-11-20` (noon) or `2026-11-20 14:30`, Bangkok time; years above 2400 are Buddhist era."""
    return parse_bangkok(value)


def _length_ok(value: str, low: int, high: int) -> bool:
    """The web form's TextLength rule: cleaned text at least `low`, typed text at most `high`."""
    return visible_length(value) >= low and len(normalize_input(value)) <= high


def _check_row(line: int, row: dict[str, str], themes: dict[str, Theme], schedule: rounds.AreaRounds,
               errors: list[RowError]) -> _Row | None:
    before = len(errors)
    title, body = row.get("title") or "", row.get("body") or ""
    if not _length_ok(title, services.TITLE_MIN, services.TITLE_MAX):
        errors.append(RowError(line, "title", f"must be {services.TITLE_MIN}–{services.TITLE_MAX} characters "
                                              f"(has {visible_length(title)})"))
    if not _length_ok(body, services.BODY_MIN, services.BODY_MAX):
        errors.append(RowError(line, "body", f"must be {services.BODY_MIN}–{services.BODY_MAX} characters "
                                             f"(has {visible_length(body)})"))
    theme_slug = (row.get("theme") or "").strip()
    theme = themes.get(theme_slug)
    if theme is None:
        errors.append(RowError(line, "theme", f"{theme_slug!r} is not a theme open in this area "
                                              f"(open: {', '.join(sorted(themes)) or 'none'})"))
    place = row.get("place_name") or ""
    if len(normalize_input(place)) > services.PLACE_MAX:
        errors.append(RowError(line, "place_name", f"longer than {services.PLACE_MAX} characters"))
    name = clean_plain(row.get("author_name") or "")
    if len(name) > AUTHOR_NAME_MAX:
        errors.append(RowError(line, "author_name", f"longer than {AUTHOR_NAME_MAX} characters"))
    submitted_at = None
    if (row.get("submitted_at") or "").strip():
        try:
            submitted_at = parse_datetime(row["submitted_at"])
        except ValueError as error:
            errors.append(RowError(line, "submitted_at", str(error)))
        else:
            if submitted_at > utcnow():
                errors.append(RowError(line, "submitted_at", "is in the future"))
    if theme is not None and before == len(errors):
        # A form filled in while its round was open may be typed in after the round closed.
        window = schedule.window(theme) if submitted_at is None else schedule.window_at(theme, submitted_at)
        if not window.in_round:
            when = "now" if submitted_at is None else f"on {to_bangkok(submitted_at):%Y-%m-%d %H:%M}"
            following = (f"; the next round opens {to_bangkok(window.next_opens_at):%Y-%m-%d %H:%M}"
                         if window.next_opens_at else "; no next round is planned")
            errors.append(RowError(line, "theme", f"{theme_slug!r} is in no open round {when} "
                                                  f"(Bangkok time){following}"))
    if len(errors) > before:
        return None
    return _Row(line, services.IdeaInput(title, body, theme, place or None), name or None, submitted_at)


def read_rows(text: str, area: Area) -> tuple[list[_Row], list[RowError], int]:
    """Validated rows, row errors (line numbers as a spreadsheet shows them) and the row count."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise ImportFileError("the file is empty: expected a header row (title,body,theme,...)") from None
    except csv.Error as error:
        raise ImportFileError(f"line 1: {error}") from None
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        raise ImportFileError(
            "line 1: the header must name the columns title, body, theme and optionally "
            f"{', '.join(OPTIONAL_COLUMNS)}, each once" + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; unknown: {', '.join(unknown)}" if unknown else ""))
    themes = {theme.slug: theme for theme in area.themes if theme.is_open}
    schedule = rounds.area_rounds(area)
    rows, errors, count = [], [], 0
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            errors.append(RowError(line, "-", f"unreadable CSV: {error}"))
            break
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise ImportFileError(f"more than {MAX_ROWS:,} rows: split the file and import each part")
        if len(cells) != len(header):
            errors.append(RowError(line, "-", f"has {len(cells)} cells, the header has {len(header)}"))
            continue
        checked = _check_row(line, dict(zip(header, cells, strict=True)), themes, schedule, errors)
        if checked is not None:
            rows.append(checked)
    return rows, errors, count


def import_account(area: Area) -> User:
    """The area's import account (made on first use); it has no password and cannot sign in."""
    email = f"import-{area.slug}@system.invalid"
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, display_name=IMPORT_ACCOUNT_NAME, password_hash="!", pdpa_consent_at=utcnow())
        db.session.add(user)
        db.session.flush()
    return user


def import_ideas(area: Area, raw: bytes, *, dry_run: bool = False) -> ImportResult:
    """Validate every row, then (unless dry_run or any error) create every idea; flushes, never commits."""
    if area.is_archived:
        raise ImportFileError(f"area {area.slug!r} is archived: read-only, it takes no new ideas")
    if not area.is_open:
        raise ImportFileError(f"area {area.slug!r} is closed and takes no new ideas")
    rows, errors, count = read_rows(decode(raw), area)
    result = ImportResult(rows=count, errors=errors)
    if errors or dry_run or not rows:
        return result
    author = import_account(area)
    for row in rows:
        try:
            idea = services.create_idea(area, author, row.data, submitted_at=row.submitted_at, on_paper=True)
        except services.ServiceError as error:
            result.errors.append(RowError(row.line, error.field or "-", error.message))
            return result
        idea.submitted_name = row.submitted_name
        result.created.append(idea)
    db.session.flush()
    return result
