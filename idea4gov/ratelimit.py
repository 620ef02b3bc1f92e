"""Rate limits on what people post: ideas, comments, votes, reports, login and registration.

Each limit is a config value (a `limits` string such as "5 per hour; 20 per day"),
documented in the README; counters live in memory by default and in Redis when
`REDIS_URL` is set, so several app servers share them. A limited request gets the
friendly 429 page (or a JSON error under /api) with a Retry-After header.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import Flask, current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from idea4gov.extensions import limiter

#: Config key -> default limit. Ideas, comments, votes and reports count per account
#: (per token for the API, per address for anonymous requests); login and registration
#: per address, and login also per e-mail address tried.
DEFAULT_LIMITS = {
    "RATELIMIT_IDEAS": "5 per hour; 20 per day",
    "RATELIMIT_COMMENTS": "20 per hour; 100 per day",
    "RATELIMIT_VOTES": "60 per minute; 1000 per day",
    "RATELIMIT_REPORTS": "10 per hour; 30 per day",
    "RATELIMIT_LOGIN": "10 per minute; 50 per hour",
    "RATELIMIT_LOGIN_ACCOUNT": "10 per hour",
    "RATELIMIT_REGISTER": "5 per hour; 20 per day",
}
WRITE_METHODS = ["POST", "PUT", "DELETE"]


def account_key() -> str:
    """Who is asking: the signed-in account, else the API token, else the address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    return f"ip:{get_remote_address()}"


def login_account_key() -> str:
    """The e-mail address tried at login, so one account cannot be guessed at from many addresses."""
    email = (request.form.get("email") or "").strip().lower()[:254]
    return "login:" + hashlib.sha256(email.encode()).hexdigest()[:32]


def _configured(name: str):
    return lambda: current_app.config[name]


def created(response) -> bool:  # noqa: ANN001
    """Count only what was actually posted (a redirect to it, or 201), not a form sent back."""
    return response.status_code in (201, 302, 303)


def failed(response) -> bool:  # noqa: ANN001
    """Count only failed logins: a successful one redirects."""
    return response.status_code not in (302, 303)


def limit(kind: str, deduct_when=None):  # noqa: ANN001
    """The shared limit of one kind of write (`ideas`, `comments`, `votes`, `reports`)."""
    return limiter.shared_limit(_configured(f"RATELIMIT_{kind.upper()}"), scope=kind,
                                key_func=account_key, methods=WRITE_METHODS, deduct_when=deduct_when)


#: Checks that lift the PER-ADDRESS limits for one request (a workshop's join code, see
#: `idea4gov.joincodes`); per-account limits never consult them.
_address_exemptions: list[Callable[[], bool]] = []


def exempt_address_limits_when(check: Callable[[], bool]) -> None:
    """Register a check; when any returns True, the request skips the per-address limits."""
    if check not in _address_exemptions:
        _address_exemptions.append(check)


def address_limits_exempt() -> bool:
    return any(check() for check in _address_exemptions)


def per_address(name: str, deduct_when=None, exemptible: bool = False):  # noqa: ANN001
    """A limit per client address; `exemptible` ones (registration, posting) are lifted by the
    registered exemptions (a workshop's join code), the others (failed log-ins) never are."""
    return limiter.shared_limit(_configured(name), scope=name.lower(), key_func=get_remote_address,
                                methods=["POST"], deduct_when=deduct_when,
                                exempt_when=address_limits_exempt if exemptible else None)


def per_login_account():
    return limiter.shared_limit(_configured("RATELIMIT_LOGIN_ACCOUNT"), scope="login_account",
                                key_func=login_account_key, methods=["POST"], deduct_when=failed)


def init_app(app: Flask) -> None:
    for name, value in DEFAULT_LIMITS.items():
        app.config.setdefault(name, value)
    redis_url = app.config.get("REDIS_URL")
    app.config.setdefault("RATELIMIT_STORAGE_URI", redis_url or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "idea4gov")
    limiter.init_app(app)
