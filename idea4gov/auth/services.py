"""Registering and authenticating accounts."""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.auth.models import Role, User
from idea4gov.auth.passwords import DUMMY_HASH, hash_password, verify_password
from idea4gov.extensions import db
from idea4gov.text import clean_plain
from idea4gov.timeutil import utcnow


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))


def register(email: str, display_name: str, password: str, role: Role = Role.resident) -> User:
    """Create an account; the caller checked consent and that the e-mail is free."""
    user = User(
        email=normalize_email(email),
        display_name=clean_plain(display_name),
        password_hash=hash_password(password),
        role=role,
        pdpa_consent_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None; the same work whether or not the e-mail exists."""
    user = find_by_email(email)
    if user is None:
        verify_password(DUMMY_HASH, password or "")
        return None
    return user if verify_password(user.password_hash, password or "") else None
