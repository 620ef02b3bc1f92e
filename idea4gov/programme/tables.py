"""The programme's figures as tables (CSV, XLSX) and charts: both read the same rows."""
from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup

from idea4gov.i18n import current_locale
from idea4gov.programme.services import Figures, Results
from idea4gov.triage.charts import bar_chart


def no_data() -> str:
    return _("ยังไม่มีข้อมูล")


def _columns() -> list[tuple[str, str]]:
    return [
        (_("ปีงบประมาณ"), "fiscal_year"), (_("ระดับ"), "level"), (_("พื้นที่"), "area"),
        (_("หน่วยงาน"), "agency"), (_("ไอเดียที่ได้รับ"), "ideas"), (_("ผู้มีส่วนร่วม (คน)"), "participants"),
        (_("ถึงกำหนดตอบ"), "due"), (_("ตอบทันกำหนด"), "on_time"), (_("ตอบทันกำหนด (%)"), "on_time_percent"),
        (_("มัธยฐานวันทำการถึงคำตอบแรก"), "median_working_days"), (_("รับไปดำเนินการ"), "accepted"),
        (_("ดำเนินการแล้ว"), "implemented"), (_("ความพึงพอใจ"), "satisfaction"),
        (_("จำนวนผู้ให้คะแนน"), "ratings"),
    ]


def _cells(fy: int, level: str, area: str, agency: str, figures: Figures) -> list:
    return [fy, level, area, agency, figures.ideas, figures.participants, figures.due, figures.on_time,
            figures.on_time_percent, figures.median_days, figures.accepted, figures.implemented,
            figures.satisfaction if figures.satisfaction is not None else no_data(), figures.rating_count]


def export_rows(results: Results) -> tuple[list[str], list[list]]:
    """Header (Thai with the key in brackets) and rows: the total, then each area and its agencies."""
    locale = current_locale()
    header = [f"{title} ({key})" for title, key in _columns()]
    fy = results.fy.be
    rows = [_cells(fy, "total", _("ทุกพื้นที่"), "", results.total)]
    for result in results.areas:
        name = result.area.name(locale)
        rows.append(_cells(fy, "area", name, "", result.figures))
        for agency, figures in result.agencies:
            rows.append(_cells(fy, "agency", name, agency.name(locale) if agency else _("ยังไม่ส่งต่อหน่วยงาน"),
                               figures))
    return header, rows


def charts_of(results: Results, per: str) -> dict[str, Markup]:
    """Ideas received and the share answered on time, per area (the programme) or per agency (one area)."""
    locale = current_locale()
    if per == "area":
        pairs = [(result.area.name(locale), result.figures) for result in results.areas]
    else:
        pairs = [(agency.name(locale) if agency else _("ยังไม่ส่งต่อหน่วยงาน"), figures)
                 for result in results.areas for agency, figures in result.agencies]
    return {
        "ideas": bar_chart([(label, figures.ideas) for label, figures in pairs], _("ไอเดียที่ได้รับ")),
        "on_time": bar_chart([(label, figures.on_time_percent or 0) for label, figures in pairs],
                             _("ตอบทันกำหนด (%)")),
    }
