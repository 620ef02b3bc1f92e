"""Which LINE notices a resident asked for: one row per kind (opt-in)."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from idea4gov.extensions import db
from idea4gov.timeutil import utcnow


class NoticeKind(enum.Enum):
    #: The receipt of a new idea (reference number, expected first answer).
    receipt = "receipt"
    #: A status change of an idea the resident follows.
    status = "status"
    #: An official public answer (a status change with an answer text).
    answer = "answer"
    #: An idea the resident follows was merged with a duplicate (or unmerged).
    merge = "merge"
    #: Reminders and seat news of events the resident registered for (issue 17).
    event = "event"


class LineNoticeKind(db.Model):
    """A row means: send this person LINE notices of this kind (no row, no message)."""

    __tablename__ = "line_notice_kinds"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[NoticeKind] = mapped_column(
        sa.Enum(NoticeKind, native_enum=False, create_constraint=True, length=20), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<LineNoticeKind user={self.user_id} {self.kind.value}>"
