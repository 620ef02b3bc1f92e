"""Judging an event's final proposals with the shortlists' rubric (criteria, weights, judges, 1–5)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import g

from idea4gov.auth.models import User
from idea4gov.events.models import Event, Proposal
from idea4gov.events.services import record
from idea4gov.events.services.proposals import final_proposals
from idea4gov.extensions import db
from idea4gov.notifications.services import notify
from idea4gov.shortlists.models import ShortlistJudge
from idea4gov.shortlists.rubric import Rubric
from idea4gov.shortlists.scoring import ItemResult, ranked

#: The audit action of each rubric change on an event.
RUBRIC_ACTIONS = {
    "add_criterion": "event_add_criterion",
    "remove_criterion": "event_remove_criterion",
    "add_judge": "event_add_judge",
    "remove_judge": "event_remove_judge",
    "score": "event_score",
}


def rubric_of(event: Event) -> Rubric:
    """The event's rubric: it scores the event's proposals (only final ones are offered)."""

    def audit(by: User | None, verb: str, **values: object) -> None:
        record(by, RUBRIC_ACTIONS[verb], event, **values)

    def tell_judge(user: User) -> None:
        notify([user.id], "event_judge", data={"title": event.title_th, "title_en": event.title_en or event.title_th,
                                               "event_id": event.id})

    return Rubric(event, "event_id", "proposal_id", sa.select(Proposal.id).where(Proposal.event_id == event.id),
                  audit, tell_judge)


def results(event: Event) -> list[ItemResult]:
    """Every final proposal with its weighted score and rank, in submission order."""
    return rubric_of(event).results(final_proposals(event))


def ranking(event: Event) -> list[ItemResult]:
    """Best first; proposals nobody scored yet last."""
    return ranked(results(event))


def judged_event_ids(user: User) -> set[int]:
    """The events the user judges (read once per request; the page header may have read them)."""
    cache = g.setdefault("_judged_event_ids", {})
    if user.id not in cache:
        cache[user.id] = set(db.session.scalars(sa.select(ShortlistJudge.event_id).where(
            ShortlistJudge.user_id == user.id, ShortlistJudge.event_id.is_not(None))))
    return cache[user.id]
