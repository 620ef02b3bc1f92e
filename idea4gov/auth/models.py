"""Accounts and personal API tokens."""
from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from idea4gov.extensions import db
from idea4gov.timeutil import utcnow

if TYPE_CHECKING:
    from idea4gov.areas.models import Area


class Role(enum.Enum):
    resident = "resident"
    moderator = "moderator"
    officer = "officer"
    organiser = "organiser"
    admin = "admin"
    #: Reads the programme's results across every area (/programme); changes nothing.
    programme_viewer = "programme_viewer"


#: Roles granted per area through `StaffRole`; admin and programme viewer are global (`User.role`).
STAFF_ROLES = (Role.moderator, Role.officer, Role.organiser)
GLOBAL_ROLES = (Role.admin, Role.programme_viewer)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased; unique.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(80))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    #: Global role: `resident`, `admin` or `programme_viewer`. Area staff roles live in `StaffRole`.
    role: Mapped[Role] = mapped_column(
        sa.Enum(Role, native_enum=False, create_constraint=True, length=20),
        default=Role.resident,
        server_default=Role.resident.value,
    )
    #: When the resident accepted the PDPA privacy notice (required to register).
    pdpa_consent_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    preferred_locale: Mapped[Optional[str]] = mapped_column(sa.String(5))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: Set when the person erased their account (PDPA): personal data is gone, the row
    #: stays so their ideas read "deleted user" and their votes still count.
    deleted_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
    #: Set by an admin: a blocked user can read but not post, comment, vote or report.
    blocked_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
    blocked_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: The person agreed (under /account) that exports of shortlists may name them as an idea's author.
    show_name_in_exports: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: Named by every session and remember-me cookie (see `get_id`); a new one ends them all
    #: (log-out, password or role change, "sign out everywhere": `idea4gov.auth.sessions`).
    #: A row written without the ORM gets "", which no session can name.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token, server_default="")

    tokens: Mapped[list["ApiToken"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    def get_id(self) -> str:
        """The identity sessions carry: the id and the current session token."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.deleted_at is None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin

    @property
    def may_view_programme(self) -> bool:
        """Admins and programme viewers read the results across areas (/programme)."""
        return self.role in GLOBAL_ROLES

    @property
    def is_blocked(self) -> bool:
        return self.blocked_at is not None

    @property
    def public_name(self) -> str:
        return "" if self.deleted_at else self.display_name

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class ApiToken(db.Model):
    """A personal access token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    #: hex SHA-256 of the secret; the secret itself is shown once.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: First characters of the token, to tell tokens apart in the list.
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))

    user: Mapped[User] = relationship(back_populates="tokens")

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}… user={self.user_id}>"


class StaffRole(db.Model):
    """A staff role (moderator, officer, organiser) held in one area."""

    __tablename__ = "staff_roles"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "area_id", "role"),
        sa.CheckConstraint("role IN ('moderator', 'officer', 'organiser')", name="area_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(
        sa.Enum(Role, native_enum=False, create_constraint=False, length=20)
    )
    granted_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: Who granted it; NULL when granted from the command line.
    granted_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    area: Mapped["Area"] = relationship()

    def __repr__(self) -> str:
        return f"<StaffRole user={self.user_id} area={self.area_id} {self.role.value}>"


class PendingRegistration(db.Model):
    """A registration waiting for its e-mail link: the account exists only once the link is opened,
    so the form answers the same whether or not the address has an account already."""

    __tablename__ = "pending_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased; several may wait for one address (only the one whose link is opened counts).
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    display_name: Mapped[str] = mapped_column(sa.String(80))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    #: hex SHA-256 of the secret in the e-mailed link; the secret itself is never stored.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: Where to go once confirmed (a local path checked by `safe_next`), or "".
    next_path: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    #: When the form was sent: the PDPA consent time of the account, and the link's age.
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    #: The workshop join code the form was sent through: the account counts for it (and is
    #: audited with it) when the link is opened, on whatever device.
    join_code_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("join_codes.id", ondelete="SET NULL"),
                                                        index=True)

    def __repr__(self) -> str:
        return f"<PendingRegistration {self.id} {self.email}>"
