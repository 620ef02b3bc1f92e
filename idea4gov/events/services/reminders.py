"""Telling participants: the reminder before the event (`flask events remind`, from cron) and the news that
a seat came free for them. Both go in-app and by e-mail through the one notification path
(`idea4gov.triage.notify.mail_people`: each person's language, opt-outs respected, sent after commit), and on
LINE to those who asked for event notices there (`idea4gov.line.services.send`, the same outbox)."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from idea4gov.events.models import Event, EventState, Registration, RegistrationStatus
from idea4gov.extensions import db
from idea4gov.i18n import current_locale
from idea4gov.line import services as line_notices
from idea4gov.line.models import NoticeKind
from idea4gov.links import base_url
from idea4gov.notifications.services import notify
from idea4gov.timeutil import format_date, utcnow
from idea4gov.triage.notify import mail_people

#: The reminder goes out this many hours before the start (cron runs the command hourly).
REMIND_HOURS = 48


def event_url(event: Event) -> str:
    return f"{base_url()}/events/{event.id}"  # also from `flask events remind`: no request to build it from


def _when_where(event: Event) -> str:
    locale = current_locale()
    lines = [_("วันเวลา: %(start)s น. ถึง %(end)s น.", start=format_date(event.starts_at, locale, with_time=True),
               end=format_date(event.ends_at, locale, with_time=True))]
    if event.place:
        lines.append(_("สถานที่: %(place)s", place=event.place))
    if event.online_url:
        lines.append(_("ออนไลน์: %(url)s", url=event.online_url))
    return "\n".join(lines)


def _data(event: Event) -> dict:
    return {"title": event.title_th, "title_en": event.title_en or event.title_th, "event_id": event.id}


def remind_event(event: Event) -> int:
    """Queue the reminder for every accepted participant not reminded yet; returns how many were due.

    The rows are marked in the same statement that picks them, so two runs at once never remind twice.
    """
    user_ids = list(db.session.scalars(
        sa.update(Registration).where(Registration.event_id == event.id,
                                      Registration.status == RegistrationStatus.accepted,
                                      Registration.reminded_at.is_(None))
        .values(reminded_at=utcnow()).returning(Registration.user_id)
        .execution_options(synchronize_session=False)))
    if not user_ids:
        return 0

    def render() -> tuple[str, str]:
        title = event.title(current_locale())
        body = (_("อย่าลืม: คุณลงทะเบียนเข้าร่วม “%(title)s” ไว้", title=title) + "\n\n" + _when_where(event)
                + "\n\n" + _("รายละเอียดและทีมของคุณ: %(url)s", url=event_url(event)) + "\n"
                + _("ถ้าไปไม่ได้ กรุณายกเลิกที่หน้ากิจกรรม เพื่อให้ผู้ที่รออยู่ได้ที่นั่งแทน"))
        return _("เตือนความจำ: %(title)s", title=title), body

    notify(user_ids, "event_reminder", data=_data(event))
    mail_people(set(user_ids), render)
    line_notices.send(user_ids, {NoticeKind.event}, render)
    return len(user_ids)


def due_events(hours: int = REMIND_HOURS) -> list[Event]:
    now = utcnow()
    return list(db.session.scalars(sa.select(Event).where(
        Event.state == EventState.published, Event.starts_at > now, Event.starts_at <= now + timedelta(hours=hours))
        .order_by(Event.starts_at, Event.id)))


def tell_promoted(event: Event, user_ids: list[int]) -> None:
    """A seat came free: the people who got it from the waitlist are told."""
    notify(user_ids, "event_promoted", data=_data(event))

    def render() -> tuple[str, str]:
        title = event.title(current_locale())
        return (_("คุณได้ที่นั่งใน “%(title)s” แล้ว", title=title),
                _("มีที่นั่งว่าง คุณจึงได้เลื่อนจากรายชื่อสำรองเป็นผู้เข้าร่วม “%(title)s”", title=title)
                + "\n\n" + _when_where(event) + "\n\n" + event_url(event))

    mail_people(set(user_ids), render)
    line_notices.send(user_ids, {NoticeKind.event}, render)
