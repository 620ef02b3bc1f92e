"""Ideas, votes, comments and reports."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from idea4gov.extensions import db
from idea4gov.timeutil import utcnow

if TYPE_CHECKING:
    from idea4gov.areas.models import Area, Theme
    from idea4gov.auth.models import User
    from idea4gov.triage.models import Agency


def _enum(cls: type[enum.Enum]) -> sa.Enum:
    return sa.Enum(cls, native_enum=False, create_constraint=True, length=20)


class Visibility(enum.Enum):
    """Where a piece of content stands in moderation; nothing is ever hard-deleted."""

    pending = "pending"
    published = "published"
    hidden = "hidden"
    rejected = "rejected"


class IdeaStatus(enum.Enum):
    """What the agencies did with an idea (set by officers)."""

    received = "received"
    under_review = "under_review"
    accepted = "accepted"
    in_progress = "in_progress"
    implemented = "implemented"
    declined = "declined"
    duplicate = "duplicate"


class ReportReason(enum.Enum):
    spam = "spam"
    offensive = "offensive"
    off_topic = "off_topic"
    personal_data = "personal_data"


class Idea(db.Model):
    __tablename__ = "ideas"
    __table_args__ = (
        sa.CheckConstraint("vote_count >= 0", name="vote_count_non_negative"),
        sa.CheckConstraint("comment_count >= 0", name="comment_count_non_negative"),
        sa.Index("ix_ideas_area_visibility_created", "area_id", "visibility", "created_at"),
        sa.Index("ix_ideas_area_visibility_votes", "area_id", "visibility", "vote_count"),
        sa.Index("ix_ideas_area_visibility_theme", "area_id", "visibility", "theme_id"),
        sa.UniqueConstraint("author_id", "fingerprint"),
        # A duplicate always points at the idea it was merged into, and only a duplicate does.
        sa.CheckConstraint(
            "(status = 'duplicate' AND merged_into_id IS NOT NULL) OR (status <> 'duplicate' AND merged_into_id IS NULL)",
            name="duplicate_has_target",
        ),
        sa.CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_itself"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The receipt's reference number (เลขที่รับเรื่อง), e.g. SSK-2569-00042: area code, Buddhist
    #: year of receipt, sequence per area and year. Given once by `idea4gov.receipts`, never reused.
    reference: Mapped[Optional[str]] = mapped_column(sa.String(24), unique=True, index=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("themes.id", ondelete="RESTRICT"), index=True)
    #: NULL once the author deleted their account; the idea stays.
    author_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(150))
    #: Cleaned with bleach before it is stored.
    body: Mapped[str] = mapped_column(sa.Text)
    place_name: Mapped[Optional[str]] = mapped_column(sa.String(200))
    #: The name written on a paper form when the idea was imported (`flask ideas import`), shown
    #: in exports: a name is only typed in when the person agreed on the form to be named.
    submitted_name: Mapped[Optional[str]] = mapped_column(sa.String(80))
    #: PyThaiNLP words of title and body, space-joined; written with the idea, read by
    #: search (FTS5 / tsvector) and grouping, so nothing is tokenized twice.
    search_tokens: Mapped[str] = mapped_column(sa.Text, default="")
    visibility: Mapped[Visibility] = mapped_column(
        _enum(Visibility), default=Visibility.published, server_default=Visibility.published.value, index=True
    )
    status: Mapped[IdeaStatus] = mapped_column(
        _enum(IdeaStatus), default=IdeaStatus.received, server_default=IdeaStatus.received.value, index=True
    )
    #: Why a moderator rejected or hid it, shown to the author.
    moderation_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: Why it waits in the queue: `pre_moderation`, `word_list` or `links`; NULL otherwise.
    held_for: Mapped[Optional[str]] = mapped_column(sa.String(20))
    #: SHA-256 of the author's normalised text: the same idea posted twice is refused.
    fingerprint: Mapped[Optional[str]] = mapped_column(sa.String(64))
    #: The group of similar ideas it belongs to; NULL while it resembles no other idea.
    group_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("idea_groups.id", ondelete="SET NULL"), index=True
    )
    #: The issue (the same problem reported again) it is one report of, inside its group; NULL while
    #: no other report is the same problem.
    issue_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("idea_issues.id", ondelete="SET NULL"), index=True
    )
    #: An officer decided its issue (answered, routed, split or moved it): regroupings keep it there.
    issue_pinned: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: Published, and its group and issue not decided yet: the background worker places it
    #: (`groups.services.place_published`) and clears this; so does a regrouping, which decides it.
    awaiting_placement: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: The agency it was routed to by an officer or a routing rule (triage); NULL while unrouted.
    agency_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("agencies.id", ondelete="SET NULL"), index=True
    )
    routed_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
    #: When the first written public answer (a status change with an answer text) was given: the
    #: idea is overdue while this is NULL past its working-day deadline (`idea4gov.deadlines`).
    first_answered_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True), index=True)
    #: Set with status `duplicate` when an officer merged it into another idea.
    merged_into_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("ideas.id"), index=True)
    #: Kept equal to the number of vote rows, in the same transaction.
    vote_count: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Of those, votes of verified people (a `person_key` on the vote), maintained in the same transaction.
    verified_vote_count: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Number of visible comments, maintained like vote_count.
    comment_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    area: Mapped["Area"] = relationship()
    theme: Mapped["Theme"] = relationship()
    author: Mapped[Optional["User"]] = relationship()
    agency: Mapped[Optional["Agency"]] = relationship()

    @classmethod
    def visible(cls) -> sa.ColumnElement[bool]:
        """The one filter every public query of ideas goes through."""
        return cls.visibility == Visibility.published

    def __repr__(self) -> str:
        return f"<Idea {self.id} area={self.area_id} {self.title[:20]!r}>"


class Vote(db.Model):
    __tablename__ = "votes"
    __table_args__ = (
        sa.UniqueConstraint("idea_id", "user_id"),
        # One verified person supports an idea once, whichever of their accounts votes (NULLs, the
        # votes of unverified accounts, never collide). An index, so SQLite adds it without a rebuild.
        sa.Index("ix_votes_idea_person", "idea_id", "person_key", unique=True),
        sa.Index("ix_votes_idea_created", "idea_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    #: The verified person who voted (`users.person_key` at the time), NULL for an unverified account.
    person_key: Mapped[Optional[str]] = mapped_column(sa.String(64))

    def __repr__(self) -> str:
        return f"<Vote idea={self.idea_id} user={self.user_id}>"


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        sa.Index("ix_comments_idea_created", "idea_id", "created_at"),
        sa.Index("ix_comments_author_idea_fingerprint", "author_id", "idea_id", "fingerprint"),
        sa.Index("ix_comments_visibility", "visibility"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"))
    author_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: One level of replies: a reply's parent is always a top-level comment.
    parent_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text)
    visibility: Mapped[Visibility] = mapped_column(
        _enum(Visibility), default=Visibility.published, server_default=Visibility.published.value
    )
    #: Why a moderator rejected or hid it, shown to the author.
    moderation_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: Why it waits in the queue: `pre_moderation`, `word_list` or `links`; NULL otherwise.
    held_for: Mapped[Optional[str]] = mapped_column(sa.String(20))
    #: SHA-256 of the normalised text: the same comment twice on one idea is refused.
    fingerprint: Mapped[Optional[str]] = mapped_column(sa.String(64))
    #: Set when the author deletes it: the row stays and shows as deleted.
    deleted_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
    #: The agency the author answered for: set when an officer of the idea's area who works for
    #: one of its agencies comments; shown as an official answer (ตอบโดยหน่วยงาน).
    agency_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("agencies.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    idea: Mapped[Idea] = relationship()
    author: Mapped[Optional["User"]] = relationship()
    agency: Mapped[Optional["Agency"]] = relationship()
    parent: Mapped[Optional["Comment"]] = relationship(remote_side=[id], back_populates="replies")
    replies: Mapped[list["Comment"]] = relationship(back_populates="parent", order_by="Comment.created_at")

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def __repr__(self) -> str:
        return f"<Comment {self.id} idea={self.idea_id}>"


class Report(db.Model):
    """An abuse report about one idea or one comment, for the moderation queue."""

    __tablename__ = "reports"
    __table_args__ = (
        sa.CheckConstraint(
            "(idea_id IS NULL) <> (comment_id IS NULL)", name="exactly_one_target"
        ),
        sa.UniqueConstraint("reporter_id", "idea_id"),
        sa.UniqueConstraint("reporter_id", "comment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    idea_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[ReportReason] = mapped_column(_enum(ReportReason))
    details: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: Set by a moderator's decision; NULL while it waits in the queue.
    resolved_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True), index=True)

    def __repr__(self) -> str:
        return f"<Report {self.id} {self.reason.value}>"
