"""Demo points and projects: idempotent, and safe on a database seeded by an older version."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from idea4gov.areas.models import Area
from idea4gov.auth import services as auth_services
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea
from idea4gov.places import services as places
from idea4gov.places.geo import BBox, Point
from idea4gov.programme import fiscal
from idea4gov.seed.demo_projects import POINTS, PROJECTS, SAENSUK_BBOX
from idea4gov.seed.demo_triage import OFFICERS
from idea4gov.timeutil import to_bangkok, utcnow


def seed_projects(ideas: dict[str, Idea]) -> dict[str, int]:
    """Points for the pilot ideas that have none, Saensuk's bounding box if it has none, and the
    demo projects that do not exist yet (by area and title). Returns how many of each were added."""
    from idea4gov.places.models import IdeaLocation

    added = {"points": 0, "projects": 0}
    for key, (lat, lng) in POINTS.items():
        idea = ideas.get(key)
        if idea is not None and db.session.get(IdeaLocation, idea.id) is None:
            places.set_idea_location(idea, Point(lat, lng), places.PlaceSource.map)
            added["points"] += 1
    saensuk = db.session.scalar(sa.select(Area).where(Area.slug == "saensuk"))
    if saensuk is not None and saensuk.settings.bounding_box is None:
        from idea4gov.areas.settings import save_settings

        save_settings(saensuk, None, bounding_box=BBox(*SAENSUK_BBOX))
    db.session.flush()
    for spec in PROJECTS:
        if _project(spec, ideas):
            added["projects"] += 1
    return added


def _project(spec: dict, ideas: dict[str, Idea]) -> bool:
    from idea4gov.projects import services as projects
    from idea4gov.projects.models import MilestoneStatus, PlanType, Project, ProjectStatus
    from idea4gov.projects.values import parse_budget
    from idea4gov.triage.models import Agency
    from idea4gov.verification import services as verification

    area = db.session.scalar(sa.select(Area).where(Area.slug == spec["area"]))
    if area is None or db.session.scalar(sa.select(Project.id).where(Project.area_id == area.id,
                                                                      Project.title == spec["title"])):
        return False
    officer = auth_services.find_by_email(next(email for email, _n, slug, _a in OFFICERS if slug == spec["area"]))
    agency = db.session.scalar(sa.select(Agency).where(Agency.area_id == area.id, Agency.name_th == spec["agency"]))
    today = to_bangkok(utcnow()).date()
    start, end = (today + timedelta(days=days) for days in spec["days"])
    linked = [ideas[key] for key in spec["ideas"] if key in ideas]
    # An idea already in another project (an admin linked it) is left where it is.
    taken = projects.project_ids_of([idea.id for idea in linked])
    data = projects.ProjectInput(
        title=spec["title"], plan_type=PlanType(spec["plan_type"]), fiscal_year=fiscal.current().be,
        description=spec["description"], budget=parse_budget(spec["budget"]), budget_source=spec["budget_source"],
        agency_id=agency.id if agency else None, starts_on=start, ends_on=end, place_name=spec["place_name"],
        point=Point(*spec["point"]))
    project = projects.create_project(area, officer, data, [idea for idea in linked if idea.id not in taken])
    for title, days, status in spec["milestones"]:
        milestone = projects.add_milestone(project, officer, title, today + timedelta(days=days))
        projects.update_milestone(milestone, officer, MilestoneStatus(status), milestone.due_on)
    projects.set_status(project, ProjectStatus.in_progress, officer, "เริ่มดำเนินการตามแผนแล้ว")
    if spec["done"]:
        projects.set_status(project, ProjectStatus.done, officer, spec["done"])
        who, note = spec["confirm"]
        resident = auth_services.find_by_email(f"{who}@example.org")
        round_ = verification.latest(project=project)
        if resident is not None and round_ is not None and verification.may_respond(resident, round_):
            verification.respond(round_, resident, True, note)
    db.session.flush()
    return True
