"""Rate limits on what people post and on signing in: ideas, comments, votes, reports, log-in, registration,
sign-in with a provider (`RATELIMIT_OIDC`, per address, on its start and its return).

Each limit is a config value (a `limits` string such as "5 per hour; 20 per day"), settable
from the environment and documented in the README. Two kinds of key, kept apart:

- **per account** (`account_key`, decorator `limit`): what a signed-in person does, counted
  for the account whether it comes through the web session or any of its API tokens;
- **per address** (`address_key`, decorator `per_address`): what arrives from one client
  address before anyone is known (log-in attempts, registrations). A hook registered with
  `exempt_from_address_limits` can lift these for a request (never the per-account ones).

Failed log-ins are also counted per account tried (`login_limits`): from one address
(stricter only for that address, so nobody can lock an owner out by guessing), and from
browsers that never signed in to that account, all addresses together (a browser that did,
holding the device cookie of `idea4gov.auth.devices`, is not slowed). The owner is told by
e-mail when either is reached.

Counters live in memory in development and in Redis (`REDIS_URL`) when several processes
serve; production refuses to start without a shared store. A limited request gets the
friendly 429 page (or a JSON error under /api) with a Retry-After header.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

from flask import Flask, current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse, parse_many

from idea4gov.extensions import limiter

#: Config key -> default limit. See the README's "Rate limits" table for what each counts.
DEFAULT_LIMITS = {
    "RATELIMIT_IDEAS": "5 per hour; 20 per day",
    "RATELIMIT_COMMENTS": "20 per hour; 100 per day",
    "RATELIMIT_VOTES": "60 per minute; 1000 per day",
    "RATELIMIT_REPORTS": "10 per hour; 30 per day",
    "RATELIMIT_LOGIN": "10 per minute; 50 per hour",
    "RATELIMIT_LOGIN_ACCOUNT": "10 per hour",
    "RATELIMIT_LOGIN_NEW_DEVICE": "30 per hour",
    "RATELIMIT_REGISTER": "10 per hour; 30 per day",
    "RATELIMIT_OIDC": "30 per minute; 300 per hour",
}
WRITE_METHODS = ["POST", "PUT", "DELETE"]
#: At most this many e-mails about failed log-ins or registrations to one address.
NOTICE_LIMIT = "1 per hour"

#: Callables answering True when this request may skip the per-address limits.
_address_exemptions: list[Callable[[], bool]] = []


def exempt_from_address_limits(check: Callable[[], bool]) -> Callable[[], bool]:
    """Register a check (e.g. a workshop's join code) that lifts the per-address limits; per-account limits hold."""
    _address_exemptions.append(check)
    return check


def _address_exempt() -> bool:
    return any(check() for check in _address_exemptions)


def address_key() -> str:
    """The client's address (behind a load balancer, as TRUSTED_PROXIES lets the app see it)."""
    return get_remote_address() or "unknown"


def request_user():  # noqa: ANN201 (a User or None; importing the model here would be circular)
    """The account acting in this request, as the view will see it: under /api its token when it
    sends one (as `idea4gov.api.auth` does), else its session. Web pages ignore the header, so a
    forged one cannot move a signed-in person's counts elsewhere."""
    if "ratelimit_user" not in g:
        from idea4gov.account.tokens import bearer_user

        header = request.headers.get("Authorization", "")
        if header and request.blueprint == "api":
            g.ratelimit_user = bearer_user(header)
        else:
            g.ratelimit_user = current_user._get_current_object() if current_user.is_authenticated else None
    return g.ratelimit_user


def account_key() -> str:
    """Who is asking: the account (session or any of its tokens alike), else the address."""
    user = request_user()
    return f"user:{user.id}" if user is not None else f"ip:{address_key()}"


def email_digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower()[:254].encode()).hexdigest()[:32]


def login_email() -> str:
    return request.form.get("email") or ""


def login_pair_key() -> str:
    """The account tried at log-in, from this address: an attacker's address waits, the owner's does not."""
    return f"login:{email_digest(login_email())}:{address_key()}"


def login_account_key() -> str:
    """The account tried at log-in, from anywhere."""
    return f"login:{email_digest(login_email())}"


def _configured(name: str):
    return lambda: current_app.config[name]


def created(response) -> bool:  # noqa: ANN001
    """Count only what was actually posted (a redirect to it, or 201), not a form sent back."""
    return response.status_code in (201, 302, 303)


def failed(response) -> bool:  # noqa: ANN001
    """Count only failed logins: a successful one redirects."""
    return response.status_code not in (302, 303)


def limit(kind: str, deduct_when=None):  # noqa: ANN001
    """The per-account limit of one kind of write (`ideas`, `comments`, `votes`, `reports`)."""
    return limiter.shared_limit(_configured(f"RATELIMIT_{kind.upper()}"), scope=kind,
                                key_func=account_key, methods=WRITE_METHODS, deduct_when=deduct_when)


def per_address(name: str, deduct_when=None, exemptible: bool = False):  # noqa: ANN001
    """A per-address limit of POSTs (`RATELIMIT_LOGIN`, `RATELIMIT_REGISTER`); `exemptible` ones
    (registration) are lifted by the registered exemptions (a workshop's join code), the others
    (failed log-ins) never are."""
    return limiter.shared_limit(_configured(name), scope=name.lower(), key_func=address_key,
                                methods=["POST"], deduct_when=deduct_when,
                                exempt_when=_address_exempt if exemptible else None)


def login_limits(on_breach: Callable, known_device: Callable[[str], bool]):
    """Failed log-ins for one account: from this address, and from browsers new to that account."""
    pair = limiter.shared_limit(_configured("RATELIMIT_LOGIN_ACCOUNT"), scope="login_account",
                                key_func=login_pair_key, methods=["POST"], deduct_when=failed,
                                on_breach=on_breach)
    new_device = limiter.shared_limit(_configured("RATELIMIT_LOGIN_NEW_DEVICE"), scope="login_new_device",
                                      key_func=login_account_key, methods=["POST"], deduct_when=failed,
                                      on_breach=on_breach, exempt_when=lambda: known_device(login_email()))

    def decorate(view):  # noqa: ANN001, ANN202
        return pair(new_device(view))

    return decorate


def first_in_window(name: str, key: str, limit_string: str = NOTICE_LIMIT) -> bool:
    """True the first time `key` is seen in the window (e.g. one notice e-mail an hour), in the limiter's store."""
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "idea4gov")
    return limiter.limiter.hit(parse(limit_string), prefix, name, key)


def _check_limits(app: Flask) -> None:
    for name in DEFAULT_LIMITS:
        try:
            parse_many(app.config[name])
        except ValueError:
            raise RuntimeError(f"{name}={app.config[name]!r} is not a limit such as '5 per hour; 20 per day'") from None


def init_app(app: Flask) -> None:
    # A config class's value wins (the tests'); then the environment; then the documented default.
    for name, value in DEFAULT_LIMITS.items():
        app.config.setdefault(name, os.environ.get(name) or value)
    _check_limits(app)
    redis_url = app.config.get("REDIS_URL")
    app.config.setdefault("RATELIMIT_STORAGE_URI", os.environ.get("RATELIMIT_STORAGE_URI") or redis_url or "memory://")
    if app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        if app.config.get("RATELIMIT_SHARED_STORAGE_REQUIRED"):
            raise RuntimeError(
                "production needs REDIS_URL (or RATELIMIT_STORAGE_URI): rate-limit counters kept in each "
                "gunicorn worker let every worker count on its own, so a limit of 5 lets 5 per worker through")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "idea4gov")
    limiter.init_app(app)
    _check_shared_limits_only_when_set(app)


def _shared_limits() -> bool:
    """Whether any limit applies beyond its own view: default, application or blueprint limits, or an
    in-memory fallback for a lost store."""
    manager = limiter.limit_manager
    return bool(manager.application_limits or manager.default_limits or manager._blueprint_limits
                or limiter._in_memory_fallback)


def _check_shared_limits_only_when_set(app: Flask) -> None:
    """Flask-Limiter checks, before every request, the limits that are not on a view; a limit on a view
    is checked by its own decorator when the view runs (`limit`, `per_address`). This app sets none of
    the former, so that check found nothing on every page, at half a bare route's time (bench/web.py).
    It now runs only once such a limit is set."""
    hooks = app.before_request_funcs.setdefault(None, [])
    check = limiter._check_request_limit
    if check not in hooks:
        return  # another app already holds the limiter's hooks (tests make several)

    def check_shared_limits() -> None:
        if _shared_limits():
            check()

    hooks[hooks.index(check)] = check_shared_limits
