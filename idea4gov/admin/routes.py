"""Admin pages: users and roles, blocking, the audit log (areas: `idea4gov.admin.areas`). Admins only."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from idea4gov import params
from idea4gov.admin import bp
from idea4gov.admin.forms import ROLE_LABELS, AuditFilterForm, BlockForm, GrantForm
from idea4gov.areas.models import Area
from idea4gov.audit import labels as audit_labels
from idea4gov.audit import services as audit
from idea4gov.auth import sessions, staff
from idea4gov.auth.models import GLOBAL_ROLES, Role, StaffRole, User
from idea4gov.auth.permissions import admin_required
from idea4gov.extensions import db
from idea4gov.i18n import current_locale
from idea4gov.ideas.forms import EmptyForm
from idea4gov.text import clean_plain

PER_PAGE = 30


def _areas() -> list[Area]:
    return list(db.session.scalars(sa.select(Area).order_by(Area.name_th)))


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        abort(404)
    return user


@bp.get("/admin/")
@admin_required
def index():
    """The admin home: links and a few counts."""
    counts = {
        "users": db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.deleted_at.is_(None))),
        "staff": db.session.scalar(sa.select(sa.func.count(sa.distinct(StaffRole.user_id)))),
        "blocked": db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.blocked_at.is_not(None))),
    }
    return render_template("admin/index.html", counts=counts, areas=_areas())


@bp.get("/admin/users")
@admin_required
def users():
    """Find accounts by e-mail or name; staff and blocked filters."""
    q = clean_plain(request.args.get("q", ""))[:100]
    query = sa.select(User).where(User.deleted_at.is_(None)).order_by(User.id)
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(User.email.ilike(like, escape="\\"), User.display_name.ilike(like, escape="\\")))
    if request.args.get("filter") == "staff":
        query = query.where(sa.or_(User.role.in_(GLOBAL_ROLES), User.id.in_(sa.select(StaffRole.user_id))))
    elif request.args.get("filter") == "blocked":
        query = query.where(User.blocked_at.is_not(None))
    page = params.paginate(query, per_page=PER_PAGE)
    roles: dict[int, list[StaffRole]] = {}
    ids = [user.id for user in page.items]
    if ids:
        for role in db.session.scalars(sa.select(StaffRole).where(StaffRole.user_id.in_(ids))
                                       .options(sa.orm.selectinload(StaffRole.area))):
            roles.setdefault(role.user_id, []).append(role)
    return render_template("admin/users.html", page=page, q=q, roles=roles, role_labels=ROLE_LABELS,
                           current_filter=request.args.get("filter", ""))


def _grant_form(formdata=None) -> GrantForm:  # noqa: ANN001
    form = GrantForm(formdata=formdata) if formdata is not None else GrantForm(formdata=None)
    form.area.choices = [SelectChoice("", _("— ไม่ระบุ (สำหรับผู้ดูแลระบบ) —"))] + [
        SelectChoice(area.slug, area.name(current_locale())) for area in _areas()]
    return form


def _user_page(user: User, grant_form: GrantForm | None = None, block_form: BlockForm | None = None,
               status: int = 200):
    return render_template(
        "admin/user.html", user=user, roles=staff.roles_of(user), role_labels=ROLE_LABELS,
        grant_form=grant_form or _grant_form(), block_form=block_form or BlockForm(formdata=None),
        button_form=EmptyForm(),
        history=db.session.scalars(audit.entries_select(target_type="user", target_id=user.id).limit(20)).all(),
    ), status


def _saved(target: User, message: str):
    """Commit the change to this account and go back to its page."""
    db.session.commit()
    if target.id == current_user.id:
        sessions.renew(current_user)  # my own role changed: my other sessions ended, this one stays
    flash(message, "success")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.get("/admin/users/<int:user_id>")
@admin_required
def user(user_id: int):
    """One account: its roles, grant or revoke, block or unblock, its history."""
    return _user_page(_user_or_404(user_id))


@bp.post("/admin/users/<int:user_id>/roles")
@admin_required
def grant(user_id: int):
    """Grant a staff role in an area (or a global role: admin, programme viewer)."""
    target = _user_or_404(user_id)
    form = _grant_form(request.form)
    if not form.validate():
        return _user_page(target, grant_form=form, status=400)
    role = Role(form.role.data)
    area = db.session.scalar(sa.select(Area).where(Area.slug == form.area.data)) if form.area.data else None
    if form.area.data and area is None:
        form.area.errors = [_("ไม่พบพื้นที่นี้")]
        return _user_page(target, grant_form=form, status=400)
    if role not in GLOBAL_ROLES and area is None:
        form.area.errors = [_("บทบาทนี้ต้องเลือกพื้นที่")]
        return _user_page(target, grant_form=form, status=400)
    if role in GLOBAL_ROLES and area is not None:
        form.area.errors = [_("บทบาทนี้ครอบคลุมทุกพื้นที่ ไม่ต้องเลือกพื้นที่")]
        return _user_page(target, grant_form=form, status=400)
    changed = staff.grant(target, role, area, by=current_user)
    return _saved(target, _l("ให้สิทธิ์แล้ว") if changed else _l("ผู้ใช้นี้มีสิทธิ์นี้อยู่แล้ว"))


@bp.post("/admin/users/<int:user_id>/roles/<role>/revoke")
@admin_required
def revoke(user_id: int, role: str):
    """Take a role away (`?area=SLUG` for staff roles)."""
    target = _user_or_404(user_id)
    if role not in ROLE_LABELS:
        abort(404)
    area = None
    if Role(role) not in GLOBAL_ROLES:
        area = db.session.scalar(sa.select(Area).where(Area.slug == request.form.get("area", "")))
        if area is None:
            abort(404)
    if role == "admin" and target.id == current_user.id:
        flash(_l("คุณถอนสิทธิ์ผู้ดูแลระบบของตัวเองไม่ได้"), "error")
        return redirect(url_for("admin.user", user_id=target.id))
    staff.revoke(target, Role(role), area, by=current_user)
    return _saved(target, _l("ถอนสิทธิ์แล้ว"))


@bp.post("/admin/users/<int:user_id>/block")
@admin_required
def block(user_id: int):
    """Block a user from posting, commenting, voting and reporting."""
    target = _user_or_404(user_id)
    form = BlockForm()
    if not form.validate():
        return _user_page(target, block_form=form, status=400)
    if target.id == current_user.id:
        form.reason.errors = [_("คุณระงับบัญชีของตัวเองไม่ได้")]
        return _user_page(target, block_form=form, status=400)
    staff.block(target, form.reason.data, by=current_user)
    return _saved(target, _l("ระงับผู้ใช้แล้ว ผู้ใช้ยังอ่านเนื้อหาได้ แต่โพสต์และโหวตไม่ได้"))


@bp.post("/admin/users/<int:user_id>/unblock")
@admin_required
def unblock(user_id: int):
    """Let a blocked user post and vote again."""
    target = _user_or_404(user_id)
    if not EmptyForm().validate():
        abort(400)
    staff.unblock(target, by=current_user)
    return _saved(target, _l("ยกเลิกการระงับแล้ว"))


def _day_start(day) -> datetime:  # noqa: ANN001
    return datetime.combine(day, time.min, tzinfo=timezone(timedelta(hours=7)))


@bp.get("/admin/audit")
@admin_required
def audit_log():
    """Every staff decision, newest first, filtered by area, action, who, type and dates."""
    form = AuditFilterForm(request.args)
    areas = _areas()
    form.area.choices = [SelectChoice("", _("ทุกพื้นที่"))] + [SelectChoice(a.slug, a.name(current_locale())) for a in areas]
    present = list(db.session.scalars(sa.select(audit.AuditEntry.action).distinct()))
    form.action.choices = [SelectChoice("", _("ทุกการกระทำ"))] + [
        SelectChoice(code, label) for code, label in audit_labels.action_choices(present)]
    filters: dict = {}
    status = 200
    if request.args and not form.validate():
        status = 400
    else:
        if form.area.data:
            area = next((a for a in areas if a.slug == form.area.data), None)
            filters["area_id"] = area.id if area else -1
        if form.action.data:
            filters["action"] = form.action.data.strip()
        if form.target_type.data:
            filters["target_type"] = form.target_type.data
        if form.actor.data:
            actor = db.session.scalar(sa.select(User.id).where(User.email == form.actor.data.strip().lower()))
            filters["actor_id"] = actor or -1
        # Dates are Bangkok days, as they are shown.
        if form.since.data:
            filters["since"] = _day_start(form.since.data)
        if form.until.data:
            filters["until"] = _day_start(form.until.data) + timedelta(days=1)
    query = audit.entries_select(**filters).options(sa.orm.selectinload(audit.AuditEntry.actor),
                                                    sa.orm.selectinload(audit.AuditEntry.area))
    page = params.paginate(query, per_page=50)
    args = {k: v for k, v in request.args.items() if k != "page"}
    rows = audit_labels.describe(list(page.items), current_locale())
    return render_template("admin/audit.html", form=form, page=page, rows=rows, args=args), status
