"""JSON API v1: projects, and the features of an area's map (documented in openapi.json)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from idea4gov.api import bp
from idea4gov.api.routes import MAX_ID, _area, _area_not_found, _page_args, _page_json
from idea4gov.areas import services as area_services
from idea4gov.areas.models import Area
from idea4gov.errors import json_error
from idea4gov.extensions import db
from idea4gov.ideas.labels import status_label
from idea4gov.ideas.models import Idea, IdeaStatus
from idea4gov.places import services as places
from idea4gov.places.models import IdeaLocation
from idea4gov.programme import fiscal
from idea4gov.projects import public, services
from idea4gov.projects.labels import PLAN_LABELS, STATUS_LABELS
from idea4gov.projects.models import Project, ProjectStatus
from idea4gov.text import normalize_input
from idea4gov.timeutil import as_utc
from idea4gov.verification import services as verification


def _iso(value) -> str | None:  # noqa: ANN001
    return value.isoformat() if value is not None else None


def project_json(project: Project, supporters: int | None = None, idea_ids: list[int] | None = None,
                 disputed: bool | None = None) -> dict:
    """A project as the API and open data give it (budget as a decimal string, exact)."""
    if idea_ids is None:
        idea_ids = services.idea_ids(project.id)
    if supporters is None:
        supporters = services.supporter_counts([project.id]).get(project.id, 0)
    if disputed is None:
        latest = verification.latest(project=project)
        disputed = latest is not None and latest.state.value == "disputed"
    return {
        "id": project.id,
        "area": project.area.slug,
        "title": project.title,
        "description": project.description,
        "plan_type": project.plan_type.value,
        "plan_label": str(PLAN_LABELS[project.plan_type]),
        "fiscal_year": project.fiscal_year,
        "budget": None if project.budget is None else f"{project.budget:.2f}",
        "budget_source": project.budget_source,
        "agency": None if project.agency is None else {"id": project.agency.id, "name_th": project.agency.name_th,
                                                       "name_en": project.agency.name_en},
        "starts_on": _iso(project.starts_on),
        "ends_on": _iso(project.ends_on),
        "status": project.status.value,
        "status_label": str(STATUS_LABELS[project.status]),
        "disputed": disputed,
        "place_name": project.place_name,
        "location": None if project.lat is None else {"lat": project.lat, "lng": project.lng},
        "polygon": project.polygon_points or None,
        "milestones": [{"title": m.title, "due_on": _iso(m.due_on), "status": m.status.value}
                       for m in project.milestones],
        "idea_ids": idea_ids,
        "supporter_count": supporters,
        "created_at": as_utc(project.created_at).isoformat(),
        "updated_at": as_utc(project.updated_at).isoformat(),
        "completed_at": _iso(as_utc(project.completed_at)) if project.completed_at else None,
        "url": url_for("projects.show", project_id=project.id, _external=True),
    }


@bp.get("/projects/<int:project_id>")
def project(project_id: int):
    """One project: plan, fiscal year, budget, agency, dates, status, place, milestones, source ideas."""
    found = db.session.get(Project, project_id) if 1 <= project_id <= MAX_ID else None
    if found is None:
        return json_error(404, _("ไม่พบโครงการนี้"))
    return jsonify(project_json(found))


@bp.get("/areas/<slug>/projects")
def area_projects(slug: str):
    """An area's projects, newest fiscal year first: ?fy=2569, ?status=, ?page=, ?per_page=."""
    area = _area(slug)
    if area is None:
        return _area_not_found()
    fields: dict = {}
    page, per_page = _page_args(fields)
    year = None
    if request.args.get("fy"):
        try:
            year = fiscal.parse(request.args["fy"]).be
        except fiscal.FiscalYearError as error:
            fields["fy"] = [error.message]
    status = request.args.get("status") or None
    if status is not None and status not in ProjectStatus.__members__:
        fields["status"] = [_("ใช้ได้เฉพาะ %(names)s", names=", ".join(s.value for s in ProjectStatus))]
    if fields:
        return json_error(400, _("พารามิเตอร์ไม่ถูกต้อง"), fields)
    result = db.paginate(public.projects_select(area, year, ProjectStatus(status) if status else None)
                         .options(selectinload(Project.milestones), selectinload(Project.area)),
                         page=page, per_page=per_page, max_per_page=per_page, error_out=False)
    ids = [p.id for p in result.items]
    supporters = services.supporter_counts(ids)
    links: dict[int, list[int]] = {}
    for project_id, idea_id in db.session.execute(
            sa.select(services.ProjectIdea.project_id, services.ProjectIdea.idea_id)
            .where(services.ProjectIdea.project_id.in_(ids)).order_by(services.ProjectIdea.idea_id)):
        links.setdefault(project_id, []).append(idea_id)
    totals = [{"fiscal_year": t.fiscal_year, "projects": t.total_count, "budget": f"{t.total_budget:.2f}",
               "by_status": {s.value: {"projects": t.count.get(s, 0), "budget": f"{t.budget.get(s, 0):.2f}"}
                             for s in ProjectStatus}}
              for t in public.totals_by_year(area)]
    body = _page_json(result, per_page, [project_json(p, supporters.get(p.id, 0), links.get(p.id, []), False)
                                         for p in result.items])
    body["totals"] = totals
    return jsonify(body)


#: Filters of the area page the map follows.
@bp.get("/areas/<slug>/map")
def area_map(slug: str):
    """GeoJSON of the area's ideas (points rounded to the area's precision) and projects, filtered
    like the area's list: ?theme=, ?status=, ?q=."""
    area = _area(slug)
    if area is None:
        return _area_not_found()
    fields: dict = {}
    theme = None
    if request.args.get("theme"):
        theme = next((t for t in area.themes if t.slug == request.args["theme"]), None)
        if theme is None:
            fields["theme"] = [_("ไม่พบโจทย์นี้ในพื้นที่")]
    try:
        status = area_services.parse_status(request.args.get("status"))
    except ValueError:
        status = None
        fields["status"] = [_("ใช้ได้เฉพาะ %(names)s", names=", ".join(s.value for s in IdeaStatus))]
    if fields:
        return json_error(400, _("พารามิเตอร์ไม่ถูกต้อง"), fields)
    query = area_services.IdeaQuery(sort="new", q=normalize_input(request.args.get("q"))[:200], theme=theme,
                                    status=status)
    return jsonify(features_of(area, query))


def features_of(area: Area, query: area_services.IdeaQuery) -> dict:
    """The map's features: ideas with a point (rounded) matching the list's filters, and the projects."""
    ideas = area_services.ideas_select(area, query, current_app.config["TRENDING_DAYS"]).join(
        IdeaLocation, IdeaLocation.idea_id == Idea.id).limit(places.MAP_MAX_MARKERS)
    rows = list(db.session.scalars(ideas))
    points = places.public_locations(rows)
    features = [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [points[i.id].lng, points[i.id].lat]},
        "properties": {"kind": "idea", "id": i.id, "title": i.title, "url": url_for("ideas.show", idea_id=i.id),
                       "status": i.status.value, "label": str(status_label(i.status)), "vote_count": i.vote_count},
    } for i in rows if i.id in points]
    if not query.q and query.theme is None and query.status is None:
        features += project_features(db.session.scalars(sa.select(Project).where(Project.area_id == area.id)))
    return {"type": "FeatureCollection", "features": features}


def project_features(projects) -> list[dict]:  # noqa: ANN001
    features = []
    for p in projects:
        props = {"kind": "project", "id": p.id, "title": p.title, "url": url_for("projects.show", project_id=p.id),
                 "status": p.status.value, "label": str(STATUS_LABELS[p.status])}
        corners = p.polygon_points
        if corners:
            ring = [[lng, lat] for lat, lng in corners] + [[corners[0][1], corners[0][0]]]
            center = [p.lat, p.lng] if p.lat is not None else [sum(c[0] for c in corners) / len(corners),
                                                               sum(c[1] for c in corners) / len(corners)]
            features.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                             "properties": {**props, "center": center}})
        elif p.lat is not None:
            features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lng, p.lat]},
                             "properties": props})
    return features
