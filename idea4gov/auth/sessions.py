"""Revocable sessions: log in, log out, sign out everywhere, and who a session cookie names.

Every account has a random `session_token`, and `User.get_id()` is "<id>:<token>", so the
session cookie and the remember-me cookie both name the token they were issued with.
`end_everywhere` gives the account a new token, and every copy of either cookie, on any
device, stops working at once: log-out, a password change, a role change, the "sign out
everywhere" button and erasure do it.

Each log-in also writes an expiry into the identity ("<id>:<token>:<expires>"), so the
remember-me cookie differs at every log-in and the server refuses it after
REMEMBER_COOKIE_DURATION (a log-in without "remember me": after PERMANENT_SESSION_LIFETIME),
whatever the browser keeps. Flask itself refuses a session cookie older than
PERMANENT_SESSION_LIFETIME since it was last written.
"""
from __future__ import annotations

import functools
import hmac
import secrets
import time
from collections.abc import Callable, Mapping
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy.orm.util import identity_key

from idea4gov.auth.models import User, new_session_token
from idea4gov.extensions import db

#: Session keys that outlive a log-in or log-out (the language chosen).
KEPT_KEYS = ("lang",)


def _lifetime(remember: bool) -> timedelta:
    return current_app.config["REMEMBER_COOKIE_DURATION" if remember else "PERMANENT_SESSION_LIFETIME"]


def _identity(user: User, expires: int) -> str:
    return f"{user.get_id()}:{expires}"


def _kept() -> dict:
    return {key: session[key] for key in KEPT_KEYS if key in session}


def start(user: User, remember: bool = False) -> None:
    """Log in: a new session (an identifier planted before it is worthless) naming the account's token."""
    kept = _kept()
    session.clear()
    session.update(kept)
    session["nonce"] = secrets.token_urlsafe(8)
    lifetime = _lifetime(remember)
    if login_user(user, remember=remember, duration=lifetime if remember else None):
        session["_user_id"] = _identity(user, int(time.time() + lifetime.total_seconds()))


def renew(user: User) -> None:
    """After this account got a new token (password or role changed here): keep this browser signed in."""
    old = session.get("_user_id", "")
    expires = old.rsplit(":", 1)[-1] if old.count(":") == 2 else ""
    session["_user_id"] = _identity(user, int(expires) if expires.isdigit() else int(time.time()))
    if session.get("_remember_seconds"):
        session["_remember"] = "set"  # Flask-Login writes the remember-me cookie again, with the new token


def end_here() -> None:
    """Log this browser out, keeping the language and Flask-Login's order to delete the remember-me cookie."""
    kept = _kept()
    logout_user()
    remember = session.get("_remember")  # "clear": the cookie is deleted after this request
    session.clear()
    session.update(kept)
    if remember:
        session["_remember"] = remember


def end_everywhere(user: User) -> None:
    """Give the account a new token: every session and remember-me cookie issued before stops working."""
    user.session_token = new_session_token()
    db.session.flush()


def load(identity: str) -> User | None:
    """The account a session or remember-me cookie names, if its token is current and it has not expired."""
    try:
        user_id, token, expires = identity.split(":")
        user_id_number, expires_at = int(user_id), int(expires)
    except (AttributeError, ValueError):
        return None  # an identity from before revocable sessions, or junk: signed out
    if expires_at < time.time() or not 0 < user_id_number < 2**31:
        return None
    row = None
    user = db.session.identity_map.get(identity_key(User, user_id_number))
    if user is None or sa.inspect(user).expired_attributes:  # as `Session.get`: a current copy, else read it
        row = db.session.execute(_by_id(), {"user_id": user_id_number}).first()
        user = row[0] if row is not None else None
    if user is None or user.deleted_at is not None or not user.session_token:
        return None  # an erased account's other sessions end with it
    if not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    if row is not None:
        for _columns, receive in _read_with_account:
            receive(user, row._mapping)
    return user


#: What other parts of the app read with the signed-in account, in its statement: (columns, receive).
_read_with_account: list[tuple[Callable[[], list], Callable[[User, Mapping], None]]] = []


def read_with_account(columns: Callable[[], list], receive: Callable[[User, Mapping], None]) -> None:
    """Read `columns()` (labelled, correlated to `users`) in the same statement as the signed-in account;
    `receive(user, row)` gets them once the session is found valid (the page header: idea4gov.nav)."""
    if (columns, receive) not in _read_with_account:  # once, however many apps are made (tests)
        _read_with_account.append((columns, receive))
        _by_id.cache_clear()


@functools.cache
def _by_id() -> sa.Select:
    """The account by id, with what is read along with it, built once: `Session.get` builds its statement
    again on every call, which cost twice what running it does (measured on the bench)."""
    extra = [column for columns, _receive in _read_with_account for column in columns()]
    return sa.select(User, *extra).where(User.id == sa.bindparam("user_id"))
