"""Satisfaction (ความพึงพอใจ) with an official answer: 1–5 from the idea's author and supporters."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from idea4gov.extensions import db
from idea4gov.timeutil import utcnow


class Rating(db.Model):
    """One person's rating of the answer an idea got; one per person and idea, changeable for 30 days."""

    __tablename__ = "ratings"
    __table_args__ = (
        sa.UniqueConstraint("idea_id", "user_id"),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    #: NULL once the person erased their account: the score still counts, nobody is named.
    user_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: The agency whose answer was rated (the idea's agency at the time).
    agency_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("agencies.id", ondelete="SET NULL"), index=True)
    score: Mapped[int] = mapped_column()
    comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<Rating idea={self.idea_id} score={self.score}>"
