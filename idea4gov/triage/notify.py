"""Telling an idea's author and supporters what happened: in-app, and by e-mail (Thai first, English below)."""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.ideas.labels import STATUS_LABELS
from idea4gov.ideas.models import Idea, IdeaStatus, Vote
from idea4gov.links import base_url
from idea4gov.mail import services as mail_prefs
from idea4gov.mail.sender import Mail, queue
from idea4gov.mail.tokens import unsubscribe_url
from idea4gov.notifications.services import notify

#: Thai and English status names for e-mails (not tied to the request's locale).
STATUS_TH_EN = {
    IdeaStatus.received: ("ได้รับแล้ว", "Received"),
    IdeaStatus.under_review: ("กำลังพิจารณา", "Under review"),
    IdeaStatus.accepted: ("รับไปดำเนินการ", "Accepted"),
    IdeaStatus.in_progress: ("กำลังดำเนินการ", "In progress"),
    IdeaStatus.implemented: ("ดำเนินการแล้ว", "Implemented"),
    IdeaStatus.declined: ("ไม่รับดำเนินการ", "Declined"),
    IdeaStatus.duplicate: ("ซ้ำกับไอเดียอื่น", "Duplicate"),
}
assert set(STATUS_TH_EN) == set(STATUS_LABELS)


def followers(idea_ids: list[int]) -> set[int]:
    """Authors and supporters of these ideas (one query each)."""
    ids = set(db.session.scalars(sa.select(Idea.author_id).where(Idea.id.in_(idea_ids), Idea.author_id.is_not(None))))
    ids |= set(db.session.scalars(sa.select(Vote.user_id).where(Vote.idea_id.in_(idea_ids))))
    return ids


def idea_url(idea_id: int) -> str:
    return f"{base_url()}/ideas/{idea_id}"


def _footer(user_id: int) -> str:
    url = unsubscribe_url(user_id)
    return (f"\n\n--\nไม่ต้องการรับอีเมลนี้อีก: {url}\n"
            f"To stop these e-mails: {url}\n")


def mail_people(user_ids: set[int], subject_th: str, subject_en: str, body_th: str, body_en: str) -> int:
    """Queue one e-mail per person (who has not opted out), sent after commit."""
    wanted = set(user_ids) - mail_prefs.opted_out(user_ids)
    if not wanted:
        return 0
    users = db.session.scalars(sa.select(User).where(User.id.in_(wanted), User.deleted_at.is_(None)))
    count = 0
    for user in users:
        queue(db.session, Mail(
            to=user.email,
            subject=f"{subject_th} / {subject_en}",
            body=f"{body_th}\n\n----- English -----\n\n{body_en}{_footer(user.id)}",
            unsubscribe_url=unsubscribe_url(user.id),
        ))
        count += 1
    return count


def status_changed(idea: Idea, before: IdeaStatus, answer: str) -> int:
    """Notify author and supporters of a new status with its answer."""
    people = followers([idea.id])
    th, en = STATUS_TH_EN[idea.status]
    notify(people, "idea_status", idea_id=idea.id, reason=answer,
           data={"title": idea.title, "status": th, "status_en": en, "status_key": idea.status.value})
    answer_th = f"\n\nคำตอบจากหน่วยงาน:\n{answer}" if answer else ""
    answer_en = f"\n\nThe agency's answer:\n{answer}" if answer else ""
    mail_people(
        people,
        f"ไอเดีย “{idea.title}”: {th}", f"Idea “{idea.title}”: {en}",
        f"ไอเดีย “{idea.title}” ที่คุณติดตามเปลี่ยนสถานะเป็น “{th}”{answer_th}\n\nอ่านต่อ: {idea_url(idea.id)}",
        f"The idea “{idea.title}” you follow is now “{en}”.{answer_en}\n\nRead more: {idea_url(idea.id)}",
    )
    return len(people)


def merged(source: Idea, target: Idea, people: set[int]) -> None:
    data = {"title": source.title, "target_title": target.title, "target_id": target.id}
    notify(people, "idea_merged", idea_id=source.id, data=data)
    mail_people(
        people,
        f"ไอเดีย “{source.title}” ถูกรวมกับไอเดียที่ซ้ำกัน", f"Idea “{source.title}” merged with a duplicate",
        f"ไอเดีย “{source.title}” ซ้ำกับไอเดีย “{target.title}” เจ้าหน้าที่จึงรวมไว้ด้วยกัน "
        f"การสนับสนุนของคุณย้ายไปที่ไอเดียนั้นแล้ว (นับครั้งเดียว)\n\nติดตามต่อที่: {idea_url(target.id)}",
        f"The idea “{source.title}” says the same as “{target.title}”, so an officer merged them. "
        f"Your support now counts for that idea (once).\n\nFollow it here: {idea_url(target.id)}",
    )


def unmerged(source: Idea, target: Idea, people: set[int]) -> None:
    data = {"title": source.title, "target_title": target.title, "target_id": target.id}
    notify(people, "idea_unmerged", idea_id=source.id, data=data)
    mail_people(
        people,
        f"ไอเดีย “{source.title}” แยกออกมาอีกครั้ง", f"Idea “{source.title}” is separate again",
        f"เจ้าหน้าที่ยกเลิกการรวมไอเดีย “{source.title}” กับ “{target.title}” "
        f"การสนับสนุนกลับไปเหมือนเดิมแล้ว\n\n{idea_url(source.id)}",
        f"An officer undid the merge of “{source.title}” into “{target.title}”; "
        f"support is back as it was.\n\n{idea_url(source.id)}",
    )
