"""Stored groups of similar ideas (กลุ่มไอเดียที่คล้ายกัน), one set per area."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from idea4gov.extensions import db
from idea4gov.timeutil import utcnow


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
