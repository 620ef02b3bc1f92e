"""LINE notices: who gets which kind, written to the outbox with the change they tell about.

A resident receives a kind only after opting in to it (`LineNoticeKind` rows) with LINE linked for
notices: their LINE user id is the subject of their LINE Login identity (the LINE Login channel and
the Messaging API channel belong to the same LINE provider, so the ids match). Each message is
rendered in the resident's language (`idea4gov.triage.notify.render_for`) and ends with a one-step
way to stop them. Messages go out from the worker (`idea4gov.line.channel`), never in a request.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.line.models import LineNoticeKind, NoticeKind
from idea4gov.links import base_url
from idea4gov.mail import tokens
from idea4gov.oidc import registry
from idea4gov.oidc.models import LinkedIdentity
from idea4gov.outbox import services as outbox
from idea4gov.timeutil import utcnow

CHANNEL = "line"
#: LINE's limit for one text message.
TEXT_MAX = 5000
SALT = "idea4gov-line-stop"

#: Renders one notice (subject, body) in the locale in force when it is called.
Render = Callable[[], tuple[str, str]]


def provider_name() -> str:
    return current_app.config.get("LINE_NOTICES_PROVIDER") or "line"


def enabled() -> bool:
    """LINE notices can be sent: a channel access token, and LINE Login to learn residents' ids."""
    return bool(current_app.config.get("LINE_CHANNEL_ACCESS_TOKEN")) and registry.get(provider_name()) is not None


def line_identity(user: User) -> LinkedIdentity | None:
    return db.session.scalar(sa.select(LinkedIdentity).where(LinkedIdentity.user_id == user.id,
                                                             LinkedIdentity.provider == provider_name()))


def kinds_of(user: User) -> set[NoticeKind]:
    return set(db.session.scalars(sa.select(LineNoticeKind.kind).where(LineNoticeKind.user_id == user.id)))


def set_kinds(user: User, kinds: Iterable[NoticeKind]) -> set[NoticeKind]:
    """Receive exactly these kinds from now on (none: no LINE notices at all)."""
    wanted, current = set(kinds), kinds_of(user)
    if current - wanted:
        db.session.execute(sa.delete(LineNoticeKind).where(LineNoticeKind.user_id == user.id,
                                                           LineNoticeKind.kind.in_(list(current - wanted))))
    db.session.add_all(LineNoticeKind(user_id=user.id, kind=kind, created_at=utcnow()) for kind in wanted - current)
    db.session.flush()
    return wanted


def stop_all(user_id: int) -> bool:
    """One step: no LINE notice of any kind any more. True when something was on."""
    result = db.session.execute(sa.delete(LineNoticeKind).where(LineNoticeKind.user_id == user_id))
    db.session.flush()
    return bool(result.rowcount)


def forget_unreachable(user: User) -> None:
    """LINE was unlinked: nothing can reach the resident there, so their choices go too."""
    if line_identity(user) is None:
        stop_all(user.id)


# --- one-step unsubscribe links --------------------------------------------------------------

def stop_url(user_id: int) -> str:
    return f"{base_url()}/line/stop/{tokens.user_token(user_id, SALT)}"


# --- sending -----------------------------------------------------------------------------------

def _recipients(user_ids: Iterable[int], kinds: set[NoticeKind]) -> list[tuple[User, str]]:
    """(person, LINE user id) of these people who opted in to any of `kinds` and have LINE linked."""
    ids = list(set(user_ids))
    if not ids or not enabled():
        return []
    rows = db.session.execute(
        sa.select(User, LinkedIdentity.subject)
        .join(LinkedIdentity, sa.and_(LinkedIdentity.user_id == User.id, LinkedIdentity.provider == provider_name()))
        .where(User.id.in_(ids), User.deleted_at.is_(None),
               sa.exists().where(LineNoticeKind.user_id == User.id, LineNoticeKind.kind.in_(list(kinds))))
        .order_by(User.id))
    return [(user, subject) for user, subject in rows]


def _footer(user_id: int, locale: str | None) -> str:
    chosen = [locale] if locale in current_app.config["LANGUAGES"] else ["th", "en"]
    lines = []
    for language in chosen:
        with force_locale(language):
            lines.append(_("หยุดรับการแจ้งเตือนทาง LINE: %(url)s", url=stop_url(user_id)))
    return "\n\n" + "\n".join(lines)


def send(user_ids: Iterable[int], kinds: set[NoticeKind], render: Render) -> int:
    """Queue one LINE message per person who asked for one of `kinds`, in their language; sent after commit."""
    from idea4gov.triage.notify import render_for

    rendered: dict[str | None, str] = {}
    count = 0
    for user, line_user_id in _recipients(user_ids, kinds):
        locale = user.preferred_locale
        if locale not in rendered:
            subject, body = render_for(locale, render)
            rendered[locale] = body
        text = rendered[locale] + _footer(user.id, locale)
        outbox.add(db.session, CHANNEL, line_user_id, text[:TEXT_MAX],
                   extra={"retry_key": str(uuid.uuid4()), "kinds": sorted(kind.value for kind in kinds)})
        count += 1
    return count


def receipt(idea, terms=None) -> int:  # noqa: ANN001 (an Idea; `deadlines.services.FirstAnswer`)
    """The receipt of a new idea, to its author if they asked for receipts on LINE (`terms`: its
    `first_answer`, when read already)."""
    if idea.author_id is None:
        return 0
    from idea4gov.deadlines.services import first_answer
    from idea4gov.i18n import current_locale
    from idea4gov.timeutil import format_date

    terms = terms or first_answer(idea)
    due, days = terms.due, terms.days
    url = f"{base_url()}/ideas/{idea.id}"

    def render() -> tuple[str, str]:
        text = _("ได้รับไอเดีย “%(title)s” แล้ว\nเลขที่รับเรื่อง: %(ref)s\nหน่วยงานจะตอบครั้งแรกภายใน %(due)s "
                 "(%(days)d วันทำการ)\nติดตาม: %(url)s", title=idea.title, ref=idea.reference,
                 due=format_date(due, current_locale()), days=days, url=url)
        return _("ได้รับไอเดียแล้ว"), text

    return send([idea.author_id], {NoticeKind.receipt}, render)
