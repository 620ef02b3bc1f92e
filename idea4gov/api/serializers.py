"""JSON shapes of the API's objects."""
from __future__ import annotations

from idea4gov.areas.models import Area
from idea4gov.ideas.labels import status_label
from idea4gov.ideas.models import Idea
from idea4gov.links import public_url
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
        "url": public_url("areas.show", slug=area.slug),
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
        "vote_count": idea.vote_count,
        "comment_count": idea.comment_count,
        "group_id": getattr(idea, "group_id", None),
        "created_at": as_utc(idea.created_at).isoformat(),
        "url": public_url("ideas.show", idea_id=idea.id),
    }
