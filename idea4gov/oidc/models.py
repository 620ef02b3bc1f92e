"""Accounts linked to sign-in providers: the provider's subject identifier, nothing else about the person."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from idea4gov.extensions import db
from idea4gov.timeutil import utcnow

if TYPE_CHECKING:
    from idea4gov.auth.models import User


class LinkedIdentity(db.Model):
    """One account's way in through one provider: the provider's subject identifier (`sub`).

    A subject belongs to one account only (the person is the subject), and an account holds at most
    one identity per provider. A subject that is a Thai national ID number is never stored as such
    (`idea4gov.oidc.claims.subject_for_storage`).
    """

    __tablename__ = "linked_identities"
    __table_args__ = (
        sa.UniqueConstraint("provider", "subject"),
        sa.UniqueConstraint("user_id", "provider"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The provider's name in OIDC_PROVIDERS (`thaid`, `line`, …).
    provider: Mapped[str] = mapped_column(sa.String(40))
    #: The provider's subject identifier for this person (`sub` of the ID token).
    subject: Mapped[str] = mapped_column(sa.String(255))
    #: The identity assurance the provider asserted at the last sign-in (e.g. "IAL2.3"), "" when none.
    assurance: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    #: True when that assurance counts as a verified identity (the provider's rule).
    verified: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: What the resident agreed to share with us when linking: the scopes asked for.
    scopes: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    user: Mapped["User"] = relationship()

    def __repr__(self) -> str:
        return f"<LinkedIdentity {self.id} {self.provider} user={self.user_id}>"


class SignInDraft(db.Model):
    """What a resident had typed when they left for a provider (to verify their identity), kept on
    the server for an hour: the session cookie is too small for a Thai idea of 5,000 characters."""

    __tablename__ = "sign_in_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: hex SHA-256 of the random key the resident's session holds; the key itself is not stored.
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The page the text belongs to (a local path), where it is put back.
    path: Mapped[str] = mapped_column(sa.String(500))
    fields: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<SignInDraft {self.id} {self.path}>"
