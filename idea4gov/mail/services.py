"""E-mail preferences: opting out of and back into e-mail about followed ideas."""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from idea4gov.extensions import db
from idea4gov.mail.models import MailOptOut
from idea4gov.timeutil import utcnow


def wants_mail(user_id: int) -> bool:
    return db.session.get(MailOptOut, user_id) is None


def opted_out(user_ids: Iterable[int]) -> set[int]:
    ids = list(user_ids)
    if not ids:
        return set()
    return set(db.session.scalars(sa.select(MailOptOut.user_id).where(MailOptOut.user_id.in_(ids))))


def set_wants_mail(user_id: int, wanted: bool) -> bool:
    """Opt in or out; returns True when the preference changed."""
    row = db.session.get(MailOptOut, user_id)
    if wanted and row is not None:
        db.session.delete(row)
        db.session.flush()
        return True
    if not wanted and row is None:
        db.session.add(MailOptOut(user_id=user_id, created_at=utcnow()))
        db.session.flush()
        return True
    return False
