"""Public pages: the list of areas and one area's ideas."""
from __future__ import annotations

from flask import current_app, render_template, request
from sqlalchemy.orm import selectinload

from idea4gov import params
from idea4gov.areas import bp
from idea4gov.areas import services as area_services
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
    """List an area's ideas: sort, theme filter, Thai-aware search, 20 a page."""
    area = area_services.get_area_or_404(slug)
    sort = request.args.get("sort", "top")
    if sort not in area_services.SORTS:
        sort = "top"
    query = area_services.IdeaQuery(
        sort=sort,
        q=request.args.get("q", "").strip()[:200],
        theme=area_services.parse_theme(area, request.args.get("theme")),
    )
    stmt = area_services.ideas_select(area, query, current_app.config["TRENDING_DAYS"]).options(
        selectinload(Idea.theme)
    )
    page = params.paginate(stmt, per_page=current_app.config["IDEAS_PER_PAGE"])
    return render_template(
        "areas/show.html",
        area=area,
        query=query,
        page=page,
        theme_counts=area_services.idea_counts_by_theme(area),
    )
