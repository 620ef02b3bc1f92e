"""Public event pages: the list, an event, a proposal, attachments and certificate verification."""
from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Response, abort, render_template, request, send_from_directory
from flask_login import current_user
from sqlalchemy.orm import selectinload

from idea4gov.areas.models import Area
from idea4gov.events import access, bp
from idea4gov.events.forms import KIND_LABELS, OUTCOME_LABELS, DemographicsForm, RenameTeamForm, TeamForm
from idea4gov.events.models import Event, EventState, Outcome, Proposal, ProposalFile, RegistrationStatus, Team
from idea4gov.events.services import certificates, judging, proposals, registration, survey, teams
from idea4gov.events.services.report import AGE_LABELS, SECTOR_LABELS
from idea4gov.extensions import db
from idea4gov.ideas.forms import EmptyForm
from idea4gov.ideas.models import Idea
from idea4gov.joincodes.services import active_code, svg_qr
from idea4gov.links import public_url
from idea4gov.params import paginate
from idea4gov.shortlists.models import ShortlistItem
from idea4gov.timeutil import utcnow
from idea4gov.triage.services import photos

EVENTS_PER_PAGE = 20


@bp.app_context_processor
def _labels() -> dict:
    return {"event_kind_labels": KIND_LABELS, "outcome_labels": OUTCOME_LABELS, "sector_labels": SECTOR_LABELS,
            "age_labels": AGE_LABELS}


@bp.app_template_global()
def thai_day_range(event: Event) -> str:
    return certificates.thai_day_range(event.starts_at, event.ends_at)


bp.add_app_template_global(public_url, "public_url")  # absolute links from PUBLIC_BASE_URL, never the Host


@bp.app_template_global()
def developed_at(idea_id: int) -> list:
    """For an idea's page: the events whose final proposals were developed from it."""
    return proposals.events_of_idea(idea_id)


@bp.get("/events/")
def index():
    """Upcoming events, soonest first, and past events, latest first (`?area=SLUG`, `?page=`)."""
    area = None
    if request.args.get("area"):
        area = db.first_or_404(sa.select(Area).where(Area.slug == request.args["area"]))
    area_id = area.id if area else None
    from idea4gov.events.services.events import listed

    options = (selectinload(Event.areas),)
    upcoming = db.session.scalars(listed(True, area_id).options(*options).limit(100)).all()
    past = paginate(listed(False, area_id).options(*options), EVENTS_PER_PAGE)
    return render_template("events/index.html", upcoming=upcoming, past=past, area=area)


@bp.get("/events/<int:event_id>")
def show(event_id: int):
    """An event: what, when, where, how to take part; teams, proposals and their outcomes."""
    return render_show(access.get_event(event_id))


def render_show(event: Event, status: int = 200, **forms):  # noqa: ANN003
    """The event page; a form that failed (`team_form`, `details_form`, `rename_form`) comes back as typed."""
    mine = registration.registration_of(event, current_user)
    my_team = teams.team_of(event, current_user)
    team_rows = db.session.scalars(sa.select(Team).where(Team.event_id == event.id).order_by(Team.name)
                                   .options(selectinload(Team.proposal))).all()
    final = judging.ranking(event)
    show_ranking = event.has_ended() and any(row.rank for row in final)
    code = registration.code_for(event, active_code())
    return render_template(
        "events/show.html", event=event, mine=mine, my_team=my_team, teams=team_rows, final=final,
        challenge_ideas=_challenge_ideas(event),
        show_ranking=show_ranking, on_site=code is not None, now=utcnow(),
        counts=registration.counts(event), position=registration.waitlist_position(mine) if mine else None,
        registration_open=registration.registration_open(event),
        survey_open=survey.survey_open(event), answered=survey.answer_of(mine) is not None,
        my_proposal=proposals.proposal_of(my_team) if my_team else None,
        manage=access.can_manage(current_user, event), outcomes=access.can_decide_outcomes(current_user, event),
        judge=access.is_judge(current_user, event), team_form=forms.get("team_form") or TeamForm(formdata=None),
        rename_form=forms.get("rename_form") or RenameTeamForm(formdata=None, name=my_team.name if my_team else ""),
        details_form=forms.get("details_form") or DemographicsForm(
            formdata=None, sector=mine.sector.value if mine and mine.sector else "",
            age_band=mine.age_band.value if mine and mine.age_band else "",
            consent=bool(mine and mine.demographics_consent_at)),
        button_form=EmptyForm(), statuses=RegistrationStatus, states=EventState, taken_forward=Outcome.taken_forward,
    ), status


#: Ideas of the event's shortlist shown on its page.
CHALLENGE_IDEAS = 20


def _challenge_ideas(event: Event) -> list[Idea]:
    """The published ideas of the event's shortlist, in the shortlist's order."""
    if event.shortlist_id is None:
        return []
    return list(db.session.scalars(
        sa.select(Idea).join(ShortlistItem, ShortlistItem.idea_id == Idea.id)
        .where(ShortlistItem.shortlist_id == event.shortlist_id, Idea.visible())
        .order_by(ShortlistItem.position, ShortlistItem.id).limit(CHALLENGE_IDEAS)))


def proposal_or_404(event: Event, proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.event_id != event.id:
        abort(404)
    return proposal


def may_read(proposal: Proposal) -> bool:
    """A final proposal is public; a draft only for its team and the event's organisers."""
    event = proposal.event
    return (proposal.is_final or teams.is_member(proposal.team, current_user) or access.can_manage(current_user, event)
            or access.can_decide_outcomes(current_user, event))


@bp.get("/events/<int:event_id>/proposals/<int:proposal_id>")
def proposal(event_id: int, proposal_id: int):
    """One proposal: problem, solution, who benefits, cost, its source ideas and groups, pictures, outcome."""
    event = access.get_event(event_id)
    row = proposal_or_404(event, proposal_id)
    if not may_read(row):
        abort(404)
    result = next((r for r in judging.ranking(event) if r.item.id == row.id), None)
    return render_template("events/proposal.html", event=event, proposal=row, result=result,
                           member=teams.is_member(row.team, current_user),
                           outcomes=access.can_decide_outcomes(current_user, event))


@bp.get("/events/files/<int:file_id>")
def attachment(file_id: int):
    """An image attached to a proposal the visitor may read (never a path the request chose)."""
    row = db.get_or_404(ProposalFile, file_id)
    if not access.can_see(current_user, row.proposal.event) or not may_read(row.proposal):
        abort(404)
    if not os.path.isfile(os.path.join(photos.upload_folder(), row.filename)):
        abort(404)
    response = send_from_directory(photos.upload_folder(), row.filename, mimetype=row.content_type, max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if not row.proposal.is_final:
        response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/events/certificates/<token>")
def verify(token: str):
    """Say whether a certificate of participation is genuine (anyone; from its printed address or QR code)."""
    row = certificates.registration_for(token)
    if row is None:
        return render_template("events/verify.html", row=None, state="forged"), 404
    state = "valid" if row.checked_in_at is not None else "revoked"
    return render_template("events/verify.html", row=row, state=state, event=row.event,
                           number=certificates.number(row)), 200 if state == "valid" else 410


@bp.get("/events/certificates/<token>/qr.svg")
def verify_qr(token: str):
    """The QR code of a genuine certificate's verification address."""
    row = certificates.registration_for(token)
    if row is None:
        abort(404)
    return Response(svg_qr(certificates.verify_url(row), border=1), mimetype="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})
