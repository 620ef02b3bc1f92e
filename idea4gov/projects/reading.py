"""Turning a submitted project form into a `ProjectInput`, every field's error next to it."""
from __future__ import annotations

import re

import sqlalchemy as sa

from idea4gov.areas.models import Area
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea
from idea4gov.places import services as places
from idea4gov.places.geo import GeoError, parse_polygon
from idea4gov.places.messages import geo_message
from idea4gov.programme import fiscal
from idea4gov.projects.forms import ProjectForm
from idea4gov.projects.messages import service_message
from idea4gov.projects.models import PlanType
from idea4gov.projects.services import IDEAS_MAX, ProjectInput
from idea4gov.projects.values import parse_budget, parse_day
from idea4gov.service_errors import ServiceError

MAX_ROW_ID = 2**31 - 1


def parse_idea_ids(text: str | None) -> list[int]:
    """"12, 15 #31" -> [12, 15, 31]; junk is a ServiceError."""
    parts = [part for part in re.split(r"[\s,;#]+", text or "") if part]
    if len(parts) > IDEAS_MAX:
        raise ServiceError("too_many_ideas", field="idea_ids")
    if not all(part.isascii() and part.isdigit() and 1 <= int(part) <= MAX_ROW_ID for part in parts):
        raise ServiceError("idea_ids_invalid", field="idea_ids")
    return sorted({int(part) for part in parts})


def ideas_by_ids(area: Area, ids: list[int]) -> list[Idea]:
    found = {idea.id: idea for idea in db.session.scalars(sa.select(Idea).where(Idea.id.in_(ids)))} if ids else {}
    for idea_id in ids:
        if idea_id not in found:
            raise ServiceError("no_such_idea", field="idea_ids", idea_id=idea_id)
    return [found[idea_id] for idea_id in ids]


def read_project_form(form: ProjectForm, area: Area) -> ProjectInput | None:
    """The project typed in the form, or None with errors attached to the fields."""
    errors: dict[str, str] = {}

    def attempt(name: str, read):  # noqa: ANN001, ANN202
        try:
            return read()
        except ServiceError as error:
            errors[error.field or name] = service_message(error)
        except GeoError as error:
            errors[error.field or name] = geo_message(error.code)
        except fiscal.FiscalYearError as error:
            errors[name] = error.message
        return None

    year = attempt("fiscal_year", lambda: fiscal.parse(form.fiscal_year.data or "x"))
    budget = attempt("budget", lambda: parse_budget(form.budget.data))
    starts = attempt("starts_on", lambda: parse_day(form.starts_on.data, "starts_on"))
    ends = attempt("ends_on", lambda: parse_day(form.ends_on.data, "ends_on"))
    point = attempt("lat", lambda: places.validated_point(area, form.lat.data, form.lng.data))
    from idea4gov.areas.settings import bounding_box

    polygon = attempt("polygon", lambda: parse_polygon(form.polygon.data, bounding_box(area)))
    agency_id = None
    if form.agency_id.data:
        if not str(form.agency_id.data).isdigit() or int(form.agency_id.data) > MAX_ROW_ID:
            errors["agency_id"] = service_message(ServiceError("agency_not_in_area"))
        else:
            agency_id = int(form.agency_id.data)
    plan = form.plan_type.data if form.plan_type.data in PlanType.__members__ else None
    if plan is None:
        errors["plan_type"] = service_message(ServiceError("plan_type"))
    for name, message in errors.items():
        getattr(form, name).errors = [*getattr(form, name).errors, message]
    if errors or form.errors:
        return None
    return ProjectInput(
        title=form.title.data or "", plan_type=PlanType(plan), fiscal_year=year.be, description=form.description.data or "",
        budget=budget, budget_source=form.budget_source.data or "", agency_id=agency_id, starts_on=starts,
        ends_on=ends, place_name=form.place_name.data or "", point=point, polygon=polygon)
