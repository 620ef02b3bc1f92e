"""Judging and outcomes: the rubric (criteria and judges, as on shortlists), the judges' scores of the
final proposals, the ranking, and what happened to each proposal."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from idea4gov.a11y import text_lang
from idea4gov.auth.services import find_by_email
from idea4gov.errors import abort_with
from idea4gov.events import access, manage_bp
from idea4gov.events.forms import OutcomeForm
from idea4gov.events.messages import service_message
from idea4gov.events.models import Event, Outcome, Proposal
from idea4gov.events.services import judging, outcomes, proposals
from idea4gov.extensions import db
from idea4gov.i18n import current_locale
from idea4gov.ideas.forms import EmptyForm
from idea4gov.service_errors import ServiceError
from idea4gov.shortlists.forms import CriterionForm, JudgeForm
from idea4gov.shortlists.models import SCORE_MAX, SCORE_MIN, Criterion, ShortlistJudge
from idea4gov.shortlists.rubric import scores_from_form
from idea4gov.shortlists.scoring import DISAGREE_HIGH, DISAGREE_SOME


def _page(event: Event, status: int = 200, **forms):  # noqa: ANN003
    return render_template(
        "events/manage/judging.html", event=event, ranking=judging.ranking(event),
        drafts=[p for p in _all_proposals(event) if not p.is_final],
        manage=access.can_manage(current_user, event), outcomes=access.can_decide_outcomes(current_user, event),
        judge=access.is_judge(current_user, event), button_form=EmptyForm(),
        criterion_form=forms.get("criterion_form") or CriterionForm(formdata=None),
        judge_form=forms.get("judge_form") or JudgeForm(formdata=None),
        disagree_high=DISAGREE_HIGH, disagree_some=DISAGREE_SOME,
    ), status


def _all_proposals(event: Event) -> list[Proposal]:
    import sqlalchemy as sa

    return list(db.session.scalars(sa.select(Proposal).where(Proposal.event_id == event.id).order_by(Proposal.id)))


@manage_bp.get("/events/<int:event_id>/manage/judging")
@login_required
def judging_page(event_id: int):
    """The ranking of final proposals by weighted score, the criteria and the judges."""
    return _page(access.get_managed(event_id, outcomes=True, judging=True))


def _back(event: Event, anchor: str = ""):  # noqa: ANN202
    return redirect(url_for("eventadmin.judging_page", event_id=event.id) + anchor)


def _part(model, event: Event, part_id: int):  # noqa: ANN001, ANN202
    part = db.session.get(model, part_id)
    if part is None or part.event_id != event.id:
        abort(404)
    return part


def _saved(event: Event, message: str, anchor: str):  # noqa: ANN202
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash(_l("มีผู้แก้ไขพร้อมกัน กรุณาลองอีกครั้ง"), "error")
        return _back(event)
    flash(message, "success")
    return _back(event, anchor)


@manage_bp.post("/events/<int:event_id>/manage/criteria")
@login_required
def add_criterion(event_id: int):
    """Add a scoring criterion with its weight."""
    event = access.get_managed(event_id)
    form = CriterionForm()
    if not form.validate_on_submit():
        return _page(event, 400, criterion_form=form)
    try:
        judging.rubric_of(event).add_criterion(form.name.data, form.weight.data, current_user)
    except ServiceError as error:
        db.session.rollback()
        (form.weight if error.field == "weight" else form.name).errors.append(service_message(error))
        return _page(event, 400, criterion_form=form)
    return _saved(event, _l("เพิ่มเกณฑ์แล้ว"), "#criteria")


@manage_bp.post("/events/<int:event_id>/manage/criteria/<int:criterion_id>/remove")
@login_required
def remove_criterion(event_id: int, criterion_id: int):
    """Remove a criterion and the scores given on it."""
    event = access.get_managed(event_id)
    criterion = _part(Criterion, event, criterion_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    judging.rubric_of(event).remove_criterion(criterion, current_user)
    return _saved(event, _l("ลบเกณฑ์แล้ว"), "#criteria")


@manage_bp.post("/events/<int:event_id>/manage/judges")
@login_required
def add_judge(event_id: int):
    """Invite an existing account, by e-mail, to judge the proposals."""
    event = access.get_managed(event_id)
    form = JudgeForm()
    if not form.validate_on_submit():
        return _page(event, 400, judge_form=form)
    try:
        judging.rubric_of(event).add_judge(find_by_email(form.email.data.strip()), current_user)
    except ServiceError as error:
        db.session.rollback()
        form.email.errors.append(service_message(error))
        return _page(event, 400, judge_form=form)
    return _saved(event, _l("เพิ่มกรรมการแล้ว ระบบแจ้งเตือนกรรมการให้แล้ว"), "#judges")


@manage_bp.post("/events/<int:event_id>/manage/judges/<int:judge_id>/remove")
@login_required
def remove_judge(event_id: int, judge_id: int):
    """Remove a judge and the scores they gave."""
    event = access.get_managed(event_id)
    judge = _part(ShortlistJudge, event, judge_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    judging.rubric_of(event).remove_judge(judge, current_user)
    return _saved(event, _l("นำกรรมการออกแล้ว"), "#judges")


def _parse_scores(event: Event, entries: list[Proposal]) -> dict[tuple[int, int], int | None]:
    """`score-<proposal>-<criterion>`: "" clears, 1–5 sets; anything else is a 400."""
    values = scores_from_form(request.form, [p.id for p in entries], [c.id for c in event.criteria])
    if values is None:
        abort_with(400, _("คะแนนต้องเป็น 1 ถึง 5"))
    return values


@manage_bp.route("/events/<int:event_id>/manage/score", methods=["GET", "POST"])
@login_required
def score(event_id: int):
    """A judge scores every final proposal on each criterion, 1–5."""
    event = db.get_or_404(Event, event_id)
    if not access.is_judge(current_user, event):
        abort(403)
    rubric = judging.rubric_of(event)
    entries = proposals.final_proposals(event)
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            changed = rubric.save_scores(current_user, _parse_scores(event, entries), [p.id for p in entries])
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            flash(_l("มีผู้แก้ไขพร้อมกัน กรุณาลองอีกครั้ง"), "error")
        except ServiceError as error:
            db.session.rollback()
            flash(service_message(error), "error")
        else:
            flash(_l("บันทึกคะแนนแล้ว (%(n)d ช่องที่เปลี่ยน)", n=changed), "success")
        return redirect(url_for("eventadmin.score", event_id=event.id))
    return render_template("events/manage/score.html", event=event, entries=entries, form=form,
                           mine=rubric.judge_scores(current_user, [p.id for p in entries]),
                           scale=range(SCORE_MIN, SCORE_MAX + 1))


def _lang_kw(text: str, locale: str) -> dict:
    lang = text_lang(text, locale)
    return {"lang": lang} if lang else {}


@manage_bp.route("/events/<int:event_id>/manage/proposals/<int:proposal_id>/outcome", methods=["GET", "POST"])
@login_required
def outcome(event_id: int, proposal_id: int):
    """Mark a final proposal taken forward (agency, project of its areas), parked or declined, with a public reason."""
    event = access.get_managed(event_id, outcomes=True)
    proposal = _part(Proposal, event, proposal_id)
    locale = current_locale()
    if request.method == "GET":
        form = OutcomeForm(formdata=None, outcome=proposal.outcome.value if proposal.outcome else "",
                           reason=proposal.outcome_reason, agency_id=str(proposal.outcome_agency_id or ""),
                           project_id=str(proposal.outcome_project_id or ""))
    else:
        form = OutcomeForm()
    form.agency_id.choices = [("", _l("— เลือกหน่วยงาน —"))] + [
        (str(a.id), a.name(locale)) for a in outcomes.agencies_for(event)]
    several_areas = len(event.area_ids) > 1
    # An option cannot hold a <span lang>: one whose project title is Thai on an English page is lang="th".
    form.project_id.choices = [("", _l("— ไม่ระบุโครงการ —"))] + [
        (str(p.id), _("%(title)s (ปีงบประมาณ %(year)d)", title=p.title, year=p.fiscal_year)
         + (f" · {p.area.name(locale)}" if several_areas else ""), _lang_kw(p.title, locale))
        for p in outcomes.projects_for(event)]
    if request.method == "POST" and form.validate_on_submit():
        choice = Outcome(form.outcome.data) if form.outcome.data else None
        agency_id = int(form.agency_id.data) if form.agency_id.data else None
        project_id = int(form.project_id.data) if form.project_id.data else None
        try:
            changed = outcomes.set_outcome(proposal, current_user, choice, form.reason.data or "", agency_id,
                                           project_id)
            db.session.commit()
        except ServiceError as error:
            db.session.rollback()
            field = getattr(form, error.field, None) if error.field else None
            (field.errors.append(service_message(error)) if field is not None
             else form.form_errors.append(service_message(error)))
        else:
            flash(_l("บันทึกผลลัพธ์แล้ว") if changed else _l("ไม่มีอะไรเปลี่ยน"), "success")
            return _back(event, f"#proposal-{proposal.id}")
    return render_template("events/manage/outcome.html", event=event, proposal=proposal, form=form), (
        400 if form.errors or form.form_errors else 200)
