"""Stored groups of similar ideas (กลุ่มไอเดียที่คล้ายกัน) and the issues inside them (เรื่องเดียวกัน), per area."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from idea4gov.extensions import db
from idea4gov.timeutil import utcnow

if TYPE_CHECKING:
    from idea4gov.ideas.models import Idea


class IdeaGroup(db.Model):
    """Two or more published ideas of one area that say the same thing in other words.

    An idea in no group has `ideas.group_id` NULL. Ids stay stable across a recompute
    where membership mostly persists (rule in docs/grouping.md, "Stable ids").
    """

    __tablename__ = "idea_groups"
    __table_args__ = (
        sa.CheckConstraint("size >= 0", name="size_non_negative"),
        sa.CheckConstraint("supporter_count >= 0", name="supporter_count_non_negative"),
        sa.Index("ix_idea_groups_area_supporters", "area_id", "supporter_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: Number of published member ideas.
    size: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Distinct residents supporting any member: one who supports two members counts once.
    supporter_count: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Thai key words chosen from the members' text, space-separated, most telling first.
    keywords: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    @property
    def keyword_list(self) -> list[str]:
        return self.keywords.split()

    def __repr__(self) -> str:
        return f"<IdeaGroup {self.id} area={self.area_id} size={self.size}>"


class IdeaIssue(db.Model):
    """Reports of the same problem at the same place (เรื่องเดียวกัน), inside one topic group.

    An idea in no issue has `ideas.issue_id` NULL. Ids stay stable across a regrouping where most
    reports stay together; reports an officer decided about (`ideas.issue_pinned`) keep theirs.
    """

    __tablename__ = "idea_issues"
    __table_args__ = (
        sa.CheckConstraint("size >= 0", name="size_non_negative"),
        sa.CheckConstraint("supporter_count >= 0", name="supporter_count_non_negative"),
        sa.Index("ix_idea_issues_area_supporters", "area_id", "supporter_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: The topic (group of similar ideas) its reports are in; NULL when they are in none.
    group_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("idea_groups.id", ondelete="SET NULL"), index=True)
    #: The report that names it: the one closest on average to the others (the engine's issue
    #: score), else the most supported. `use_alter`: ideas and issues refer to each other.
    representative_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("ideas.id", ondelete="SET NULL", use_alter=True), index=True)
    #: Number of published reports in it.
    size: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Distinct residents supporting any of its reports: one who supports two counts once.
    supporter_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    representative: Mapped[Optional["Idea"]] = relationship(foreign_keys=[representative_id])

    @property
    def others(self) -> int:
        """"N others reported this": the reports besides one."""
        return max(self.size - 1, 0)

    def __repr__(self) -> str:
        return f"<IdeaIssue {self.id} area={self.area_id} size={self.size}>"


class IssueSeparation(db.Model):
    """Two reports an officer took apart (split one from the other's issue): no regrouping puts
    them in one issue again (the engine's cannot-link). Stored once per pair, lower id first."""

    __tablename__ = "issue_separations"
    __table_args__ = (
        sa.UniqueConstraint("idea_id", "other_id"),
        sa.CheckConstraint("idea_id < other_id", name="ordered_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    other_id: Mapped[int] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    #: The officer who separated them; NULL when their account is gone.
    actor_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<IssueSeparation {self.idea_id}|{self.other_id}>"
