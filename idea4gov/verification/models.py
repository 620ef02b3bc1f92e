"""Proof of action: when an idea is marked implemented or a project done, its author and supporters
confirm it is done or say it is not; enough "not done" answers dispute it."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from idea4gov.extensions import db
from idea4gov.timeutil import utcnow

if TYPE_CHECKING:
    from idea4gov.auth.models import User


class VerificationState(enum.Enum):
    #: Taking answers.
    open = "open"
    #: Enough residents said it is not done: back to the officers; kept and shown for good.
    disputed = "disputed"
    #: The status moved on (marked implemented again, declined…): no more answers.
    closed = "closed"


class Verification(db.Model):
    """One round of confirmation, opened each time an idea is marked implemented or a project done."""

    __tablename__ = "verifications"
    __table_args__ = (
        sa.CheckConstraint("(idea_id IS NULL) <> (project_id IS NULL)", name="exactly_one_target"),
        sa.CheckConstraint("done_count >= 0 AND not_done_count >= 0", name="counts_non_negative"),
        sa.CheckConstraint("state <> 'disputed' OR disputed_at IS NOT NULL", name="disputed_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    state: Mapped[VerificationState] = mapped_column(
        sa.Enum(VerificationState, native_enum=False, create_constraint=True, length=10),
        default=VerificationState.open, server_default=VerificationState.open.value, index=True)
    #: Kept equal to the answers, in the same transaction (under the row's lock).
    done_count: Mapped[int] = mapped_column(default=0, server_default="0")
    not_done_count: Mapped[int] = mapped_column(default=0, server_default="0")
    opened_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    disputed_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
    closed_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))

    responses: Mapped[list["VerificationResponse"]] = relationship(
        back_populates="verification", order_by="VerificationResponse.id")

    @property
    def total(self) -> int:
        return self.done_count + self.not_done_count

    def __repr__(self) -> str:
        return f"<Verification {self.id} {self.state.value} {self.done_count}/{self.not_done_count}>"


class VerificationResponse(db.Model):
    """One person's answer in one round: done or not, an optional note and photo."""

    __tablename__ = "verification_responses"
    __table_args__ = (sa.UniqueConstraint("verification_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    verification_id: Mapped[int] = mapped_column(sa.ForeignKey("verifications.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    is_done: Mapped[bool] = mapped_column()
    #: Plain text, cleaned; public (the residents' notes of a dispute).
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: A photo stored like evidence photos (re-encoded without EXIF), or NULL.
    photo_filename: Mapped[Optional[str]] = mapped_column(sa.String(64), unique=True)
    photo_content_type: Mapped[Optional[str]] = mapped_column(sa.String(20))
    photo_width: Mapped[Optional[int]] = mapped_column()
    photo_height: Mapped[Optional[int]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    verification: Mapped[Verification] = relationship(back_populates="responses")
    user: Mapped[Optional["User"]] = relationship()

    def __repr__(self) -> str:
        return f"<VerificationResponse {self.id} done={self.is_done}>"
