"""Granting and revoking staff roles, and blocking users; every change is audited.

A role change ends every session of the account (a copied cookie must not gain the new role);
the admin page keeps the acting admin's own browser signed in when they change their own roles."""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.areas.models import Area
from idea4gov.audit import services as audit
from idea4gov.auth.models import GLOBAL_ROLES, STAFF_ROLES, Role, StaffRole, User
from idea4gov.auth.permissions import forget_roles
from idea4gov.auth.sessions import end_everywhere
from idea4gov.extensions import db
from idea4gov.text import clean_plain
from idea4gov.timeutil import utcnow


class RoleError(ValueError):
    """A role change that makes no sense (e.g. a moderator without an area)."""


def _grant_global(user: User, role: Role, by: User | None) -> bool:
    """Admin and programme viewer are held by `User.role`; an admin already sees the programme."""
    if user.role == role or (role == Role.programme_viewer and user.role == Role.admin):
        return False
    before, user.role = user.role, role
    audit.record(by, "grant_role", "user", user.id, before=before, after=role, reason=role.value)
    forget_roles()
    end_everywhere(user)
    return True


def grant(user: User, role: Role, area: Area | None, by: User | None = None) -> bool:
    """Give `user` the role (in `area` for staff roles); False when they already had it."""
    if role in GLOBAL_ROLES:
        if area is not None:
            raise RoleError(f"the {role.value} role is global: no area")
        return _grant_global(user, role, by)
    if role not in STAFF_ROLES:
        raise RoleError("a resident role is not granted; every account has it")
    if area is None:
        raise RoleError("a staff role needs an area")
    exists = db.session.scalar(sa.select(StaffRole.id).where(
        StaffRole.user_id == user.id, StaffRole.area_id == area.id, StaffRole.role == role))
    if exists:
        return False
    db.session.add(StaffRole(user_id=user.id, area_id=area.id, role=role,
                             granted_by_id=by.id if by is not None and by.is_authenticated else None))
    audit.record(by, "grant_role", "user", user.id, area_id=area.id, after=role, reason=area.slug)
    db.session.flush()
    forget_roles()
    end_everywhere(user)
    return True


def revoke(user: User, role: Role, area: Area | None, by: User | None = None) -> bool:
    """Take the role away; False when they did not have it."""
    if role in GLOBAL_ROLES:
        if user.role != role:
            return False
        user.role = Role.resident
        audit.record(by, "revoke_role", "user", user.id, before=role, after=Role.resident, reason=role.value)
        forget_roles()
        end_everywhere(user)
        return True
    if area is None:
        raise RoleError("a staff role needs an area")
    result = db.session.execute(sa.delete(StaffRole).where(
        StaffRole.user_id == user.id, StaffRole.area_id == area.id, StaffRole.role == role))
    if result.rowcount:
        audit.record(by, "revoke_role", "user", user.id, area_id=area.id, before=role, reason=area.slug)
        forget_roles()
        end_everywhere(user)
    return bool(result.rowcount)


def roles_of(user: User) -> list[StaffRole]:
    return list(db.session.scalars(
        sa.select(StaffRole).where(StaffRole.user_id == user.id).order_by(StaffRole.area_id, StaffRole.role)))


def block(user: User, reason: str, by: User | None) -> bool:
    """Stop a user from posting, commenting, voting and reporting; they can still read."""
    if user.blocked_at is not None:
        return False
    user.blocked_at = utcnow()
    user.blocked_reason = clean_plain(reason)
    audit.record(by, "block", "user", user.id, before="active", after="blocked", reason=user.blocked_reason)
    return True


def unblock(user: User, by: User | None, reason: str = "") -> bool:
    if user.blocked_at is None:
        return False
    user.blocked_at = None
    user.blocked_reason = ""
    audit.record(by, "unblock", "user", user.id, before="blocked", after="active", reason=reason)
    return True
