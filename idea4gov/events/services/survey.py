"""The participants' verdict: satisfaction 1–5, would they join again, free text; once per checked-in
participant (a unique constraint), from the start of the event until SURVEY_DAYS after its end."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from idea4gov.events.models import Event, EventState, Registration, SurveyAnswer
from idea4gov.extensions import db
from idea4gov.service_errors import ServiceError
from idea4gov.text import clean_plain
from idea4gov.timeutil import as_utc, utcnow

SURVEY_DAYS = 30
COMMENT_MAX = 2000


def survey_open(event: Event, now=None) -> bool:  # noqa: ANN001
    now = now or utcnow()
    return (event.state == EventState.published and event.has_started(now)
            and now < as_utc(event.ends_at) + timedelta(days=SURVEY_DAYS))


def answer_of(row: Registration | None) -> SurveyAnswer | None:
    if row is None:
        return None
    return db.session.scalar(sa.select(SurveyAnswer).where(SurveyAnswer.registration_id == row.id))


def answer(event: Event, row: Registration | None, satisfaction: int, would_return: bool, comment: str) -> SurveyAnswer:
    """Store the answer (IntegrityError, rolled back by the caller, when sent twice at once)."""
    if row is None or row.event_id != event.id or row.checked_in_at is None:
        raise ServiceError("survey_participants_only", status=403)
    if not survey_open(event):
        raise ServiceError("survey_closed", status=409)
    if not 1 <= satisfaction <= 5:
        raise ServiceError("satisfaction_range", field="satisfaction")
    comment = clean_plain(comment)
    if len(comment) > COMMENT_MAX:
        raise ServiceError("too_long", field="comment", max=COMMENT_MAX)
    if answer_of(row) is not None:
        raise ServiceError("survey_answered", status=409)
    row_answer = SurveyAnswer(event_id=event.id, registration_id=row.id, satisfaction=satisfaction,
                              would_return=would_return, comment=comment)
    db.session.add(row_answer)
    db.session.flush()
    return row_answer
