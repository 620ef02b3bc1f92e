"""Who asked not to receive e-mail about ideas they follow."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from idea4gov.extensions import db
from idea4gov.timeutil import utcnow


class MailOptOut(db.Model):
    """A row means: send this person no e-mail about ideas (in-app notifications still arrive)."""

    __tablename__ = "mail_opt_outs"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<MailOptOut user={self.user_id}>"
