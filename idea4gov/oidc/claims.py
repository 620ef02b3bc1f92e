"""What we take from an ID token: the subject, a suggested name and e-mail, and the assurance level.

Everything else in the token is dropped unread. A Thai national ID number (13 digits whose last
is the check digit) is never kept: not as a name, not as an e-mail, and a provider whose subject
identifier *is* the national ID gets a keyed digest stored in its place.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask import current_app

from idea4gov.oidc.providers import Provider

SUBJECT_MAX = 255
_DIGITS = re.compile(r"\d[\d\s-]{11,20}\d")


def is_thai_national_id(text: str) -> bool:
    """13 digits (spaces and dashes aside) whose last is the check digit of the first twelve."""
    digits = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", text or ""))
    if not re.fullmatch(r"\d{13}", digits):
        return False
    total = sum(int(digit) * (13 - position) for position, digit in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


def contains_national_id(text: str) -> bool:
    return any(is_thai_national_id(found.group(0)) for found in _DIGITS.finditer(
        unicodedata.normalize("NFKC", text or "")))


def _subject_key() -> bytes:
    return (current_app.config.get("OIDC_SUBJECT_KEY") or current_app.config["SECRET_KEY"]).encode()


def subject_for_storage(provider: Provider, subject: str) -> str:
    """The subject as stored: itself, unless it is a national ID number (then a keyed SHA-256 digest)."""
    if is_thai_national_id(subject):
        digest = hmac.new(_subject_key(), f"{provider.name}:{subject}".encode(), hashlib.sha256).hexdigest()
        return f"hmac-sha256:{digest}"
    return subject


def person_key(provider: Provider, stored_subject: str) -> str:
    """The verified person behind a subject: SHA-256 of the provider and the stored subject."""
    return hashlib.sha256(f"{provider.name}\x00{stored_subject}".encode()).hexdigest()


@dataclass(frozen=True)
class Profile:
    """The resident as one provider sees them, reduced to what we may keep or suggest."""

    provider: str
    subject: str
    name: str
    email: str
    assurance: str
    verified: bool


def _text(claims: Mapping, name: str, limit: int) -> str:
    value = claims.get(name) if name else None
    if not isinstance(value, str):
        return ""
    value = " ".join(value.split())[:limit]
    return "" if contains_national_id(value) else value


def _email(text: str) -> str:
    """The address in lower case when it is one (as registration checks it), else ""."""
    try:
        return validate_email(text, check_deliverability=False).normalized.lower() if text else ""
    except EmailNotValidError:
        return ""


def profile(provider: Provider, claims: Mapping) -> Profile:
    """The profile of validated ID-token claims (ValueError when there is no usable subject)."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.strip() or len(subject) > SUBJECT_MAX:
        raise ValueError("the ID token has no usable subject")
    email = _email(_text(claims, provider.claim_email, 254))
    email_ok = bool(email) and (provider.trust_email or claims.get("email_verified") is True)
    assurance, verified = provider.verification.level(claims)
    return Profile(provider=provider.name, subject=subject_for_storage(provider, subject.strip()),
                   name=_text(claims, provider.claim_name, 80), email=email if email_ok else "",
                   assurance="" if contains_national_id(assurance) else assurance, verified=verified)
