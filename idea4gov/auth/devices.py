"""Browsers that signed in to an account before: a signed cookie listing (keyed digests of) those accounts.

When failed log-ins for one account pile up from many addresses (RATELIMIT_LOGIN_NEW_DEVICE),
browsers new to that account wait; the owner's own browser, holding this cookie since their
last successful log-in, is let through, so guessing cannot lock the owner out.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "i4g_device"
SALT = "idea4gov-known-device"
#: Accounts one browser remembers (a shared family computer), newest first.
MAX_ACCOUNTS = 5
LIFETIME = timedelta(days=365)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _digest(email: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, email.strip().lower()[:254].encode(), hashlib.sha256).hexdigest()[:20]


def _accounts() -> list[str]:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    try:
        value = _serializer().loads(raw, max_age=int(LIFETIME.total_seconds()))
    except BadSignature:
        return []
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def known(email: str) -> bool:
    """Has this browser signed in to the account of `email` before?"""
    return bool(email) and _digest(email) in _accounts()


def remember(response: Response, email: str) -> Response:
    """After a successful log-in: this browser knows the account from now on."""
    digest = _digest(email)
    accounts = [digest] + [item for item in _accounts() if item != digest]
    response.set_cookie(COOKIE, _serializer().dumps(accounts[:MAX_ACCOUNTS]), max_age=int(LIFETIME.total_seconds()),
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False), httponly=True, samesite="Lax")
    return response
