"""The officer's board and the triage page of one idea: route, answer, merge."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from idea4gov import params
from idea4gov.areas.models import Area
from idea4gov.auth.models import Role
from idea4gov.auth.permissions import area_ids_for, staff_required
from idea4gov.extensions import db
from idea4gov.i18n import lazy_function, lazy_text
from idea4gov.ideas.forms import EmptyForm
from idea4gov.ideas.labels import STATUS_LABELS
from idea4gov.ideas.models import Idea, IdeaStatus, Visibility
from idea4gov.ideas.services import ServiceError
from idea4gov.triage import bp
from idea4gov.triage.access import area_for_officer, group_for_officer, idea_for_officer
from idea4gov.triage.forms import MergeForm, RouteForm, StatusForm, UnmergeForm
from idea4gov.triage.messages import service_message
from idea4gov.triage.models import Agency
from idea4gov.triage.services import agencies as agency_services
from idea4gov.triage.services import board as board_services
from idea4gov.triage.services import merging, routing, statuses


@lazy_function("triage_error")
def _error_text(code: str) -> str:
    """A refused action's message by its code, for a flash translated on the page that shows it."""
    return service_message(ServiceError(code))


@lazy_function("agency_name")
def _agency_name(agency_id: int) -> str:
    """An agency's name in the language of the page showing the message."""
    from idea4gov.i18n import current_locale

    agency = db.session.get(Agency, agency_id)
    return agency.name(current_locale()) if agency else ""


@bp.url_value_preprocessor
def _allow_photo_uploads(endpoint, values) -> None:  # noqa: ANN001
    """Answers may carry photos: a larger body than elsewhere (runs before any form is parsed)."""
    if endpoint == "triage.set_status":
        from flask import current_app

        config = current_app.config
        request.max_content_length = config["PHOTO_MAX_BYTES"] * config["PHOTOS_PER_ANSWER"] + 256 * 1024


@bp.get("/")
@staff_required(Role.officer)
def index():
    """List the areas where I am an officer (every area for admins)."""
    ids = area_ids_for(current_user, Role.officer)
    query = sa.select(Area).order_by(Area.name_th)
    if ids is not None:
        query = query.where(Area.id.in_(ids))
    areas = db.session.scalars(query).all()
    counts = {area.id: board_services.counts(area.id) for area in areas}
    return render_template("triage/index.html", areas=areas, counts=counts)


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    if not value:
        return None
    if not value.isdigit() or int(value) > 2**31 - 1:
        abort(400)
    return int(value)


def _route_form(area_id: int, agencies: list[Agency]) -> RouteForm:
    form = RouteForm(formdata=None) if request.method == "GET" else RouteForm()
    from idea4gov.i18n import current_locale

    form.agency_id.choices = [(agency.id, agency.name(current_locale())) for agency in agencies]
    return form


@bp.get("/<slug>")
@login_required
def board(slug: str):
    """The area's groups of similar ideas, most distinct supporters first, with filters."""
    area = area_for_officer(slug)
    status_value = request.args.get("status") or None
    agency_arg = request.args.get("agency", "")
    if status_value is not None and status_value not in IdeaStatus.__members__:
        abort(400)
    agency_id = 0 if agency_arg == "none" else _int_arg("agency")
    filters = board_services.BoardFilter(
        theme_id=_int_arg("theme"), status=IdeaStatus(status_value) if status_value else None,
        agency_id=0 if request.args.get("unrouted") == "1" else agency_id,
        overdue=request.args.get("overdue") == "1")
    page = params.page_arg()
    rows, total = board_services.board(area.id, filters, page)
    agencies = agency_services.agencies_of(area.id)
    # One suggestion per row, from its most supported unrouted idea.
    firsts = {}
    for row in rows:
        unrouted = [idea for idea in row.ideas if board_services.is_unrouted(idea)]
        if unrouted:
            firsts[row.ideas[0].id if row.group is None else f"g{row.group.id}"] = unrouted[0]
    found = routing.suggest_many(list(firsts.values()))
    suggestions = {key: found.get(idea.id) for key, idea in firsts.items()}
    return render_template(
        "triage/board.html", area=area, rows=rows, total=total, page=page,
        pages=max(1, -(-total // board_services.PER_PAGE)), filters=filters, agencies=agencies,
        agency_names={agency.id: agency for agency in agencies}, suggestions=suggestions,
        route_form=_route_form(area.id, agencies), statuses=STATUS_LABELS,
        limit=board_services.deadline(area.id), is_overdue=board_services.is_overdue,
        is_unrouted=board_services.is_unrouted, counts=board_services.counts(area.id), args=request.args)


def _render_idea(idea: Idea, status_form: StatusForm | None = None, merge_form: MergeForm | None = None,
                 code: int = 200):
    from idea4gov.i18n import current_locale

    agencies = agency_services.agencies_of(idea.area_id)
    route_form = _route_form(idea.area_id, agencies)
    route_form.agency_id.data = idea.agency_id
    status_form = status_form or StatusForm(formdata=None)
    status_form.status.choices = [(s.value, str(STATUS_LABELS[s])) for s in statuses.SETTABLE]
    if status_form.status.data is None:
        status_form.status.data = idea.status.value
    target = db.session.get(Idea, idea.merged_into_id) if idea.merged_into_id else None
    return render_template(
        "triage/idea.html", idea=idea, agencies=agencies, route_form=route_form, status_form=status_form,
        merge_form=merge_form or MergeForm(formdata=None), unmerge_form=UnmergeForm(formdata=None),
        suggestion=routing.suggest(idea) if board_services.is_unrouted(idea) else None, target=target,
        unrouted=board_services.is_unrouted(idea),
        history=statuses.history(idea.id), agency=db.session.get(Agency, idea.agency_id) if idea.agency_id else None,
        locale=current_locale(), button_form=EmptyForm(),
        overdue=board_services.is_overdue(idea, board_services.deadline(idea.area_id)),
    ), code


@bp.get("/ideas/<int:idea_id>")
@login_required
def idea(idea_id: int):
    """An idea as the officer sees it: route, answer with a status, merge or unmerge."""
    return _render_idea(idea_for_officer(idea_id))


def _back(default: str) -> str:
    """Back to the board or idea page the form was sent from, or to `default` (never off-site)."""
    back = request.form.get("next", "")
    local = back.startswith(("/triage/", "/ideas/")) and "//" not in back and "\\" not in back
    return back if local else default


def _agency_from_form(area_id: int, agencies: list[Agency]) -> Agency | None:
    """The agency chosen in a route form; None (with a message) when none was chosen."""
    form = _route_form(area_id, agencies)
    if not request.form.get("agency_id", ""):  # the empty choice (CSRFProtect checked the token already)
        flash(_l("กรุณาเลือกหน่วยงานก่อนกดส่งต่อ"), "error")
        return None
    if not form.validate_on_submit():
        abort(400)
    agency = next((agency for agency in agencies if agency.id == form.agency_id.data), None)
    if agency is None:
        abort(400)
    return agency


@bp.post("/ideas/<int:idea_id>/route")
@login_required
def route_idea(idea_id: int):
    """Route one idea to an agency of its area (also confirms a suggestion)."""
    idea = idea_for_officer(idea_id)
    agency = _agency_from_form(idea.area_id, agency_services.agencies_of(idea.area_id))
    if agency is None:
        return redirect(_back(url_for("triage.idea", idea_id=idea.id))), 303
    routing.route([idea], agency, current_user)
    db.session.commit()
    flash(_l("ส่งต่อไอเดียให้ %(agency)s แล้ว", agency=lazy_text("agency_name", agency.id)), "success")
    return redirect(_back(url_for("triage.idea", idea_id=idea.id)))


@bp.post("/groups/<int:group_id>/route")
@login_required
def route_group(group_id: int):
    """Route every idea of a group of similar ideas to one agency at once."""
    group = group_for_officer(group_id)
    area_slug = db.session.get(Area, group.area_id).slug
    agency = _agency_from_form(group.area_id, agency_services.agencies_of(group.area_id))
    if agency is None:
        return redirect(_back(url_for("triage.board", slug=area_slug))), 303
    changed = routing.route(routing.routable_members(group.id), agency, current_user)
    db.session.commit()
    flash(_l("ส่งต่อ %(n)d ไอเดียในกลุ่มให้ %(agency)s แล้ว", n=changed, agency=lazy_text("agency_name", agency.id)),
          "success")
    return redirect(_back(url_for("triage.board", slug=area_slug)))


@bp.post("/ideas/<int:idea_id>/status")
@login_required
def set_status(idea_id: int):
    """Set a status with a public answer (and evidence photos for an implemented idea)."""
    idea = idea_for_officer(idea_id)
    form = StatusForm()
    form.status.choices = [(s.value, str(STATUS_LABELS[s])) for s in statuses.SETTABLE]
    if not form.validate_on_submit():
        return _render_idea(idea, status_form=form, code=400)
    photos = [upload.read() for upload in request.files.getlist(form.photos.name) if upload and upload.filename]
    try:
        statuses.set_status(idea, IdeaStatus(form.status.data), form.answer.data or "", current_user, photos)
    except ServiceError as error:
        db.session.rollback()
        getattr(form, error.field or "status").errors.append(service_message(error))
        return _render_idea(db.session.get(Idea, idea_id), status_form=form,
                            code=error.status if error.status in (413, 415) else 400)
    db.session.commit()
    flash(_l("บันทึกสถานะและแจ้งผู้ติดตามแล้ว"), "success")
    return redirect(url_for("triage.idea", idea_id=idea.id))


@bp.post("/ideas/<int:idea_id>/merge")
@login_required
def merge(idea_id: int):
    """Merge this idea into another idea of the same area."""
    idea = idea_for_officer(idea_id)
    form = MergeForm()
    if not form.validate_on_submit():
        return _render_idea(idea, merge_form=form, code=400)
    target = db.session.get(Idea, form.target_id.data)
    try:
        if target is None or target.area_id != idea.area_id or target.visibility != Visibility.published:
            raise ServiceError("no_such_idea", field="target_id", status=404)
        merging.merge(idea, target, current_user, form.note.data or "")
    except ServiceError as error:
        db.session.rollback()
        form.target_id.errors.append(service_message(error))
        return _render_idea(db.session.get(Idea, idea_id), merge_form=form, code=409 if error.status == 409 else 400)
    db.session.commit()
    flash(_l("รวมไอเดียแล้ว ผู้สนับสนุนย้ายไปที่ไอเดียปลายทาง (นับคนละครั้ง)"), "success")
    return redirect(url_for("triage.idea", idea_id=idea.id))


@bp.post("/ideas/<int:idea_id>/unmerge")
@login_required
def unmerge(idea_id: int):
    """Undo the merge of this idea: supporters, status and group as they were."""
    idea = idea_for_officer(idea_id)
    form = UnmergeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        merging.unmerge(idea, current_user, form.note.data or "")
    except ServiceError as error:
        db.session.rollback()
        flash(lazy_text("triage_error", error.message), "error")
        return redirect(_back(url_for("triage.idea", idea_id=idea_id))), 303
    db.session.commit()
    flash(_l("ยกเลิกการรวมแล้ว ทุกอย่างกลับเป็นเหมือนก่อนรวม"), "success")
    return redirect(_back(url_for("triage.idea", idea_id=idea.id)))
