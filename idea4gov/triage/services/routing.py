"""Routing ideas to agencies: by an officer, a whole group at once, by rule on publish, and suggestions."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from idea4gov.audit import services as audit
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, IdeaStatus
from idea4gov.ideas.services import ServiceError
from idea4gov.timeutil import utcnow
from idea4gov.triage.models import Agency, RoutingRule

#: Similar ideas consulted for a suggestion, and the least score that counts as similar.
SUGGEST_NEIGHBOURS = 10
SUGGEST_MIN_SCORE = 0.05
#: From this confidence a suggestion is pre-selected in the route forms (one click routes);
#: below it the form starts empty and the suggestion is only shown beside it.
PRESELECT_CONFIDENCE = 0.6


def on_idea_published(idea: Idea) -> Agency | None:
    """Apply the theme's routing rule to an idea that just became public (posting, or approval
    by a moderator); returns the agency, or None when no rule applies or it is routed already."""
    if idea.agency_id is not None:
        return None
    agency = db.session.scalar(
        sa.select(Agency).join(RoutingRule, RoutingRule.agency_id == Agency.id)
        .where(RoutingRule.theme_id == idea.theme_id, Agency.area_id == idea.area_id))
    if agency is None:
        return None
    idea.agency_id, idea.routed_at = agency.id, utcnow()
    db.session.flush()
    audit.record(None, "route", "idea", idea.id, area_id=idea.area_id, after=agency.id, reason="rule")
    return agency


def route(ideas: list[Idea], agency: Agency, actor: User) -> int:
    """Route these ideas (all of the agency's area) to the agency; returns how many changed."""
    changed = 0
    now = utcnow()
    for idea in ideas:
        if idea.area_id != agency.area_id:
            raise ServiceError("wrong_area", status=404)
        if idea.agency_id == agency.id:
            continue
        audit.record(actor, "route", "idea", idea.id, area_id=idea.area_id, before=idea.agency_id, after=agency.id)
        idea.agency_id, idea.routed_at = agency.id, now
        changed += 1
    db.session.flush()
    return changed


def routable_members(group_id: int) -> list[Idea]:
    """A group's published ideas that still take a route: duplicates follow their target, and an
    idea already answered stays with the agency that answered it."""
    return list(db.session.scalars(sa.select(Idea).where(
        Idea.group_id == group_id, Idea.visible(), Idea.status != IdeaStatus.duplicate,
        Idea.first_answered_at.is_(None)).order_by(Idea.id)))


@dataclass(frozen=True)
class Suggestion:
    agency: Agency
    #: Share of the similar routed ideas' weight (0–1) that went to this agency, times how
    #: similar they were on the whole: low when few or only faintly similar ideas were routed.
    confidence: float
    #: How many similar routed ideas the suggestion rests on.
    basis: int

    @property
    def preselect(self) -> bool:
        """Sure enough to start the route form on this agency (PRESELECT_CONFIDENCE)."""
        return self.confidence >= PRESELECT_CONFIDENCE


def suggest(idea: Idea) -> Suggestion | None:
    """The agency that the ideas most similar to this one were routed to, with a confidence."""
    return suggest_many([idea]).get(idea.id)


def suggest_many(ideas: list[Idea]) -> dict[int, Suggestion]:
    """Suggestions for several ideas of one area, in a fixed number of queries (the board's rows)."""
    from idea4gov.ideas.similar import area_index

    ideas = [idea for idea in ideas if idea.search_tokens]
    if not ideas:
        return {}
    entry = area_index(ideas[0].area)
    neighbours: dict[int, list[tuple[int, float]]] = {}
    with entry.lock:
        for idea in ideas:
            found = entry.index.similar_tokens(idea.search_tokens.split(), k=SUGGEST_NEIGHBOURS + 1)
            neighbours[idea.id] = [(entry.idea_ids[position], score) for position, score in found
                                   if entry.idea_ids[position] != idea.id and score >= SUGGEST_MIN_SCORE]
    wanted = {idea_id for found in neighbours.values() for idea_id, _score in found}
    routed = dict(db.session.execute(sa.select(Idea.id, Idea.agency_id).where(
        Idea.id.in_(wanted), Idea.agency_id.is_not(None), Idea.visible())).all()) if wanted else {}
    best: dict[int, tuple[int, float, int]] = {}
    for idea in ideas:
        scored = neighbours[idea.id]
        weights: dict[int, float] = defaultdict(float)
        for idea_id, score in scored:
            if idea_id in routed:
                weights[routed[idea_id]] += score
        if not weights:
            continue
        agency_id, weight = max(weights.items(), key=lambda item: item[1])
        total = sum(score for _id, score in scored)
        basis = sum(1 for idea_id, _ in scored if routed.get(idea_id) == agency_id)
        best[idea.id] = (agency_id, round(min(1.0, weight / total), 2), basis)
    agencies = {agency.id: agency for agency in db.session.scalars(
        sa.select(Agency).where(Agency.id.in_({agency_id for agency_id, _c, _b in best.values()})))} if best else {}
    return {idea_id: Suggestion(agencies[agency_id], confidence, basis)
            for idea_id, (agency_id, confidence, basis) in best.items()
            if agency_id in agencies and agencies[agency_id].area_id == ideas[0].area_id}
