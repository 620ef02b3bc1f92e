"""Where an idea is: one optional point per idea, exact (public pages show it rounded)."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from idea4gov.extensions import db
from idea4gov.timeutil import utcnow


class PlaceSource(enum.Enum):
    """How the resident gave the point."""

    map = "map"
    device = "device"
    typed = "typed"


class IdeaLocation(db.Model):
    """The point a resident picked for their idea. Exact here; public pages, the API, the map and
    open data round it to the area's setting (`location_precision_m`, ~100 m by default)."""

    __tablename__ = "idea_locations"
    __table_args__ = (
        sa.CheckConstraint("lat BETWEEN -90 AND 90", name="lat_range"),
        sa.CheckConstraint("lng BETWEEN -180 AND 180", name="lng_range"),
        sa.Index("ix_idea_locations_lat_lng", "lat", "lng"),
    )

    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True)
    lat: Mapped[float] = mapped_column(sa.Float)
    lng: Mapped[float] = mapped_column(sa.Float)
    source: Mapped[PlaceSource] = mapped_column(
        sa.Enum(PlaceSource, native_enum=False, create_constraint=True, length=10), default=PlaceSource.typed)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<IdeaLocation idea={self.idea_id} {self.lat:.4f},{self.lng:.4f}>"
