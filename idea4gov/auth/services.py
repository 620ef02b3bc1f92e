"""Registering, confirming and authenticating accounts; changing a password."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa

from idea4gov.auth import notices, sessions
from idea4gov.auth.models import PendingRegistration, Role, User
from idea4gov.auth.passwords import DUMMY_HASH, hash_password, verify_password
from idea4gov.extensions import db
from idea4gov.ratelimit import email_digest, first_in_window
from idea4gov.text import clean_plain
from idea4gov.timeutil import as_utc, utcnow

#: How long the link in a registration e-mail works.
LINK_HOURS = 24
#: E-mails about registering one address, at most (someone typing another person's address again and again).
REGISTRATION_MAILS = "3 per hour"


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))


def register(email: str, display_name: str, password: str, role: Role = Role.resident) -> User:
    """Create an account at once (command line, demo data); the caller checked that the e-mail is free."""
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


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def request_registration(email: str, display_name: str, password: str, next_path: str = "",
                         join_code=None) -> None:  # noqa: ANN001 (a JoinCode or None)
    """The registration form: the same answer whether or not the address has an account.

    A new address gets a link that creates the account; an address with an account gets a note
    saying so (the person who typed it learns nothing). Either way the password is hashed, so
    both take the same time.
    """
    email = normalize_email(email)
    password_hash = hash_password(password)
    db.session.execute(sa.delete(PendingRegistration).where(
        PendingRegistration.created_at < utcnow() - timedelta(hours=LINK_HOURS)))
    if not first_in_window("registration_mail", email_digest(email), REGISTRATION_MAILS):
        return  # this address was written to enough this hour
    if find_by_email(email) is not None:
        notices.already_registered(email)
        return
    secret = secrets.token_urlsafe(32)
    db.session.add(PendingRegistration(email=email, display_name=clean_plain(display_name)[:80],
                                       password_hash=password_hash, token_hash=_digest(secret),
                                       next_path=(next_path or "")[:500], created_at=utcnow(),
                                       join_code_id=join_code.id if join_code is not None else None))
    db.session.flush()
    notices.confirm_registration(email, secret, LINK_HOURS)


def pending_registration(secret: str) -> PendingRegistration | None:
    """The waiting registration of an e-mailed link, unless it expired or was used."""
    if not secret or len(secret) > 100:
        return None
    pending = db.session.scalar(sa.select(PendingRegistration).where(PendingRegistration.token_hash == _digest(secret)))
    if pending is None or as_utc(pending.created_at) < utcnow() - timedelta(hours=LINK_HOURS):
        return None
    return pending


def confirm_registration(pending: PendingRegistration) -> User | None:
    """Create the account of a confirmed registration; None when the address has one by now."""
    if find_by_email(pending.email) is not None:
        return None
    user = User(email=pending.email, display_name=pending.display_name, password_hash=pending.password_hash,
                role=Role.resident, pdpa_consent_at=pending.created_at)
    db.session.add(user)
    db.session.execute(sa.delete(PendingRegistration).where(PendingRegistration.email == pending.email))
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user for these credentials, or None; the same work whether or not the e-mail exists."""
    user = find_by_email(email)
    if user is None:
        verify_password(DUMMY_HASH, password or "")
        return None
    return user if verify_password(user.password_hash, password or "") else None


def change_password(user: User, new_password: str) -> None:
    """Set a new password; every session of the account ends, and the owner is told by e-mail."""
    user.password_hash = hash_password(new_password)
    sessions.end_everywhere(user)
    notices.password_changed(user.email)
