"""Signed one-step links (stop e-mail, stop LINE notices): they work without logging in and name
only the person's id; each kind of link has its own salt, so one cannot stand for another."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.links import base_url

SALT = "idea4gov-unsubscribe"


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def user_token(user_id: int, salt: str = SALT) -> str:
    return _serializer(salt).dumps({"u": user_id})


def user_id_from_token(token: str, salt: str = SALT) -> int | None:
    """The user id the token was made for, or None when it was tampered with."""
    try:
        data = _serializer(salt).loads(token)
    except BadSignature:
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) and user_id > 0 else None


def user_for_token(token: str, salt: str = SALT) -> User | None:
    """The account a link was sent to, while it exists and is not erased."""
    user_id = user_id_from_token(token, salt)
    user = db.session.get(User, user_id) if user_id else None
    return None if user is None or user.deleted_at is not None else user


def unsubscribe_token(user_id: int) -> str:
    return user_token(user_id)


def unsubscribe_url(user_id: int) -> str:
    return f"{base_url()}/mail/unsubscribe/{unsubscribe_token(user_id)}"
