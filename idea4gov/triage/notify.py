"""Telling an idea's author and supporters what happened: in-app, by e-mail and on LINE (for those
who asked for that kind of notice), in each person's language (Thai first, English below, for those
who never chose one)."""
from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.ideas.labels import STATUS_LABELS, status_label
from idea4gov.ideas.models import Idea, IdeaStatus, Vote
from idea4gov.line import services as line_notices
from idea4gov.line.models import NoticeKind
from idea4gov.links import base_url
from idea4gov.mail import services as mail_prefs
from idea4gov.mail.sender import Mail, queue
from idea4gov.mail.tokens import unsubscribe_url
from idea4gov.notifications.services import notify

#: Thai and English status names stored with in-app notifications (not tied to a locale).
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


#: Renders one e-mail (subject, body) in the locale in force when it is called.
Render = Callable[[], tuple[str, str]]


def render_for(locale: str | None, render: Render) -> tuple[str, str]:
    """The e-mail in the recipient's language when they chose one (`users.preferred_locale`),
    otherwise Thai first with the English below."""
    languages = current_app.config["LANGUAGES"]
    if locale in languages:
        with force_locale(locale):
            return render()
    with force_locale("th"):
        subject_th, body_th = render()
    with force_locale("en"):
        subject_en, body_en = render()
    return f"{subject_th} / {subject_en}", f"{body_th}\n\n----- English -----\n\n{body_en}"


def _footer(user_id: int, locale: str | None) -> str:
    url = unsubscribe_url(user_id)
    chosen = [locale] if locale in current_app.config["LANGUAGES"] else ["th", "en"]
    lines = []
    for language in chosen:
        with force_locale(language):
            lines.append(_("ไม่ต้องการรับอีเมลนี้อีก: %(url)s", url=url))
    return "\n\n--\n" + "\n".join(lines) + "\n"


def mail_people(user_ids: set[int], render: Render) -> int:
    """Queue one e-mail per person (who has not opted out), each rendered in their language;
    sent after commit."""
    wanted = set(user_ids) - mail_prefs.opted_out(user_ids)
    if not wanted:
        return 0
    users = db.session.scalars(sa.select(User).where(User.id.in_(wanted), User.deleted_at.is_(None)))
    rendered: dict[str | None, tuple[str, str]] = {}  # one rendering per language, however many people
    count = 0
    for user in users:
        if user.preferred_locale not in rendered:
            rendered[user.preferred_locale] = render_for(user.preferred_locale, render)
        subject, body = rendered[user.preferred_locale]
        queue(db.session, Mail(
            to=user.email,
            subject=subject,
            body=f"{body}{_footer(user.id, user.preferred_locale)}",
            unsubscribe_url=unsubscribe_url(user.id),
        ))
        count += 1
    return count


def status_changed(idea: Idea, before: IdeaStatus, answer: str, people: set[int] | None = None) -> int:
    """Notify author and supporters (or `people`) of a new status with its answer."""
    people = followers([idea.id]) if people is None else people
    if not people:
        return 0
    th, en = STATUS_TH_EN[idea.status]
    notify(people, "idea_status", idea_id=idea.id, reason=answer,
           data={"title": idea.title, "status": th, "status_en": en, "status_key": idea.status.value})

    def render() -> tuple[str, str]:
        status = status_label(idea.status)
        body = _("ไอเดีย “%(title)s” ที่คุณติดตามเปลี่ยนสถานะเป็น “%(status)s”", title=idea.title, status=status)
        if answer:
            body += "\n\n" + _("คำตอบจากหน่วยงาน:") + "\n" + answer
        body += "\n\n" + _("อ่านต่อ: %(url)s", url=idea_url(idea.id))
        return _("ไอเดีย “%(title)s”: %(status)s", title=idea.title, status=status), body

    mail_people(people, render)
    # On LINE, to those who asked for status changes, or official answers when it carries one.
    line_notices.send(people, {NoticeKind.status, NoticeKind.answer} if answer else {NoticeKind.status}, render)
    return len(people)


def issue_answered(reports: list[Idea], befores: dict[int, IdeaStatus], answer: str) -> int:
    """One answer to a whole issue: each follower is told once, about the report they follow
    (the first of `reports` they wrote or support); returns how many people were told."""
    told: set[int] = set()
    for idea in reports:
        people = followers([idea.id]) - told
        status_changed(idea, befores[idea.id], answer, people)
        told |= people
    return len(told)


def merged(source: Idea, target: Idea, people: set[int]) -> None:
    data = {"title": source.title, "target_title": target.title, "target_id": target.id}
    notify(people, "idea_merged", idea_id=source.id, data=data)

    def render() -> tuple[str, str]:
        return (_("ไอเดีย “%(title)s” ถูกรวมกับไอเดียที่ซ้ำกัน", title=source.title),
                _("ไอเดีย “%(title)s” ซ้ำกับไอเดีย “%(target)s” เจ้าหน้าที่จึงรวมไว้ด้วยกัน "
                  "การสนับสนุนของคุณย้ายไปที่ไอเดียนั้นแล้ว (นับครั้งเดียว)", title=source.title, target=target.title)
                + "\n\n" + _("ติดตามต่อที่: %(url)s", url=idea_url(target.id)))

    mail_people(people, render)
    line_notices.send(people, {NoticeKind.merge}, render)


def unmerged(source: Idea, target: Idea, people: set[int]) -> None:
    data = {"title": source.title, "target_title": target.title, "target_id": target.id}
    notify(people, "idea_unmerged", idea_id=source.id, data=data)

    def render() -> tuple[str, str]:
        return (_("ไอเดีย “%(title)s” แยกออกมาอีกครั้ง", title=source.title),
                _("เจ้าหน้าที่ยกเลิกการรวมไอเดีย “%(title)s” กับ “%(target)s” การสนับสนุนกลับไปเหมือนเดิมแล้ว",
                  title=source.title, target=target.title) + "\n\n" + idea_url(source.id))

    mail_people(people, render)
    line_notices.send(people, {NoticeKind.merge}, render)
