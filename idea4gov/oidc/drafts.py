"""Nothing typed is lost while the resident is away at a provider: the form's text waits on the
server (`SignInDraft`, an hour at most), the session holds only a random key, and the page the
text came from puts it back when the resident returns, whether they signed in, cancelled or the
provider refused."""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import timedelta

import sqlalchemy as sa
from flask import session

from idea4gov.extensions import db
from idea4gov.oidc.models import SignInDraft
from idea4gov.timeutil import as_utc, utcnow

SESSION_KEY = "oidc_draft"
#: The new-idea form's fields, and the most of each that is kept.
FIELDS = {"title": 300, "body": 10000, "theme": 80, "place_name": 400}
LIFETIME = timedelta(hours=1)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def keep(path: str, form: Mapping) -> None:
    """Keep what the form holds for `path` (a local path) until the resident comes back."""
    fields = {name: str(form.get(name) or "")[:limit] for name, limit in FIELDS.items() if form.get(name)}
    if not fields:
        return
    db.session.execute(sa.delete(SignInDraft).where(SignInDraft.created_at < utcnow() - LIFETIME))
    key = secrets.token_urlsafe(24)
    db.session.add(SignInDraft(key_hash=_digest(key), path=path[:500], fields=fields, created_at=utcnow()))
    db.session.flush()
    session[SESSION_KEY] = key


def carried() -> str | None:
    """The session's draft key, to carry across a new session at log-in (`sessions.start` clears it)."""
    return session.get(SESSION_KEY)


def carry(key: str | None) -> None:
    if key:
        session[SESSION_KEY] = key


def take(path: str) -> dict[str, str]:
    """The text kept for this page, once (and then forgotten); {} when there is none."""
    key = session.get(SESSION_KEY)
    if not key:
        return {}
    draft = db.session.scalar(sa.select(SignInDraft).where(SignInDraft.key_hash == _digest(str(key))))
    if draft is None or draft.path != path:
        return {}
    session.pop(SESSION_KEY, None)
    fields = dict(draft.fields or {}) if as_utc(draft.created_at) > utcnow() - LIFETIME else {}
    db.session.delete(draft)
    db.session.commit()
    return {name: value for name, value in fields.items() if name in FIELDS and isinstance(value, str)}
