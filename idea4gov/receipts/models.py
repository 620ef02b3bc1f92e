"""The counter behind reference numbers: one row per area and Buddhist year."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from idea4gov.extensions import db


class ReferenceCounter(db.Model):
    """The last sequence number given in an area in a year; only ever goes up.

    Incremented with one atomic INSERT … ON CONFLICT DO UPDATE … RETURNING, which holds the
    row's lock until the idea's transaction ends, so two ideas never get the same number; the
    unique constraint on `ideas.reference` is the last guard.
    """

    __tablename__ = "reference_counters"
    __table_args__ = (sa.CheckConstraint("last_number >= 1", name="last_number_positive"),)

    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True)
    #: Buddhist-era year of receipt (Bangkok time), e.g. 2569.
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column()

    def __repr__(self) -> str:
        return f"<ReferenceCounter area={self.area_id} {self.year}: {self.last_number}>"
