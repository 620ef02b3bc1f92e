"""What the header shows the signed-in person: unread notifications and their staff pages."""
from __future__ import annotations

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from idea4gov.auth.models import Role
from idea4gov.auth.permissions import is_staff

#: (endpoint, role needed, label); a link shows once its feature is registered.
STAFF_LINKS = (
    ("moderation.queue", Role.moderator, _l("คิวตรวจสอบเนื้อหา")),
    ("triage.index", Role.officer, _l("งานเจ้าหน้าที่")),
    ("shortlists.index", Role.organiser, _l("รายการคัดเลือก")),
    ("eventadmin.index", Role.organiser, _l("จัดการกิจกรรม")),
    ("programme.index", Role.programme_viewer, _l("ผลการดำเนินงาน")),
    ("admin.index", Role.admin, _l("ผู้ดูแลระบบ")),
)


def staff_links() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    links = []
    for endpoint, role, label in STAFF_LINKS:
        if endpoint not in current_app.view_functions:
            continue
        if endpoint == "shortlists.index":
            # Judges who organise nothing still score their shortlists.
            from idea4gov.shortlists.access import may_use_shortlists

            allowed = may_use_shortlists(current_user)
        elif endpoint == "eventadmin.index":
            # Judges of an event and officers (outcomes) use the event pages too.
            from idea4gov.events.access import may_use_event_pages

            allowed = may_use_event_pages(current_user)
        elif role == Role.programme_viewer:
            allowed = current_user.may_view_programme
        else:
            allowed = current_user.is_admin if role == Role.admin else is_staff(current_user, role)
        if allowed:
            links.append((endpoint, str(label)))
    return links


def unread_notifications() -> int:
    from idea4gov.notifications.services import unread_count

    return unread_count(current_user.id) if current_user.is_authenticated else 0


def init_app(app: Flask) -> None:
    @app.context_processor
    def inject_nav() -> dict:
        return {"staff_links": staff_links, "unread_notifications": unread_notifications}
