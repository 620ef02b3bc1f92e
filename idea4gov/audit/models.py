"""One row per staff decision; rows are only ever added."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from idea4gov.extensions import db
from idea4gov.timeutil import utcnow

if TYPE_CHECKING:
    from idea4gov.areas.models import Area
    from idea4gov.auth.models import User


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (
        sa.Index("ix_audit_entries_area_created", "area_id", "created_at"),
        sa.Index("ix_audit_entries_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Who decided; NULL for the system (auto-hide, word list) or a command-line run.
    actor_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: The area the object belongs to, so each area's staff and admins can filter.
    area_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("areas.id", ondelete="SET NULL"))
    #: What was done, e.g. `approve`, `reject`, `hide`, `restore`, `auto_hide`, `grant_role`.
    action: Mapped[str] = mapped_column(sa.String(40), index=True)
    #: What it was done to: `idea`, `comment`, `user`, … and its id.
    target_type: Mapped[str] = mapped_column(sa.String(20))
    target_id: Mapped[int] = mapped_column()
    before: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    after: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    #: Why: the reason given by the staff member or the rule that fired.
    reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)

    actor: Mapped[Optional["User"]] = relationship()
    area: Mapped[Optional["Area"]] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action} {self.target_type}:{self.target_id}>"
