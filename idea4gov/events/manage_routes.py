"""Organisers' pages: create and edit an event, publish or cancel it, its join code, participants
(accept, waitlist, check in), teams (rearrange) and the certificates of everyone present."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from idea4gov.a11y import text_lang
from idea4gov.areas.models import Area, Theme
from idea4gov.auth.models import Role, User
from idea4gov.auth.permissions import area_ids_for
from idea4gov.events import access, manage_bp
from idea4gov.events.forms import (
    AddMemberForm,
    CancelEventForm,
    EventForm,
    MoveMemberForm,
    NewEventForm,
    RenameTeamForm,
)
from idea4gov.events.messages import service_message
from idea4gov.events.models import Event, EventKind, Registration, RegistrationStatus, Team, TeamMember, event_areas
from idea4gov.events.services import events as event_services
from idea4gov.events.services import registration, teams
from idea4gov.events.services.judging import judged_event_ids
from idea4gov.events.views import apply, first_error, refuse, require_button
from idea4gov.extensions import db
from idea4gov.i18n import current_locale
from idea4gov.ideas.forms import EmptyForm
from idea4gov.joincodes import services as joincodes
from idea4gov.joincodes.forms import OpenCodeForm
from idea4gov.params import paginate
from idea4gov.service_errors import ServiceError
from idea4gov.shortlists.models import Shortlist
from idea4gov.triage.models import Agency

PARTICIPANTS_PER_PAGE = 50


@manage_bp.get("/events/manage")
@login_required
def index():
    """The events I organise, judge, or (as an officer) decide outcomes for."""
    if not access.may_use_event_pages(current_user):
        abort(403)
    judged = judged_event_ids(current_user)
    ids = area_ids_for(current_user, Role.organiser)
    query = sa.select(Event).options(selectinload(Event.areas)).order_by(Event.starts_at.desc(), Event.id.desc())
    if not current_user.is_admin:
        staff_areas = (ids or set()) | (area_ids_for(current_user, Role.officer) or set())
        in_my_areas = sa.select(event_areas.c.event_id).where(event_areas.c.area_id.in_(staff_areas or [-1]))
        query = query.where(sa.or_(Event.id.in_(in_my_areas), Event.id.in_(judged or [-1])))
    rows = db.session.scalars(query.limit(500)).all()
    mine = [event for event in rows if event.id in judged or access.can_decide_outcomes(current_user, event)]
    return render_template("events/manage/index.html", events=mine, judged=judged, can_create=ids is None or bool(ids))


# --- create and edit ---------------------------------------------------------------------------------


def _organiser_areas() -> list[Area]:
    ids = area_ids_for(current_user, Role.organiser)
    query = sa.select(Area).where(Area.archived_at.is_(None)).order_by(Area.id)
    if ids is not None:
        query = query.where(Area.id.in_(ids or [-1]))
    return list(db.session.scalars(query))


def _choices(form: EventForm, area_ids: set[int]) -> None:
    """The themes, agencies and shortlists of these areas."""
    locale = current_locale()
    themes = db.session.scalars(sa.select(Theme).where(Theme.area_id.in_(area_ids or [-1])).order_by(Theme.area_id,
                                                                                                     Theme.position))
    form.theme_ids.choices = [(t.id, t.title(locale)) for t in themes]
    agencies = db.session.scalars(sa.select(Agency).where(Agency.area_id.in_(area_ids or [-1])).order_by(Agency.id))
    form.agency_ids.choices = [(a.id, a.name(locale)) for a in agencies]
    from idea4gov.shortlists import access as shortlist_access

    shortlists = [s for s in db.session.scalars(sa.select(Shortlist).options(selectinload(Shortlist.areas))
                                                .order_by(Shortlist.created_at.desc()).limit(200))
                  if s.area_ids and s.area_ids <= area_ids and shortlist_access.can_view(current_user, s)]
    # An option cannot hold a <span lang>: a typed name in another language than the page's marks it.
    form.shortlist_id.choices = [("", _l("— ไม่มี —"))] + [
        (str(s.id), s.name, {"lang": lang} if (lang := text_lang(s.name, locale)) else {}) for s in shortlists]


def _input(form: EventForm) -> event_services.EventInput:
    return event_services.EventInput(
        kind=EventKind(form.kind.data), title_th=form.title_th.data or "", title_en=form.title_en.data or "",
        description_th=form.description_th.data or "", description_en=form.description_en.data or "",
        starts_at=form.starts_at.data, ends_at=form.ends_at.data, place=form.place.data or "",
        online_url=form.online_url.data or "", capacity=form.capacity.data,
        registration_opens_at=form.registration_opens_at.data, registration_closes_at=form.registration_closes_at.data,
        proposal_deadline=form.proposal_deadline.data, team_size_max=form.team_size_max.data,
        theme_ids=list(form.theme_ids.data or []), group_ids=form.group_numbers(),
        agency_ids=list(form.agency_ids.data or []), shortlist_id=form.shortlist_choice())


def _field_error(form: EventForm, error: ServiceError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        form.form_errors.append(service_message(error))
    else:
        field.errors = [*field.errors, service_message(error)]


@manage_bp.route("/events/new", methods=["GET", "POST"])
@login_required
def create():
    """A new event (a draft until published) in areas where I am an organiser."""
    areas = _organiser_areas()
    if not areas:
        abort(403)
    form = NewEventForm()
    form.areas.choices = [(area.id, area.name(current_locale())) for area in areas]
    chosen_ids = {i for i in (form.areas.data or []) if i in {a.id for a in areas}}
    _choices(form, chosen_ids or {a.id for a in areas})
    if form.validate_on_submit():
        chosen = [area for area in areas if area.id in chosen_ids]
        try:
            event = event_services.create_event(current_user, chosen, _input(form))
            db.session.commit()
        except ServiceError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            flash(_l("สร้างกิจกรรมเป็นฉบับร่างแล้ว ตรวจรายละเอียดแล้วกด “เผยแพร่”"), "success")
            return redirect(url_for("eventadmin.dashboard", event_id=event.id))
    return render_template("events/manage/edit.html", form=form, event=None), 400 if form.errors else 200


@manage_bp.route("/events/<int:event_id>/manage/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int):
    """Change an event's details, seats, dates and links."""
    event = access.get_managed(event_id)
    if request.method == "GET":
        form = EventForm(obj=event, kind=event.kind.value, theme_ids=[t.id for t in event.themes],
                         agency_ids=[a.id for a in event.agencies],
                         group_ids=", ".join(str(g.id) for g in event.groups),
                         shortlist_id=str(event.shortlist_id or ""))
    else:
        form = EventForm()
    _choices(form, event.area_ids)
    if form.validate_on_submit():
        try:
            changed = event_services.update_event(event, current_user, _input(form))
            db.session.commit()
        except ServiceError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            flash(_l("บันทึกแล้ว") if changed else _l("ไม่มีอะไรเปลี่ยน"), "success")
            return redirect(url_for("eventadmin.dashboard", event_id=event.id))
    return render_template("events/manage/edit.html", form=form, event=event), 400 if form.errors else 200


@manage_bp.get("/events/<int:event_id>/manage")
@login_required
def dashboard(event_id: int):
    """The organiser's view of an event: numbers, publishing, the join code and what to do next."""
    event = access.get_managed(event_id, outcomes=True, judging=True)
    codes = [code for code in joincodes.codes_of(event.areas[0]) if code.event_id == event.id] if event.areas else []
    return render_template("events/manage/dashboard.html", event=event, counts=registration.counts(event),
                           codes=codes, manage=access.can_manage(current_user, event),
                           judge=access.is_judge(current_user, event), button_form=EmptyForm(),
                           cancel_form=CancelEventForm(formdata=None),
                           code_form=OpenCodeForm(formdata=None, label=event.title_th[:120], hours=12,
                                                  max_registrations=min(1000, event.capacity * 2)))


@manage_bp.post("/events/<int:event_id>/manage/publish")
@login_required
def publish(event_id: int):
    """Make a draft event public."""
    event = access.get_managed(event_id)
    require_button()
    return apply(lambda: event_services.publish(event, current_user),
                 url_for("eventadmin.dashboard", event_id=event.id), _l("เผยแพร่กิจกรรมแล้ว"))


@manage_bp.post("/events/<int:event_id>/manage/cancel")
@login_required
def cancel_event(event_id: int):
    """Cancel an event with a public reason; registered people are told."""
    event = access.get_managed(event_id)
    form = CancelEventForm()
    target = url_for("eventadmin.dashboard", event_id=event.id)
    if not form.validate_on_submit():
        return first_error(form, target)
    return apply(lambda: event_services.cancel(event, current_user, form.reason.data), target,
                 _l("ยกเลิกกิจกรรมแล้ว ผู้ลงทะเบียนได้รับแจ้งแล้ว"))


@manage_bp.post("/events/<int:event_id>/manage/join-code")
@login_required
def open_join_code(event_id: int):
    """Open the event's join code (the shared join codes, bound to this event) and show its poster."""
    event = access.get_managed(event_id)
    form = OpenCodeForm()
    target = url_for("eventadmin.dashboard", event_id=event.id) + "#join-code"
    if not form.validate_on_submit():
        return first_error(form, target)
    try:
        row = joincodes.open_code(event.areas[0], current_user, form.label.data, form.hours.data,
                                  form.max_registrations.data, event=event)
    except ServiceError as error:
        return refuse(error, target)
    db.session.commit()
    flash(_l("เปิดรหัสเข้าร่วมแล้ว พิมพ์หน้านี้ติดไว้ที่งาน ผู้ที่สแกนจะลงทะเบียนและเช็กอินได้เอง"), "success")
    return redirect(url_for("joincodes.show", code_id=row.id))


# --- participants --------------------------------------------------------------------------------


STATUS_FILTERS = {"all", "accepted", "waitlisted", "cancelled", "checked_in", "not_checked_in"}


@manage_bp.get("/events/<int:event_id>/manage/participants")
@login_required
def participants(event_id: int):
    """Registrations: filter by state or name, accept, waitlist, check in (big buttons for a phone at the door)."""
    event = access.get_managed(event_id)
    status = request.args.get("status", "all")
    if status not in STATUS_FILTERS:
        status = "all"
    query = (sa.select(Registration).join(User, User.id == Registration.user_id)
             .where(Registration.event_id == event.id).options(selectinload(Registration.user)))
    if status in ("accepted", "waitlisted", "cancelled"):
        query = query.where(Registration.status == RegistrationStatus(status))
    elif status == "checked_in":
        query = query.where(Registration.checked_in_at.is_not(None))
    elif status == "not_checked_in":
        query = query.where(Registration.status == RegistrationStatus.accepted, Registration.checked_in_at.is_(None))
    q = (request.args.get("q") or "").strip()[:100]
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(User.display_name.ilike(pattern, escape="\\"), User.email.ilike(pattern, escape="\\")))
    query = query.order_by(sa.case((Registration.status == RegistrationStatus.waitlisted, 1),
                                   (Registration.status == RegistrationStatus.cancelled, 2), else_=0),
                           Registration.waitlisted_at, User.display_name, Registration.id)
    page = paginate(query, PARTICIPANTS_PER_PAGE)
    return render_template("events/manage/participants.html", event=event, page=page, status=status, q=q,
                           counts=registration.counts(event), button_form=EmptyForm(), statuses=RegistrationStatus)


ACTIONS = {
    "accept": (registration.accept, _l("รับเข้าร่วมแล้ว")),
    "waitlist": (registration.waitlist, _l("ย้ายไปรายชื่อสำรองแล้ว")),
    "cancel": (registration.cancel_by_organiser, _l("ยกเลิกการลงทะเบียนแล้ว")),
    "checkin": (registration.check_in, _l("เช็กอินแล้ว")),
    "undo-checkin": (registration.undo_check_in, _l("ยกเลิกการเช็กอินแล้ว")),
}


@manage_bp.post("/events/<int:event_id>/manage/participants/<int:registration_id>/<action>")
@login_required
def decide(event_id: int, registration_id: int, action: str):
    """Accept, waitlist, cancel, check in or undo a check-in; back to the same filter and page."""
    event = access.get_managed(event_id)
    row = db.session.get(Registration, registration_id)
    if row is None or row.event_id != event.id or action not in ACTIONS:
        abort(404)
    require_button()
    back = url_for("eventadmin.participants", event_id=event.id, status=request.args.get("status") or None,
                   q=request.args.get("q") or None, page=request.args.get("page") or None) + f"#registration-{row.id}"
    service, message = ACTIONS[action]
    return apply(lambda: service(event, row, current_user), back, message)


# --- teams ---------------------------------------------------------------------------------------


@manage_bp.get("/events/<int:event_id>/manage/teams")
@login_required
def team_list(event_id: int):
    """Every team with its members and proposal; move people between teams, rename, add those without one."""
    event = access.get_managed(event_id)
    rows = db.session.scalars(sa.select(Team).where(Team.event_id == event.id).order_by(Team.name)
                              .options(selectinload(Team.members).selectinload(TeamMember.user),
                                       selectinload(Team.proposal))).all()
    loose = teams.without_team(event)
    move_form = MoveMemberForm(formdata=None)
    move_form.team_id.choices = [(str(t.id), t.name) for t in rows]
    add_form = AddMemberForm(formdata=None)
    add_form.user_id.choices = [(str(r.user_id), r.user.public_name or r.user.email) for r in loose]
    return render_template("events/manage/teams.html", event=event, teams=rows, loose=loose, move_form=move_form,
                           add_form=add_form, rename_form=RenameTeamForm(formdata=None), button_form=EmptyForm())


def _teams_back(event: Event, anchor: str = "") -> str:
    return url_for("eventadmin.team_list", event_id=event.id) + anchor


@manage_bp.post("/events/<int:event_id>/manage/members/<int:member_id>/move")
@login_required
def move_member(event_id: int, member_id: int):
    """Move a participant to another team."""
    event = access.get_managed(event_id)
    member = access.member_of(event, member_id)
    form = MoveMemberForm()
    if not form.validate_on_submit() or not str(form.team_id.data or "").isdigit():
        abort(400)
    target = access.team_of(event, int(form.team_id.data))
    return apply(lambda: teams.move_member(member, target, current_user), _teams_back(event), _l("ย้ายทีมแล้ว"),
                 then=_teams_back(event, f"#team-{target.id}"))


@manage_bp.post("/events/<int:event_id>/manage/members/<int:member_id>/remove")
@login_required
def remove_member(event_id: int, member_id: int):
    """Take a participant out of their team."""
    event = access.get_managed(event_id)
    member = access.member_of(event, member_id)
    require_button()
    return apply(lambda: teams.remove_member(member, current_user), _teams_back(event), _l("นำออกจากทีมแล้ว"))


@manage_bp.post("/events/<int:event_id>/manage/teams/<int:team_id>/add")
@login_required
def add_member(event_id: int, team_id: int):
    """Put a participant without a team into this team."""
    event = access.get_managed(event_id)
    team = access.team_of(event, team_id)
    form = AddMemberForm()
    if not form.validate_on_submit() or not str(form.user_id.data or "").isdigit():
        abort(400)
    return apply(lambda: teams.add_member(team, int(form.user_id.data), current_user), _teams_back(event),
                 _l("เพิ่มเข้าทีมแล้ว"), then=_teams_back(event, f"#team-{team.id}"), clash="already_in_team")


@manage_bp.post("/events/<int:event_id>/manage/teams/<int:team_id>/rename")
@login_required
def rename_team(event_id: int, team_id: int):
    """Rename a team."""
    event = access.get_managed(event_id)
    team = access.team_of(event, team_id)
    form = RenameTeamForm()
    back = _teams_back(event, f"#team-{team.id}")
    if not form.validate_on_submit():
        return first_error(form, back)
    return apply(lambda: teams.rename(team, form.name.data, current_user, organiser=True), back,
                 _l("เปลี่ยนชื่อทีมแล้ว"), clash="team_name_taken")


@manage_bp.post("/events/<int:event_id>/manage/teams/<int:team_id>/delete")
@login_required
def delete_team(event_id: int, team_id: int):
    """Remove an empty team that has no proposal."""
    event = access.get_managed(event_id)
    team = access.team_of(event, team_id)
    require_button()
    return apply(lambda: teams.delete_team(team, current_user), _teams_back(event), _l("ลบทีมแล้ว"))


# --- certificates --------------------------------------------------------------------------------


@manage_bp.get("/events/<int:event_id>/manage/certificates")
@login_required
def certificates_all(event_id: int):
    """Every present participant's certificate, one A4 page each, to print in one go."""
    from idea4gov.events.participant_routes import _certificate

    event = access.get_managed(event_id)
    rows = db.session.scalars(sa.select(Registration).join(User, User.id == Registration.user_id).where(
        Registration.event_id == event.id, Registration.checked_in_at.is_not(None))
        .options(selectinload(Registration.user)).order_by(User.display_name, Registration.id)).all()
    return render_template("events/certificates.html", event=event, rows=[_certificate(row) for row in rows],
                           single=False)
