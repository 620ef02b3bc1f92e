"""Public pages: the list of areas and one area's ideas."""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from idea4gov import params
from idea4gov.areas import bp, iap2, rounds, tree
from idea4gov.areas import services as area_services
from idea4gov.auth.models import Role
from idea4gov.auth.permissions import has_role
from idea4gov.ideas.labels import STATUS_LABELS
from idea4gov.ideas.models import Idea


@bp.app_template_filter("iap2_label")
def iap2_label(level) -> str:  # noqa: ANN001
    """`{{ area.iap2_level|iap2_label }}`: the level as OPDC names it (English: IAP2's name)."""
    return iap2.label(level)


@bp.get("/")
def index():
    """List the top-level areas with their sub-areas, open themes and idea counts."""
    home = tree.home_tree()
    shown = [entry.area for entry in home] + [child for entry in home for child in entry.children]
    by_area = rounds.rounds_of_areas([area.id for area in shown])
    return render_template(
        "areas/index.html",
        home=home,
        schedules={area.id: rounds.area_rounds(area, by_area[area.id]) for area in shown},
        counts=tree.tree_counts(),
        archived=tree.archived_top_level(),
    )


@bp.get("/areas/<slug>")
def show(slug: str):
    """List an area's ideas: sort, theme and status filters, Thai-aware search, 20 a page; its place and promise."""
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
    page = params.paginate(stmt, per_page=current_app.config["IDEAS_PER_PAGE"])
    schedule = rounds.area_rounds(area)
    return render_template(
        "areas/show.html",
        area=area,
        query=query,
        page=page,
        theme_counts=area_services.idea_counts_by_theme(area),
        crumbs=tree.ancestors(area),
        children=tree.children(area),
        counts=tree.tree_counts(),
        schedule=schedule,
        accepting=schedule.accepting(area.themes) if area.is_open and not area.is_archived else [],
        can_manage=current_user.is_authenticated and has_role(current_user, Role.organiser, area.id),
        statuses=STATUS_LABELS,
    )
