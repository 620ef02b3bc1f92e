"""The overdue digest `flask triage remind` sends to each agency."""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.areas.models import Area
from idea4gov.areas.settings import settings_of
from idea4gov.auth.models import Role, StaffRole, User
from idea4gov.deadlines.services import days_for
from idea4gov.extensions import db
from idea4gov.mail.sender import Mail, queue
from idea4gov.timeutil import format_date
from idea4gov.triage.models import Agency, AgencyMember
from idea4gov.triage.notify import idea_url
from idea4gov.triage.services.board import overdue_by_agency


def _recipients(agency: Agency) -> list[str]:
    emails = set(db.session.scalars(sa.select(User.email).join(AgencyMember, AgencyMember.user_id == User.id).where(
        AgencyMember.agency_id == agency.id, User.deleted_at.is_(None))))
    if agency.email:
        emails.add(agency.email)
    return sorted(emails)


def _area_officers(area: Area) -> list[str]:
    return sorted(set(db.session.scalars(sa.select(User.email).join(StaffRole, StaffRole.user_id == User.id).where(
        StaffRole.area_id == area.id, StaffRole.role == Role.officer, User.deleted_at.is_(None)))))


def send_digests(area: Area) -> dict[str, int]:
    """Queue one digest per agency of the area with overdue ideas, and one to the area's officers
    for overdue ideas nobody routed yet; sent when the caller commits."""
    days = days_for(area.id)
    counts = {"agencies": 0, "ideas": 0, "mails": 0}
    by_agency = overdue_by_agency(area.id)
    for agency_id, ideas in by_agency.items():
        if agency_id is None:
            name_th, name_en, recipients = "ยังไม่ส่งต่อหน่วยงาน", "Not yet routed", _area_officers(area)
        else:
            agency = db.session.get(Agency, agency_id)
            name_th, name_en, recipients = agency.name_th, agency.name_en or agency.name_th, _recipients(agency)
            counts["agencies"] += 1
        lines_th = "\n".join(f"- {idea.title} (โพสต์ {format_date(idea.created_at, 'th')}, "
                             f"{idea.vote_count} ผู้สนับสนุน) {idea_url(idea.id)}" for idea in ideas)
        lines_en = "\n".join(f"- {idea.title} (posted {format_date(idea.created_at, 'en')}, "
                             f"{idea.vote_count} supporters) {idea_url(idea.id)}" for idea in ideas)
        body = (f"{name_th}: มีไอเดีย {len(ideas)} เรื่องในพื้นที่ {area.name_th} ที่ยังไม่ได้ตอบเป็นลายลักษณ์อักษรเกินกำหนด {days} วันทำการ\n\n"
                f"{lines_th}\n\n----- English -----\n\n"
                f"{name_en}: {len(ideas)} ideas in {area.name_en or area.name_th} "
                f"have had no written answer within {days} working days.\n\n{lines_en}\n")
        for email in recipients:
            queue(db.session, Mail(to=email, subject=f"ไอเดียเกินกำหนดตอบ {len(ideas)} เรื่อง / "
                                                    f"{len(ideas)} overdue ideas", body=body))
        counts["ideas"] += len(ideas)
        counts["mails"] += len(recipients)
    return counts
