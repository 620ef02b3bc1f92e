"""Password hashing (scrypt via Werkzeug) and the common-password check."""
from __future__ import annotations

from functools import lru_cache

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10
MAX_LENGTH = 128


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords, shipped with zxcvbn."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    lowered = password.lower()
    return lowered in _common_passwords() or len(set(lowered)) <= 2


def hash_password(password: str) -> str:
    """scrypt; `PASSWORD_HASH_METHOD` may tune its cost (the test suite makes it cheap)."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    if not method.startswith("scrypt"):
        raise RuntimeError(f"PASSWORD_HASH_METHOD must be scrypt, not {method!r}")
    return generate_password_hash(password, method=method)


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


#: Compared against when the e-mail is unknown, so both failures take the same time.
DUMMY_HASH = hash_password("not-a-real-password-0")
