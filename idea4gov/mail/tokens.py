"""Signed unsubscribe links: they work without logging in and name only the person's id."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from idea4gov.links import base_url

SALT = "idea4gov-unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(user_id: int) -> str:
    return _serializer().dumps({"u": user_id})


def user_id_from_token(token: str) -> int | None:
    """The user id the token was made for, or None when it was tampered with."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) and user_id > 0 else None


def unsubscribe_url(user_id: int) -> str:
    return f"{base_url()}/mail/unsubscribe/{unsubscribe_token(user_id)}"
