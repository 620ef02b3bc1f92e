"""A shortlist as CSV, XLSX or JSON, for the agencies that take ideas forward.

No e-mail addresses and no user ids. An author is named only when they agreed: the
account setting "show my name in exports" (/account), or a name typed in from a paper
form where the person agreed to be named (`flask ideas import`, column author_name).
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.orm import selectinload

from idea4gov import exports
from idea4gov.extensions import db
from idea4gov.ideas.labels import status_label
from idea4gov.ideas.models import Idea, Visibility
from idea4gov.shortlists import scoring
from idea4gov.shortlists.models import Shortlist, ShortlistItem
from idea4gov.timeutil import as_utc

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}

#: (key, Thai header) of the fixed columns; the criteria's averages go after "weighted_score".
COLUMNS = [
    ("rank", "อันดับ"),
    ("position", "ลำดับในรายการ"),
    ("idea_id", "เลขที่ไอเดีย"),
    ("title", "ชื่อไอเดีย"),
    ("area", "พื้นที่"),
    ("theme", "โจทย์"),
    ("supporters", "ผู้สนับสนุน"),
    ("status", "สถานะ"),
    ("group_id", "กลุ่มไอเดียที่คล้ายกัน"),
    ("note", "บันทึกของผู้จัด"),
    ("weighted_score", "คะแนนถ่วงน้ำหนัก (1–5)"),
    ("judges_scored", "จำนวนกรรมการที่ให้คะแนน"),
    ("judge_range", "ความต่างของกรรมการ (สูงสุด−ต่ำสุด)"),
    ("judge_stdev", "ส่วนเบี่ยงเบนมาตรฐานของกรรมการ"),
    ("author", "ผู้เสนอ (เฉพาะผู้ที่ยินยอม)"),
    ("created_at", "วันที่เสนอ (UTC)"),
    ("url", "ลิงก์"),
    ("body", "รายละเอียด"),
]


def author_name(idea: Idea) -> str:
    """The author's name only where they agreed to be named; otherwise empty."""
    if idea.submitted_name:
        return idea.submitted_name
    author = idea.author
    if author is not None and author.deleted_at is None and author.show_name_in_exports:
        return author.display_name
    return ""


def _iso(value: datetime | None) -> str:
    return as_utc(value).isoformat() if value else ""


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def idea_url(base_url: str, idea_id: int) -> str:
    return f"{base_url.rstrip('/')}/ideas/{idea_id}"


def build(shortlist: Shortlist, base_url: str, locale: str = "th") -> dict:
    """The shortlist as one JSON-ready document; the tables (and the print view) are made from it.

    Exports are Thai; the print view passes the page's locale for area, theme and status.
    """
    db.session.scalars(
        sa.select(ShortlistItem).where(ShortlistItem.shortlist_id == shortlist.id).options(
            selectinload(ShortlistItem.idea).selectinload(Idea.area),
            selectinload(ShortlistItem.idea).selectinload(Idea.theme),
            selectinload(ShortlistItem.idea).selectinload(Idea.author),
        )
    ).all()
    criteria = list(shortlist.criteria)
    rows = scoring.results(shortlist)
    items = []
    with force_locale(locale):
        for result in scoring.ranked(rows):
            idea = result.item.idea
            if idea.visibility != Visibility.published:
                continue  # hidden or rejected by a moderator after it was shortlisted: never sent out
            items.append({
                "rank": result.rank,
                "position": result.item.position + 1,
                "idea_id": idea.id,
                "title": idea.title,
                "area": idea.area.name(locale),
                "theme": idea.theme.title(locale),
                "supporters": idea.vote_count,
                "status": status_label(idea.status),
                "group_id": idea.group_id,
                "note": result.item.note,
                "weighted_score": _round(result.weighted),
                "criteria": {c.name: _round(result.criterion_means.get(c.id)) for c in criteria},
                "judges_scored": len(result.judge_totals),
                "judge_range": _round(result.spread),
                "judge_stdev": _round(result.stdev),
                "author": author_name(idea),
                "created_at": _iso(idea.created_at),
                "url": idea_url(base_url, idea.id),
                "body": exports.plain_text(idea.body),
            })
    return {
        "shortlist": {
            "id": shortlist.id,
            "name": shortlist.name,
            "event_date": shortlist.event_date.isoformat() if shortlist.event_date else None,
            "description": shortlist.description,
            "areas": [area.slug for area in shortlist.areas],
        },
        "criteria": [{"name": c.name, "weight": c.weight} for c in criteria],
        "scale": {"min": 1, "max": 5},
        "items": items,
    }


def table(document: dict) -> tuple[list[str], list[list[object]]]:
    """Header and rows for CSV and XLSX: Thai headers with the JSON key in brackets."""
    criteria = [c["name"] for c in document["criteria"]]
    cut = [key for key, _th in COLUMNS].index("weighted_score") + 1
    header = [f"{th} ({key})" for key, th in COLUMNS[:cut]]
    header += [f"{name} (เฉลี่ย)" for name in criteria]
    header += [f"{th} ({key})" for key, th in COLUMNS[cut:]]
    rows = []
    for item in document["items"]:
        values = [item[key] for key, _th in COLUMNS[:cut]]
        values += [item["criteria"].get(name) for name in criteria]
        values += [item[key] for key, _th in COLUMNS[cut:]]
        rows.append(values)
    return header, rows


def render(shortlist: Shortlist, fmt: str, base_url: str) -> bytes:
    """The export file's bytes in `fmt` (csv, xlsx or json)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    document = build(shortlist, base_url)
    if fmt == "json":
        return exports.json_bytes(document)
    header, rows = table(document)
    if fmt == "csv":
        return exports.csv_bytes(header, rows)
    url_column = len(header) - 2
    return exports.xlsx_bytes(header, rows, sheet_title="shortlist", link_column=url_column,
                              wrap_columns=(len(header) - 1,))


def filename(shortlist: Shortlist, fmt: str) -> str:
    return f"shortlist-{shortlist.id}.{fmt}"
