"""Pilot areas and their themes (โจทย์)."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from idea4gov.extensions import db
from idea4gov.timeutil import utcnow


class ModerationMode(enum.Enum):
    """Pre-moderation: nothing new is public until a moderator approves it."""

    pre = "pre"
    post = "post"


class Area(db.Model):
    __tablename__ = "areas"
    __table_args__ = (sa.CheckConstraint("auto_hide_reports >= 1", name="auto_hide_reports_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: 2–6 capital letters that start the reference numbers of the area's ideas (SSK-2569-00042);
    #: derived from the slug when the area is created (`idea4gov.receipts`), never reused.
    ref_code: Mapped[Optional[str]] = mapped_column(sa.String(6), unique=True, index=True)
    name_th: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    description_th: Mapped[str] = mapped_column(sa.Text, default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="")
    #: A closed area can be read but takes no new ideas.
    is_open: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    moderation_mode: Mapped[ModerationMode] = mapped_column(
        sa.Enum(ModerationMode, native_enum=False, create_constraint=True, length=10),
        default=ModerationMode.post,
        server_default=ModerationMode.post.value,
    )
    #: Reports from this many distinct residents hide an item until a moderator decides.
    auto_hide_reports: Mapped[int] = mapped_column(default=3, server_default="3")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    themes: Mapped[list["Theme"]] = relationship(
        back_populates="area", order_by="Theme.position", cascade="all, delete-orphan"
    )

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_th

    def description(self, locale: str) -> str:
        return self.description_en if locale == "en" and self.description_en else self.description_th

    def __repr__(self) -> str:
        return f"<Area {self.slug}>"


class Theme(db.Model):
    __tablename__ = "themes"
    __table_args__ = (sa.UniqueConstraint("area_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(64))
    title_th: Mapped[str] = mapped_column(sa.String(200))
    title_en: Mapped[str] = mapped_column(sa.String(200))
    is_open: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    position: Mapped[int] = mapped_column(default=0, server_default="0")

    area: Mapped[Area] = relationship(back_populates="themes")

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_th

    def __repr__(self) -> str:
        return f"<Theme {self.area_id}/{self.slug}>"
