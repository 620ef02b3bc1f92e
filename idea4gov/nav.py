"""What the header shows the signed-in person: unread notifications and their staff pages."""
from __future__ import annotations

import functools

import sqlalchemy as sa
from flask import Flask, current_app, g
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from idea4gov.auth.models import GLOBAL_ROLES, Role
from idea4gov.auth.permissions import is_staff, remember_roles
from idea4gov.extensions import db

#: (endpoint, role needed, label); a link shows once its feature is registered.
STAFF_LINKS = (
    ("moderation.queue", Role.moderator, _l("คิวตรวจสอบเนื้อหา")),
    ("triage.index", Role.officer, _l("งานเจ้าหน้าที่")),
    ("shortlists.index", Role.organiser, _l("รายการคัดเลือก")),
    ("eventadmin.index", Role.organiser, _l("จัดการกิจกรรม")),
    ("programme.index", Role.programme_viewer, _l("ผลการดำเนินงาน")),
    ("admin.index", Role.admin, _l("ผู้ดูแลระบบ")),
)


def header_columns() -> list:
    """What the header needs, as columns of the signed-in account's own statement (one round trip for
    both on every signed-in page): unread notifications, "area:role" staff roles, "s<id>"/"e<id>" judged
    shortlists and events."""
    from idea4gov.auth.models import StaffRole, User
    from idea4gov.notifications.models import Notification
    from idea4gov.shortlists.models import ShortlistJudge

    def text(column):  # noqa: ANN001, ANN202
        return sa.cast(column, sa.String)

    judge = ShortlistJudge
    return [
        sa.select(sa.func.count()).where(Notification.user_id == User.id, Notification.read_at.is_(None))
        .scalar_subquery().label("header_unread"),
        sa.select(sa.func.aggregate_strings(text(StaffRole.area_id) + ":" + text(StaffRole.role), ","))
        .where(StaffRole.user_id == User.id).scalar_subquery().label("header_roles"),
        sa.select(sa.func.aggregate_strings(sa.case((judge.shortlist_id.is_(None), "e" + text(judge.event_id)),
                                                    else_="s" + text(judge.shortlist_id)), ","))
        .where(judge.user_id == User.id).scalar_subquery().label("header_judged"),
    ]


def receive_header(user, row) -> None:  # noqa: ANN001
    """The header's columns read with the account (`header_columns`), kept for this request."""
    roles = [item.split(":", 1) for item in (row["header_roles"] or "").split(",") if item]
    judged = [item for item in (row["header_judged"] or "").split(",") if item]
    shortlists = {int(item[1:]) for item in judged if item[0] == "s"}
    events = {int(item[1:]) for item in judged if item[0] == "e"}
    remember_roles(user, [(int(area_id), role) for area_id, role in roles])
    g.setdefault("_judged_ids", {})[user.id] = shortlists
    g.setdefault("_judged_event_ids", {})[user.id] = events
    g._header = {"unread": row["header_unread"] or 0, "staff_or_judge": bool(roles or shortlists or events)}


def load_header() -> dict:
    """What the header needs of the signed-in person: unread notifications, staff roles, judged
    shortlists and events (the latter three also prime the permission checks' per-request caches)."""
    header = g.get("_header")
    if header is not None:
        return header
    # Its account was not read this request (`header_columns` usually come with it): the same columns alone.
    receive_header(current_user, db.session.execute(_header_by_id(), {"user_id": current_user.id}).one()._mapping)
    return g._header


@functools.cache
def _header_by_id() -> sa.Select:
    """`header_columns` for one account by id, built once (building it cost more than running it)."""
    from idea4gov.auth.models import User

    return sa.select(*header_columns()).where(User.id == sa.bindparam("user_id"))


def staff_links() -> list[tuple[str, str]]:
    user = current_user._get_current_object()  # read once: each read through the proxy looks it up again
    if not user.is_authenticated:
        return []
    if not load_header()["staff_or_judge"] and user.role not in GLOBAL_ROLES:
        return []  # most signed-in people: no staff role, nothing to judge, no programme to view
    links = []
    for endpoint, role, label in STAFF_LINKS:
        if endpoint not in current_app.view_functions:
            continue
        if endpoint == "shortlists.index":
            # Judges who organise nothing still score their shortlists.
            from idea4gov.shortlists.access import may_use_shortlists

            allowed = may_use_shortlists(user)
        elif endpoint == "eventadmin.index":
            # Judges of an event and officers (outcomes) use the event pages too.
            from idea4gov.events.access import may_use_event_pages

            allowed = may_use_event_pages(user)
        elif role == Role.programme_viewer:
            allowed = user.may_view_programme
        else:
            allowed = user.is_admin if role == Role.admin else is_staff(user, role)
        if allowed:
            links.append((endpoint, str(label)))
    return links


def unread_notifications() -> int:
    return load_header()["unread"] if current_user.is_authenticated else 0


def init_app(app: Flask) -> None:
    from idea4gov.auth.sessions import read_with_account

    read_with_account(header_columns, receive_header)

    @app.context_processor
    def inject_nav() -> dict:
        return {"staff_links": staff_links, "unread_notifications": unread_notifications}
