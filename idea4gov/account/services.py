"""The resident's own data: export and erase (PDPA)."""
from __future__ import annotations

import secrets

import sqlalchemy as sa

from idea4gov.auth.models import ApiToken, User, new_session_token
from idea4gov.events import privacy as event_privacy
from idea4gov.extensions import db
from idea4gov.ideas.models import Comment, Idea, Report, Vote
from idea4gov.line.models import LineNoticeKind
from idea4gov.oidc.models import LinkedIdentity
from idea4gov.text import plain_from_rich
from idea4gov.timeutil import as_utc, utcnow


def _iso(value) -> str | None:  # noqa: ANN001
    return as_utc(value).isoformat() if value else None


def export_data(user: User) -> dict:
    """Everything stored about a person, as one JSON-ready dict."""
    ideas = db.session.scalars(sa.select(Idea).where(Idea.author_id == user.id).order_by(Idea.id))
    comments = db.session.scalars(sa.select(Comment).where(Comment.author_id == user.id).order_by(Comment.id))
    votes = db.session.execute(sa.select(Vote.idea_id, Vote.created_at).where(Vote.user_id == user.id).order_by(Vote.id))
    reports = db.session.scalars(sa.select(Report).where(Report.reporter_id == user.id).order_by(Report.id))
    tokens = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id))
    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role.value,
            "created_at": _iso(user.created_at),
            "pdpa_consent_at": _iso(user.pdpa_consent_at),
            "preferred_locale": user.preferred_locale,
            "show_name_in_exports": user.show_name_in_exports,
        },
        "ideas": [
            {"id": i.id, "area_id": i.area_id, "title": i.title, "body": plain_from_rich(i.body),
             "place_name": i.place_name, "created_at": _iso(i.created_at), "status": i.status.value,
             "visibility": i.visibility.value}
            for i in ideas
        ],
        "comments": [
            {"id": c.id, "idea_id": c.idea_id, "body": plain_from_rich(c.body), "created_at": _iso(c.created_at),
             "deleted_at": _iso(c.deleted_at)}
            for c in comments
        ],
        "votes": [{"idea_id": idea_id, "created_at": _iso(created)} for idea_id, created in votes],
        "reports": [
            {"idea_id": r.idea_id, "comment_id": r.comment_id, "reason": r.reason.value, "details": r.details,
             "created_at": _iso(r.created_at)}
            for r in reports
        ],
        "event_registrations": event_privacy.export(user),
        "api_tokens": [
            {"name": t.name, "prefix": t.prefix, "created_at": _iso(t.created_at), "revoked_at": _iso(t.revoked_at)}
            for t in tokens
        ],
        # Sign-in providers: the subject identifier each gave us and what was agreed to share.
        "sign_in_providers": [
            {"provider": i.provider, "subject": i.subject, "scopes": i.scopes, "verified": i.verified,
             "assurance": i.assurance, "linked_at": _iso(i.created_at), "last_used_at": _iso(i.last_used_at)}
            for i in db.session.scalars(sa.select(LinkedIdentity).where(LinkedIdentity.user_id == user.id)
                                        .order_by(LinkedIdentity.id))
        ],
        "verified_at": _iso(user.verified_at),
        "show_verified_badge": user.show_verified_badge,
        "line_notices": sorted(k.value for k in db.session.scalars(
            sa.select(LineNoticeKind.kind).where(LineNoticeKind.user_id == user.id))),
        **_after_answers(user),
    }


def _after_answers(user: User) -> dict:
    """The person's exact points, ratings and confirmations (projects and proof of action)."""
    from idea4gov.places.models import IdeaLocation
    from idea4gov.satisfaction.models import Rating
    from idea4gov.verification.models import Verification, VerificationResponse

    points = db.session.execute(sa.select(IdeaLocation.idea_id, IdeaLocation.lat, IdeaLocation.lng)
                                .join(Idea, Idea.id == IdeaLocation.idea_id).where(Idea.author_id == user.id))
    ratings = db.session.scalars(sa.select(Rating).where(Rating.user_id == user.id).order_by(Rating.id))
    answers = db.session.execute(
        sa.select(VerificationResponse, Verification.idea_id, Verification.project_id)
        .join(Verification, Verification.id == VerificationResponse.verification_id)
        .where(VerificationResponse.user_id == user.id).order_by(VerificationResponse.id))
    return {
        "idea_points": [{"idea_id": idea_id, "lat": lat, "lng": lng} for idea_id, lat, lng in points],
        "ratings": [{"idea_id": r.idea_id, "score": r.score, "comment": r.comment, "created_at": _iso(r.created_at),
                     "updated_at": _iso(r.updated_at)} for r in ratings],
        "confirmations": [{"idea_id": idea_id, "project_id": project_id, "done": a.is_done, "note": a.note,
                           "photo": bool(a.photo_filename), "created_at": _iso(a.created_at)}
                          for a, idea_id, project_id in answers],
    }


def set_export_name(user: User, show: bool) -> None:
    """Record whether shortlist exports may name this person as the author of their ideas."""
    user.show_name_in_exports = show
    db.session.flush()


def erase_account(user: User) -> None:
    """Erase personal data; ideas and comments stay (by a deleted user) and votes still count."""
    user.email = f"deleted-{user.id}-{secrets.token_hex(4)}@deleted.invalid"
    user.display_name = ""
    user.password_hash = "!"  # matches no password
    user.preferred_locale = None
    user.show_name_in_exports = False
    user.deleted_at = utcnow()
    user.session_token = new_session_token()  # every session and remember-me cookie ends
    # Sign-in providers and LINE notices go; votes keep their person, so they still count once.
    from idea4gov.line.services import stop_all
    from idea4gov.oidc.services import forget_person

    forget_person(user)
    stop_all(user.id)
    event_privacy.erase(user)
    db.session.execute(
        sa.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow())
    )
    db.session.flush()
