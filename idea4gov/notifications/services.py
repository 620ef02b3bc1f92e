"""Sending and reading in-app notifications; services flush, never commit."""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from idea4gov.extensions import db
from idea4gov.notifications.kinds import MESSAGES
from idea4gov.notifications.models import Notification
from idea4gov.timeutil import utcnow


def notify(user_ids: Iterable[int | None], kind: str, *, idea_id: int | None = None,
           comment_id: int | None = None, reason: str = "", data: dict | None = None) -> int:
    """Tell each of these people (once each, skipping None) that `kind` happened; returns how many."""
    if kind not in MESSAGES:
        raise ValueError(f"unknown notification kind {kind!r}")
    ids = sorted({user_id for user_id in user_ids if user_id is not None})
    if ids:
        now = utcnow()
        db.session.execute(sa.insert(Notification), [
            {"user_id": user_id, "kind": kind, "idea_id": idea_id, "comment_id": comment_id,
             "reason": reason or "", "data": data or {}, "created_at": now}
            for user_id in ids
        ])
    return len(ids)


def for_user_select(user_id: int) -> sa.Select:
    return (sa.select(Notification).where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc()))


def unread_count(user_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    ) or 0


def mark_all_read(user_id: int) -> int:
    result = db.session.execute(
        sa.update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount
