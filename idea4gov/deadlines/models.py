"""The holiday calendar: Thai government holidays and special days off, one row per day."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from idea4gov.extensions import db
from idea4gov.timeutil import utcnow

if TYPE_CHECKING:
    from idea4gov.auth.models import User


class HolidayKind(enum.Enum):
    #: On the Cabinet's annual list (shipped in deadlines/data/holidays_th.csv).
    official = "official"
    #: A weekday off because a holiday fell on a weekend (วันหยุดชดเชย).
    substitution = "substitution"
    #: A special day off: added by the Cabinet during the year, or by an administrator.
    special = "special"


class Holiday(db.Model):
    """A day on which government offices are closed; removing one keeps the row."""

    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The calendar day (Bangkok), unique: one row per day.
    day: Mapped[date] = mapped_column(sa.Date, unique=True)
    kind: Mapped[HolidayKind] = mapped_column(
        sa.Enum(HolidayKind, native_enum=False, create_constraint=True, length=20))
    name_th: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    #: Who added it; NULL when it came from the shipped list.
    created_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: Set when an administrator took the day off the calendar (a working day again); the row
    #: stays, so reloading the shipped list does not bring it back.
    removed_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
    removed_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)

    created_by: Mapped[Optional["User"]] = relationship(foreign_keys=[created_by_id])

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_th

    def __repr__(self) -> str:
        return f"<Holiday {self.day.isoformat()} {self.kind.value}>"
