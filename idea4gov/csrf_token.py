"""The page's CSRF token, signed once per session instead of on every page.

Flask-WTF signs the session's raw token (JSON, base64, a timestamp, an HMAC under a key derived from
SECRET_KEY) the first time each request asks for it: about a twentieth of a signed-in page's time,
measured on the bench. Tokens do not expire here (`WTF_CSRF_TIME_LIMIT = None`), so the signed form
made for a raw token stays valid as long as that raw token does: it is kept next to it in the reader's
own session (the signed cookie, never a shared cache) and put where Flask-WTF looks first (`g`), so
forms' hidden fields reuse it too. A new session (log-in, log-out) has a new raw token, and gets a
new signed one. With a time limit configured, every request signs as Flask-WTF does.
"""
from __future__ import annotations

from flask import Flask, current_app, g, session
from flask_wtf.csrf import generate_csrf

#: Session key of [raw token, signed token].
SIGNED = "_csrf_signed"


def csrf_token() -> str:
    """The token for this page's forms (`{{ csrf_token() }}`), as Flask-WTF's `generate_csrf` makes it."""
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    token = g.get(field)
    if token is not None or config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return token if token is not None else generate_csrf()
    raw, kept = session.get(field), session.get(SIGNED)
    if raw and isinstance(kept, list) and len(kept) == 2 and kept[0] == raw:
        setattr(g, field, kept[1])
        return kept[1]
    token = generate_csrf()
    session[SIGNED] = [session[field], token]
    return token


def init_app(app: Flask) -> None:
    # Flask-WTF offers its own as a global and in a context processor: this one, registered later, wins.
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})
