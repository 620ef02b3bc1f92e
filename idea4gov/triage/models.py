"""Agencies (หน่วยงาน), routing rules, status history, evidence photos and merges of duplicates."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from idea4gov.extensions import db
from idea4gov.ideas.models import IdeaStatus
from idea4gov.timeutil import utcnow

if TYPE_CHECKING:
    from idea4gov.areas.models import Area, Theme
    from idea4gov.auth.models import User


def _status_enum(name: str) -> sa.Enum:
    """Each column its own name: the CHECK constraint is named after it."""
    return sa.Enum(IdeaStatus, name=name, native_enum=False, create_constraint=True, length=20)


class Agency(db.Model):
    """A body that acts on ideas of one area (a division of the municipality, a district office)."""

    __tablename__ = "agencies"
    __table_args__ = (sa.UniqueConstraint("area_id", "name_th"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    name_th: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    #: Where the overdue digest goes besides the members (a shared mailbox); may be empty.
    email: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    area: Mapped["Area"] = relationship()
    members: Mapped[list["AgencyMember"]] = relationship(back_populates="agency", cascade="all, delete-orphan")

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_th

    def __repr__(self) -> str:
        return f"<Agency {self.id} area={self.area_id} {self.name_th[:20]!r}>"


class AgencyMember(db.Model):
    """An officer working for an agency; the officer still needs the officer role in the area."""

    __tablename__ = "agency_members"
    __table_args__ = (sa.UniqueConstraint("agency_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    agency: Mapped[Agency] = relationship(back_populates="members")
    user: Mapped["User"] = relationship()

    def __repr__(self) -> str:
        return f"<AgencyMember agency={self.agency_id} user={self.user_id}>"


class RoutingRule(db.Model):
    """Ideas published under this theme go to this agency at once (one rule per theme)."""

    __tablename__ = "routing_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("themes.id", ondelete="CASCADE"), unique=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    theme: Mapped["Theme"] = relationship()
    agency: Mapped[Agency] = relationship()

    def __repr__(self) -> str:
        return f"<RoutingRule theme={self.theme_id} agency={self.agency_id}>"


class StatusChange(db.Model):
    """One step of an idea's public status history, with the official answer."""

    __tablename__ = "status_changes"
    __table_args__ = (sa.Index("ix_status_changes_idea_created", "idea_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"))
    #: The officer who answered; NULL when their account is gone or for the system.
    actor_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: The agency that answered, when the idea was routed.
    agency_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("agencies.id", ondelete="SET NULL"), index=True)
    before: Mapped[IdeaStatus] = mapped_column(_status_enum("status_before"))
    after: Mapped[IdeaStatus] = mapped_column(_status_enum("status_after"))
    #: The public answer (plain text, cleaned), shown on the idea page.
    answer: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)

    actor: Mapped[Optional["User"]] = relationship()
    agency: Mapped[Optional[Agency]] = relationship()
    photos: Mapped[list["EvidencePhoto"]] = relationship(back_populates="status_change", order_by="EvidencePhoto.id")

    def __repr__(self) -> str:
        return f"<StatusChange idea={self.idea_id} {self.before.value}->{self.after.value}>"


class EvidencePhoto(db.Model):
    """A photo showing an implemented idea; re-encoded without EXIF and stored under UPLOAD_FOLDER."""

    __tablename__ = "evidence_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    status_change_id: Mapped[int] = mapped_column(sa.ForeignKey("status_changes.id", ondelete="CASCADE"), index=True)
    #: Random file name under UPLOAD_FOLDER (never the uploader's name).
    filename: Mapped[str] = mapped_column(sa.String(64), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(20))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    size_bytes: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: When the worker re-encoded it; NULL while the upload waits under incoming/ (not served).
    processed_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))

    status_change: Mapped[StatusChange] = relationship(back_populates="photos")

    @property
    def is_ready(self) -> bool:
        return self.processed_at is not None

    def __repr__(self) -> str:
        return f"<EvidencePhoto {self.id} idea={self.idea_id}>"


class MergeVoteOutcome(enum.Enum):
    #: The supporter's vote moved from the duplicate to the target.
    moved = "moved"
    #: The supporter already supported the target: the duplicate's vote was dropped.
    dropped = "dropped"


class Merge(db.Model):
    """Idea `source` merged into `target`: everything needed to undo it exactly."""

    __tablename__ = "merges"
    __table_args__ = (sa.CheckConstraint("source_id <> target_id", name="not_itself"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: The source's status and group before the merge, restored by an unmerge.
    previous_status: Mapped[IdeaStatus] = mapped_column(_status_enum("previous_status"))
    previous_group_id: Mapped[Optional[int]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: Set by an unmerge; a merge is undone at most once.
    undone_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
    undone_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    votes: Mapped[list["MergedVote"]] = relationship(back_populates="merge", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Merge {self.id} {self.source_id}->{self.target_id}>"


class MergedVote(db.Model):
    """One supporter of the source at merge time, and what happened to their vote."""

    __tablename__ = "merged_votes"
    __table_args__ = (sa.UniqueConstraint("merge_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    merge_id: Mapped[int] = mapped_column(sa.ForeignKey("merges.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[MergeVoteOutcome] = mapped_column(
        sa.Enum(MergeVoteOutcome, native_enum=False, create_constraint=True, length=10))
    #: When the supporter first supported the source, restored by an unmerge.
    voted_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))

    merge: Mapped[Merge] = relationship(back_populates="votes")

    def __repr__(self) -> str:
        return f"<MergedVote merge={self.merge_id} user={self.user_id} {self.outcome.value}>"
