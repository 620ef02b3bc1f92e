"""Agencies of an area, their officers and routing rules (the deadline is an area setting)."""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.areas.models import Area, Theme
from idea4gov.audit import services as audit
from idea4gov.auth.models import Role, StaffRole, User
from idea4gov.extensions import db
from idea4gov.ideas.services import ServiceError
from idea4gov.text import clean_plain
from idea4gov.triage.models import Agency, AgencyMember, RoutingRule


def agencies_of(area_id: int) -> list[Agency]:
    return list(db.session.scalars(sa.select(Agency).where(Agency.area_id == area_id).order_by(Agency.name_th)))


def save_agency(area: Area, actor: User, name_th: str, name_en: str, email: str,
                agency: Agency | None = None) -> Agency:
    """Create an agency, or rename one; a Thai name is unique within the area."""
    name_th = clean_plain(name_th)
    clash = db.session.scalar(sa.select(Agency.id).where(Agency.area_id == area.id, Agency.name_th == name_th))
    if clash is not None and (agency is None or clash != agency.id):
        raise ServiceError("agency_exists", field="name_th", status=409)
    created = agency is None
    if agency is None:
        agency = Agency(area_id=area.id)
        db.session.add(agency)
    before = agency.name_th if not created else ""
    agency.name_th, agency.name_en, agency.email = name_th, clean_plain(name_en), (email or "").strip().lower()
    db.session.flush()
    audit.record(actor, "create_agency" if created else "edit_agency", "agency", agency.id, area_id=area.id,
                 before=before[:40], after=name_th[:40])
    return agency


def officer_ids(area_id: int) -> set[int]:
    return set(db.session.scalars(sa.select(StaffRole.user_id).where(
        StaffRole.area_id == area_id, StaffRole.role == Role.officer)))


def add_member(agency: Agency, user: User, actor: User) -> bool:
    """Attach an officer of the agency's area; False when already a member."""
    if user.id not in officer_ids(agency.area_id):
        raise ServiceError("not_an_officer", field="email")
    exists = db.session.scalar(sa.select(AgencyMember.id).where(
        AgencyMember.agency_id == agency.id, AgencyMember.user_id == user.id))
    if exists:
        return False
    db.session.add(AgencyMember(agency_id=agency.id, user_id=user.id))
    audit.record(actor, "add_agency_member", "agency", agency.id, area_id=agency.area_id, after=user.id)
    db.session.flush()
    return True


def remove_member(agency: Agency, user_id: int, actor: User) -> bool:
    result = db.session.execute(sa.delete(AgencyMember).where(
        AgencyMember.agency_id == agency.id, AgencyMember.user_id == user_id))
    if result.rowcount:
        audit.record(actor, "remove_agency_member", "agency", agency.id, area_id=agency.area_id, before=user_id)
    return bool(result.rowcount)


def agencies_of_user(user: User) -> list[Agency]:
    return list(db.session.scalars(sa.select(Agency).join(AgencyMember).where(AgencyMember.user_id == user.id)))


def rules_of(area_id: int) -> list[RoutingRule]:
    return list(db.session.scalars(
        sa.select(RoutingRule).join(Theme, Theme.id == RoutingRule.theme_id).where(Theme.area_id == area_id)
        .order_by(Theme.position)))


def set_rule(area: Area, theme: Theme, agency: Agency | None, actor: User) -> None:
    """Route new ideas of `theme` to `agency` (None removes the rule)."""
    if theme.area_id != area.id or (agency is not None and agency.area_id != area.id):
        raise ServiceError("wrong_area", status=404)
    rule = db.session.scalar(sa.select(RoutingRule).where(RoutingRule.theme_id == theme.id))
    before = rule.agency_id if rule else None
    if agency is None:
        if rule is not None:
            db.session.delete(rule)
    elif rule is None:
        db.session.add(RoutingRule(theme_id=theme.id, agency_id=agency.id))
    else:
        rule.agency_id = agency.id
    audit.record(actor, "routing_rule", "theme", theme.id, area_id=area.id, before=before,
                 after=agency.id if agency else None)
    db.session.flush()
