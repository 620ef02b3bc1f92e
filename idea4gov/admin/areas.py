"""Areas without code: the list and creation (admins), one area's page with its details,
promise, settings and state (admins), its themes and rounds (admins and the area's organisers)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from idea4gov.admin import bp
from idea4gov.admin.area_forms import ArchiveForm, EditAreaForm, NewAreaForm, NewThemeForm, RoundForm, ThemeForm
from idea4gov.areas import manage, rounds, schedule, themes, tree
from idea4gov.areas.messages import service_message
from idea4gov.areas.models import Area
from idea4gov.areas.settings import NAMES as SETTING_NAMES
from idea4gov.areas.settings import save_settings, settings_of
from idea4gov.audit import services as audit
from idea4gov.auth.models import Role
from idea4gov.auth.permissions import admin_required, has_role
from idea4gov.extensions import db
from idea4gov.i18n import current_locale
from idea4gov.ideas.forms import EmptyForm
from idea4gov.service_errors import ServiceError
from idea4gov.text import clean_plain


def _area_or_404(slug: str) -> Area:
    return db.first_or_404(sa.select(Area).where(Area.slug == slug))


def _organised_area_or_403(slug: str) -> Area:
    """The area, for its admins and organisers (themes and rounds); others get 403."""
    area = _area_or_404(slug)
    if not has_role(current_user, Role.organiser, area.id):
        abort(403)
    return area


def _refused(form, error: ServiceError) -> None:  # noqa: ANN001
    """Put a service's refusal next to its field (or on top of the form)."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    (field.errors if field is not None and isinstance(field.errors, list) else form.form_errors).append(
        service_message(error))


def _parent_choices(area: Area | None) -> list[SelectChoice]:
    """Top level, then every area it may go under, by path (not itself, not below itself, not archived)."""
    below = tree.descendant_ids(area.id) | {area.id} if area is not None else set()
    choices = [SelectChoice("", _("— ไม่มี (พื้นที่ระดับบนสุด) —"))]
    for row in tree.outline(current_locale()):
        keep = row.area.id not in below and (not row.area.is_archived or (area and row.area.id == area.parent_id))
        if keep:
            choices.append(SelectChoice(row.area.slug, row.path))
    return choices


# --- the list, and a new area ---------------------------------------------------------------


def _render_list(form: NewAreaForm | None = None, status: int = 200):
    q = clean_plain(request.args.get("q", ""))[:100].lower()
    show_archived = request.args.get("archived") == "1"
    rows = tree.outline(current_locale(), include_archived=show_archived)
    if q:
        rows = [row for row in rows if q in row.area.slug or q in row.area.name_th.lower() or q in row.area.name_en.lower()]
    if form is None:
        form = NewAreaForm(formdata=None, parent=request.args.get("parent", ""))
    form.parent.choices = _parent_choices(None)
    return render_template("admin/areas.html", rows=rows, q=q, show_archived=show_archived, form=form,
                           counts=tree.tree_counts()), status


@bp.get("/admin/areas")
@admin_required
def areas():
    """Every area as a tree (search with ?q=, archived ones with ?archived=1), and the form for a new one."""
    return _render_list()


@bp.post("/admin/areas")
@admin_required
def create_area():
    """Create an area (its settings start at the defaults); then add its themes and rounds."""
    form = NewAreaForm()
    form.parent.choices = _parent_choices(None)
    if not form.validate():
        return _render_list(form, 400)
    try:
        area = manage.create_area(form.slug.data, manage.input_from(form.data), current_user,
                                  is_open=form.is_open.data)
    except ServiceError as error:
        _refused(form, error)
        return _render_list(form, error.status if error.status != 409 else 400)
    db.session.commit()
    flash(_("สร้างพื้นที่แล้ว เพิ่มโจทย์และรอบรับฟังความคิดเห็นได้ด้านล่าง"), "success")
    return redirect(url_for("admin.area_settings", slug=area.slug))


# --- one area -------------------------------------------------------------------------------


def _edit_form(area: Area, formdata=None) -> EditAreaForm:  # noqa: ANN001
    """The area's form filled from the area and its settings (what was typed wins on a POST)."""
    settings = settings_of(area)
    values = {name: getattr(settings, name) for name in SETTING_NAMES}
    values.update({name: getattr(area, name) for name in (
        "name_th", "name_en", "description_th", "description_en", "promise_th", "promise_en", "is_open")})
    values.update(moderation_mode=settings.moderation_mode.value, parent=area.parent.slug if area.parent else "",
                  iap2_level=area.iap2_level.value if area.iap2_level else "")
    form = EditAreaForm(formdata=formdata, **values)
    form.parent.choices = _parent_choices(area)
    return form


def _render_area(area: Area, status: int = 200, **forms):  # noqa: ANN003
    admin = current_user.is_admin
    schedule_now = rounds.area_rounds(area)
    new_round = forms.pop("round_form", None) or _round_form(area)
    context = {
        "area": area, "admin": admin, "schedule": schedule_now, "crumbs": tree.ancestors(area),
        "form": forms.pop("form", None) or (_edit_form(area) if admin else None),
        "archive_form": forms.pop("archive_form", None) or ArchiveForm(formdata=None),
        "theme_form": forms.pop("theme_form", None) or NewThemeForm(formdata=None),
        "rename_forms": {t.id: ThemeForm(formdata=None, obj=t, prefix=f"theme-{t.id}") for t in area.themes},
        "round_form": new_round, "button_form": EmptyForm(),
        "history": db.session.scalars(audit.entries_select(area_id=area.id).limit(15)).all() if admin else [],
        "children": tree.children(area), "counts": tree.tree_counts(),
    }
    context["rename_forms"].update(forms.pop("rename_forms", {}))
    return render_template("admin/area.html", **context), status


@bp.route("/admin/areas/<slug>", methods=["GET", "POST"])
@login_required
def area_settings(slug: str):
    """An area's page: details, promise and settings (admins); themes and rounds (admins, organisers)."""
    area = _organised_area_or_403(slug)
    if request.method == "GET":
        return _render_area(area)
    if not current_user.is_admin:
        abort(403)
    form = _edit_form(area, request.form)
    if not form.validate():
        return _render_area(area, 400, form=form)
    try:
        manage.update_area(area, manage.input_from(form.data), current_user)
        # A setting left out of the form (an older form, a script) keeps its value; the bounding box
        # is cleared by sending it empty.
        save_settings(area, current_user, **{name: getattr(form, name).data for name in SETTING_NAMES
                                             if getattr(form, name).data is not None or name == "bounding_box"
                                             and name in request.form})
        manage.set_open(area, form.is_open.data, current_user)
    except ServiceError as error:
        _refused(form, error)
        return _render_area(db.session.get(Area, area.id), 409 if error.status == 409 else 400, form=form)
    db.session.commit()
    flash(_("บันทึกการตั้งค่าพื้นที่แล้ว"), "success")
    return redirect(url_for("admin.area_settings", slug=area.slug))


def _state_change(slug: str, change, message: str):  # noqa: ANN001
    area = _area_or_404(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        change(area)
    except ServiceError as error:
        db.session.rollback()
        flash(service_message(error), "error")
        return redirect(url_for("admin.area_settings", slug=slug)), 303
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("admin.area_settings", slug=slug))


@bp.post("/admin/areas/<slug>/open")
@admin_required
def open_area(slug: str):
    """Open the area for new ideas."""
    return _state_change(slug, lambda area: manage.set_open(area, True, current_user), _("เปิดรับไอเดียแล้ว"))


@bp.post("/admin/areas/<slug>/close")
@admin_required
def close_area(slug: str):
    """Close the area to new ideas; what it has stays readable."""
    return _state_change(slug, lambda area: manage.set_open(area, False, current_user), _("ปิดรับไอเดียแล้ว"))


@bp.post("/admin/areas/<slug>/unarchive")
@admin_required
def unarchive_area(slug: str):
    """Take the area out of the archive (it comes back closed)."""
    return _state_change(slug, lambda area: manage.unarchive(area, current_user),
                         _("นำพื้นที่ออกจากการเก็บถาวรแล้ว พื้นที่ยังปิดรับไอเดียอยู่ เปิดเมื่อพร้อม"))


@bp.post("/admin/areas/<slug>/archive")
@admin_required
def archive_area(slug: str):
    """Archive the area: read-only everywhere, nothing deleted."""
    area = _area_or_404(slug)
    form = ArchiveForm()
    if not form.validate():
        return _render_area(area, 400, archive_form=form)
    manage.archive(area, current_user, form.reason.data or "")
    db.session.commit()
    flash(_("เก็บถาวรแล้ว พื้นที่นี้อ่านได้อย่างเดียว ข้อมูลทั้งหมดยังอยู่ครบ"), "success")
    return redirect(url_for("admin.area_settings", slug=area.slug))


# --- themes ---------------------------------------------------------------------------------


def _theme_or_404(area: Area, theme_id: int):  # noqa: ANN202
    return themes.theme_of(area, theme_id) or abort(404)


def _done(area: Area, message: str, anchor: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("admin.area_settings", slug=area.slug) + anchor)


@bp.post("/admin/areas/<slug>/themes")
@login_required
def add_theme(slug: str):
    """Add a theme (โจทย์) at the end of the list, open."""
    area = _organised_area_or_403(slug)
    form = NewThemeForm()
    if not form.validate():
        return _render_area(area, 400, theme_form=form)
    try:
        themes.add_theme(area, form.title_th.data, form.title_en.data, current_user, form.slug.data or "")
    except ServiceError as error:
        _refused(form, error)
        return _render_area(db.session.get(Area, area.id), 400 if error.status != 409 else 409, theme_form=form)
    return _done(area, _("เพิ่มโจทย์แล้ว"), "#themes")


@bp.post("/admin/areas/<slug>/themes/<int:theme_id>")
@login_required
def rename_theme(slug: str, theme_id: int):
    """Rename a theme in Thai and English (its slug stays)."""
    area = _organised_area_or_403(slug)
    theme = _theme_or_404(area, theme_id)
    form = ThemeForm(prefix=f"theme-{theme.id}")
    if not form.validate():
        return _render_area(area, 400, rename_forms={theme.id: form})
    try:
        themes.rename_theme(theme, form.title_th.data, form.title_en.data, current_user)
    except ServiceError as error:
        _refused(form, error)
        return _render_area(db.session.get(Area, area.id), 400, rename_forms={theme_id: form})
    return _done(area, _("บันทึกชื่อโจทย์แล้ว"), "#themes")


def _theme_action(slug: str, theme_id: int, action, message: str):  # noqa: ANN001
    area = _organised_area_or_403(slug)
    theme = _theme_or_404(area, theme_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        action(theme)
    except ServiceError as error:
        db.session.rollback()
        flash(service_message(error), "error")
        return redirect(url_for("admin.area_settings", slug=slug) + "#themes"), 303
    return _done(area, message, "#themes")


@bp.post("/admin/areas/<slug>/themes/<int:theme_id>/move")
@login_required
def move_theme(slug: str, theme_id: int):
    """Move a theme up or down the list (`direction=up|down`)."""
    step = -1 if request.form.get("direction") == "up" else 1
    return _theme_action(slug, theme_id, lambda theme: themes.move_theme(theme, step, current_user),
                         _("จัดลำดับโจทย์แล้ว"))


@bp.post("/admin/areas/<slug>/themes/<int:theme_id>/open")
@login_required
def open_theme(slug: str, theme_id: int):
    """Open a theme (its rounds still decide when it takes ideas)."""
    return _theme_action(slug, theme_id, lambda theme: themes.set_theme_open(theme, True, current_user),
                         _("เปิดโจทย์แล้ว"))


@bp.post("/admin/areas/<slug>/themes/<int:theme_id>/close")
@login_required
def close_theme(slug: str, theme_id: int):
    """Close a theme to new ideas; its ideas stay."""
    return _theme_action(slug, theme_id, lambda theme: themes.set_theme_open(theme, False, current_user),
                         _("ปิดโจทย์แล้ว"))


# --- rounds ---------------------------------------------------------------------------------


def _round_input(form: RoundForm) -> schedule.RoundInput:
    return schedule.RoundInput(
        title_th=form.title_th.data, title_en=form.title_en.data, opens_at=form.opens_at.data,
        closes_at=form.closes_at.data, theme_ids=list(form.theme_ids.data or []),
        description_th=form.description_th.data or "", description_en=form.description_en.data or "")


def _round_form(area: Area, round_=None, formdata=None) -> RoundForm:  # noqa: ANN001
    if round_ is not None and formdata is None:
        form = RoundForm(formdata=None, obj=round_, theme_ids=[theme.id for theme in round_.themes])
    else:
        form = RoundForm(formdata=formdata)
    form.theme_ids.choices = [(theme.id, theme.title(current_locale())) for theme in area.themes]
    return form


@bp.post("/admin/areas/<slug>/rounds")
@login_required
def add_round(slug: str):
    """Add a round: title, opening and closing (Bangkok time), its themes."""
    area = _organised_area_or_403(slug)
    form = _round_form(area, formdata=request.form)
    if not form.validate():
        return _render_area(area, 400, round_form=form)
    try:
        schedule.save_round(area, _round_input(form), current_user)
    except ServiceError as error:
        _refused(form, error)
        return _render_area(db.session.get(Area, area.id), 400, round_form=form)
    return _done(area, _("เพิ่มรอบรับฟังความคิดเห็นแล้ว"), "#rounds")


@bp.route("/admin/areas/<slug>/rounds/<int:round_id>", methods=["GET", "POST"])
@login_required
def edit_round(slug: str, round_id: int):
    """Change a round's title, dates or themes."""
    area = _organised_area_or_403(slug)
    round_ = schedule.round_of(area, round_id) or abort(404)
    if request.method == "GET":
        return render_template("admin/round.html", area=area, round=round_, form=_round_form(area, round_),
                               button_form=EmptyForm(), state=rounds.round_state(round_))
    form = _round_form(area, round_, formdata=request.form)
    error_status = 400
    if form.validate():
        try:
            schedule.save_round(area, _round_input(form), current_user, round_)
        except ServiceError as error:
            _refused(form, error)
            error_status = 409 if error.status == 409 else 400
        else:
            return _done(area, _("บันทึกรอบแล้ว"), "#rounds")
    round_ = db.session.get(type(round_), round_id)
    return render_template("admin/round.html", area=db.session.get(Area, area.id), round=round_, form=form,
                           button_form=EmptyForm(), state=rounds.round_state(round_)), error_status


@bp.post("/admin/areas/<slug>/rounds/<int:round_id>/delete")
@login_required
def delete_round(slug: str, round_id: int):
    """Delete a round that has not opened yet."""
    area = _organised_area_or_403(slug)
    round_ = schedule.round_of(area, round_id) or abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        schedule.delete_round(round_, current_user)
    except ServiceError as error:
        db.session.rollback()
        flash(service_message(error), "error")
        return redirect(url_for("admin.edit_round", slug=slug, round_id=round_id)), 303
    return _done(area, _("ลบรอบแล้ว"), "#rounds")
