"""Who may do what where: staff roles are per area, admins may do everything.

Every staff view checks here, on the server, for the object it touches:
`require_role(Role.moderator, idea.area_id)` aborts with 403 otherwise.
"""
from __future__ import annotations

import functools

import sqlalchemy as sa
from flask import abort, g, has_request_context
from flask_login import current_user, login_required
from werkzeug.local import LocalProxy

from idea4gov.auth.models import STAFF_ROLES, Role, StaffRole, User
from idea4gov.extensions import db


def _roles_by_area(user: User) -> dict[int, set[Role]]:
    """{area_id: {roles}} for the user, read once per request."""
    cache = g.setdefault("_staff_roles", {})
    if user.id not in cache and has_request_context() and current_user.is_authenticated and current_user.id == user.id:
        # The page header reads them anyway, with the notifications, in one query.
        from idea4gov.nav import load_header

        load_header()
    if user.id not in cache:
        rows = db.session.execute(sa.select(StaffRole.area_id, StaffRole.role).where(StaffRole.user_id == user.id))
        by_area: dict[int, set[Role]] = {}
        for area_id, role in rows:
            by_area.setdefault(area_id, set()).add(role)
        cache[user.id] = by_area
    return cache[user.id]


def remember_roles(user: User, rows) -> None:  # noqa: ANN001
    """Fill the per-request cache from (area_id, role) rows read elsewhere (the page header)."""
    by_area: dict[int, set[Role]] = {}
    for area_id, role in rows:
        by_area.setdefault(area_id, set()).add(role if isinstance(role, Role) else Role(role))
    g.setdefault("_staff_roles", {})[user.id] = by_area


def forget_roles() -> None:
    """Drop the per-request cache after roles change."""
    g.pop("_staff_roles", None)


def _unproxied(user):  # noqa: ANN001, ANN202
    """`current_user` itself: each attribute read through Flask-Login's proxy looks the user up again
    (a permission check read it some eight times, four times its own cost)."""
    return user._get_current_object() if isinstance(user, LocalProxy) else user


def has_role(user: User | None, role: Role, area_id: int) -> bool:
    """True when the user holds `role` in the area, or is an admin."""
    user = _unproxied(user)
    if user is None or not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    return role in _roles_by_area(user).get(area_id, set())


def area_ids_for(user: User | None, role: Role) -> set[int] | None:
    """Areas where the user holds `role`; None means every area (admin)."""
    user = _unproxied(user)
    if user is None or not user.is_authenticated:
        return set()
    if user.is_admin:
        return None
    return {area_id for area_id, roles in _roles_by_area(user).items() if role in roles}


def is_staff(user: User | None, role: Role) -> bool:
    """True when the user holds `role` somewhere (or is an admin)."""
    ids = area_ids_for(user, role)
    return ids is None or bool(ids)


def staff_roles_of(user: User | None) -> set[Role]:
    """The staff roles a user holds in any area (all of them for an admin)."""
    if user is None or not user.is_authenticated:
        return set()
    if user.is_admin:
        return set(STAFF_ROLES) | {Role.admin}
    return set().union(*_roles_by_area(user).values()) if _roles_by_area(user) else set()


def require_role(role: Role, area_id: int) -> None:
    """Abort with 403 unless the current user holds `role` in this area."""
    if not has_role(current_user, role, area_id):
        abort(403)


def staff_required(role: Role):
    """A view for people holding `role` in at least one area (or admins); others get 403."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not is_staff(current_user, role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def admin_required(view):
    """A view for admins only."""

    @functools.wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def programme_required(view):
    """A view for admins and programme viewers (results across areas, read only)."""

    @functools.wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.may_view_programme:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
