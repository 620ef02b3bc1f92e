"""The moderation queue: pending and reported ideas and comments of my areas."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_login import current_user

from idea4gov import params
from idea4gov.areas.models import Area
from idea4gov.auth.models import Role
from idea4gov.auth.permissions import area_ids_for, require_role, staff_required
from idea4gov.extensions import db
from idea4gov.ideas.models import Comment, Idea
from idea4gov.moderation import bp, services
from idea4gov.moderation.forms import ACTION_LABELS, BulkForm, DecisionForm
from idea4gov.moderation.messages import HELD_LABELS, REASON_LABELS, error_message

PER_PAGE = 25
KINDS = {"idea": Idea, "comment": Comment}


def _my_areas() -> tuple[set[int] | None, list[Area]]:
    ids = area_ids_for(current_user, Role.moderator)
    query = sa.select(Area).order_by(Area.name_th)
    if ids is not None:
        query = query.where(Area.id.in_(ids or {-1}))
    return ids, list(db.session.scalars(query))


def _target_or_404(kind: str, item_id: int):
    model = KINDS.get(kind)
    if model is None:
        abort(404)
    target = db.session.get(model, item_id)
    if target is None:
        abort(404)
    require_role(Role.moderator, services.area_id_of(target))
    return target


def _queue_page(errors: dict | None = None, typed: dict | None = None, bulk_form: BulkForm | None = None,
                status: int = 200):
    ids, areas = _my_areas()
    slug = request.args.get("area")
    chosen = next((area for area in areas if area.slug == slug), None)
    if slug and chosen is None:
        abort(404)
    kind = request.args.get("kind") if request.args.get("kind") in KINDS else None
    page = params.page_arg()
    items, total = services.queue({chosen.id} if chosen else ids, kind=kind, limit=PER_PAGE,
                                  offset=(page - 1) * PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    return render_template(
        "moderation/queue.html", items=items, total=total, page=page, pages=pages, areas=areas, chosen=chosen,
        kind=kind, decision_form=DecisionForm(formdata=None), bulk_form=bulk_form or BulkForm(formdata=None),
        errors=errors or {}, typed=typed or {}, labels=ACTION_LABELS, held_labels=HELD_LABELS,
        reason_labels=REASON_LABELS,
        transitions={action.value: {v.value for v in allowed} for action, (allowed, _after) in services.TRANSITIONS.items()},
    ), status


@bp.get("/moderation/")
@staff_required(Role.moderator)
def queue():
    """List what waits for a decision in my areas, oldest first."""
    return _queue_page()


@bp.post("/moderation/<kind>/<int:item_id>/<action>")
@staff_required(Role.moderator)
def decide(kind: str, item_id: int, action: str):
    """Approve, reject, hide, restore one idea or comment, or keep it and dismiss its reports."""
    target = _target_or_404(kind, item_id)
    try:
        chosen = services.Action(action)
    except ValueError:
        abort(404)
    form = DecisionForm()
    key = f"{kind}:{item_id}"
    if not form.validate():
        return _queue_page(errors={key: form.reason.errors[0]}, typed={key: form.reason.data}, status=400)
    try:
        services.decide(target, chosen, current_user, form.reason.data or "")
    except services.ModerationError as error:
        db.session.rollback()
        return _queue_page(errors={key: error_message(error.code)}, typed={key: form.reason.data}, status=400)
    db.session.commit()
    flash(_l("บันทึกการตัดสินใจแล้ว: %(action)s", action=ACTION_LABELS[action]), "success")
    return redirect(request.form.get("back") if _is_queue_url(request.form.get("back")) else url_for("moderation.queue"))


def _is_queue_url(value: str | None) -> bool:
    return bool(value) and value.startswith("/moderation/") and "//" not in value and "\\" not in value


@bp.post("/moderation/bulk")
@staff_required(Role.moderator)
def bulk():
    """Apply one decision to every selected item; items it does not apply to are skipped."""
    form = BulkForm()
    keys = request.form.getlist("items")
    if not form.validate() or not keys:
        if not keys:
            form.action.errors = [*form.action.errors, _("กรุณาเลือกอย่างน้อยหนึ่งรายการ")]
        return _queue_page(bulk_form=form, status=400)
    if len(keys) > PER_PAGE * 4:
        abort(400)
    targets = []
    for key in keys:
        kind, _sep, raw_id = key.partition(":")
        if not raw_id.isdigit() or not 1 <= int(raw_id) <= 2**31 - 1:
            abort(400)
        targets.append(_target_or_404(kind, int(raw_id)))
    done = skipped = 0
    for target in targets:
        try:
            services.decide(target, services.Action(form.action.data), current_user, form.reason.data or "")
            done += 1
        except services.ModerationError as error:
            if error.code not in services.SKIPPABLE:
                db.session.rollback()
                form.reason.errors = [error_message(error.code)]
                return _queue_page(bulk_form=form, status=400)
            skipped += 1
    db.session.commit()
    flash(lazy_ngettext("ดำเนินการแล้ว %(num)d รายการ", "ดำเนินการแล้ว %(num)d รายการ", done), "success")
    if skipped:
        flash(_l("ข้าม %(n)d รายการที่ทำแบบนี้ไม่ได้", n=skipped), "info")
    return redirect(url_for("moderation.queue"))
