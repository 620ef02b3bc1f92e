"""Messages waiting to be delivered, delivered, or given up on."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from idea4gov.extensions import db
from idea4gov.timeutil import utcnow


class OutboxStatus(enum.Enum):
    #: Waiting for its (next) attempt at `next_attempt_at`.
    pending = "pending"
    sent = "sent"
    #: Every attempt failed; an admin may send it again from /admin/outbox.
    failed = "failed"


class OutboxMessage(db.Model):
    """One message to one recipient over one channel, written with the change it tells about."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        sa.Index("ix_outbox_messages_status_next", "status", "next_attempt_at"),
        sa.CheckConstraint("attempts >= 0", name="attempts_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: How it travels: `email` (idea4gov.mail.sender); a new channel registers its own deliverer.
    channel: Mapped[str] = mapped_column(sa.String(20), default="email", server_default="email")
    #: Where to: an e-mail address, or the channel's own address (a LINE user id).
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    body: Mapped[str] = mapped_column(sa.Text)
    #: Channel extras, e.g. {"unsubscribe_url": …} for e-mail.
    extra: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[OutboxStatus] = mapped_column(
        sa.Enum(OutboxStatus, native_enum=False, create_constraint=True, length=20),
        default=OutboxStatus.pending, server_default=OutboxStatus.pending.value)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: Why the last attempt failed (shown to admins).
    last_error: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    sent_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.channel} {self.status.value}>"
