"""Public pages: the list of areas and one area's ideas."""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from idea4gov.areas import bp
from idea4gov.areas import services as area_services
from idea4gov.extensions import db
from idea4gov.ideas.labels import STATUS_LABELS
from idea4gov.ideas.models import Idea


@bp.get("/")
def index():
    """List the areas with their open themes and idea counts."""
    return render_template(
        "areas/index.html",
        areas=area_services.list_areas(),
        counts=area_services.idea_counts_by_area(),
    )


@bp.get("/areas/<slug>")
def show(slug: str):
    """List an area's ideas: sort, theme and status filters, Thai-aware search, 20 a page."""
    area = area_services.get_area_or_404(slug)
    sort = request.args.get("sort", "top")
    if sort not in area_services.SORTS:
        sort = "top"
    try:
        status = area_services.parse_status(request.args.get("status"))
    except ValueError:
        return render_template("errors/error.html", status=400, message=_(
            "ไม่รู้จักสถานะนี้ เลือกสถานะจากรายการในหน้าพื้นที่")), 400
    query = area_services.IdeaQuery(
        sort=sort,
        q=request.args.get("q", "").strip()[:200],
        theme=area_services.parse_theme(area, request.args.get("theme")),
        status=status,
    )
    stmt = area_services.ideas_select(area, query, current_app.config["TRENDING_DAYS"]).options(
        selectinload(Idea.theme)
    )
    page = db.paginate(stmt, page=area_services.parse_page(request.args.get("page")),
                       per_page=current_app.config["IDEAS_PER_PAGE"], error_out=False)
    return render_template(
        "areas/show.html",
        area=area,
        query=query,
        page=page,
        theme_counts=area_services.idea_counts_by_theme(area),
        statuses=STATUS_LABELS,
    )
