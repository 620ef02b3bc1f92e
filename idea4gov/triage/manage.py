"""Agencies, their officers, routing rules and the deadline: officers read, admins change."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from idea4gov.areas.settings import save_settings, settings_of
from idea4gov.auth import services as auth_services
from idea4gov.extensions import db
from idea4gov.i18n import current_locale
from idea4gov.ideas.forms import EmptyForm
from idea4gov.ideas.services import ServiceError
from idea4gov.triage import bp
from idea4gov.triage.access import agency_for_officer, area_for_officer, require_admin
from idea4gov.triage.forms import AgencyForm, MemberForm, RuleForm, SettingsForm
from idea4gov.triage.messages import service_message
from idea4gov.triage.services import agencies as services


def _render_agencies(area, agency_form: AgencyForm | None = None, code: int = 200):
    return render_template("triage/agencies.html", area=area, agencies=services.agencies_of(area.id),
                           agency_form=agency_form or AgencyForm(formdata=None), locale=current_locale()), code


@bp.get("/<slug>/agencies")
@login_required
def agencies(slug: str):
    """The area's agencies and their officers."""
    return _render_agencies(area_for_officer(slug))


@bp.post("/<slug>/agencies")
@login_required
def create_agency(slug: str):
    """Add an agency to the area (admins)."""
    area = area_for_officer(slug)
    require_admin()
    form = AgencyForm()
    if not form.validate_on_submit():
        return _render_agencies(area, form, 400)
    try:
        agency = services.save_agency(area, current_user, form.name_th.data, form.name_en.data or "",
                                      form.email.data or "")
    except ServiceError as error:
        db.session.rollback()
        form.name_th.errors.append(service_message(error))
        return _render_agencies(area, form, 409)
    db.session.commit()
    flash(_l("เพิ่มหน่วยงานแล้ว"), "success")
    return redirect(url_for("triage.agency", agency_id=agency.id))


def _render_agency(agency, form: AgencyForm | None = None, member_form: MemberForm | None = None, code: int = 200):
    if form is None:
        form = AgencyForm(formdata=None, obj=agency)
    return render_template("triage/agency.html", agency=agency, area=agency.area, form=form,
                           member_form=member_form or MemberForm(formdata=None), button_form=EmptyForm(),
                           locale=current_locale()), code


@bp.route("/agencies/<int:agency_id>", methods=["GET", "POST"])
@login_required
def agency(agency_id: int):
    """One agency with its officers; admins rename it here."""
    agency = agency_for_officer(agency_id)
    if not current_user.is_admin:
        return _render_agency(agency)
    form = AgencyForm()
    if not form.is_submitted():
        return _render_agency(agency)
    if not form.validate():
        return _render_agency(agency, form, code=400)
    try:
        services.save_agency(agency.area, current_user, form.name_th.data, form.name_en.data or "",
                             form.email.data or "", agency=agency)
    except ServiceError as error:
        db.session.rollback()
        form.name_th.errors.append(service_message(error))
        return _render_agency(db.session.get(type(agency), agency_id), form, code=409)
    db.session.commit()
    flash(_l("บันทึกหน่วยงานแล้ว"), "success")
    return redirect(url_for("triage.agency", agency_id=agency.id))


@bp.post("/agencies/<int:agency_id>/members")
@login_required
def add_member(agency_id: int):
    """Attach an officer of the area to the agency (admins)."""
    agency = agency_for_officer(agency_id)
    require_admin()
    form = MemberForm()
    if not form.validate_on_submit():
        return _render_agency(agency, member_form=form, code=400)
    user = auth_services.find_by_email(form.email.data)
    try:
        if user is None:
            raise ServiceError("no_such_user", field="email")
        services.add_member(agency, user, current_user)
    except ServiceError as error:
        db.session.rollback()
        form.email.errors.append(service_message(error))
        return _render_agency(agency, member_form=form, code=400)
    db.session.commit()
    flash(_l("เพิ่มเจ้าหน้าที่ในหน่วยงานแล้ว"), "success")
    return redirect(url_for("triage.agency", agency_id=agency.id))


@bp.post("/agencies/<int:agency_id>/members/<int:user_id>/remove")
@login_required
def remove_member(agency_id: int, user_id: int):
    """Detach an officer from the agency (admins)."""
    agency = agency_for_officer(agency_id)
    require_admin()
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("triage.agency", agency_id=agency.id)), 303
    services.remove_member(agency, user_id, current_user)
    db.session.commit()
    flash(_l("นำเจ้าหน้าที่ออกจากหน่วยงานแล้ว"), "success")
    return redirect(url_for("triage.agency", agency_id=agency.id))


def _rule_form(area, formdata: bool = True) -> RuleForm:
    form = RuleForm() if formdata else RuleForm(formdata=None)
    form.theme_id.choices = [(theme.id, theme.title(current_locale())) for theme in area.themes]
    form.agency_id.choices = [(0, _("— ไม่ส่งต่ออัตโนมัติ —"))] + [
        (agency.id, agency.name(current_locale())) for agency in services.agencies_of(area.id)]
    return form


def _render_settings(area, form: SettingsForm | None = None, rule_form: RuleForm | None = None, code: int = 200):
    if form is None:
        form = SettingsForm(formdata=None, days_to_first_answer=settings_of(area).days_to_first_answer)
    return render_template("triage/settings.html", area=area, form=form,
                           rule_form=rule_form or _rule_form(area, formdata=False),
                           rules=services.rules_of(area.id), locale=current_locale()), code


@bp.route("/<slug>/settings", methods=["GET", "POST"])
@login_required
def settings(slug: str):
    """Days to first answer and theme → agency rules (admins change them)."""
    area = area_for_officer(slug)
    require_admin()
    form = SettingsForm()
    if not form.is_submitted():
        return _render_settings(area)
    if not form.validate():
        return _render_settings(area, form, code=400)
    try:
        save_settings(area, current_user, days_to_first_answer=form.days_to_first_answer.data)
    except ServiceError as error:
        db.session.rollback()
        flash(service_message(error), "error")
        return redirect(url_for("triage.settings", slug=area.slug)), 303
    db.session.commit()
    flash(_l("บันทึกการตั้งค่าแล้ว"), "success")
    return redirect(url_for("triage.settings", slug=area.slug))


@bp.post("/<slug>/rules")
@login_required
def save_rule(slug: str):
    """Route new ideas of a theme to an agency as they are published (admins)."""
    area = area_for_officer(slug)
    require_admin()
    form = _rule_form(area)
    if not form.validate_on_submit():
        return _render_settings(area, rule_form=form, code=400)
    theme = next(theme for theme in area.themes if theme.id == form.theme_id.data)
    agency = next((a for a in services.agencies_of(area.id) if a.id == form.agency_id.data), None)
    services.set_rule(area, theme, agency, current_user)
    db.session.commit()
    flash(_l("บันทึกกฎการส่งต่อแล้ว"), "success")
    return redirect(url_for("triage.settings", slug=area.slug))
