"""Who may see, manage and score a shortlist.

Managing (ideas, order, notes, criteria, judges) needs the organiser role in EVERY area
of the shortlist, or admin. Judges see and score only the shortlists they judge.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, g
from flask_login import current_user

from idea4gov.auth.models import Role, User
from idea4gov.auth.permissions import area_ids_for, has_role
from idea4gov.extensions import db
from idea4gov.shortlists.models import Shortlist, ShortlistJudge


def can_manage(user: User | None, shortlist: Shortlist) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    area_ids = shortlist.area_ids
    return bool(area_ids) and all(has_role(user, Role.organiser, area_id) for area_id in area_ids)


def is_judge(user: User | None, shortlist: Shortlist) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return bool(db.session.scalar(sa.select(sa.exists().where(
        ShortlistJudge.shortlist_id == shortlist.id, ShortlistJudge.user_id == user.id))))


def can_view(user: User | None, shortlist: Shortlist) -> bool:
    return can_manage(user, shortlist) or is_judge(user, shortlist)


def judged_ids(user: User) -> set[int]:
    """The shortlists the user judges (read once per request; the page header may have read them)."""
    cache = g.setdefault("_judged_ids", {})
    if user.id not in cache:
        cache[user.id] = set(db.session.scalars(
            sa.select(ShortlistJudge.shortlist_id).where(ShortlistJudge.user_id == user.id,
                                                         ShortlistJudge.shortlist_id.is_not(None))))
    return cache[user.id]


def may_use_shortlists(user: User | None) -> bool:
    """Organisers (any area), admins and judges of at least one shortlist."""
    if user is None or not user.is_authenticated:
        return False
    ids = area_ids_for(user, Role.organiser)
    return ids is None or bool(ids) or bool(judged_ids(user))


def get_shortlist(shortlist_id: int, *, manage: bool = False) -> Shortlist:
    """The shortlist, or 404 when it does not exist and 403 when the current user may not (manage) it.

    People who neither organise nor judge anything get 403 before the lookup, so they cannot
    tell which shortlist numbers exist.
    """
    if not may_use_shortlists(current_user):
        abort(403)
    shortlist = db.get_or_404(Shortlist, shortlist_id)
    allowed = can_manage(current_user, shortlist) if manage else can_view(current_user, shortlist)
    if not allowed:
        abort(403)
    return shortlist
