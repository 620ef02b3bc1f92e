"""JSON shapes of the API's objects."""
from __future__ import annotations

from datetime import datetime

from flask import current_app

from idea4gov.areas import iap2, rounds
from idea4gov.areas.models import Area, Round, Theme
from idea4gov.ideas.labels import status_label
from idea4gov.ideas.models import Idea
from idea4gov.links import public_url
from idea4gov.text import plain_from_rich
from idea4gov.timeutil import as_utc
from idea4gov.triage.models import Agency


def _iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value is not None else None


def round_json(round_: Round, at: datetime | None = None) -> dict:
    return {
        "id": round_.id,
        "title_th": round_.title_th,
        "title_en": round_.title_en,
        "opens_at": _iso(round_.opens_at),
        "closes_at": _iso(round_.closes_at),
        "state": rounds.round_state(round_, at),
        "themes": [theme.slug for theme in round_.themes],
    }


def area_json(area: Area, idea_count: int = 0, parent: str | None = None,
              schedule: rounds.AreaRounds | None = None) -> dict:
    """An area with its place in the hierarchy (`parent`: the parent's slug), its IAP2 promise, the
    round open now and the next one, and each theme with its round state."""
    schedule = schedule or rounds.area_rounds(area)
    current = schedule.current
    upcoming = schedule.next
    return {
        "slug": area.slug,
        "name_th": area.name_th,
        "name_en": area.name_en,
        "description_th": area.description_th,
        "description_en": area.description_en,
        "parent": parent,
        "status": area.state,
        "is_open": area.is_open,
        "is_archived": area.is_archived,
        "iap2_level": area.iap2_level.value if area.iap2_level else None,
        "iap2_label_th": iap2.label(area.iap2_level, "th") or None,
        "iap2_label_en": iap2.label(area.iap2_level, "en") or None,
        "promise_th": area.promise_th,
        "promise_en": area.promise_en,
        "open_round": round_json(current[0], schedule.at) if current else None,
        "next_round": round_json(upcoming, schedule.at) if upcoming else None,
        "idea_count": idea_count,
        "themes": [theme_json(theme, schedule, area) for theme in area.themes],
        "url": public_url("areas.show", slug=area.slug),
        "open_data": open_data_json(area),
    }


def open_data_json(area: Area) -> dict:
    """Where the area's published ideas can be downloaded as open data, and under which licence."""
    config = current_app.config
    return {
        "csv": public_url("opendata.area_csv", slug=area.slug),
        "json": public_url("opendata.area_json", slug=area.slug),
        "licence": config["OPEN_DATA_LICENCE"],
        "licence_url": config["OPEN_DATA_LICENCE_URL"] or None,
    }


def theme_json(theme: Theme, schedule: rounds.AreaRounds, area: Area) -> dict:
    window = schedule.window(theme)
    return {
        "slug": theme.slug,
        "title_th": theme.title_th,
        "title_en": theme.title_en,
        "is_open": theme.is_open,
        #: `always` (in no round), `open`, `upcoming` or `ended`.
        "round_state": window.state,
        "accepts_ideas": area.is_open and not area.is_archived and theme.is_open and window.in_round,
        "open_until": _iso(window.current.closes_at) if window.current else None,
        "next_opens_at": _iso(window.next_opens_at),
    }


def idea_json(idea: Idea) -> dict:
    return {
        "id": idea.id,
        "area": idea.area.slug,
        "theme": idea.theme.slug,
        "title": idea.title,
        "body": plain_from_rich(idea.body),
        "body_html": idea.body,
        "place_name": idea.place_name,
        "author": idea.author.public_name if idea.author else "",
        "status": idea.status.value,
        "status_label": status_label(idea.status),
        #: `pending` while a moderator has not approved it (only its author ever gets it then).
        "visibility": idea.visibility.value,
        "vote_count": idea.vote_count,
        "comment_count": idea.comment_count,
        "group_id": getattr(idea, "group_id", None),
        "reference": idea.reference,
        "agency": agency_json(idea.agency) if idea.agency_id is not None else None,
        "merged_into_id": idea.merged_into_id,
        "created_at": as_utc(idea.created_at).isoformat(),
        "url": public_url("ideas.show", idea_id=idea.id),
    }


def agency_json(agency: Agency | None) -> dict | None:
    """The agency an idea was routed to: id and names."""
    if agency is None:
        return None
    return {"id": agency.id, "name_th": agency.name_th, "name_en": agency.name_en}
