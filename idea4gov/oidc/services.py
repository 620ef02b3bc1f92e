"""Accounts and sign-in providers: sign in, first sign-in, link, unlink, verified identity.

Services flush, never commit. An existing account is linked to a provider only while its owner is
signed in to it (password or another provider) *and* has just signed in at the provider; an e-mail
claim never links anything by itself.
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from idea4gov.audit import services as audit
from idea4gov.auth.models import NO_PASSWORD, Role, User
from idea4gov.extensions import db
from idea4gov.oidc import registry
from idea4gov.oidc.claims import Profile, person_key
from idea4gov.oidc.models import LinkedIdentity
from idea4gov.service_errors import ServiceError
from idea4gov.text import clean_plain
from idea4gov.timeutil import utcnow

#: The e-mail of an account a provider gave no (usable) address for: `.invalid` gets no mail.
NO_MAIL_TEMPLATE = "oidc-{}@system.invalid"


def identity_of(provider: str, subject: str) -> LinkedIdentity | None:
    return db.session.scalar(sa.select(LinkedIdentity).where(LinkedIdentity.provider == provider,
                                                             LinkedIdentity.subject == subject))


def identities(user: User) -> list[LinkedIdentity]:
    return list(db.session.scalars(sa.select(LinkedIdentity).where(LinkedIdentity.user_id == user.id)
                                   .order_by(LinkedIdentity.created_at, LinkedIdentity.id)))


def email_is_free(email: str) -> bool:
    return bool(email) and db.session.scalar(sa.select(User.id).where(User.email == email.lower())) is None


def _refresh(identity: LinkedIdentity, profile: Profile) -> None:
    """What the provider says now: assurance, verified, last use; the account follows."""
    identity.assurance, identity.verified, identity.last_used_at = profile.assurance, profile.verified, utcnow()
    db.session.flush()
    user = db.session.get(User, identity.user_id)
    if profile.verified:
        mark_verified(user, identity)
    else:
        _recheck_verified(user)


def signed_in(identity: LinkedIdentity, profile: Profile) -> User:
    """A known identity signed in: refresh what its provider asserts and return the account."""
    _refresh(identity, profile)
    return identity.user


def create_account(profile: Profile, display_name: str, use_email: bool, scopes: str) -> User:
    """The first sign-in: an account without a password, linked to the provider (PDPA consent given)."""
    email = profile.email if use_email and email_is_free(profile.email) else NO_MAIL_TEMPLATE.format(
        secrets.token_hex(12))
    user = User(email=email, display_name=clean_plain(display_name)[:80], password_hash=NO_PASSWORD,
                role=Role.resident, pdpa_consent_at=utcnow())
    db.session.add(user)
    db.session.flush()
    link(user, profile, scopes)
    audit.record(user, "oidc_signup", "user", user.id, after=profile.provider)
    return user


def link(user: User, profile: Profile, scopes: str) -> LinkedIdentity:
    """Link the provider identity the resident just proved to their signed-in account."""
    existing = identity_of(profile.provider, profile.subject)
    if existing is not None:
        if existing.user_id != user.id:
            raise ServiceError("identity_taken", status=409)
        _refresh(existing, profile)
        return existing
    if db.session.scalar(sa.select(LinkedIdentity.id).where(LinkedIdentity.user_id == user.id,
                                                            LinkedIdentity.provider == profile.provider)):
        raise ServiceError("provider_already_linked", status=409)
    identity = LinkedIdentity(user_id=user.id, provider=profile.provider, subject=profile.subject,
                              assurance=profile.assurance, verified=profile.verified, scopes=scopes[:200],
                              created_at=utcnow(), last_used_at=utcnow())
    db.session.add(identity)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:  # linked by a parallel request a moment ago
        raise ServiceError("identity_taken", status=409) from error
    audit.record(user, "oidc_link", "user", user.id, after=profile.provider)
    if profile.verified:
        mark_verified(user, identity)
    return identity


def ways_in(user: User) -> int:
    """Ways this account can sign in: its password and each linked provider that is still configured."""
    configured = {provider.name for provider in registry.all_providers()}
    linked = sum(identity.provider in configured for identity in identities(user))
    return linked + (1 if user.has_password and user.has_mail else 0)


def unlink(user: User, identity_id: int) -> LinkedIdentity:
    """Remove one provider from the account; never its last way in."""
    identity = db.session.get(LinkedIdentity, identity_id)
    if identity is None or identity.user_id != user.id:
        raise ServiceError("identity_not_found", status=404)
    configured = {provider.name for provider in registry.all_providers()}
    if identity.provider in configured and ways_in(user) <= 1:
        raise ServiceError("last_way_in", status=409)
    db.session.delete(identity)
    db.session.flush()
    audit.record(user, "oidc_unlink", "user", user.id, before=identity.provider)
    from idea4gov.line import services as line_notices

    line_notices.forget_unreachable(user)
    _recheck_verified(user)
    return identity


def _recheck_verified(user: User) -> None:
    """No linked provider vouches for the person any more: no badge, no vote where verification is asked.

    The person key stays on the account (and its votes): one person still supports an idea once."""
    still = db.session.scalar(sa.select(LinkedIdentity.id).where(LinkedIdentity.user_id == user.id,
                                                                 LinkedIdentity.verified.is_(True)))
    if still is None and user.verified_at is not None:
        user.verified_at = None
        audit.record(user, "verified_identity_lost", "user", user.id, before="verified")
        db.session.flush()


def mark_verified(user: User, identity: LinkedIdentity) -> None:
    """A provider vouched for the person: the account is verified, and tied to that person."""
    provider = registry.get(identity.provider)
    if provider is None:
        return
    first = user.verified_at is None
    user.verified_at = utcnow()
    if user.person_key is None:
        from idea4gov.ideas import services as ideas

        user.person_key = person_key(provider, identity.subject)
        db.session.flush()
        ideas.adopt_person(user)
    if first:
        audit.record(user, "verified_identity", "user", user.id, after=identity.provider)
    db.session.flush()


def set_badge(user: User, show: bool) -> None:
    """Agree, or stop agreeing, to show the verified badge next to my name on public pages."""
    user.show_verified_badge = bool(show)
    db.session.flush()


def forget_person(user: User) -> None:
    """Erasure (PDPA): the account's links and verification go; its votes keep counting once."""
    db.session.execute(sa.delete(LinkedIdentity).where(LinkedIdentity.user_id == user.id))
    user.verified_at, user.person_key, user.show_verified_badge = None, None, False
    db.session.flush()
