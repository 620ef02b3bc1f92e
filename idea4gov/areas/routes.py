"""Public pages: the list of areas and one area's ideas."""
from __future__ import annotations

from flask import current_app, render_template, request
from markupsafe import Markup

from idea4gov import httpcache, pagecache
from idea4gov.areas import bp
from idea4gov.areas import services as area_services
from idea4gov.i18n import current_locale


@bp.get("/")
def index():
    """List the areas with their open themes and idea counts."""
    return render_template(
        "areas/index.html",
        areas=area_services.list_areas(),
        counts=area_services.idea_counts_by_area(),
    )


@bp.get("/areas/<slug>")
@httpcache.public_page(lambda slug: pagecache.hint("area", slug))
def show(slug: str):
    """List an area's ideas: sort, theme filter, Thai-aware search, 20 a page."""
    sort = request.args.get("sort", "top")
    if sort not in area_services.SORTS:
        sort = "top"
    q = request.args.get("q", "").strip()[:200]
    theme = request.args.get("theme") or None
    page = area_services.parse_page(request.args.get("page"))
    key = ("area", slug, sort, q, theme, page, current_locale())
    # Known area: the cached listing and title are found without a query.
    area_id = pagecache.hint("area", slug)
    if area_id is not None:
        cached = pagecache.get(key, pagecache.versions(area_id) or ())
        if cached is not None:
            return render_template("areas/show.html", title=cached[0], listing=cached[1])
    area = area_services.get_area_or_404(slug)
    pagecache.remember("area", slug, area.id)
    title, listing = pagecache.cached(key, area.id, lambda: _listing(area, sort, q, theme, page))
    return render_template("areas/show.html", title=title, listing=listing)


def _listing(area, sort: str, q: str, theme: str | None, page_number: int) -> tuple[str, Markup]:  # noqa: ANN001
    """The page's title and the part every visitor sees alike (an unknown theme is a 404)."""
    query = area_services.IdeaQuery(sort=sort, q=q, theme=area_services.parse_theme(area, theme))
    page = area_services.ideas_page(area, query, page_number, current_app.config["IDEAS_PER_PAGE"],
                                    current_app.config["TRENDING_DAYS"])
    return area.name(current_locale()), Markup(render_template(
        "areas/_listing.html", area=area, query=query, page=page, theme_counts=area_services.idea_counts_by_theme(area)))
