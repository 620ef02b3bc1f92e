"""The open-data rows of an area, read in batches by id so memory stays flat at any size.

Columns (stable; new ones are only ever appended):
  id, title, body (plain text), theme (slug), theme_title (Thai), supporters, status,
  group (id of its group of similar ideas, empty if none), created_at, updated_at
  (ISO 8601, UTC), url, issue (id of its issue: the same problem reported again, inside its
  group; empty if none), then project (the project it became), lat and lng (its point rounded to
  the area's public precision, ~100 m). Published ideas only; no author, e-mail or user id.
"""
from __future__ import annotations

import json
from collections.abc import Iterator

import sqlalchemy as sa

from idea4gov import exports
from idea4gov.areas.models import Area, Theme
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea
from idea4gov.timeutil import as_utc

COLUMNS = ("id", "title", "body", "theme", "theme_title", "supporters", "status", "group",
           "created_at", "updated_at", "url", "issue", "project", "lat", "lng")
#: Ideas read per query: each batch is a keyset page (id > last id), never an OFFSET.
BATCH_SIZE = 500


def _iso(value) -> str:  # noqa: ANN001
    return as_utc(value).isoformat() if value else ""


def rows(area: Area, base_url: str, batch_size: int = BATCH_SIZE) -> Iterator[dict]:
    """Every published idea of the area as a dict of COLUMNS, oldest id first, batch by batch."""
    base = base_url.rstrip("/")
    area_id, last_id = area.id, 0
    while True:
        batch = db.session.execute(
            sa.select(Idea.id, Idea.title, Idea.body, Theme.slug, Theme.title_th, Idea.vote_count, Idea.status,
                      Idea.group_id, Idea.created_at, Idea.updated_at, Idea.issue_id)
            .join(Theme, Theme.id == Idea.theme_id)
            .where(Idea.area_id == area_id, Idea.visible(), Idea.id > last_id)
            .order_by(Idea.id)
            .limit(batch_size)
        ).all()
        if not batch:
            return
        from idea4gov.places.geo import Point
        from idea4gov.places.services import locations_of, public_point
        from idea4gov.projects.services import project_ids_of

        ids = [row.id for row in batch]
        projects, exact = project_ids_of(ids), locations_of(ids)
        points = {idea_id: public_point(Point(p.lat, p.lng), area) for idea_id, p in exact.items()}
        for row in batch:
            yield {
                "id": row.id, "title": row.title, "body": exports.plain_text(row.body), "theme": row.slug,
                "theme_title": row.title_th, "supporters": row.vote_count, "status": row.status.value,
                "group": row.group_id, "created_at": _iso(row.created_at), "updated_at": _iso(row.updated_at),
                "url": f"{base}/ideas/{row.id}", "issue": row.issue_id, "project": projects.get(row.id),
                "lat": points[row.id].lat if row.id in points else None,
                "lng": points[row.id].lng if row.id in points else None,
            }
        last_id = batch[-1].id


def csv_chunks(area: Area, base_url: str) -> Iterator[str]:
    return exports.csv_chunks(COLUMNS, ([row[c] for c in COLUMNS] for row in rows(area, base_url)))


def json_chunks(area: Area, base_url: str, licence: str, licence_url: str) -> Iterator[str]:
    """One JSON document, written piece by piece: metadata first, then the ideas array."""
    parent = db.session.scalar(sa.select(Area.slug).where(Area.id == area.parent_id)) if area.parent_id else None
    head = {
        "area": {"slug": area.slug, "name_th": area.name_th, "name_en": area.name_en, "parent": parent,
                 "status": area.state, "iap2_level": area.iap2_level.value if area.iap2_level else None,
                 "promise_th": area.promise_th, "promise_en": area.promise_en},
        "licence": licence,
        "licence_url": licence_url,
        "columns": list(COLUMNS),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "ideas": ['
    buffer: list[str] = []
    first = True
    for row in rows(area, base_url):
        buffer.append(("" if first else ",") + "\n" + json.dumps(row, ensure_ascii=False))
        first = False
        if len(buffer) >= exports.CSV_CHUNK_ROWS:
            yield "".join(buffer)
            buffer.clear()
    yield "".join(buffer) + "\n]}\n"
