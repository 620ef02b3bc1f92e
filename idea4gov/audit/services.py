"""Writing and reading the audit log."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa

from idea4gov.audit.models import AuditEntry
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.text import clean_plain


def _state(value: object) -> str:
    if value is None:
        return ""
    return value.value if isinstance(value, enum.Enum) else str(value)


def record(actor: User | None, action: str, target_type: str, target_id: int, *, area_id: int | None = None,
           before: object = None, after: object = None, reason: str = "") -> AuditEntry:
    """Add one entry; called in the same transaction as the decision it records."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None and actor.is_authenticated else None,
        area_id=area_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        before=_state(before),
        after=_state(after),
        reason=clean_plain(reason or ""),
    )
    db.session.add(entry)
    return entry


def entries_select(*, area_id: int | None = None, actor_id: int | None = None, action: str | None = None,
                   target_type: str | None = None, target_id: int | None = None,
                   since: datetime | None = None, until: datetime | None = None) -> sa.Select:
    """Newest first, filtered by whatever is given."""
    query = sa.select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    filters = {
        AuditEntry.area_id: area_id,
        AuditEntry.actor_id: actor_id,
        AuditEntry.action: action,
        AuditEntry.target_type: target_type,
        AuditEntry.target_id: target_id,
    }
    for column, value in filters.items():
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(AuditEntry.created_at >= since)
    if until is not None:
        query = query.where(AuditEntry.created_at < until)
    return query
