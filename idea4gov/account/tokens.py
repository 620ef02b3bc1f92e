"""Personal access tokens: made and revoked under /account, stored as SHA-256 only."""
from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa
from flask import current_app, g

from idea4gov.auth.models import ApiToken, User
from idea4gov.extensions import db
from idea4gov.timeutil import utcnow

TOKEN_PREFIX = "i4g_"
#: Active tokens one account may hold (API_TOKENS_PER_ACCOUNT): limits count per account anyway,
#: and a cap keeps a stolen session from minting tokens without end.
DEFAULT_TOKENS_PER_ACCOUNT = 10


class TokenLimitReached(Exception):
    """The account already holds as many active tokens as it may."""


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def tokens_per_account() -> int:
    return int(current_app.config.get("API_TOKENS_PER_ACCOUNT", DEFAULT_TOKENS_PER_ACCOUNT))


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Make a token; the secret is returned once and never stored. TokenLimitReached at the cap."""
    # The account's row is locked first, so two requests at once cannot both pass the count.
    db.session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
    active = db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))
    if active >= tokens_per_account():
        raise TokenLimitReached
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip()[:80], token_hash=_digest(secret), prefix=secret[:10])
    db.session.add(token)
    db.session.flush()
    return token, secret


def revoke_token(user: User, token_id: int) -> bool:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    return True


def active_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc())
        )
    )


def bearer_user(header: str) -> User | None:
    """The user of an `Authorization: Bearer <token>` header, looked up once per request."""
    cached = g.get("bearer_user")
    if cached is not None and cached[0] == header:
        return cached[1]
    scheme, _sep, secret = header.partition(" ")
    user = user_for_token(secret.strip()) if scheme.lower() == "bearer" and secret.strip() else None
    g.bearer_user = (header, user)
    return user


def user_for_token(secret: str) -> User | None:
    """The active user owning an unrevoked token, or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = db.session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == _digest(secret), ApiToken.revoked_at.is_(None))
    )
    if token is None or not token.user.is_active:
        return None
    return token.user
