"""Officers' project pages under /triage: make a project from ideas or a group, edit it, move its
status, milestones and ideas. Every object is checked against the officer role in its own area."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import SelectChoice

from idea4gov.extensions import db
from idea4gov.groups.models import IdeaGroup
from idea4gov.i18n import current_locale
from idea4gov.ideas.models import Idea
from idea4gov.programme import fiscal
from idea4gov.projects import manage_bp as bp
from idea4gov.projects import services
from idea4gov.projects.access import milestone_for_officer, project_for_officer
from idea4gov.projects.forms import LinkIdeasForm, MilestoneForm, MilestoneUpdateForm, ProjectForm, ProjectStatusForm
from idea4gov.projects.messages import service_message
from idea4gov.projects.models import MilestoneStatus, Project, ProjectStatus
from idea4gov.projects.reading import ideas_by_ids, parse_idea_ids, read_project_form
from idea4gov.projects.values import format_baht, parse_day
from idea4gov.service_errors import ServiceError
from idea4gov.triage.access import area_for_officer
from idea4gov.triage.services import agencies as agency_services
from idea4gov.verification import services as verification


@bp.url_value_preprocessor
def _allow_photo_uploads(endpoint, values) -> None:  # noqa: ANN001
    """A done project may carry photos: a larger body than elsewhere."""
    if endpoint == "project_manage.set_status":
        from flask import current_app

        config = current_app.config
        request.max_content_length = config["PHOTO_MAX_BYTES"] * config["PHOTOS_PER_ANSWER"] + 256 * 1024


def _agency_choices(form: ProjectForm, area_id: int) -> None:
    locale = current_locale()
    form.agency_id.choices = [SelectChoice("", _l("— ยังไม่ระบุ —"))] + [
        SelectChoice(str(agency.id), agency.name(locale)) for agency in agency_services.agencies_of(area_id)]


@bp.get("/<slug>/projects")
@login_required
def index(slug: str):
    """The area's projects for its officers, disputed ones first."""
    area = area_for_officer(slug)
    projects = list(db.session.scalars(sa.select(Project).where(Project.area_id == area.id)
                                       .order_by(Project.fiscal_year.desc(), Project.id.desc())))
    disputed = {p.id for p in projects if (r := verification.latest(project=p)) and r.state.value == "disputed"}
    projects.sort(key=lambda p: p.id not in disputed)
    return render_template("projects/manage_list.html", area=area, projects=projects, disputed=disputed)


@bp.route("/<slug>/projects/new", methods=["GET", "POST"])
@login_required
def create(slug: str):
    """Make a project from one idea (?idea=), several, or a whole group (?group=)."""
    area = area_for_officer(slug)
    form = ProjectForm()
    _agency_choices(form, area.id)
    group = _group(area.id, request.values.get("group") or form.group_id.data)
    if request.method == "GET":
        form.fiscal_year.data = str(fiscal.current().be)
        ids = _prefill_ids(area.id, group)
        form.idea_ids.data = ", ".join(str(i) for i in ids)
        if group is not None:
            form.group_id.data = str(group.id)
        first = db.session.get(Idea, ids[0]) if ids else None
        if first is not None:
            form.title.data = first.title
            form.agency_id.data = str(first.agency_id or "")
            form.place_name.data = first.place_name or ""
        return render_template("projects/edit.html", area=area, form=form, project=None, group=group)
    data = read_project_form(form, area) if form.validate_on_submit() else None
    if data is not None:
        try:
            ideas = ideas_by_ids(area, parse_idea_ids(form.idea_ids.data))
            project = services.create_project(area, current_user, data, ideas, group)
        except ServiceError as error:
            db.session.rollback()
            getattr(form, error.field or "title").errors.append(service_message(error))
        else:
            db.session.commit()
            flash(_l("สร้างโครงการแล้ว ผู้ติดตามไอเดียได้รับแจ้งแล้ว"), "success")
            return redirect(url_for("project_manage.edit", project_id=project.id))
    return render_template("projects/edit.html", area=area, form=form, project=None, group=group), 400


def _group(area_id: int, raw: str | None) -> IdeaGroup | None:
    if not raw:
        return None
    if not str(raw).isdigit() or int(raw) > 2**31 - 1:
        abort(400)
    group = db.session.get(IdeaGroup, int(raw))
    if group is None or group.area_id != area_id:
        abort(404)
    return group


def _prefill_ids(area_id: int, group: IdeaGroup | None) -> list[int]:
    if group is not None:
        from idea4gov.ideas.models import IdeaStatus

        return list(db.session.scalars(sa.select(Idea.id).where(
            Idea.group_id == group.id, Idea.visible(), Idea.status != IdeaStatus.duplicate).order_by(Idea.id)))
    raw = request.args.get("idea", "")
    if raw.isdigit() and int(raw) <= 2**31 - 1:
        idea = db.session.get(Idea, int(raw))
        if idea is not None and idea.area_id == area_id:
            return [idea.id]
    return []


def _form_of(project: Project) -> ProjectForm:
    form = ProjectForm(formdata=None, obj=project)
    form.plan_type.data = project.plan_type.value
    form.fiscal_year.data = str(project.fiscal_year)
    form.budget.data = format_baht(project.budget)
    form.agency_id.data = str(project.agency_id or "")
    form.starts_on.data = project.starts_on.isoformat() if project.starts_on else ""
    form.ends_on.data = project.ends_on.isoformat() if project.ends_on else ""
    form.lat.data = "" if project.lat is None else f"{project.lat:.6f}"
    form.lng.data = "" if project.lng is None else f"{project.lng:.6f}"
    form.polygon.data = "\n".join(f"{lat:.6f}, {lng:.6f}" for lat, lng in project.polygon_points)
    form.idea_ids.data = ""
    return form


def _render_edit(project: Project, code: int = 200, **forms):  # noqa: ANN003
    form = forms.get("form") or _form_of(project)
    _agency_choices(form, project.area_id)
    status_form = forms.get("status_form") or ProjectStatusForm(formdata=None, status=project.status.value)
    return render_template(
        "projects/edit.html", area=project.area, project=project, form=form, group=None,
        status_form=status_form, milestone_form=forms.get("milestone_form") or MilestoneForm(formdata=None),
        link_form=forms.get("link_form") or LinkIdeasForm(formdata=None),
        milestone_forms={m.id: MilestoneUpdateForm(formdata=None, prefix=f"m{m.id}", status=m.status.value,
                                                   due_on=m.due_on.isoformat() if m.due_on else "")
                         for m in project.milestones},
        ideas=_linked_ideas(project.id), latest_round=verification.latest(project=project),
    ), code


def _linked_ideas(project_id: int) -> list[Idea]:
    ids = services.idea_ids(project_id)
    return list(db.session.scalars(sa.select(Idea).where(Idea.id.in_(ids)).order_by(Idea.id))) if ids else []


@bp.route("/projects/<int:project_id>", methods=["GET", "POST"])
@login_required
def edit(project_id: int):
    """A project's officer page: details (POST saves them), status, milestones, ideas."""
    project = project_for_officer(project_id)
    if request.method == "GET":
        return _render_edit(project)
    form = ProjectForm()
    _agency_choices(form, project.area_id)
    data = read_project_form(form, project.area) if form.validate_on_submit() else None
    if data is not None:
        try:
            changed = services.update_project(project, current_user, data)
        except ServiceError as error:
            db.session.rollback()
            getattr(form, error.field or "title").errors.append(service_message(error))
        else:
            db.session.commit()
            flash(_l("บันทึกการแก้ไขแล้ว") if changed else _l("ไม่มีอะไรเปลี่ยน"), "success")
            return redirect(url_for("project_manage.edit", project_id=project.id))
    return _render_edit(db.session.get(Project, project_id), 400, form=form)


@bp.post("/projects/<int:project_id>/status")
@login_required
def set_status(project_id: int):
    """Move the project on; done needs a report to residents and may carry photos."""
    project = project_for_officer(project_id)
    form = ProjectStatusForm()
    if not form.validate_on_submit():
        return _render_edit(project, 400, status_form=form)
    photos = [upload.read() for upload in request.files.getlist(form.photos.name) if upload and upload.filename]
    try:
        services.set_status(project, ProjectStatus(form.status.data), current_user, form.note.data or "", photos)
    except ServiceError as error:
        db.session.rollback()
        getattr(form, error.field or "status").errors.append(service_message(error))
        return _render_edit(db.session.get(Project, project_id), error.status if error.status in (413, 415) else 400,
                            status_form=form)
    db.session.commit()
    flash(_l("บันทึกสถานะโครงการแล้ว"), "success")
    return redirect(url_for("project_manage.edit", project_id=project_id))


@bp.post("/projects/<int:project_id>/milestones")
@login_required
def add_milestone(project_id: int):
    """Add a milestone with its planned date."""
    project = project_for_officer(project_id)
    form = MilestoneForm()
    if form.validate_on_submit():
        try:
            services.add_milestone(project, current_user, form.title.data, parse_day(form.due_on.data, "due_on"))
        except ServiceError as error:
            db.session.rollback()
            getattr(form, error.field if error.field in ("title", "due_on") else "title").errors.append(
                service_message(error))
        else:
            db.session.commit()
            flash(_l("เพิ่มขั้นตอนแล้ว"), "success")
            return redirect(url_for("project_manage.edit", project_id=project_id) + "#milestones")
    return _render_edit(db.session.get(Project, project_id), 400, milestone_form=form)


@bp.post("/projects/<int:project_id>/milestones/<int:milestone_id>")
@login_required
def update_milestone(project_id: int, milestone_id: int):
    """Change a milestone's status or date."""
    milestone = milestone_for_officer(project_id, milestone_id)
    form = MilestoneUpdateForm(prefix=f"m{milestone.id}")
    if not form.validate_on_submit() or form.status.data not in MilestoneStatus.__members__:
        abort(400)
    try:
        services.update_milestone(milestone, current_user, MilestoneStatus(form.status.data),
                                  parse_day(form.due_on.data, "due_on"))
    except ServiceError as error:
        db.session.rollback()
        flash(service_message(error), "error")
        return redirect(url_for("project_manage.edit", project_id=project_id) + "#milestones"), 303
    db.session.commit()
    flash(_l("บันทึกขั้นตอนแล้ว"), "success")
    return redirect(url_for("project_manage.edit", project_id=project_id) + "#milestones")


@bp.post("/projects/<int:project_id>/ideas")
@login_required
def link_ideas(project_id: int):
    """Link more ideas of the area to the project."""
    project = project_for_officer(project_id)
    form = LinkIdeasForm()
    if form.validate_on_submit():
        try:
            count = services.link_ideas(project, current_user, ideas_by_ids(project.area, parse_idea_ids(form.idea_ids.data)))
        except ServiceError as error:
            db.session.rollback()
            form.idea_ids.errors.append(service_message(error))
        else:
            db.session.commit()
            flash(_l("เชื่อมไอเดียเพิ่ม %(n)d เรื่องแล้ว", n=count), "success")
            return redirect(url_for("project_manage.edit", project_id=project_id) + "#ideas")
    return _render_edit(db.session.get(Project, project_id), 400, link_form=form)


@bp.post("/projects/<int:project_id>/ideas/<int:idea_id>/unlink")
@login_required
def unlink_idea(project_id: int, idea_id: int):
    """Take an idea linked by mistake out of the project (kept in the history)."""
    project = project_for_officer(project_id)
    idea = db.get_or_404(Idea, idea_id)
    try:
        services.unlink_idea(project, current_user, idea)
    except ServiceError:
        abort(404)
    db.session.commit()
    flash(_l("นำไอเดียออกจากโครงการแล้ว"), "success")
    return redirect(url_for("project_manage.edit", project_id=project_id) + "#ideas")
