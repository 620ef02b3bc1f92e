"""What participants do: register (online, or on site through the event's join code), teams, the
proposal, the survey and their certificate. Signed-in people only; every rule is in the services."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from idea4gov.events import access, bp
from idea4gov.events.forms import (
    DemographicsForm,
    FileForm,
    ProposalForm,
    RegisterForm,
    RenameTeamForm,
    SurveyForm,
    TeamForm,
)
from idea4gov.events.messages import service_message
from idea4gov.events.models import Event, ProposalFile, Team
from idea4gov.events.routes import render_show
from idea4gov.events.services import certificates, proposals, registration, survey, teams
from idea4gov.events.services.registration import Demographics
from idea4gov.events.views import apply, refuse, require_button
from idea4gov.extensions import db
from idea4gov.ideas.forms import EmptyForm
from idea4gov.joincodes import services as joincodes
from idea4gov.service_errors import ServiceError
from idea4gov.triage.services import photos


@bp.url_value_preprocessor
def _allow_attachments(endpoint, values) -> None:  # noqa: ANN001
    """An attachment may be a 5 MB photo: a larger body than elsewhere, only for that form."""
    if endpoint == "events.upload":
        request.max_content_length = current_app.config["PHOTO_MAX_BYTES"] + 256 * 1024


def _page(event: Event, anchor: str = "") -> str:
    return url_for("events.show", event_id=event.id) + anchor


def _back(event: Event, anchor: str = ""):  # noqa: ANN202
    return redirect(_page(event, anchor))


@bp.route("/events/<int:event_id>/register", methods=["GET", "POST"])
@login_required
def register(event_id: int):
    """Register for an event; on site, with the event's join code bound to this browser, also check in."""
    event = access.get_event(event_id)
    code = registration.code_for(event, joincodes.active_code())
    mine = registration.registration_of(event, current_user)
    form = RegisterForm()
    if form.validate_on_submit():
        sector, age, consent = form.values()
        try:
            row = registration.register(event, current_user, Demographics(sector, age, consent), code=code)
            if code is not None:
                joincodes.note_use("event", event.id)
            db.session.commit()
        except ServiceError as error:
            db.session.rollback()
            if error.field:
                form.consent.errors.append(service_message(error))
            else:
                form.form_errors.append(service_message(error))
            return _register_page(event, form, code, mine, error.status if error.status != 403 else 400)
        except IntegrityError:  # the same person, twice at the same moment: the first one counts
            db.session.rollback()
            flash(_l("คุณลงทะเบียนกิจกรรมนี้แล้ว"), "success")
            return _back(event)
        flash(_registered_message(row), "success")
        return _back(event)
    return _register_page(event, form, code, mine, 400 if form.errors else 200)


def _register_page(event: Event, form: RegisterForm, code, mine, status: int):  # noqa: ANN001
    return render_template("events/register.html", event=event, form=form, on_site=code is not None, mine=mine,
                           registration_open=registration.registration_open(event)), status


def _registered_message(row) -> str:  # noqa: ANN001
    if row.checked_in_at is not None:
        return _l("ลงทะเบียนและเช็กอินแล้ว ยินดีต้อนรับ")
    if row.status.value == "accepted":
        return _l("ลงทะเบียนแล้ว คุณได้ที่นั่ง")
    return _l("ที่นั่งเต็มแล้ว คุณอยู่ในรายชื่อสำรอง จะได้รับแจ้งเมื่อมีที่นั่งว่าง")


@bp.post("/events/<int:event_id>/cancel")
@login_required
def cancel(event_id: int):
    """Cancel my registration (before the event starts); my seat goes to the waitlist."""
    event = access.get_event(event_id)
    require_button()
    row = registration.registration_of(event, current_user)
    if row is None:
        abort(404)
    return apply(lambda: registration.cancel_own(row), _page(event), _l("ยกเลิกการลงทะเบียนแล้ว"))


@bp.post("/events/<int:event_id>/my-details")
@login_required
def my_details(event_id: int):
    """Change or withdraw my sector and age band (used only in the report's totals)."""
    event = access.get_event(event_id)
    row = registration.registration_of(event, current_user)
    if row is None:
        abort(404)
    form = DemographicsForm()
    if not form.validate_on_submit():
        return render_show(event, 400, details_form=form)
    sector, age, consent = form.values()
    registration.set_demographics(row, Demographics(sector, age, consent))
    db.session.commit()
    flash(_l("บันทึกแล้ว") if consent else _l("ลบภาคส่วนและช่วงอายุของคุณแล้ว"), "success")
    return _back(event, "#my-registration")


# --- teams -----------------------------------------------------------------------------------------


@bp.post("/events/<int:event_id>/teams")
@login_required
def create_team(event_id: int):
    """Start a team (participants with a seat)."""
    event = access.get_event(event_id)
    form = TeamForm()
    if form.validate_on_submit():
        try:
            teams.create_team(event, current_user, form.name.data)
            db.session.commit()
        except ServiceError as error:
            db.session.rollback()
            form.name.errors.append(service_message(error))
        except IntegrityError:  # the same name, or the same person, twice at the same moment
            db.session.rollback()
            form.name.errors.append(service_message(ServiceError("team_name_taken")))
        else:
            flash(_l("ตั้งทีมแล้ว ส่งลิงก์เชิญให้เพื่อนร่วมทีม"), "success")
            return _back(event, "#my-team")
    return render_show(event, 400, team_form=form)


@bp.route("/events/<int:event_id>/teams/<int:team_id>/join/<token>", methods=["GET", "POST"])
@login_required
def join_team(event_id: int, team_id: int, token: str):
    """The invitation link: GET asks, POST joins."""
    event = access.get_event(event_id)
    team = access.team_of(event, team_id)
    if not teams.check_token(team, token):
        return render_template("events/join_team.html", event=event, team=None, token=token), 404
    if request.method == "POST":
        require_button()
        return apply(lambda: teams.join(team, current_user, token), _page(event, "#teams"), _l("เข้าร่วมทีมแล้ว"),
                     then=_page(event, "#my-team"), clash="already_in_team")
    return render_template("events/join_team.html", event=event, team=team, token=token,
                           mine=registration.registration_of(event, current_user),
                           current=teams.team_of(event, current_user), button_form=EmptyForm())


@bp.post("/events/<int:event_id>/teams/<int:team_id>/leave")
@login_required
def leave_team(event_id: int, team_id: int):
    """Leave my team (its proposal stays with the team)."""
    event = access.get_event(event_id)
    team = access.team_of(event, team_id)
    require_button()
    return apply(lambda: teams.leave(team, current_user), _page(event, "#teams"), _l("ออกจากทีมแล้ว"))


def _member_team(event_id: int, team_id: int) -> tuple[Event, Team]:
    event = access.get_event(event_id)
    team = access.team_of(event, team_id)
    if not teams.is_member(team, current_user):
        abort(403)
    return event, team


@bp.post("/events/<int:event_id>/teams/<int:team_id>/invite")
@login_required
def renew_invite(event_id: int, team_id: int):
    """A new invitation link for my team; the old one stops working."""
    event, team = _member_team(event_id, team_id)
    require_button()
    return apply(lambda: teams.renew_invite(team), _page(event, "#my-team"),
                 _l("สร้างลิงก์เชิญใหม่แล้ว ลิงก์เดิมใช้ไม่ได้อีก"))


@bp.post("/events/<int:event_id>/teams/<int:team_id>/rename")
@login_required
def rename_team(event_id: int, team_id: int):
    """Rename my team."""
    event, team = _member_team(event_id, team_id)
    form = RenameTeamForm()
    if not form.validate_on_submit():
        return render_show(event, 400, rename_form=form)
    return apply(lambda: teams.rename(team, form.name.data, current_user), _page(event, "#my-team"),
                 _l("เปลี่ยนชื่อทีมแล้ว"), clash="team_name_taken")


# --- the proposal ------------------------------------------------------------------------------------


def _proposal_page(event: Event, team: Team, form: ProposalForm, status: int = 200, missing: list | None = None):
    proposal = proposals.proposal_of(team)
    return render_template("events/proposal_form.html", event=event, team=team, proposal=proposal, form=form,
                           file_form=FileForm(formdata=None), button_form=EmptyForm(), missing=missing or [],
                           editable=proposals.editable(event), deadline=event.deadline,
                           max_files=proposals.MAX_FILES), status


def _form_from(proposal) -> ProposalForm:  # noqa: ANN001
    if proposal is None:
        return ProposalForm(formdata=None)
    return ProposalForm(formdata=None, obj=proposal, ideas=", ".join(i.reference or str(i.id) for i in proposal.ideas),
                        groups=", ".join(str(g.id) for g in proposal.groups))


@bp.route("/events/<int:event_id>/teams/<int:team_id>/proposal", methods=["GET", "POST"])
@login_required
def edit_proposal(event_id: int, team_id: int):
    """My team's proposal: save the draft as often as needed, then send it as final before the deadline."""
    event, team = _member_team(event_id, team_id)
    if request.method == "GET":
        return _proposal_page(event, team, _form_from(proposals.proposal_of(team)))
    form = ProposalForm()
    if not form.validate_on_submit():
        return _proposal_page(event, team, form, 400)
    data = proposals.ProposalInput(form.title.data, form.problem.data or "", form.solution.data or "",
                                   form.beneficiaries.data or "", form.cost_baht.data, form.cost_note.data or "",
                                   form.ideas.data or "", form.groups.data or "")
    try:
        proposal = proposals.save(team, current_user, data)
        if form.final.data:
            missing = proposals.missing_for_final(proposal)
            if missing:
                db.session.commit()  # the draft is kept; the page says what is missing
                for name in missing:
                    getattr(form, name).errors = [*getattr(form, name).errors, _l(
                        "ฉบับสุดท้ายต้องเขียนส่วนนี้อย่างน้อย %(n)d ตัวอักษร", n=proposals.TEXT_MIN)]
                form.form_errors.append(service_message(ServiceError("incomplete")))
                return _proposal_page(event, team, form, 400, missing)
            proposals.submit(proposal, current_user)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        field = getattr(form, error.field, None) if error.field else None
        (field.errors.append(service_message(error)) if field is not None
         else form.form_errors.append(service_message(error)))
        return _proposal_page(event, team, form, error.status)
    flash(_l("ส่งข้อเสนอฉบับสุดท้ายแล้ว") if form.final.data else _l("บันทึกฉบับร่างแล้ว"), "success")
    return redirect(url_for("events.edit_proposal", event_id=event.id, team_id=team.id))


@bp.post("/events/<int:event_id>/teams/<int:team_id>/proposal/reopen")
@login_required
def reopen_proposal(event_id: int, team_id: int):
    """Take a final proposal back to draft to change it (before the deadline)."""
    event, team = _member_team(event_id, team_id)
    require_button()
    proposal = proposals.proposal_of(team)
    if proposal is None:
        abort(404)
    return apply(lambda: proposals.reopen(proposal, current_user),
                 url_for("events.edit_proposal", event_id=event.id, team_id=team.id), _l("กลับเป็นฉบับร่างแล้ว"))


@bp.post("/events/<int:event_id>/teams/<int:team_id>/proposal/files")
@login_required
def upload(event_id: int, team_id: int):
    """Attach an image to my team's proposal (saved as a draft first if there is none yet)."""
    event, team = _member_team(event_id, team_id)
    form = FileForm()
    proposal = proposals.proposal_of(team)
    back = redirect(url_for("events.edit_proposal", event_id=event.id, team_id=team.id) + "#files")
    if not form.validate_on_submit():
        abort(400)
    if proposal is None:
        flash(_l("บันทึกฉบับร่างของข้อเสนอก่อน แล้วจึงแนบรูป"), "error")
        return back
    upload_file = request.files.get(form.file.name)
    if upload_file is None or not upload_file.filename:
        flash(_l("กรุณาเลือกไฟล์รูปภาพ"), "error")
        return back
    try:  # a file written for a transaction that fails is deleted with it (`photos.stage`)
        proposals.add_file(proposal, current_user, upload_file.read(), form.caption.data or "")
        db.session.commit()
    except ServiceError as error:
        return refuse(error, back.location)
    flash(_l("แนบรูปแล้ว"), "success")
    return back


@bp.post("/events/<int:event_id>/teams/<int:team_id>/proposal/files/<int:file_id>/remove")
@login_required
def remove_file(event_id: int, team_id: int, file_id: int):
    """Take an attachment off my team's proposal."""
    event, team = _member_team(event_id, team_id)
    require_button()
    row = db.session.get(ProposalFile, file_id)
    proposal = proposals.proposal_of(team)
    if row is None or proposal is None or row.proposal_id != proposal.id:
        abort(404)
    try:
        name = proposals.remove_file(row)
        db.session.commit()
    except ServiceError as error:
        return refuse(error, url_for("events.edit_proposal", event_id=event.id, team_id=team.id))
    else:
        photos.remove_files([name])
        flash(_l("นำรูปออกแล้ว"), "success")
    return redirect(url_for("events.edit_proposal", event_id=event.id, team_id=team.id) + "#files")


# --- survey and certificate --------------------------------------------------------------------------


@bp.route("/events/<int:event_id>/survey", methods=["GET", "POST"])
@login_required
def answer_survey(event_id: int):
    """The participants' short survey, once each."""
    event = access.get_event(event_id)
    row = registration.registration_of(event, current_user)
    if row is None or row.checked_in_at is None:
        return render_template("events/survey.html", event=event, form=None, state="not_participant"), 403
    if survey.answer_of(row) is not None:
        return render_template("events/survey.html", event=event, form=None, state="answered")
    if not survey.survey_open(event):
        return render_template("events/survey.html", event=event, form=None, state="closed"), 409
    form = SurveyForm()
    if form.validate_on_submit():
        try:
            survey.answer(event, row, form.satisfaction.data, form.would_return.data == "yes", form.comment.data or "")
            db.session.commit()
        except ServiceError as error:
            db.session.rollback()
            form.form_errors.append(service_message(error))
            return render_template("events/survey.html", event=event, form=form, state="open"), error.status
        except IntegrityError:
            db.session.rollback()
            return render_template("events/survey.html", event=event, form=None, state="answered")
        flash(_l("ขอบคุณที่ตอบแบบสอบถาม"), "success")
        return _back(event)
    return render_template("events/survey.html", event=event, form=form, state="open"), 400 if form.errors else 200


@bp.get("/events/<int:event_id>/certificate")
@login_required
def certificate(event_id: int):
    """My printable certificate of participation (A4), once I am checked in."""
    event = access.get_event(event_id)
    row = registration.registration_of(event, current_user)
    if row is None or row.checked_in_at is None:
        return render_template("events/survey.html", event=event, form=None, state="no_certificate"), 403
    return render_template("events/certificates.html", event=event, rows=[_certificate(row)], single=True)


def _certificate(row) -> dict:  # noqa: ANN001
    return {"row": row, "name": row.user.public_name, "number": certificates.number(row),
            "url": certificates.verify_url(row), "token": certificates.token_for(row)}
