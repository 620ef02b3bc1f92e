"""Numbers for managers: charts drawn on the server as SVG, each with a CSV download."""
from __future__ import annotations

from flask import Response, abort, render_template
from flask_babel import gettext as _
from flask_login import login_required

from idea4gov import exports
from idea4gov.i18n import current_locale
from idea4gov.ideas.labels import status_label
from idea4gov.timeutil import format_date
from idea4gov.triage import bp
from idea4gov.triage.access import area_for_officer
from idea4gov.triage.charts import bar_chart
from idea4gov.triage.services import stats


def _tables(area) -> dict[str, tuple[list[str], list[list]]]:
    """Every chart's data as (header, rows); the CSV and the chart read the same rows."""
    locale = current_locale()
    weekly = stats.ideas_per_week(area)
    overall, answer_weeks = stats.days_to_first_answer(area)
    return {
        "weekly": ([_("สัปดาห์เริ่ม"), _("จำนวนไอเดีย")],
                   [[format_date(week, locale), count] for week, count in weekly]),
        "themes": ([_("โจทย์"), _("จำนวนไอเดีย")], [[title, count] for title, count in stats.ideas_per_theme(area, locale)]),
        "funnel": ([_("สถานะ"), _("จำนวนไอเดีย")], [[status_label(status), count] for status, count in stats.funnel(area)]),
        "first-answer": ([_("สัปดาห์ที่โพสต์"), _("มัธยฐานจำนวนวันทำการถึงคำตอบแรก"), _("ไอเดียที่ตอบแล้ว")],
                         [[format_date(week, locale), "" if median is None else median, answered]
                          for week, median, answered in answer_weeks]),
    }, overall


@bp.get("/<slug>/stats")
@login_required
def stats_page(slug: str):
    """Ideas per week and per theme, the status funnel and days to first answer, as charts."""
    area = area_for_officer(slug)
    tables, overall = _tables(area)
    titles = {
        "weekly": _("ไอเดียใหม่ต่อสัปดาห์ (12 สัปดาห์ล่าสุด)"),
        "themes": _("ไอเดียตามโจทย์"),
        "funnel": _("ความคืบหน้าตามสถานะ (จำนวนไอเดียที่ไปถึงแต่ละขั้น)"),
        "first-answer": _("มัธยฐานจำนวนวันทำการถึงคำตอบแรก ตามสัปดาห์ที่โพสต์"),
    }
    charts = {}
    for name, (_header, rows) in tables.items():
        # A week nobody answered has no median (an empty CSV cell): drawn as such, never as 0 days.
        charts[name] = bar_chart([(str(row[0]), None if row[1] == "" else float(row[1])) for row in rows],
                                 titles[name], missing=_("ยังไม่มีคำตอบ"))
    return render_template("triage/stats.html", area=area, charts=charts, titles=titles, tables=tables,
                           overall=overall)


@bp.get("/<slug>/stats/<name>.csv")
@login_required
def stats_csv(slug: str, name: str):
    """One chart's numbers as CSV (UTF-8 with BOM, so Excel shows Thai)."""
    area = area_for_officer(slug)
    tables, _overall = _tables(area)
    if name not in tables:
        abort(404)
    header, rows = tables[name]
    return Response(exports.csv_bytes(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{area.slug}-{name}.csv"'})
