"""Public project pages: `/projects/<id>`, the plan-shaped export, photos; an area's projects are listed
on its results page (`/areas/<slug>/results`, `idea4gov.programme`)."""
from __future__ import annotations

import os

from flask import Response, abort, redirect, render_template, request, send_from_directory, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from idea4gov.areas.services import get_area_or_404
from idea4gov.exports import csv_bytes, xlsx_bytes
from idea4gov.extensions import db
from idea4gov.programme import fiscal
from idea4gov.projects import bp, public, services
from idea4gov.projects.access import can_manage
from idea4gov.projects.forms import ConfirmForm
from idea4gov.projects.models import Project, ProjectPhoto, ProjectStatus
from idea4gov.verification import services as verification

EXPORTS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.get("/projects/<int:project_id>")
def show(project_id: int):
    """A project's public page: plan, budget, agency, dates, milestones, place, ideas, history."""
    project = db.get_or_404(Project, project_id)
    return render_project(project)


def render_project(project: Project, confirm_form: ConfirmForm | None = None, status: int = 200):
    from idea4gov.ideas.models import Idea

    ids = services.idea_ids(project.id)
    ideas = list(db.session.scalars(db.select(Idea).where(Idea.id.in_(ids), Idea.visible()).order_by(Idea.id))) \
        if ids else []
    round_ = verification.latest(project=project)
    return render_template(
        "projects/show.html", project=project, ideas=ideas, history=services.history(project.id),
        supporters=services.supporter_counts([project.id]).get(project.id, 0), round=round_,
        disputes=verification.disputes(project=project), can_manage=can_manage(project),
        may_respond=round_ is not None and round_.state.value == "open" and verification.may_respond(current_user, round_),
        my_response=verification.response_of(current_user, round_) if round_ else None,
        confirm_form=confirm_form or ConfirmForm(formdata=None)), status


def _fiscal_year_arg(endpoint: str, **values):  # noqa: ANN202
    """(year or None for all, None) or (None, a 400 page) from ?fy=."""
    raw = request.args.get("fy", "")
    if not raw:
        return None, None
    try:
        return fiscal.parse(raw).be, None
    except fiscal.FiscalYearError as error:
        if error.redirect_to is not None:  # a CE year such as 2026: the same page for 2569
            return None, redirect(url_for(endpoint, **values, **{**request.args.to_dict(), "fy": error.redirect_to}))
        return None, (render_template("programme/bad_year.html", message=error.message, years=fiscal.recent(),
                                      endpoint=endpoint, values=values), 400)


@bp.get("/areas/<slug>/projects")
def area_projects(slug: str):
    """The area's projects are part of its results page (one page per area): old links land there."""
    args = {key: value for key, value in request.args.items() if key in ("fy", "status", "page", "lang")}
    return redirect(url_for("programme.public_results", slug=slug, **args, _anchor="projects"), 301)


@bp.get("/areas/<slug>/projects/export.<fmt>")
def export(slug: str, fmt: str):
    """The area's projects of one fiscal year (?fy=, default the current one) shaped like a plan's
    table, as CSV (UTF-8 with BOM, formula-safe) or XLSX."""
    if fmt not in EXPORTS:
        abort(404)
    area = get_area_or_404(slug)
    year, response = _fiscal_year_arg("projects.export", slug=slug, fmt=fmt)
    if response is not None:
        return response
    year = year or fiscal.current().be
    header, rows = public.export_rows(area, year)
    body = csv_bytes(header, rows) if fmt == "csv" else xlsx_bytes(header, rows, sheet_title=f"FY{year}",
                                                                   link_column=len(header) - 1, wrap_columns=[15])
    return Response(body, mimetype=EXPORTS[fmt], headers={
        "Content-Disposition": f'attachment; filename="projects-{area.slug}-{year}.{fmt}"'})


@bp.get("/project-photos/<int:photo_id>")
def photo(photo_id: int):
    """A photo of a done project (never a path the request chose)."""
    from idea4gov.triage.services import photos

    row = db.get_or_404(ProjectPhoto, photo_id)
    if not os.path.isfile(os.path.join(photos.upload_folder(), row.filename)):
        abort(404)
    response = send_from_directory(photos.upload_folder(), row.filename, mimetype=row.content_type, max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.app_context_processor
def _map_settings() -> dict:
    """The map's tile server for every page that draws a map."""
    from idea4gov.places import tiles

    return {"map_tiles": {"url": tiles.tile_url(), "attribution": tiles.attribution()}}


@bp.app_template_global()
def plan_label(plan) -> str:  # noqa: ANN001
    from idea4gov.projects.labels import PLAN_LABELS

    return str(PLAN_LABELS[plan])


@bp.app_template_global()
def project_status_label(status) -> str:  # noqa: ANN001
    from idea4gov.projects.labels import STATUS_LABELS

    return str(STATUS_LABELS[status])


@bp.app_template_global()
def milestone_label(status) -> str:  # noqa: ANN001
    from idea4gov.projects.labels import MILESTONE_LABELS

    return str(MILESTONE_LABELS[status])


@bp.app_template_global()
def baht(amount) -> str:  # noqa: ANN001
    from idea4gov.projects.values import format_baht

    return format_baht(amount)


@bp.app_template_global()
def project_geojson(project: Project) -> dict:
    from idea4gov.api.projects import project_features

    return {"type": "FeatureCollection", "features": project_features([project])}


@bp.app_template_global()
def project_change_text(change) -> Markup:  # noqa: ANN001
    """One line of a project's public history, in the reader's language, for a page: escaped, with
    what people typed (titles, names, places) marked with its language (WCAG 3.1.2)."""
    from idea4gov.a11y import user_text

    return Markup(history_text(change, typed=user_text, plain=escape))


def history_text(change, typed=str, plain=str) -> str:  # noqa: ANN001
    """One line of history; `typed` and `plain` wrap the values put in it (what people typed, and
    the rest): for a page, `user_text` and `escape`."""
    from flask_babel import gettext as _

    from idea4gov.projects.labels import FIELD_LABELS, MILESTONE_LABELS, PLAN_LABELS, STATUS_LABELS
    from idea4gov.projects.models import MilestoneStatus, PlanType

    def status(value: str) -> str:
        return str(STATUS_LABELS[ProjectStatus(value)]) if value in ProjectStatus.__members__ else value

    def day(value: str) -> str:
        """A stored ISO day in the reader's calendar (Buddhist era in Thai)."""
        from datetime import date

        from idea4gov.i18n import current_locale
        from idea4gov.timeutil import format_date

        try:
            return format_date(date.fromisoformat(value), current_locale())
        except ValueError:
            return value

    def milestone(value: str) -> str:
        code, _sep, when = value.partition(" ")
        label = str(MILESTONE_LABELS[MilestoneStatus(code)]) if code in MilestoneStatus.__members__ else code
        return f"{label} ({day(when)})" if when else label

    if change.kind == "created":
        return _("สร้างโครงการ")
    if change.kind == "status":
        return _("สถานะ: %(before)s → %(after)s", before=plain(status(change.before)), after=plain(status(change.after)))
    if change.kind == "disputed":
        return _("ผู้ติดตามแจ้งว่ายังไม่เสร็จ สถานะกลับเป็น %(after)s", after=plain(status(change.after)))
    if change.kind == "ideas_linked":
        return _("เชื่อมไอเดีย %(ids)s", ids=plain(change.after))
    if change.kind == "idea_unlinked":
        return _("นำไอเดีย %(ids)s ออกจากโครงการ", ids=plain(change.before))
    if change.kind == "milestone_added":
        return _("เพิ่มขั้นตอน “%(title)s”", title=typed(change.field)) + (str(plain(f" ({day(change.after)})")) if change.after else "")
    if change.kind == "milestone":
        return _("ขั้นตอน “%(title)s”: %(before)s → %(after)s", title=typed(change.field), before=plain(milestone(change.before)),
                 after=plain(milestone(change.after)))
    label = str(FIELD_LABELS.get(change.field, change.field))
    if change.field == "description":
        return _("แก้ไขรายละเอียด")
    before, after = change.before or "–", change.after or "–"
    if change.field == "plan_type":
        before, after = (str(PLAN_LABELS[PlanType(v)]) if v in PlanType.__members__ else v for v in (before, after))
    if change.field in ("starts_on", "ends_on"):
        before, after = (day(v) for v in (before, after))
    else:
        before, after = (v if v == "–" else typed(v) for v in (before, after))
    return _("แก้ไข%(field)s: %(before)s → %(after)s", field=plain(label), before=plain(before), after=plain(after))


@bp.app_template_global()
def idea_exact_point(idea):  # noqa: ANN001, ANN201
    """For officers' pages only: the idea's exact point."""
    from idea4gov.places.services import locations_of

    return locations_of([idea.id]).get(idea.id)
