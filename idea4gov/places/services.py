"""Reading and writing points: an idea's location, its public (rounded) form, ideas near a point,
and the markers of an area's map.

    from idea4gov.places import services as places
    places.validated_point(area, lat, lng)      # Point or None; GeoError with a code otherwise
    places.set_idea_location(idea, point, source)
    places.public_point(point, area)            # rounded to the area's setting (~100 m)
    places.nearby_ideas(area, point, radius_m)  # [(idea, distance in metres)], nearest first
"""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from idea4gov.areas.models import Area
from idea4gov.areas.settings import bounding_box, settings_of
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea
from idea4gov.places.geo import GeoError, Point, box_around, check_inside, distance_m, parse_point, round_point
from idea4gov.places.models import IdeaLocation, PlaceSource

#: "Someone reported this here already": ideas within this many metres of the chosen point.
NEARBY_RADIUS_M = 250
#: Most markers one map request returns (clusters make thousands readable; more is a list's job).
MAP_MAX_MARKERS = 3000

__all__ = ["GeoError", "Point", "PlaceSource", "validated_point", "set_idea_location", "public_point",
           "locations_of", "nearby_ideas", "NEARBY_RADIUS_M"]


def validated_point(area: Area, lat: object, lng: object) -> Point | None:
    """The point typed or picked for something in `area`: inside the area's bounding box, or
    Thailand when it has none. None when both are empty; GeoError (with a code) otherwise."""
    point = parse_point(lat, lng)
    if point is not None:
        check_inside(point, bounding_box(area))
    return point


def set_idea_location(idea: Idea, point: Point | None, source: PlaceSource = PlaceSource.typed) -> None:
    """Store (or clear) the idea's exact point; the caller validated it with `validated_point`."""
    row = db.session.get(IdeaLocation, idea.id) if idea.id is not None else None
    if point is None:
        if row is not None:
            db.session.delete(row)
        return
    if row is None:
        db.session.add(IdeaLocation(idea_id=idea.id, lat=point.lat, lng=point.lng, source=source))
    else:
        row.lat, row.lng, row.source = point.lat, point.lng, source


def public_point(point: Point, area: Area | int) -> Point:
    """The point as everyone but the area's officers sees it: rounded to the area's setting."""
    return round_point(point, settings_of(area).location_precision_m)


def locations_of(idea_ids: Iterable[int]) -> dict[int, Point]:
    """Exact points of these ideas (one query)."""
    ids = list(set(idea_ids))
    if not ids:
        return {}
    rows = db.session.execute(sa.select(IdeaLocation.idea_id, IdeaLocation.lat, IdeaLocation.lng)
                              .where(IdeaLocation.idea_id.in_(ids)))
    return {idea_id: Point(lat, lng) for idea_id, lat, lng in rows}


def public_locations(ideas: Iterable[Idea]) -> dict[int, Point]:
    """Rounded points of these ideas, each by its own area's setting (one query, areas are loaded)."""
    ideas = list(ideas)
    exact = locations_of(idea.id for idea in ideas)
    return {idea.id: public_point(exact[idea.id], idea.area) for idea in ideas if idea.id in exact}


def nearby_ideas(area: Area, point: Point, radius_m: float = NEARBY_RADIUS_M, limit: int = 20,
                 exclude: set[int] | None = None) -> list[tuple[Idea, float]]:
    """Published ideas of the area (not merged away) whose public point lies within `radius_m` of
    `point`, nearest first. Distances use the rounded points, so repeated questions never reveal
    anyone's exact location."""
    box = box_around(point, radius_m + settings_of(area).location_precision_m)
    rows = db.session.execute(
        sa.select(Idea, IdeaLocation.lat, IdeaLocation.lng)
        .join(IdeaLocation, IdeaLocation.idea_id == Idea.id)
        .where(Idea.area_id == area.id, Idea.visible(), Idea.merged_into_id.is_(None),
               IdeaLocation.lat.between(box.south, box.north), IdeaLocation.lng.between(box.west, box.east))
        .limit(2000)).all()
    found = []
    for idea, lat, lng in rows:
        if exclude and idea.id in exclude:
            continue
        distance = distance_m(point, public_point(Point(lat, lng), area))
        if distance <= radius_m:
            found.append((idea, distance))
    found.sort(key=lambda pair: (pair[1], -pair[0].vote_count, pair[0].id))
    return found[:limit]
