"""Officers' pages of an issue (เรื่องเดียวกัน): answer, route or split it at once; move one report
into another issue."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from idea4gov.areas.models import Area
from idea4gov.extensions import db
from idea4gov.groups.models import IdeaGroup, IdeaIssue
from idea4gov.i18n import current_locale, lazy_text
from idea4gov.ideas.labels import STATUS_LABELS
from idea4gov.ideas.models import Idea, IdeaStatus
from idea4gov.ideas.services import ServiceError
from idea4gov.triage import bp
from idea4gov.triage import routes as idea_routes
from idea4gov.triage.access import idea_for_officer, issue_for_officer
from idea4gov.triage.forms import IssueStatusForm, MoveForm, SplitForm
from idea4gov.triage.messages import service_message
from idea4gov.triage.services import agencies as agency_services
from idea4gov.triage.services import board as board_services
from idea4gov.triage.services import issues as issue_services
from idea4gov.triage.services import routing, statuses


def _status_choices(form: IssueStatusForm) -> IssueStatusForm:
    form.status.choices = [(s.value, str(STATUS_LABELS[s])) for s in statuses.SETTABLE]
    return form


def _split_choices(form: SplitForm, reports: list[Idea]) -> SplitForm:
    form.ideas.choices = [(r.id, f"#{r.id} {r.title}") for r in reports]
    return form


def _render_issue(issue: IdeaIssue, status_form: IssueStatusForm | None = None, split_form: SplitForm | None = None,
                  code: int = 200):
    reports = issue_services.members(issue.id)
    agencies = agency_services.agencies_of(issue.area_id)
    status_form = _status_choices(status_form or IssueStatusForm(formdata=None))
    if status_form.status.data is None and reports:
        status_form.status.data = reports[0].status.value
    unrouted = [r for r in reports if board_services.is_unrouted(r)]
    return render_template(
        "triage/issue.html", issue=issue, reports=reports, area=db.session.get(Area, issue.area_id),
        group=db.session.get(IdeaGroup, issue.group_id) if issue.group_id else None,
        name=issue_name(issue, reports), agencies=agencies,
        agency_names={agency.id: agency for agency in agencies}, status_form=status_form,
        split_form=_split_choices(split_form or SplitForm(formdata=None), reports),
        suggestion=routing.suggest(unrouted[0]) if unrouted else None, locale=current_locale(),
        pinned=any(r.issue_pinned for r in reports), is_unrouted=board_services.is_unrouted,
        is_overdue=board_services.is_overdue, limit=board_services.deadline(issue.area_id),
    ), code


def issue_name(issue: IdeaIssue, reports: list[Idea]) -> Idea | None:
    """The report that names the issue: its representative while public, else its first report."""
    named = next((r for r in reports if r.id == issue.representative_id), None)
    return named or (reports[0] if reports else None)


@bp.get("/issues/<int:issue_id>")
@login_required
def issue(issue_id: int):
    """An issue as the officer sees it: its reports; answer, route or split them at once."""
    return _render_issue(issue_for_officer(issue_id))


@bp.post("/issues/<int:issue_id>/status")
@login_required
def issue_status(issue_id: int):
    """Give every report of the issue one status and public answer; each follower is told once."""
    issue = issue_for_officer(issue_id)
    form = _status_choices(IssueStatusForm())
    if not form.validate_on_submit():
        return _render_issue(issue, status_form=form, code=400)
    try:
        changed = issue_services.answer(issue, IdeaStatus(form.status.data), form.answer.data or "", current_user)
    except ServiceError as error:
        db.session.rollback()
        getattr(form, error.field if error.field in ("status", "answer") else "status").errors.append(
            service_message(error))
        return _render_issue(db.session.get(IdeaIssue, issue_id), status_form=form,
                             code=409 if error.status == 409 else 400)
    db.session.commit()
    flash(_l("ตอบทั้งเรื่องแล้ว %(n)d รายงาน ผู้ติดตามได้รับแจ้งคนละครั้ง", n=changed), "success")
    return redirect(url_for("triage.issue", issue_id=issue_id))


@bp.post("/issues/<int:issue_id>/route")
@login_required
def route_issue(issue_id: int):
    """Route every report of the issue (not answered yet) to one agency."""
    issue = issue_for_officer(issue_id)
    back = idea_routes._back(url_for("triage.issue", issue_id=issue_id))
    agency = idea_routes._agency_from_form(issue.area_id, agency_services.agencies_of(issue.area_id))
    if agency is None:
        return redirect(back), 303
    try:
        changed = issue_services.route(issue, agency, current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(lazy_text("triage_error", error.message), "error")
        return redirect(back), 303
    db.session.commit()
    flash(_l("ส่งต่อ %(n)d รายงานในเรื่องนี้ให้ %(agency)s แล้ว", n=changed,
             agency=lazy_text("agency_name", agency.id)), "success")
    return redirect(back)


@bp.post("/issues/<int:issue_id>/split")
@login_required
def split_issue(issue_id: int):
    """Take the chosen reports out of the issue (a new issue, or reports on their own)."""
    issue = issue_for_officer(issue_id)
    form = _split_choices(SplitForm(), issue_services.members(issue.id))
    if not form.validate_on_submit():
        return _render_issue(issue, split_form=form, code=400)
    try:
        made = issue_services.split(issue, form.ideas.data, current_user)
    except ServiceError as error:
        db.session.rollback()
        form.ideas.errors.append(service_message(error))
        return _render_issue(db.session.get(IdeaIssue, issue_id), split_form=form, code=400)
    area_slug = db.session.get(Area, issue.area_id).slug
    db.session.commit()
    if made is not None:
        flash(_l("แยกเป็นเรื่องใหม่แล้ว การจัดกลุ่มใหม่ครั้งต่อไปจะคงการแยกนี้ไว้"), "success")
        return redirect(url_for("triage.issue", issue_id=made.id))
    flash(_l("แยกรายงานออกจากเรื่องแล้ว การจัดกลุ่มใหม่ครั้งต่อไปจะคงการแยกนี้ไว้"), "success")
    if db.session.get(IdeaIssue, issue_id) is None:
        return redirect(url_for("triage.board", slug=area_slug))
    return redirect(url_for("triage.issue", issue_id=issue_id))


@bp.post("/ideas/<int:idea_id>/move")
@login_required
def move_idea(idea_id: int):
    """Move this report into the issue of another idea of the area."""
    idea = idea_for_officer(idea_id)
    form = MoveForm()
    if not form.validate_on_submit():
        return idea_routes._render_idea(idea, move_form=form, code=400)
    target = db.session.get(Idea, form.target_id.data)
    try:
        if target is None or target.area_id != idea.area_id:
            raise ServiceError("no_such_idea", field="target_id", status=404)
        dest = issue_services.move(idea, target, current_user)
    except ServiceError as error:
        db.session.rollback()
        form.target_id.errors.append(service_message(error))
        return idea_routes._render_idea(db.session.get(Idea, idea_id), move_form=form,
                                        code=409 if error.status == 409 else 400)
    db.session.commit()
    flash(_l("ย้ายรายงานเข้าเรื่องแล้ว การจัดกลุ่มใหม่ครั้งต่อไปจะคงการย้ายนี้ไว้"), "success")
    return redirect(url_for("triage.issue", issue_id=dest.id))
