"""One notification for one person."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from idea4gov.extensions import db
from idea4gov.timeutil import utcnow

if TYPE_CHECKING:
    from idea4gov.ideas.models import Idea


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    #: A key of `idea4gov.notifications.kinds.MESSAGES`; the text is translated when shown.
    kind: Mapped[str] = mapped_column(sa.String(40))
    idea_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    #: The reason a staff member gave, shown to the person as written.
    reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: Values for the message's placeholders, e.g. {"title": ..., "status": ...}.
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    read_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))

    idea: Mapped[Optional["Idea"]] = relationship()

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} user={self.user_id}>"
