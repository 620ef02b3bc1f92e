"""JSON shapes of the API's objects."""
from __future__ import annotations

from flask import current_app, url_for

from idea4gov.areas.models import Area
from idea4gov.ideas.labels import status_label
from idea4gov.ideas.models import Idea
from idea4gov.text import plain_from_rich
from idea4gov.timeutil import as_utc


def area_json(area: Area, idea_count: int = 0) -> dict:
    return {
        "slug": area.slug,
        "name_th": area.name_th,
        "name_en": area.name_en,
        "description_th": area.description_th,
        "description_en": area.description_en,
        "is_open": area.is_open,
        "idea_count": idea_count,
        "themes": [
            {"slug": theme.slug, "title_th": theme.title_th, "title_en": theme.title_en, "is_open": theme.is_open}
            for theme in area.themes
        ],
        "url": url_for("areas.show", slug=area.slug, _external=True),
        "open_data": open_data_json(area),
    }


def open_data_json(area: Area) -> dict:
    """Where the area's published ideas can be downloaded as open data, and under which licence."""
    config = current_app.config
    return {
        "csv": url_for("opendata.area_csv", slug=area.slug, _external=True),
        "json": url_for("opendata.area_json", slug=area.slug, _external=True),
        "licence": config["OPEN_DATA_LICENCE"],
        "licence_url": config["OPEN_DATA_LICENCE_URL"] or None,
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
        "created_at": as_utc(idea.created_at).isoformat(),
        "url": url_for("ideas.show", idea_id=idea.id, _external=True),
    }
