"""The overdue digest `flask triage remind` sends to each agency."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from idea4gov.areas.models import Area
from idea4gov.auth.models import Role, StaffRole, User
from idea4gov.deadlines.services import days_for
from idea4gov.extensions import db
from idea4gov.i18n import current_locale
from idea4gov.mail.sender import Mail, queue
from idea4gov.timeutil import format_date
from idea4gov.triage.models import Agency, AgencyMember
from idea4gov.triage.notify import idea_url, render_for
from idea4gov.triage.services.board import overdue_by_agency


def _recipients(agency: Agency) -> dict[str, str | None]:
    """E-mail address -> language of the agency's officers, and its own address (no language)."""
    rows = db.session.execute(sa.select(User.email, User.preferred_locale).join(
        AgencyMember, AgencyMember.user_id == User.id).where(AgencyMember.agency_id == agency.id,
                                                             User.deleted_at.is_(None)))
    recipients = dict(rows.all())
    if agency.email and agency.email not in recipients:
        recipients[agency.email] = None
    return recipients


def _area_officers(area: Area) -> dict[str, str | None]:
    return dict(db.session.execute(sa.select(User.email, User.preferred_locale).join(
        StaffRole, StaffRole.user_id == User.id).where(
        StaffRole.area_id == area.id, StaffRole.role == Role.officer, User.deleted_at.is_(None))).all())


def send_digests(area: Area) -> dict[str, int]:
    """Queue one digest per agency of the area with overdue ideas, and one to the area's officers
    for overdue ideas nobody routed yet, each in its recipient's language; sent when the caller commits."""
    days = days_for(area.id)
    counts = {"agencies": 0, "ideas": 0, "mails": 0}
    by_agency = overdue_by_agency(area.id)
    for agency_id, ideas in by_agency.items():
        agency = db.session.get(Agency, agency_id) if agency_id is not None else None
        recipients = _recipients(agency) if agency else _area_officers(area)
        if agency:
            counts["agencies"] += 1

        def render(agency: Agency | None = agency, ideas: list = ideas) -> tuple[str, str]:
            locale = current_locale()
            name = agency.name(locale) if agency else _("ยังไม่ส่งต่อหน่วยงาน")
            lines = "\n".join(
                "- " + _("%(title)s (โพสต์ %(date)s, %(n)d ผู้สนับสนุน) %(url)s", title=idea.title,
                         date=format_date(idea.created_at, locale), n=idea.vote_count, url=idea_url(idea.id))
                for idea in ideas)
            body = _("%(name)s: มีไอเดีย %(n)d เรื่องในพื้นที่ %(area)s ที่ยังไม่ได้ตอบเป็นลายลักษณ์อักษรเกินกำหนด %(days)d วันทำการ",
                     name=name, n=len(ideas), area=area.name(locale), days=days)
            return _("ไอเดียเกินกำหนดตอบ %(n)d เรื่อง", n=len(ideas)), f"{body}\n\n{lines}\n"

        for email, locale in sorted(recipients.items()):
            subject, body = render_for(locale, render)
            queue(db.session, Mail(to=email, subject=subject, body=body))
        counts["ideas"] += len(ideas)
        counts["mails"] += len(recipients)
    return counts
