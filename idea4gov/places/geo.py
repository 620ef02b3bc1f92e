"""Coordinates: parsing what people type, checking bounds, rounding for display, distances.

Everything here is plain Python (no Flask, no database) so the rules are the same for the web
form, the API and the tests. Errors are `GeoError(code)`; `idea4gov.places.messages` turns a
code into Thai or English.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

#: Thailand's extent with a small margin (south tip ~5.6°N, north ~20.5°N, west ~97.3°E, east ~105.7°E).
THAILAND = (5.5, 97.2, 20.6, 105.8)
#: Metres in one degree of latitude (and of longitude at the equator).
METRES_PER_DEGREE = 111_320.0
#: Longest coordinate text accepted (13.756331 is 9 characters).
MAX_TEXT = 24
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{1,10})?|\.\d{1,10})$")


class GeoError(ValueError):
    """A coordinate that cannot be used; `code` names why, `field` which input."""

    def __init__(self, code: str, field: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class Point:
    lat: float
    lng: float


@dataclass(frozen=True)
class BBox:
    """South, west, north, east in degrees."""

    south: float
    west: float
    north: float
    east: float

    def contains(self, point: Point) -> bool:
        return self.south <= point.lat <= self.north and self.west <= point.lng <= self.east

    def as_list(self) -> list[float]:
        return [self.south, self.west, self.north, self.east]


THAILAND_BOX = BBox(*THAILAND)


def _number(raw: object, field: str) -> float:
    """One coordinate from text or a JSON number: plain decimals only (no NaN, infinity, 1e309, commas)."""
    if isinstance(raw, bool):
        raise GeoError("coordinate_invalid", field)
    if isinstance(raw, (int, float)):
        value = float(raw)
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).translate(_THAI_DIGITS).strip().replace("°", "")
        if len(text) > MAX_TEXT or not _NUMBER.match(text):
            raise GeoError("coordinate_invalid", field)
        value = float(text)
    else:
        raise GeoError("coordinate_invalid", field)
    if not math.isfinite(value):
        raise GeoError("coordinate_invalid", field)
    return value


def parse_point(lat: object, lng: object) -> Point | None:
    """A point from two inputs; None when both are empty. A lone "13.75, 100.50" pasted into the
    latitude field (as maps apps copy it) is split. GeoError for anything else."""
    empty = [value is None or (isinstance(value, str) and not value.strip()) for value in (lat, lng)]
    if all(empty):
        return None
    if empty[1] and isinstance(lat, str) and lat.count(",") == 1:
        lat, lng = (part.strip() for part in lat.split(","))
        empty = [not lat, not lng]
    if empty[0]:
        raise GeoError("latitude_missing", "lat")
    if empty[1]:
        raise GeoError("longitude_missing", "lng")
    point = Point(_number(lat, "lat"), _number(lng, "lng"))
    if not -90 <= point.lat <= 90:
        raise GeoError("latitude_range", "lat")
    if not -180 <= point.lng <= 180:
        raise GeoError("longitude_range", "lng")
    return point


def check_inside(point: Point, box: BBox | None) -> None:
    """Inside the area's bounding box when it has one, otherwise inside Thailand."""
    if box is not None:
        if not box.contains(point):
            raise GeoError("outside_area", "lat")
    elif not THAILAND_BOX.contains(point):
        raise GeoError("outside_thailand", "lat")


def parse_bbox(text: str | None) -> BBox | None:
    """`south, west, north, east` (e.g. "13.25, 100.90, 13.33, 100.96"); empty is None."""
    text = unicodedata.normalize("NFKC", text or "").translate(_THAI_DIGITS).strip()
    if not text:
        return None
    parts = [part.strip() for part in re.split(r"[,\s]+", text) if part.strip()]
    if len(parts) != 4:
        raise GeoError("bbox_format", "bounding_box")
    try:
        south, west, north, east = (_number(part, "bounding_box") for part in parts)
    except GeoError:
        raise GeoError("bbox_format", "bounding_box") from None
    box = BBox(south, west, north, east)
    if not (south < north and west < east):
        raise GeoError("bbox_order", "bounding_box")
    if not (THAILAND_BOX.contains(Point(south, west)) and THAILAND_BOX.contains(Point(north, east))):
        raise GeoError("bbox_outside_thailand", "bounding_box")
    return box


def parse_polygon(text: str | None, box: BBox | None, max_points: int = 200) -> list[Point] | None:
    """A polygon typed as one "lat, lng" pair a line (3 to `max_points` corners); empty is None."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        return None
    if len(lines) < 3:
        raise GeoError("polygon_too_few", "polygon")
    if len(lines) > max_points:
        raise GeoError("polygon_too_many", "polygon")
    points = []
    for line in lines:
        parts = [part for part in re.split(r"[,\s]+", line) if part]
        if len(parts) != 2:
            raise GeoError("polygon_format", "polygon")
        try:
            point = parse_point(parts[0], parts[1])
            check_inside(point, box)
        except GeoError as error:
            raise GeoError(error.code if error.code.startswith("outside") else "polygon_format", "polygon") from None
        points.append(point)
    return points


def round_point(point: Point, metres: int) -> Point:
    """Snap to a grid about `metres` wide, so an exact location is never shown more precisely."""
    step = max(metres, 1) / METRES_PER_DEGREE
    return Point(round(round(point.lat / step) * step, 6), round(round(point.lng / step) * step, 6))


def distance_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres (haversine)."""
    radius = 6_371_000.0
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlng = lat2 - lat1, math.radians(b.lng - a.lng)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlng / 2) ** 2
    return 2 * radius * math.asin(min(1.0, math.sqrt(h)))


def box_around(point: Point, metres: float) -> BBox:
    """A bounding box holding every point within `metres` (for an index-friendly prefilter)."""
    dlat = metres / METRES_PER_DEGREE
    dlng = metres / (METRES_PER_DEGREE * max(math.cos(math.radians(point.lat)), 0.01))
    return BBox(point.lat - dlat, point.lng - dlng, point.lat + dlat, point.lng + dlng)
