"""JSON API v1: areas, ideas, votes (documented in openapi.json)."""
from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import current_app, g, jsonify, make_response, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from idea4gov import httpcache, pagecache, params, ratelimit
from idea4gov.api import bp
from idea4gov.api.auth import require_user
from idea4gov.api.openapi import openapi_document
from idea4gov.api.serializers import area_json, idea_extras, idea_json
from idea4gov.areas import rounds
from idea4gov.areas import services as area_services
from idea4gov.areas.models import Area
from idea4gov.auth.models import User
from idea4gov.errors import json_error
from idea4gov.extensions import db
from idea4gov.groups.models import IdeaGroup, IdeaIssue
from idea4gov.i18n import current_locale
from idea4gov.ideas import services as idea_services
from idea4gov.ideas import similar as similar_service
from idea4gov.ideas.forms import IdeaForm
from idea4gov.ideas.messages import service_message
from idea4gov.ideas.models import Idea, IdeaStatus, Visibility
from idea4gov.receipts import services as receipts
from idea4gov.service_errors import ServiceError
from idea4gov.text import clean_plain, clean_rich, normalize_input, plain_from_rich
from idea4gov.triage.models import Agency

IDEA_FIELDS = ("title", "body", "theme", "place_name")
#: Optional point of a new idea: numbers (or numeric strings), checked like the web form's.
POINT_FIELDS = ("lat", "lng")
#: Largest id an idea can have (a 32-bit INTEGER key); larger ids are simply not found.
MAX_ID = 2**31 - 1


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 document of this API."""
    return jsonify(openapi_document())


@bp.get("/areas")
def areas():
    """List areas with their parent, promise, open round and themes (archived ones too, marked)."""
    counts = area_services.idea_counts_by_area()
    areas = list(db.session.scalars(sa.select(Area).options(selectinload(Area.themes)).order_by(Area.id)))
    slugs = {area.id: area.slug for area in areas}
    by_area = rounds.rounds_of_areas(list(slugs))
    return jsonify({"items": [
        area_json(area, counts.get(area.id, 0), slugs.get(area.parent_id), rounds.area_rounds(area, by_area[area.id]))
        for area in areas]})


@bp.get("/areas/<slug>")
def area(slug: str):
    """One area, as in the list."""
    found = _area(slug)
    if found is None:
        return _area_not_found()
    parent = db.session.scalar(sa.select(Area.slug).where(Area.id == found.parent_id)) if found.parent_id else None
    return jsonify(area_json(found, area_services.idea_counts_by_area().get(found.id, 0), parent))


def _area(slug: str) -> Area | None:
    """The area with its themes and settings, in one statement."""
    return db.session.scalars(
        sa.select(Area).where(Area.slug == slug).options(joinedload(Area.themes))).unique().one_or_none()


def _area_not_found():
    return json_error(404, _("ไม่พบพื้นที่นี้"))


def _int_arg(name: str, default: int, low: int, high: int) -> tuple[int | None, dict | None]:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default, None
    try:
        value = int(raw)
    except ValueError:
        return None, {name: [_("ต้องเป็นจำนวนเต็ม")]}
    if not low <= value <= high:
        return None, {name: [_("ต้องอยู่ระหว่าง %(low)d ถึง %(high)d", low=low, high=high)]}
    return value, None


def _page_args(fields: dict) -> tuple[int | None, int | None]:
    """?page= and ?per_page= (≤ API_MAX_PER_PAGE); problems go into `fields`."""
    page, error = _int_arg("page", 1, 1, params.MAX_PAGE)
    fields.update(error or {})
    per_page, error = _int_arg("per_page", 20, 1, current_app.config["API_MAX_PER_PAGE"])
    fields.update(error or {})
    return page, per_page


def _page_json(result, per_page: int, items: list) -> dict:  # noqa: ANN001
    return {"items": items, "page": result.page, "per_page": per_page, "total": result.total,
            "pages": result.pages}


@bp.get("/areas/<slug>/ideas")
@httpcache.public_page(lambda slug: pagecache.hint("area", slug))
def area_ideas(slug: str):
    """List an area's published ideas: ?sort=top|new|trending, ?q=, ?theme=, ?status=, ?page=, ?per_page= (≤ 100)."""
    # The list is the same for every caller: its JSON is reused while the area is unchanged.
    key = ("api-ideas", slug, request.query_string, current_locale())
    area_id = pagecache.hint("area", slug)
    body = pagecache.get(key, pagecache.versions(area_id) or ()) if area_id is not None else None
    if body is not None:
        return current_app.response_class(body, mimetype="application/json")
    area = _area(slug)
    if area is None:
        return _area_not_found()
    pagecache.remember("area", slug, area.id)
    versions = pagecache.versions(area.id)
    response = _area_ideas(area)
    if versions is not None and response.status_code == 200:
        pagecache.put(key, versions, response.get_data())
    return response


def _area_ideas(area: Area):
    fields: dict = {}
    sort = request.args.get("sort", "top")
    if sort not in area_services.SORTS:
        fields["sort"] = [_("ใช้ได้เฉพาะ top, new หรือ trending")]
    page, per_page = _page_args(fields)
    theme = None
    if request.args.get("theme"):
        theme = next((t for t in area.themes if t.slug == request.args["theme"]), None)
        if theme is None:
            fields["theme"] = [_("ไม่พบโจทย์นี้ในพื้นที่")]
    status = None
    try:
        status = area_services.parse_status(request.args.get("status"))
    except ValueError:
        fields["status"] = [_("ใช้ได้เฉพาะ %(names)s", names=", ".join(s.value for s in IdeaStatus))]
    if fields:
        body, status_code = json_error(400, _("พารามิเตอร์ไม่ถูกต้อง"), fields)
        return make_response(body, status_code)
    query = area_services.IdeaQuery(sort=sort, q=normalize_input(request.args.get("q"))[:200], theme=theme,
                                    status=status)
    result = area_services.ideas_page(area, query, page, per_page, current_app.config["TRENDING_DAYS"])
    authors = {user.id: user for user in db.session.scalars(
        sa.select(User).where(User.id.in_({idea.author_id for idea in result.items if idea.author_id})))}
    agencies = {agency.id: agency for agency in db.session.scalars(
        sa.select(Agency).where(Agency.id.in_({idea.agency_id for idea in result.items if idea.agency_id})))}
    for idea in result.items:  # the page's authors and agencies in one query each, put where each idea finds them
        set_committed_value(idea, "author", authors.get(idea.author_id))
        set_committed_value(idea, "area", area)
        set_committed_value(idea, "agency", agencies.get(idea.agency_id))
    projects, points = idea_extras(result.items)
    return jsonify(_page_json(result, per_page, [idea_json(idea, projects, points) for idea in result.items]))


@bp.post("/areas/<slug>/ideas")
@ratelimit.limit("ideas", deduct_when=ratelimit.created)
def create_idea(slug: str):
    """Post an idea: {"title", "body", "theme"?, "place_name"?} → 201 with the idea."""
    user, error = require_user()
    if error:
        return error
    area = _area(slug)
    if area is None:
        return _area_not_found()
    payload = _json_object()
    if payload is None:
        return json_error(400, _("ต้องส่งข้อมูลเป็น JSON object (Content-Type: application/json)"), code="invalid_json")
    wrong_type = {
        name: [_("ต้องเป็นข้อความ")] for name in IDEA_FIELDS if name in payload and not isinstance(payload[name], str)
    }
    if wrong_type:
        return json_error(422, _("ข้อมูลไม่ถูกต้อง"), wrong_type)
    schedule = rounds.area_rounds(area)
    themes = schedule.accepting(area.themes)
    refused = _closed_to_ideas(area, schedule, themes, payload.get("theme") or "")
    if refused is not None:
        return refused
    data = {name: payload.get(name) or "" for name in IDEA_FIELDS}
    data["theme"] = data["theme"] or themes[0].slug
    # Lengths count the text as it will be stored: tags and invisible characters don't count.
    stored = dict(data, title=clean_plain(data["title"]), body=plain_from_rich(clean_rich(data["body"])),
                  place_name=clean_plain(data["place_name"]))
    form = IdeaForm(formdata=MultiDict(stored), meta={"csrf": False})
    form.theme.choices = [SelectChoice(theme.slug) for theme in themes]
    if not form.validate():
        return json_error(422, _("ข้อมูลไม่ถูกต้อง"), {name: [str(e) for e in errs] for name, errs in form.errors.items()})
    theme = next(theme for theme in themes if theme.slug == form.theme.data)
    point, refused = _point_of(area, payload)
    if refused is not None:
        return refused
    try:
        idea = idea_services.create_idea(
            area, user, idea_services.IdeaInput(data["title"], data["body"], theme, data["place_name"] or None,
                                                point, "typed"),
            schedule=schedule,
        )
    except idea_services.ServiceError as exc:
        db.session.rollback()
        return json_error(exc.status if exc.status != 400 else 422, service_message(exc),
                          {exc.field: [service_message(exc)]} if exc.field else None,
                          code=exc.message if exc.status == 403 else None)
    receipts.queue_receipt(idea)
    # Read before the commit, which would expire the rows and read them all again; a new idea has no
    # project, and a point only if one was given. Its group and issue are null until the worker
    # places it (`groups.services.place_published`).
    body = idea_json(idea, {}, idea_extras([idea])[1] if point is not None else {})
    db.session.commit()
    return jsonify(body), 201, {"Location": f"/api/v1/ideas/{body['id']}"}


def _point_of(area: Area, values) -> tuple:  # noqa: ANN001
    """(point or None, None), or (None, a 422 naming the field) for a bad or outside point."""
    from idea4gov.places import services as places
    from idea4gov.places.messages import geo_message

    try:
        return places.validated_point(area, values.get("lat"), values.get("lng")), None
    except places.GeoError as error:
        message = geo_message(error.code)
        return None, json_error(422, message, {error.field or "lat": [message]}, code=error.code)


def _closed_to_ideas(area: Area, schedule: rounds.AreaRounds, accepting: list, wanted: str):  # noqa: ANN202
    """403 when the area is archived or closed, or the theme asked for (or every theme) is outside its rounds."""
    if area.is_archived or not area.is_open:
        code = "area_archived" if area.is_archived else "area_closed"
        return json_error(403, service_message(ServiceError(code)), code=code)
    theme = next((t for t in area.themes if t.slug == wanted), None)
    if theme is not None and theme.is_open and not schedule.window(theme).in_round:
        error = ServiceError("round_closed", next_opens_at=schedule.window(theme).next_opens_at)
        return json_error(403, service_message(error), {"theme": [service_message(error)]}, code="round_closed")
    if not accepting:
        waiting = [t for t in area.themes if t.is_open]
        if waiting:
            upcoming = schedule.next
            error = ServiceError("round_closed", next_opens_at=upcoming.opens_at if upcoming else None)
            return json_error(403, service_message(error), code="round_closed")
        return json_error(403, _("พื้นที่นี้ปิดรับไอเดียแล้ว"), code="area_closed")
    return None


def _json_object() -> dict | None:
    """The request body as a JSON object; None when it is missing, invalid or not an object."""
    try:
        payload = request.get_json(silent=True)
    except RecursionError:  # nesting too deep to decode; silent=True only covers ValueError
        return None
    return payload if isinstance(payload, dict) else None


def _published_idea(idea_id: int) -> Idea | None:
    if not 1 <= idea_id <= MAX_ID:
        return None
    idea = db.session.get(Idea, idea_id)
    return idea if idea is not None and idea.visibility == Visibility.published else None


#: Longest text /similar reads (the new-idea form's title and body together).
SIMILAR_TEXT_MAX = 5200


@bp.get("/areas/<slug>/similar")
def similar(slug: str):
    """The k (1–20, default 5) published ideas of the area most similar to ?text=, with a score."""
    area = _area(slug)
    if area is None:
        return _area_not_found()
    if area.is_archived:
        # Suggestions exist to support an idea instead of posting it again: neither happens here.
        return json_error(403, service_message(ServiceError("area_archived")), code="area_archived")
    fields: dict = {}
    text = normalize_input(request.args.get("text", ""))
    point, refused = _point_of(area, request.args)
    if refused is not None:
        return refused
    if not text and point is None:
        fields["text"] = [_("กรุณาส่งข้อความที่จะค้นหาไอเดียที่คล้ายกัน")]
    elif len(text) > SIMILAR_TEXT_MAX:
        fields["text"] = [_("ข้อความยาวเกิน %(max)d ตัวอักษร", max=SIMILAR_TEXT_MAX)]
    k, error = _int_arg("k", 5, 1, similar_service.MAX_K)
    fields.update(error or {})
    if fields:
        return json_error(400, _("พารามิเตอร์ไม่ถูกต้อง"), fields)
    found = similar_service.similar_matches(area, text, k) if text else []
    near = similar_service.nearby_ideas(area, text, point, k)
    user = g.get("api_user")
    supported = idea_services.supported_ids(user, [m.idea.id for m in found] + [i.id for i, _s, _d in near])
    distances = {idea.id: distance for idea, _score, distance in near}

    def item(idea: Idea, score: float, same_issue: bool) -> dict:
        row = {"id": idea.id, "title": idea.title, "vote_count": idea.vote_count, "score": round(score, 4),
               "same_issue": same_issue, "issue_id": idea.issue_id,
               "supported": idea.id in supported, "url": url_for("ideas.show", idea_id=idea.id)}
        if idea.id in distances:
            # Rounded, and measured between public (rounded) points: never reveals an exact location.
            row["distance_m"] = int(round(distances[idea.id], -1))
        return row

    # Nearby ideas are reports here already: the same issue when some words are shared too.
    return jsonify({"items": [item(m.idea, m.score, m.same_issue) for m in found],
                    "nearby": [item(idea, score, score >= similar_service.NEARBY_CONFIRM_THRESHOLD)
                               for idea, score, _distance in near]})


def _clusters_page(slug: str, model: type[IdeaGroup] | type[IdeaIssue], column: sa.orm.InstrumentedAttribute[int | None],
                   item: Callable[..., dict]):
    """A page of the area's groups (or issues) of two or more ideas, most distinct supporters first;
    `item(row, ideas)` makes each entry, `ideas` being its published (id, title), most supported first."""
    area = _area(slug)
    if area is None:
        return _area_not_found()
    fields: dict = {}
    page, per_page = _page_args(fields)
    if fields:
        return json_error(400, _("พารามิเตอร์ไม่ถูกต้อง"), fields)
    result = db.paginate(
        sa.select(model).where(model.area_id == area.id, model.size >= 2)
        .order_by(model.supporter_count.desc(), model.size.desc(), model.id),
        page=page, per_page=per_page, max_per_page=per_page, error_out=False,
    )
    members: dict[int, list[tuple[int, str]]] = {}
    if result.items:
        for idea_id, ref, title in db.session.execute(
            sa.select(Idea.id, column, Idea.title)
            .where(column.in_([row.id for row in result.items]), Idea.visible())
            .order_by(Idea.vote_count.desc(), Idea.id)
        ):
            members.setdefault(ref, []).append((idea_id, title))
    return jsonify(_page_json(result, per_page, [item(row, members.get(row.id, [])) for row in result.items]))


@bp.get("/areas/<slug>/groups")
def groups(slug: str):
    """Groups of similar ideas of the area, most distinct supporters first: size, supporters, key words."""
    return _clusters_page(slug, IdeaGroup, Idea.group_id, lambda group, ideas: {
        "id": group.id, "size": group.size, "supporter_count": group.supporter_count,
        "keywords": group.keyword_list, "idea_ids": [idea_id for idea_id, _title in ideas],
        "url": url_for("groups.show", group_id=group.id)})


@bp.get("/areas/<slug>/issues")
def issues(slug: str):
    """Issues of the area (the same problem reported two or more times), most distinct supporters
    first, each named by its most representative report."""

    def item(issue: IdeaIssue, ideas: list[tuple[int, str]]) -> dict:
        named = next((r for r in ideas if r[0] == issue.representative_id), ideas[0] if ideas else None)
        return {"id": issue.id, "group_id": issue.group_id, "size": issue.size,
                "supporter_count": issue.supporter_count,
                "name": {"idea_id": named[0], "title": named[1]} if named else None,
                "idea_ids": [idea_id for idea_id, _title in ideas], "url": url_for("groups.issue", issue_id=issue.id)}

    return _clusters_page(slug, IdeaIssue, Idea.issue_id, item)


@bp.get("/ideas/<int:idea_id>")
def idea(idea_id: int):
    """One published idea with vote_count, comment_count, status, group_id, issue_id, reference, agency,
    merged_into_id."""
    found = _published_idea(idea_id)
    if found is None:
        return json_error(404, _("ไม่พบไอเดียนี้"))
    return jsonify(idea_json(found))


@bp.route("/ideas/<int:idea_id>/vote", methods=["PUT", "DELETE"])
@ratelimit.limit("votes")
def vote(idea_id: int):
    """PUT supports the idea, DELETE withdraws; both idempotent."""
    user, error = require_user()
    if error:
        return error
    found = _published_idea(idea_id)
    if found is None:
        return json_error(404, _("ไม่พบไอเดียนี้"))
    try:
        changed = (idea_services.vote if request.method == "PUT" else idea_services.unvote)(found, user)
    except idea_services.ServiceError as exc:
        db.session.rollback()
        return json_error(exc.status, service_message(exc), code=exc.message)
    db.session.commit()
    return jsonify({"idea_id": found.id, "voted": request.method == "PUT", "changed": changed,
                    "vote_count": found.vote_count})
