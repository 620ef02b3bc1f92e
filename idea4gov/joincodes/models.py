"""A time-boxed join code an organiser opens for a workshop in one area."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from idea4gov.extensions import db
from idea4gov.timeutil import as_utc, utcnow

if TYPE_CHECKING:
    from idea4gov.areas.models import Area
    from idea4gov.auth.models import User
    from idea4gov.events.models import Event


class JoinCode(db.Model):
    """Registrations and posts made through the code skip the per-address rate limits until it
    expires or is closed; per-account limits still hold, and every use is audited."""

    __tablename__ = "join_codes"
    __table_args__ = (
        sa.CheckConstraint("expires_at > created_at", name="expires_after_creation"),
        sa.CheckConstraint("max_registrations >= 1", name="max_registrations_positive"),
        sa.CheckConstraint("registrations >= 0", name="registrations_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What residents type or scan: 8 letters and digits without look-alikes (0/O, 1/I/L).
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    #: The event the code belongs to, if any: on site, a signed-in visitor registers and is checked in with it.
    event_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"), index=True)
    #: The workshop or event, shown to residents and in the audit log.
    label: Mapped[str] = mapped_column(sa.String(120))
    created_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    #: Set when the organiser closed it early.
    closed_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
    closed_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: Accounts that may register through it; past that, registrations meet the usual limits.
    max_registrations: Mapped[int] = mapped_column(default=200, server_default="200")
    #: Accounts registered through it, counted in the registration's transaction.
    registrations: Mapped[int] = mapped_column(default=0, server_default="0")

    area: Mapped["Area"] = relationship()
    event: Mapped[Optional["Event"]] = relationship()
    created_by: Mapped[Optional["User"]] = relationship(foreign_keys=[created_by_id])

    def state(self, now: datetime | None = None) -> str:
        """`open`, `closed` (early, by its organiser) or `expired`."""
        if self.closed_at is not None:
            return "closed"
        if as_utc(self.expires_at) <= (now or utcnow()):
            return "expired"
        return "open"

    @property
    def is_open(self) -> bool:
        return self.state() == "open"

    def __repr__(self) -> str:
        return f"<JoinCode {self.code} area={self.area_id}>"
