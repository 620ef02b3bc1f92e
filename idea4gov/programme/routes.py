"""Programme results by fiscal year (admins, programme viewers) and each area's public results."""
from __future__ import annotations

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from idea4gov.areas.services import get_area_or_404
from idea4gov.auth.permissions import programme_required
from idea4gov.exports import csv_bytes, xlsx_bytes
from idea4gov.i18n import current_locale
from idea4gov.programme import bp, fiscal, services
from idea4gov.programme.tables import charts_of, export_rows
from idea4gov.triage.charts import bar_chart

EXPORTS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _year(endpoint: str, **values):  # noqa: ANN202
    """(fiscal year, None), or (None, a response): a redirect for a CE year, a 400 page for junk."""
    try:
        return fiscal.parse(request.args.get("fy")), None
    except fiscal.FiscalYearError as error:
        if error.redirect_to is not None:
            return None, redirect(url_for(endpoint, fy=error.redirect_to, **values))
        return None, (render_template("programme/bad_year.html", message=error.message, years=fiscal.recent(),
                                      endpoint=endpoint, values=values), 400)


@bp.get("/programme")
@programme_required
def index():
    """Every area and agency's results in one fiscal year (?fy=2569), with charts and downloads."""
    fy, response = _year("programme.index")
    if response is not None:
        return response
    found = services.results(fy)
    return render_template("programme/index.html", results=found, years=fiscal.recent(),
                           charts=charts_of(found, per="area"))


def _one_area(slug: str, endpoint: str):  # noqa: ANN202
    """(area, results, ideas per theme, None) for one area's pages, or (…, a response) for a bad ?fy=."""
    place = get_area_or_404(slug)
    fy, response = _year(endpoint, slug=slug)
    if response is not None:
        return place, None, None, response
    return place, services.results(fy, [place]), services.ideas_per_theme(fy, place, current_locale()), None


@bp.get("/programme/areas/<slug>")
@programme_required
def area(slug: str):
    """One area's results in a fiscal year, per agency and theme."""
    _place, found, themes, response = _one_area(slug, "programme.area")
    if response is not None:
        return response
    charts = charts_of(found, per="agency")
    charts["themes"] = bar_chart([(title, count) for title, count in themes], _("ไอเดียตามโจทย์"))
    return render_template("programme/area.html", results=found, result=found.areas[0], themes=themes,
                           years=fiscal.recent(), charts=charts)


@bp.get("/programme/export.<fmt>")
@programme_required
def export(fmt: str):
    """The fiscal year's table as CSV (UTF-8 with BOM, formula-safe) or XLSX; ?area=SLUG for one area."""
    if fmt not in EXPORTS:
        abort(404)
    slug = request.args.get("area") or None
    places = [get_area_or_404(slug)] if slug else None
    fy, response = _year("programme.export", fmt=fmt, **({"area": slug} if slug else {}))
    if response is not None:
        return response
    header, rows = export_rows(services.results(fy, places))
    name = f"programme-{fy.be}" + (f"-{slug}" if slug else "")
    body = csv_bytes(header, rows) if fmt == "csv" else xlsx_bytes(header, rows, sheet_title=f"FY{fy.be}")
    return Response(body, mimetype=EXPORTS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@bp.get("/areas/<slug>/results")
def public_results(slug: str):
    """An area's key figures for residents, by fiscal year (?fy=2569), with the year's projects
    (?status=, ?page=) and the budget totals of every year."""
    place, found, themes, response = _one_area(slug, "programme.public_results")
    if response is not None:
        return response
    from idea4gov.projects import public as projects

    status = request.args.get("status") or None
    if not projects.is_status(status):
        return render_template("errors/error.html", status=400, message=_(
            "ไม่รู้จักสถานะโครงการนี้ เลือกสถานะจากรายการในหน้าผลการดำเนินงาน")), 400
    chart = bar_chart([(title, count) for title, count in themes], _("ไอเดียตามโจทย์"))
    return render_template("programme/results.html", area=place, results=found, figures=found.areas[0].figures,
                           years=fiscal.recent(), chart=chart, **projects.results_part(place, found.fy.be, status))
