"""Business rules of projects; services flush, never commit.

    from idea4gov.projects import services as projects
    projects.create_project(area, officer, data, ideas, group=None)   # -> Project
    projects.update_project(project, officer, data)                   # -> changed field names
    projects.set_status(project, ProjectStatus.done, officer, note, photos)
    projects.link_ideas(project, officer, ideas); projects.unlink_idea(project, officer, idea)
    projects.add_milestone(...); projects.update_milestone(...)
    projects.project_ids_of([idea ids])                               # -> {idea id: project id}
    projects.supporter_counts([project ids])                          # distinct supporters of their ideas
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from idea4gov.areas.models import Area
from idea4gov.audit import services as audit
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.groups.models import IdeaGroup
from idea4gov.ideas.models import Idea, IdeaStatus, Visibility, Vote
from idea4gov.links import base_url
from idea4gov.notifications.services import notify
from idea4gov.places.geo import Point
from idea4gov.programme.fiscal import FIRST_FY, LAST_FY
from idea4gov.projects.models import (
    Milestone,
    MilestoneStatus,
    PlanType,
    Project,
    ProjectChange,
    ProjectIdea,
    ProjectPhoto,
    ProjectStatus,
)
from idea4gov.projects.values import format_baht
from idea4gov.service_errors import ServiceError
from idea4gov.text import clean_plain
from idea4gov.timeutil import utcnow
from idea4gov.triage.models import Agency

TITLE_MIN, TITLE_MAX = 5, 200
DESCRIPTION_MAX = 10_000
SOURCE_MAX = PLACE_MAX = 200
NOTE_MIN, NOTE_MAX = 10, 3000
MILESTONE_MAX = 200
#: Most ideas one project may hold (a whole group is usually far fewer).
IDEAS_MAX = 500
#: Audit rows keep short before/after values.
_AUDIT_VALUE = 40


@dataclass
class ProjectInput:
    title: str
    plan_type: PlanType
    fiscal_year: int
    description: str = ""
    budget: Decimal | None = None
    budget_source: str = ""
    agency_id: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    place_name: str = ""
    point: Point | None = None
    polygon: list[Point] | None = field(default=None)


def _check(area: Area, data: ProjectInput) -> dict:
    """The cleaned values of `data`, or a ServiceError naming the field."""
    if area.is_archived:
        raise ServiceError("area_archived", status=409)
    title = clean_plain(data.title or "")
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise ServiceError("title_length", field="title")
    description = clean_plain(data.description or "")
    if len(description) > DESCRIPTION_MAX:
        raise ServiceError("description_too_long", field="description")
    if not isinstance(data.fiscal_year, int) or not FIRST_FY <= data.fiscal_year <= LAST_FY:
        raise ServiceError("fiscal_year_range", field="fiscal_year")
    if data.budget is not None and data.budget < 0:
        raise ServiceError("budget_negative", field="budget")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise ServiceError("ends_before_start", field="ends_on")
    if data.agency_id is not None:
        agency = db.session.get(Agency, data.agency_id)
        if agency is None or agency.area_id != area.id:
            raise ServiceError("agency_not_in_area", field="agency_id")
    source, place = clean_plain(data.budget_source or ""), clean_plain(data.place_name or "")
    if len(source) > SOURCE_MAX:
        raise ServiceError("source_too_long", field="budget_source")
    if len(place) > PLACE_MAX:
        raise ServiceError("place_too_long", field="place_name")
    return {
        "title": title, "description": description, "plan_type": data.plan_type, "fiscal_year": data.fiscal_year,
        "budget": data.budget, "budget_source": "" if data.budget is None else source,
        "agency_id": data.agency_id, "starts_on": data.starts_on, "ends_on": data.ends_on, "place_name": place,
        "lat": data.point.lat if data.point else None, "lng": data.point.lng if data.point else None,
        "polygon": json.dumps([[p.lat, p.lng] for p in data.polygon]) if data.polygon else None,
    }


def _history(project: Project, actor: User | None, kind: str, *, field: str = "", before: str = "", after: str = "",
             note: str = "", action: str) -> ProjectChange:
    """One public history line and its audit entry (the one place both are written)."""
    change = ProjectChange(project_id=project.id, actor_id=actor.id if actor is not None else None, kind=kind,
                           field=field, before=before, after=after, note=note, created_at=utcnow())
    db.session.add(change)
    audit.record(actor, action, "project", project.id, area_id=project.area_id, before=before[:_AUDIT_VALUE],
                 after=after[:_AUDIT_VALUE], reason=field or note)
    return change


def create_project(area: Area, actor: User, data: ProjectInput, ideas: list[Idea],
                   group: IdeaGroup | None = None) -> Project:
    """A new project in `area` from one idea, several, a whole group, or none yet; its ideas'
    followers are told it became a project."""
    values = _check(area, data)
    project = Project(area_id=area.id, created_by_id=actor.id, source_group_id=group.id if group else None,
                      status=ProjectStatus.planned, **values)
    db.session.add(project)
    db.session.flush()
    _history(project, actor, "created", after=project.title, action="project_create")
    if ideas:
        link_ideas(project, actor, ideas)
    db.session.flush()
    return project


#: Fields compared one by one on an edit, with how each is written in the history.
_FIELDS = ("title", "description", "plan_type", "fiscal_year", "budget", "budget_source", "agency_id",
           "starts_on", "ends_on", "place_name", "point", "polygon")


def _shown(project: Project, name: str) -> str:
    if name == "budget":
        return format_baht(project.budget)
    if name == "plan_type":
        return project.plan_type.value
    if name == "agency_id":
        agency = db.session.get(Agency, project.agency_id) if project.agency_id else None
        return agency.name_th if agency else ""
    if name == "point":
        return f"{project.lat:.6f}, {project.lng:.6f}" if project.lat is not None else ""
    if name == "polygon":
        return str(len(project.polygon_points)) if project.polygon else ""
    value = getattr(project, name)
    return "" if value is None else (value.isoformat() if isinstance(value, date) else str(value))


def update_project(project: Project, actor: User, data: ProjectInput) -> list[str]:
    """Change what differs, one history line (and audit entry) per field; returns the names changed."""
    values = _check(project.area, data)
    before = {name: _shown(project, name) for name in _FIELDS}
    for name, value in values.items():
        setattr(project, name, value)
    db.session.flush()
    changed = []
    for name in _FIELDS:
        after = _shown(project, name)
        if after != before[name]:
            label = "agency" if name == "agency_id" else name
            _history(project, actor, "field", field=label, before=before[name], after=after, action="project_update")
            changed.append(label)
    if changed:
        project.updated_at = utcnow()
    db.session.flush()
    return changed


def set_status(project: Project, status: ProjectStatus, actor: User, note: str = "",
               photos: list[bytes] | None = None) -> ProjectChange:
    """Move the project on. Done needs a public report (10–3,000 characters) and may carry up to 4
    photos; it opens a round in which the ideas' authors and supporters confirm it is done or not."""
    from idea4gov.triage.services import photos as photo_files
    from idea4gov.verification import services as verification

    note = clean_plain(note or "")
    photos = [data for data in (photos or []) if data]
    if project.area.is_archived:
        raise ServiceError("area_archived", status=409)
    if status == project.status and not note:
        raise ServiceError("status_unchanged", field="status")
    if status == ProjectStatus.done and len(note) < NOTE_MIN:
        raise ServiceError("report_required", field="note")
    if len(note) > NOTE_MAX:
        raise ServiceError("note_too_long", field="note")
    if photos and status != ProjectStatus.done:
        raise ServiceError("photos_only_done", field="photos")
    stored = photo_files.stored_photos(photos)
    before = project.status
    change = _history(project, actor, "status", before=before.value, after=status.value, note=note,
                      action="project_status")
    db.session.flush()
    for photo in stored:
        db.session.add(ProjectPhoto(project_id=project.id, change_id=change.id, filename=photo.filename,
                                    content_type=photo.content_type, width=photo.width, height=photo.height,
                                    size_bytes=photo.size_bytes))
    project.status = status
    project.updated_at = utcnow()
    project.completed_at = utcnow() if status == ProjectStatus.done else None
    if status == ProjectStatus.done:
        verification.open_round(project=project)
        _tell_done(project, note)
    else:
        verification.close_rounds(project=project)
    db.session.flush()
    return change


def _ideas_check(project: Project, ideas: list[Idea]) -> list[Idea]:
    wanted = {idea.id: idea for idea in ideas}
    if len(wanted) + len(project.links) > IDEAS_MAX:
        raise ServiceError("too_many_ideas", field="idea_ids")
    for idea in wanted.values():
        if idea.area_id != project.area_id:
            raise ServiceError("idea_not_in_area", field="idea_ids", idea_id=idea.id)
        if idea.visibility != Visibility.published or idea.status == IdeaStatus.duplicate:
            raise ServiceError("idea_not_linkable", field="idea_ids", idea_id=idea.id)
    taken = dict(db.session.execute(sa.select(ProjectIdea.idea_id, ProjectIdea.project_id)
                                    .where(ProjectIdea.idea_id.in_(list(wanted)))).all()) if wanted else {}
    for idea_id, project_id in taken.items():
        if project_id != project.id:
            raise ServiceError("idea_in_project", field="idea_ids", idea_id=idea_id, project_id=project_id)
    return [idea for idea_id, idea in sorted(wanted.items()) if idea_id not in taken]


def link_ideas(project: Project, actor: User, ideas: list[Idea]) -> int:
    """Link ideas of the project's area (published, not merged away, in no other project); their
    pages then say "became project X" and their followers are told. Returns how many were new."""
    new = _ideas_check(project, ideas)
    if not new:
        return 0
    for idea in new:
        db.session.add(ProjectIdea(project_id=project.id, idea_id=idea.id, added_by_id=actor.id))
    db.session.flush()
    _history(project, actor, "ideas_linked", after=", ".join(f"#{idea.id}" for idea in new),
             action="project_link_ideas")
    _tell_linked(project, new)
    db.session.expire(project, ["links"])
    return len(new)


def unlink_idea(project: Project, actor: User, idea: Idea) -> None:
    """Take an idea out of the project (it was linked by mistake); kept in the history."""
    link = db.session.scalar(sa.select(ProjectIdea).where(ProjectIdea.project_id == project.id,
                                                          ProjectIdea.idea_id == idea.id))
    if link is None:
        raise ServiceError("idea_not_linked", status=404)
    db.session.delete(link)
    _history(project, actor, "idea_unlinked", before=f"#{idea.id}", action="project_unlink_idea")
    db.session.flush()
    db.session.expire(project, ["links"])


def add_milestone(project: Project, actor: User, title: str, due_on: date | None) -> Milestone:
    title = clean_plain(title or "")
    if not 2 <= len(title) <= MILESTONE_MAX:
        raise ServiceError("milestone_title", field="title")
    position = (db.session.scalar(sa.select(sa.func.max(Milestone.position))
                                  .where(Milestone.project_id == project.id)) or 0) + 1
    milestone = Milestone(project_id=project.id, title=title, due_on=due_on, position=position)
    db.session.add(milestone)
    _history(project, actor, "milestone_added", field=title, after=due_on.isoformat() if due_on else "",
             action="milestone_add")
    db.session.flush()
    return milestone


def update_milestone(milestone: Milestone, actor: User, status: MilestoneStatus, due_on: date | None) -> bool:
    """Change a milestone's status or date; False when nothing changed."""
    project = milestone.project
    before = f"{milestone.status.value} {milestone.due_on.isoformat() if milestone.due_on else ''}".strip()
    milestone.status, milestone.due_on = status, due_on
    after = f"{status.value} {due_on.isoformat() if due_on else ''}".strip()
    if before == after:
        return False
    _history(project, actor, "milestone", field=milestone.title, before=before, after=after,
             action="milestone_update")
    db.session.flush()
    return True


def history(project_id: int) -> list[ProjectChange]:
    """The public history, oldest first, with photos."""
    from sqlalchemy.orm import selectinload

    return list(db.session.scalars(sa.select(ProjectChange).where(ProjectChange.project_id == project_id)
                                   .options(selectinload(ProjectChange.photos))
                                   .order_by(ProjectChange.created_at, ProjectChange.id)))


def project_ids_of(idea_ids: list[int]) -> dict[int, int]:
    """{idea id: project id} for those of these ideas that became projects (one query)."""
    if not idea_ids:
        return {}
    return dict(db.session.execute(sa.select(ProjectIdea.idea_id, ProjectIdea.project_id)
                                   .where(ProjectIdea.idea_id.in_(list(set(idea_ids))))).all())


def project_of(idea: Idea) -> Project | None:
    return db.session.scalar(sa.select(Project).join(ProjectIdea, ProjectIdea.project_id == Project.id)
                             .where(ProjectIdea.idea_id == idea.id))


def idea_ids(project_id: int) -> list[int]:
    return list(db.session.scalars(sa.select(ProjectIdea.idea_id).where(ProjectIdea.project_id == project_id)
                                   .order_by(ProjectIdea.id)))


def supporter_counts(project_ids: list[int]) -> dict[int, int]:
    """Distinct supporters of each project's ideas (one who supports two of them counts once)."""
    if not project_ids:
        return {}
    rows = db.session.execute(
        sa.select(ProjectIdea.project_id, sa.func.count(sa.distinct(Vote.user_id)))
        .join(Vote, Vote.idea_id == ProjectIdea.idea_id)
        .where(ProjectIdea.project_id.in_(project_ids)).group_by(ProjectIdea.project_id))
    return dict(rows.all())


def followers(project: Project) -> set[int]:
    """Authors and supporters of the project's ideas."""
    from idea4gov.triage.notify import followers as idea_followers

    ids = idea_ids(project.id)
    return idea_followers(ids) if ids else set()


def project_url(project_id: int) -> str:
    return f"{base_url()}/projects/{project_id}"


def _tell_linked(project: Project, ideas: list[Idea]) -> None:
    """Each follower once (about the first of their ideas that was linked): in-app, by e-mail, and
    on LINE to those who asked for status changes there (their idea's next step)."""
    from idea4gov.line import services as line_notices
    from idea4gov.line.models import NoticeKind
    from idea4gov.triage.notify import followers as idea_followers
    from idea4gov.triage.notify import mail_people

    told: set[int] = set()
    for idea in ideas:
        people = idea_followers([idea.id]) - told
        told |= people
        notify(people, "idea_project", idea_id=idea.id,
               data={"title": idea.title, "project_title": project.title, "project_id": project.id})

    def render() -> tuple[str, str]:
        return (_("ไอเดียที่คุณติดตามกลายเป็นโครงการ “%(title)s”", title=project.title),
                _("ไอเดียที่คุณเสนอหรือสนับสนุนถูกนำไปจัดทำเป็นโครงการ “%(title)s” ติดตามงบประมาณ ระยะเวลา "
                  "และความคืบหน้าได้ที่: %(url)s", title=project.title, url=project_url(project.id)))

    mail_people(told, render)
    line_notices.send(told, {NoticeKind.status}, render)


def _tell_done(project: Project, note: str) -> None:
    """The followers are asked to confirm: in-app, by e-mail, and on LINE to those who asked for
    status changes or official answers there (the done report is both)."""
    from idea4gov.line import services as line_notices
    from idea4gov.line.models import NoticeKind
    from idea4gov.triage.notify import mail_people

    people = followers(project)
    first_idea = next(iter(idea_ids(project.id)), None)
    notify(people, "project_done", idea_id=first_idea, reason=note,
           data={"project_title": project.title, "project_id": project.id})

    def render() -> tuple[str, str]:
        return (_("โครงการ “%(title)s” แจ้งว่าเสร็จแล้ว เสร็จจริงไหม?", title=project.title),
                _("หน่วยงานแจ้งว่าโครงการ “%(title)s” ดำเนินการเสร็จแล้ว:", title=project.title) + "\n" + note
                + "\n\n" + _("ช่วยยืนยันว่าเสร็จจริง หรือบอกเราว่ายังไม่เสร็จ (แนบรูปได้): %(url)s",
                             url=project_url(project.id)))

    mail_people(people, render)
    line_notices.send(people, {NoticeKind.status, NoticeKind.answer}, render)


def thai_and_english(render) -> str:  # noqa: ANN001
    """A system text stored once, Thai then English (for answers written by the platform itself)."""
    with force_locale("th"):
        thai = render()
    with force_locale("en"):
        english = render()
    return f"{thai}\n\n{english}"
