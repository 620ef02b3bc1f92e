"""Writing tables for people and programs: CSV that Excel opens with Thai intact, XLSX and JSON.

Shared by shortlist exports and the open data of each area. Every writer takes a header
(list of column titles) and rows (iterables of cells: str, int, float, None, datetime
already formatted as text). Cells that a spreadsheet would run as a formula are made
harmless, the header included: in CSV a text cell whose first character is = + - @ (or
their full-width and small forms such as ＝, found by NFKC), tab, carriage return, line feed
or NUL, even after leading spaces, gets a leading single quote (OWASP "CSV injection"); in
XLSX every text cell is stored as text, never as a formula, so it keeps its exact value.
"""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from idea4gov.text import plain_from_rich

#: What makes a spreadsheet treat a cell as a formula (or a DDE call), after NFKC folds
#: full-width and small forms (＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫) into these.
FORMULA_PREFIXES = ("=", "+", "-", "@")
#: Control characters a spreadsheet may skip before reading a formula.
CONTROL_PREFIXES = ("\t", "\r", "\n", "\x00")
#: Rows written to the CSV buffer before a chunk is handed to the response.
CSV_CHUNK_ROWS = 200
#: Widest XLSX column, in characters.
XLSX_MAX_WIDTH = 60


def plain_text(stored_rich: str) -> str:
    """The plain text of stored (already bleach-cleaned) idea text.

    Most ideas hold no tag and no entity, and then the text is already plain: skip the HTML
    parser, which costs milliseconds per idea and dominated a 10,000-idea export.
    """
    if "<" not in stored_rich and "&" not in stored_rich:
        return stored_rich
    return plain_from_rich(stored_rich)


def starts_a_formula(text: str) -> bool:
    """Would a spreadsheet read this text as a formula (or a DDE call)?"""
    if text.startswith(CONTROL_PREFIXES):
        return True
    first = text.lstrip()[:1]
    return bool(first) and unicodedata.normalize("NFKC", first).startswith(FORMULA_PREFIXES)


def neutralise(value: object) -> object:
    """A text cell that would start a formula gets a leading quote; other values pass."""
    if isinstance(value, str) and starts_a_formula(value):
        return "'" + value
    return value


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The CSV as text chunks: a byte-order mark first (encode as UTF-8: Excel then reads Thai)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([neutralise(cell) for cell in header])
    for count, row in enumerate(rows, 1):
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
        if count % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    return "".join(csv_chunks(header, rows)).encode("utf-8")


def display_width(text: str) -> int:
    """Columns a text needs: Thai vowel and tone marks above or below a letter take none."""
    return sum(0 if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn" else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[object]], *, sheet_title: str = "ideas",
               link_column: int | None = None, wrap_columns: Iterable[int] = ()) -> bytes:
    """An XLSX workbook of one sheet: bold frozen header, fitted widths, links in `link_column`."""
    return xlsx_book_bytes([Sheet(sheet_title, header, rows, link_column, tuple(wrap_columns))])


@dataclass
class Sheet:
    """One sheet of a workbook: its title, header and rows (cells as for `xlsx_bytes`)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]]
    link_column: int | None = None
    wrap_columns: tuple[int, ...] = ()


def xlsx_book_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX workbook of several sheets, each written as `xlsx_bytes` writes its one."""
    from openpyxl import Workbook

    workbook = Workbook()
    for index, spec in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        _fill(sheet, spec)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _fill(sheet, spec: Sheet) -> None:  # noqa: ANN001
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.title = spec.title[:31]
    header, link_column = spec.header, spec.link_column
    widths = [display_width(str(title)) for title in header]
    bold = Font(bold=True)

    def put(row_number: int, column: int, value: object):  # noqa: ANN202 (an openpyxl cell)
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = sheet.cell(row=row_number, column=column, value=value)
        if isinstance(value, str):
            # Stored as text, never as a formula: "=1+1" stays the four characters typed.
            cell.data_type = "s"
        return cell

    for column, title in enumerate(header, 1):
        put(1, column, str(title)).font = bold
    wrap = set(spec.wrap_columns)
    for row_number, row in enumerate(spec.rows, 2):
        for column, value in enumerate(row, 1):
            cell = put(row_number, column, value)
            if isinstance(value, str):
                longest = max((display_width(line) for line in value.split("\n")), default=0)
                widths[column - 1] = max(widths[column - 1], longest)
            elif value is not None:
                widths[column - 1] = max(widths[column - 1], len(str(value)))
            if link_column is not None and column == link_column + 1 and isinstance(value, str) and value:
                cell.hyperlink = value
                cell.style = "Hyperlink"
            if column - 1 in wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = min(XLSX_MAX_WIDTH, width + 2)
    sheet.freeze_panes = "A2"


def json_bytes(document: object) -> bytes:
    """Readable UTF-8 JSON: Thai as Thai, not \\u escapes."""
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
