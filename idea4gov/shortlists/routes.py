"""Shortlist pages: list, create, show with results, edit, score, print and export."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from idea4gov.areas.models import Area
from idea4gov.auth.models import Role
from idea4gov.auth.permissions import area_ids_for
from idea4gov.extensions import db
from idea4gov.ideas.forms import EmptyForm
from idea4gov.ideas.models import Idea
from idea4gov.ideas.services import ServiceError
from idea4gov.links import base_url
from idea4gov.shortlists import access, bp, scoring, services
from idea4gov.shortlists import export as shortlist_export
from idea4gov.shortlists.forms import AddIdeaForm, CriterionForm, EditShortlistForm, JudgeForm, ShortlistForm
from idea4gov.shortlists.messages import service_message
from idea4gov.shortlists.models import SCORE_MAX, SCORE_MIN, Shortlist, ShortlistItem, ShortlistJudge
from idea4gov.shortlists.rubric import scores_from_form
from idea4gov.timeutil import utcnow


def _organiser_areas() -> list[Area]:
    ids = area_ids_for(current_user, Role.organiser)
    query = sa.select(Area).order_by(Area.id)
    if ids is not None:
        query = query.where(Area.id.in_(ids or [-1]))
    return list(db.session.scalars(query))


@bp.get("/")
@login_required
def index():
    """List the shortlists I manage or judge."""
    if not access.may_use_shortlists(current_user):
        abort(403)
    ids = area_ids_for(current_user, Role.organiser)
    shortlists = db.session.scalars(
        sa.select(Shortlist).options(selectinload(Shortlist.areas)).order_by(Shortlist.created_at.desc())
    ).all()
    judged = access.judged_ids(current_user)
    visible = [s for s in shortlists if s.id in judged or ids is None or (s.area_ids and s.area_ids <= ids)]
    counts = dict(db.session.execute(
        sa.select(ShortlistItem.shortlist_id, sa.func.count()).group_by(ShortlistItem.shortlist_id)).all())
    return render_template("shortlists/index.html", shortlists=visible, judged=judged, counts=counts,
                           can_create=ids is None or bool(ids))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Create a shortlist for an event over areas where I am an organiser."""
    areas = _organiser_areas()
    if not areas:
        abort(403)
    form = ShortlistForm()
    form.areas.choices = [(area.id, area.name(_locale())) for area in areas]
    if form.validate_on_submit():
        chosen = [area for area in areas if area.id in set(form.areas.data)]
        data = services.ShortlistInput(form.name.data, form.event_date.data, form.description.data or "", chosen)
        try:
            shortlist = services.create_shortlist(current_user, data)
        except ServiceError as error:
            db.session.rollback()
            form.areas.errors.append(service_message(error))
        else:
            db.session.commit()
            flash(_l("สร้างรายการคัดเลือกแล้ว เพิ่มไอเดียด้วยตัวกรองหรือทีละไอเดีย"), "success")
            return redirect(url_for("shortlists.show", shortlist_id=shortlist.id))
    return render_template("shortlists/new.html", form=form), 400 if form.errors else 200


def _locale() -> str:
    from idea4gov.i18n import current_locale

    return current_locale()


def render_show(shortlist: Shortlist, status: int = 200, **forms):
    """The shortlist page; failed forms come back with what was typed and their errors."""
    db.session.scalars(sa.select(ShortlistItem).where(ShortlistItem.shortlist_id == shortlist.id).options(
        selectinload(ShortlistItem.idea).selectinload(Idea.area),
        selectinload(ShortlistItem.idea).selectinload(Idea.theme))).all()
    rows = scoring.results(shortlist)
    judges = db.session.scalars(sa.select(ShortlistJudge).where(ShortlistJudge.shortlist_id == shortlist.id)
                                .options(selectinload(ShortlistJudge.user)).order_by(ShortlistJudge.id)).all()
    return render_template(
        "shortlists/show.html",
        shortlist=shortlist,
        rows=rows,
        ranked=scoring.ranked(rows),
        judges=judges,
        manage=access.can_manage(current_user, shortlist),
        judging=access.is_judge(current_user, shortlist),
        button_form=EmptyForm(),
        add_form=forms.get("add_form") or AddIdeaForm(formdata=None),
        criterion_form=forms.get("criterion_form") or CriterionForm(formdata=None),
        judge_form=forms.get("judge_form") or JudgeForm(formdata=None),
        note_errors=forms.get("note_errors", {}),
        disagree_high=scoring.DISAGREE_HIGH,
        disagree_some=scoring.DISAGREE_SOME,
    ), status


@bp.get("/<int:shortlist_id>")
@login_required
def show(shortlist_id: int):
    """Show a shortlist: its ideas in order, the ranking by weighted score, criteria and judges."""
    return render_show(access.get_shortlist(shortlist_id))


@bp.route("/<int:shortlist_id>/edit", methods=["GET", "POST"])
@login_required
def edit(shortlist_id: int):
    """Change a shortlist's name, date and description."""
    shortlist = access.get_shortlist(shortlist_id, manage=True)
    form = EditShortlistForm(obj=shortlist)
    if form.validate_on_submit():
        try:
            services.update_shortlist(shortlist, current_user, form.name.data, form.event_date.data,
                                      form.description.data or "")
        except ServiceError as error:
            db.session.rollback()
            form.name.errors.append(service_message(error))
        else:
            db.session.commit()
            flash(_l("บันทึกแล้ว"), "success")
            return redirect(url_for("shortlists.show", shortlist_id=shortlist.id))
    return render_template("shortlists/edit.html", form=form, shortlist=shortlist), 400 if form.errors else 200


def _parse_scores(shortlist: Shortlist) -> dict[tuple[int, int], int | None]:
    """Score cells from the form (`score-<item>-<criterion>`: "" clears, 1–5 sets); junk is a 400."""
    values = scores_from_form(request.form, [item.id for item in shortlist.items],
                              [criterion.id for criterion in shortlist.criteria])
    if values is None:
        abort(400, _("คะแนนต้องเป็น 1 ถึง 5"))
    return values


@bp.route("/<int:shortlist_id>/score", methods=["GET", "POST"])
@login_required
def score(shortlist_id: int):
    """Score every idea of a shortlist I judge on each criterion, 1–5."""
    shortlist = db.get_or_404(Shortlist, shortlist_id)
    if not access.is_judge(current_user, shortlist):
        abort(403)
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            changed = services.save_scores(shortlist, current_user, _parse_scores(shortlist))
            db.session.commit()
        except IntegrityError:  # the same judge saving twice at once: the first one counts
            db.session.rollback()
            flash(_l("มีผู้แก้ไขรายการนี้พร้อมกัน กรุณาลองอีกครั้ง"), "error")
            return redirect(url_for("shortlists.score", shortlist_id=shortlist.id))
        flash(_l("บันทึกคะแนนแล้ว (%(n)d ช่องที่เปลี่ยน)", n=changed), "success")
        return redirect(url_for("shortlists.score", shortlist_id=shortlist.id))
    db.session.scalars(sa.select(ShortlistItem).where(ShortlistItem.shortlist_id == shortlist.id)
                       .options(selectinload(ShortlistItem.idea))).all()
    return render_template("shortlists/score.html", shortlist=shortlist, form=form,
                           mine=services.judge_scores(shortlist, current_user),
                           scale=range(SCORE_MIN, SCORE_MAX + 1))


@bp.get("/<int:shortlist_id>/print")
@login_required
def print_view(shortlist_id: int):
    """An A4 page of the shortlist with its ranking and scores, for printing."""
    shortlist = access.get_shortlist(shortlist_id)
    document = shortlist_export.build(shortlist, base_url(), _locale())
    return render_template("shortlists/print.html", shortlist=shortlist, document=document,
                           judges=len(shortlist.judges), now=utcnow(), disagree_high=scoring.DISAGREE_HIGH,
                           # The same flag as the screen view, from the unrounded judges' range.
                           disagreement={row.item.idea_id: row.disagreement for row in scoring.results(shortlist)})


@bp.get("/<int:shortlist_id>/export.<fmt>")
@login_required
def export(shortlist_id: int, fmt: str):
    """Download the shortlist as CSV (UTF-8 with BOM), XLSX or JSON."""
    shortlist = access.get_shortlist(shortlist_id)
    if fmt not in shortlist_export.FORMATS:
        abort(404)
    body = shortlist_export.render(shortlist, fmt, base_url())
    name = shortlist_export.filename(shortlist, fmt)
    return Response(body, mimetype=shortlist_export.FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})
