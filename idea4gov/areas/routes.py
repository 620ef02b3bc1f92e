"""Public pages: the list of areas and one area's ideas."""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from idea4gov import httpcache, pagecache, params
from idea4gov.areas import bp, iap2, rounds, tree
from idea4gov.areas import services as area_services
from idea4gov.auth.models import Role
from idea4gov.auth.permissions import has_role
from idea4gov.chrome import shared_reader_page
from idea4gov.i18n import current_locale
from idea4gov.ideas.labels import STATUS_LABELS
from idea4gov.timeutil import utcnow


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
@httpcache.public_page(lambda slug: pagecache.hint("area", slug))
def show(slug: str):
    """List an area's ideas: sort, theme and status filters, Thai-aware search, 20 a page; its place and promise."""
    sort = request.args.get("sort", "top")
    if sort not in area_services.SORTS:
        sort = "top"
    try:
        status = area_services.parse_status(request.args.get("status"))
    except ValueError:
        return render_template("errors/error.html", status=400, message=_(
            "ไม่รู้จักสถานะนี้ เลือกสถานะจากรายการในหน้าพื้นที่")), 400
    q = request.args.get("q", "").strip()[:200]
    theme = request.args.get("theme") or None
    page = params.parse_page(request.args.get("page"))
    key = ("area", slug, sort, q, theme, status, page, current_locale())
    # Known area: the cached listing and title are found without a query.
    area_id = pagecache.hint("area", slug)
    cached = None
    if area_id is not None:
        cached = _still_valid(pagecache.get(key, pagecache.versions(area_id) or ()))
    if cached is None:
        area = area_services.get_area_or_404(slug)
        area_id = area.id
        pagecache.remember("area", slug, area.id)
        cached = _still_valid(pagecache.cached(key, area.id, lambda: _listing(area, sort, q, theme, status, page)))
        if cached is None:  # made before a round opened or closed: make it again
            cached = _listing(area, sort, q, theme, status, page)
            pagecache.put(key, pagecache.versions(area.id) or (), cached)
    title, listing, valid_until = cached
    links = _staff_links(area_id)

    def render() -> str:
        return render_template("areas/show.html", title=title, listing=listing, slug=slug, area_links=links)

    # The page around the shared listing is the same for signed-in readers alike but their CSRF token.
    return shared_reader_page(("area", *key, valid_until, tuple(links.items())), area_id, render)


def _still_valid(cached):  # noqa: ANN001, ANN202
    """A cached listing, unless a round opened or closed since it was made (its time has passed)."""
    if cached is None or (cached[2] is not None and utcnow() >= cached[2]):
        return None
    return cached


def _staff_links(area_id: int) -> dict[str, bool]:
    """Links only some signed-in people see, kept out of the listing every visitor shares."""
    if not current_user.is_authenticated:
        return {}
    organiser = has_role(current_user, Role.organiser, area_id)
    return {"manage": organiser, "join_codes": organiser}


def _listing(area, sort: str, q: str, theme: str | None, status, page_number: int):  # noqa: ANN001, ANN202
    """The page's title, the part every visitor sees alike (an unknown theme is a 404), and until
    when it holds (the next time a round of the area opens or closes)."""
    query = area_services.IdeaQuery(sort=sort, q=q, theme=area_services.parse_theme(area, theme), status=status)
    page = area_services.ideas_page(area, query, page_number, current_app.config["IDEAS_PER_PAGE"],
                                    current_app.config["TRENDING_DAYS"])
    schedule = rounds.area_rounds(area)
    listing = Markup(render_template(
        "areas/_listing.html", area=area, query=query, page=page,
        theme_counts=area_services.idea_counts_by_theme(area), crumbs=tree.ancestors(area),
        children=tree.children(area), counts=tree.tree_counts(), schedule=schedule,
        accepting=schedule.accepting(area.themes) if area.is_open and not area.is_archived else [],
        statuses=STATUS_LABELS))
    return area.name(current_locale()), listing, schedule.next_change
