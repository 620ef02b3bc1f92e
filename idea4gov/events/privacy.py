"""A person's event data for their download (PDPA), and what erasing an account removes."""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.auth.models import User
from idea4gov.events.models import Event, Registration, SurveyAnswer
from idea4gov.extensions import db
from idea4gov.timeutil import as_utc


def _iso(value) -> str | None:  # noqa: ANN001
    return as_utc(value).isoformat() if value else None


def export(user: User) -> list[dict]:
    """Every registration with what it holds, and the person's survey answer."""
    rows = db.session.execute(
        sa.select(Registration, Event.title_th, SurveyAnswer).join(Event, Event.id == Registration.event_id)
        .outerjoin(SurveyAnswer, SurveyAnswer.registration_id == Registration.id)
        .where(Registration.user_id == user.id).order_by(Registration.id))
    return [{
        "event_id": row.event_id, "event": title, "status": row.status.value, "registered_at": _iso(row.created_at),
        "checked_in_at": _iso(row.checked_in_at), "sector": row.sector.value if row.sector else None,
        "age_band": row.age_band.value if row.age_band else None,
        "demographics_consent_at": _iso(row.demographics_consent_at),
        "survey": None if answer is None else {"satisfaction": answer.satisfaction,
                                               "would_return": answer.would_return, "comment": answer.comment},
    } for row, title, answer in rows]


def erase(user: User) -> None:
    """Sector, age band and survey free text go with the account; counts of presence stay."""
    db.session.execute(sa.update(Registration).where(Registration.user_id == user.id).values(
        sector=None, age_band=None, demographics_consent_at=None))
    mine = sa.select(Registration.id).where(Registration.user_id == user.id)
    db.session.execute(sa.update(SurveyAnswer).where(SurveyAnswer.registration_id.in_(mine)).values(comment=""))
