"""Organiser actions on a shortlist: add ideas by filter or one by one, order, note, criteria, judges."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from idea4gov.a11y import text_lang
from idea4gov.auth.services import find_by_email
from idea4gov.extensions import db
from idea4gov.groups.models import IdeaGroup
from idea4gov.i18n import current_locale
from idea4gov.ideas.forms import EmptyForm
from idea4gov.ideas.labels import status_label
from idea4gov.ideas.models import Idea, IdeaStatus
from idea4gov.ideas.services import ServiceError
from idea4gov.shortlists import access, bp, filters, services
from idea4gov.shortlists.forms import AddIdeaForm, CriterionForm, FilterForm, JudgeForm, MoveForm, NoteForm
from idea4gov.shortlists.messages import service_message
from idea4gov.shortlists.models import Criterion, Shortlist, ShortlistItem, ShortlistJudge
from idea4gov.shortlists.routes import render_show

#: Groups offered in the filter's list (largest supporter counts first).
GROUP_CHOICES_LIMIT = 200


def _filter_form(shortlist: Shortlist, formdata, csrf: bool) -> FilterForm:
    locale = current_locale()
    form = FilterForm(formdata=formdata, meta={"csrf": csrf})
    areas = shortlist.areas
    form.area.choices = [("", _("ทุกพื้นที่"))] + [(str(a.id), a.name(locale)) for a in areas]
    form.theme.choices = [("", _("ทุกโจทย์"))] + [
        (str(t.id), f"{t.title(locale)} · {a.name(locale)}" if len(areas) > 1 else t.title(locale))
        for a in areas for t in a.themes]
    groups = db.session.scalars(
        sa.select(IdeaGroup).where(IdeaGroup.area_id.in_(shortlist.area_ids or [-1]), IdeaGroup.size > 0)
        .order_by(IdeaGroup.supporter_count.desc(), IdeaGroup.id).limit(GROUP_CHOICES_LIMIT))
    # An option cannot hold a <span lang>: one whose key words are Thai on an English page is lang="th".
    form.group.choices = [("", _("ทุกกลุ่ม"))] + [
        (str(g.id), _("กลุ่ม %(id)d: %(words)s (%(size)d ไอเดีย)", id=g.id, words=" ".join(g.keyword_list[:3]),
                      size=g.size), _lang_kw(" ".join(g.keyword_list[:3]), locale)) for g in groups]
    form.status.choices = [("", _("ทุกสถานะ"))] + [(s.value, status_label(s)) for s in IdeaStatus]
    return form


def _lang_kw(text: str, locale: str) -> dict:
    lang = text_lang(text, locale)
    return {"lang": lang} if lang else {}


def _part_or_404(model, shortlist: Shortlist, part_id: int):  # noqa: ANN001
    """An item, criterion or judge of this shortlist; 404 for one of another shortlist."""
    part = db.session.get(model, part_id)
    if part is None or part.shortlist_id != shortlist.id:
        abort(404)
    return part


def _back(shortlist: Shortlist, anchor: str = "") -> str:
    return url_for("shortlists.show", shortlist_id=shortlist.id) + anchor


def _conflict(shortlist: Shortlist):
    """Two people changed the shortlist at once and the database refused the second: say so."""
    db.session.rollback()
    flash(_l("มีผู้แก้ไขรายการนี้พร้อมกัน กรุณาลองอีกครั้ง"), "error")
    return redirect(_back(shortlist))


def _saved(shortlist: Shortlist, message: str, anchor: str):
    """Commit the change, say so and go back to the shortlist (or explain a concurrent edit)."""
    try:
        db.session.commit()
    except IntegrityError:
        return _conflict(shortlist)
    flash(message, "success")
    return redirect(_back(shortlist, anchor))


@bp.get("/<int:shortlist_id>/add")
@login_required
def add(shortlist_id: int):
    """Filter the published ideas of the shortlist's areas and preview what would be added."""
    shortlist = access.get_shortlist(shortlist_id, manage=True)
    form = _filter_form(shortlist, request.args, csrf=False)
    idea_filter = form.to_filter() if form.validate() else None
    ideas, total = [], 0
    if idea_filter is not None:
        stmt = filters.matching_select(shortlist, idea_filter)
        total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
        ideas = db.session.scalars(stmt.options(selectinload(Idea.theme), selectinload(Idea.area))
                                   .limit(filters.PREVIEW_LIMIT)).all()
    room = max(0, services.MAX_ITEMS - services.item_count(shortlist))
    return render_template(
        "shortlists/add.html", shortlist=shortlist, form=form, ideas=ideas, total=total,
        will_add=min(total, room, filters.ADD_ALL_LIMIT), room=room, preview_limit=filters.PREVIEW_LIMIT,
        add_all_limit=filters.ADD_ALL_LIMIT, max_items=services.MAX_ITEMS, hidden=form.query_args(),
        button_form=EmptyForm(),
    ), 400 if form.errors else 200


@bp.post("/<int:shortlist_id>/add")
@login_required
def add_all(shortlist_id: int):
    """Add every idea matching the filter (up to the caps), most supported first."""
    shortlist = access.get_shortlist(shortlist_id, manage=True)
    form = _filter_form(shortlist, request.form, csrf=True)
    idea_filter = form.to_filter() if form.validate() else None
    if idea_filter is None:
        abort(400)
    stmt = filters.matching_select(shortlist, idea_filter).with_only_columns(Idea.id)
    ids = list(db.session.scalars(stmt.limit(filters.ADD_ALL_LIMIT + 1)))
    capped = len(ids) > filters.ADD_ALL_LIMIT
    try:
        added, left_out = services.add_ideas(shortlist, ids[: filters.ADD_ALL_LIMIT], current_user)
        db.session.commit()
    except IntegrityError:
        return _conflict(shortlist)
    flash(_l("เพิ่ม %(n)d ไอเดียในรายการแล้ว", n=added), "success")
    if left_out:
        flash(_l("รายการมีได้ไม่เกิน %(max)d ไอเดีย จึงไม่ได้เพิ่มอีก %(n)d ไอเดีย", max=services.MAX_ITEMS,
                n=left_out), "error")
    elif capped:
        flash(_l("เพิ่มได้ครั้งละไม่เกิน %(max)d ไอเดีย ยังมีไอเดียที่ตรงกับตัวกรองเหลืออยู่ กดเพิ่มอีกครั้งได้",
                max=filters.ADD_ALL_LIMIT), "error")
    return redirect(_back(shortlist, "#items"))


@bp.post("/<int:shortlist_id>/items")
@login_required
def add_one(shortlist_id: int):
    """Add one idea by its number."""
    shortlist = access.get_shortlist(shortlist_id, manage=True)
    form = AddIdeaForm()
    if not form.validate_on_submit():
        return render_show(shortlist, status=400, add_form=form)
    try:
        services.add_one(shortlist, form.idea_id.data, current_user)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        form.idea_id.errors.append(service_message(error))
        return render_show(shortlist, status=400, add_form=form)
    except IntegrityError:
        return _conflict(shortlist)
    flash(_l("เพิ่มไอเดียในรายการแล้ว"), "success")
    if request.args.get("back") == "add":  # from the filter page: back to the same filter
        args = {key: value for key, value in request.args.items() if key != "back"}
        return redirect(url_for("shortlists.add", shortlist_id=shortlist.id, **args))
    return redirect(_back(shortlist, "#items"))


@bp.post("/<int:shortlist_id>/items/<int:item_id>/move")
@login_required
def move(shortlist_id: int, item_id: int):
    """Move an idea one place up or down."""
    shortlist = access.get_shortlist(shortlist_id, manage=True)
    item = _part_or_404(ShortlistItem, shortlist, item_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    services.move_item(item, form.direction.data, current_user)
    db.session.commit()
    return redirect(_back(shortlist, f"#item-{item.id}"))


@bp.post("/<int:shortlist_id>/items/<int:item_id>/note")
@login_required
def note(shortlist_id: int, item_id: int):
    """Save the organiser's note on an idea."""
    shortlist = access.get_shortlist(shortlist_id, manage=True)
    item = _part_or_404(ShortlistItem, shortlist, item_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return render_show(shortlist, status=400, note_errors={item.id: (form.note.data, form.note.errors)})
    services.set_note(item, form.note.data or "", current_user)
    return _saved(shortlist, _l("บันทึกหมายเหตุแล้ว"), f"#item-{item.id}")


@bp.post("/<int:shortlist_id>/items/<int:item_id>/remove")
@login_required
def remove(shortlist_id: int, item_id: int):
    """Take an idea off the shortlist (its scores go with it)."""
    shortlist = access.get_shortlist(shortlist_id, manage=True)
    item = _part_or_404(ShortlistItem, shortlist, item_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.remove_item(item, current_user)
    return _saved(shortlist, _l("นำไอเดียออกจากรายการแล้ว"), "#items")


@bp.post("/<int:shortlist_id>/criteria")
@login_required
def add_criterion(shortlist_id: int):
    """Add a scoring criterion with its weight."""
    shortlist = access.get_shortlist(shortlist_id, manage=True)
    form = CriterionForm()
    if not form.validate_on_submit():
        return render_show(shortlist, status=400, criterion_form=form)
    try:
        services.add_criterion(shortlist, form.name.data, form.weight.data, current_user)
    except IntegrityError:
        return _conflict(shortlist)
    except ServiceError as error:
        db.session.rollback()
        (form.weight if error.field == "weight" else form.name).errors.append(service_message(error))
        return render_show(shortlist, status=400, criterion_form=form)
    return _saved(shortlist, _l("เพิ่มเกณฑ์แล้ว"), "#criteria")


@bp.post("/<int:shortlist_id>/criteria/<int:criterion_id>/remove")
@login_required
def remove_criterion(shortlist_id: int, criterion_id: int):
    """Remove a criterion and the scores given on it."""
    shortlist = access.get_shortlist(shortlist_id, manage=True)
    criterion = _part_or_404(Criterion, shortlist, criterion_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.remove_criterion(criterion, current_user)
    return _saved(shortlist, _l("ลบเกณฑ์แล้ว"), "#criteria")


@bp.post("/<int:shortlist_id>/judges")
@login_required
def add_judge(shortlist_id: int):
    """Invite an existing account, by e-mail, to judge this shortlist."""
    shortlist = access.get_shortlist(shortlist_id, manage=True)
    form = JudgeForm()
    if not form.validate_on_submit():
        return render_show(shortlist, status=400, judge_form=form)
    try:
        services.add_judge(shortlist, find_by_email(form.email.data.strip()), current_user)
    except IntegrityError:
        return _conflict(shortlist)
    except ServiceError as error:
        db.session.rollback()
        form.email.errors.append(service_message(error))
        return render_show(shortlist, status=400, judge_form=form)
    return _saved(shortlist, _l("เพิ่มกรรมการแล้ว ระบบแจ้งเตือนกรรมการให้แล้ว"), "#judges")


@bp.post("/<int:shortlist_id>/judges/<int:judge_id>/remove")
@login_required
def remove_judge(shortlist_id: int, judge_id: int):
    """Remove a judge and the scores they gave here."""
    shortlist = access.get_shortlist(shortlist_id, manage=True)
    judge = _part_or_404(ShortlistJudge, shortlist, judge_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.remove_judge(judge, current_user)
    return _saved(shortlist, _l("นำกรรมการออกแล้ว"), "#judges")
