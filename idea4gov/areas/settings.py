"""The one accessor for an area's settings, and the one way to change them (audited).

    from idea4gov.areas.settings import settings_of
    settings_of(area).moderation_mode          # or settings_of(area_id)
    settings_of(area_id).days_to_first_answer

Settings live in table `area_settings` (model `AreaSettings`, one row per area, made with the
area): moderation mode, auto-hide threshold, days to first answer, whether votes and comments
follow the rounds of the idea's theme, whether voting or posting needs a verified identity
(ThaiD / Digital ID, `idea4gov.oidc`), the proof-of-action rule (share of "not done" answers and
the fewest answers that count), how precisely residents' points are shown, and the optional
bounding box of the area (`bounding_box(area)`).
"""
from __future__ import annotations

from idea4gov.areas.models import Area, AreaSettings, ModerationMode
from idea4gov.audit import services as audit
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.service_errors import ServiceError

#: Setting name -> (lowest, highest) for the whole-number ones.
RANGES = {"auto_hide_reports": (1, 100), "days_to_first_answer": (1, 365), "dispute_share_percent": (1, 100),
          "dispute_min_responses": (1, 1000), "location_precision_m": (10, 10000)}
FLAGS = ("votes_follow_rounds", "comments_follow_rounds", "verified_to_vote", "verified_to_post")
#: `bounding_box` takes a `idea4gov.places.geo.BBox` or None.
NAMES = ("moderation_mode", *RANGES, *FLAGS, "bounding_box")
BBOX_COLUMNS = ("bbox_south", "bbox_west", "bbox_north", "bbox_east")


def settings_of(area: Area | int) -> AreaSettings:
    """The area's settings (no query when the area is loaded: they come joined with it)."""
    if isinstance(area, Area):
        settings = area.settings
        area_id = area.id
    else:
        settings = db.session.get(AreaSettings, area)
        area_id = area
    # Every area has its row; an unsaved row of defaults only stands in should one be missing.
    return settings if settings is not None else AreaSettings(area_id=area_id)


def bounding_box(area: Area | int):  # noqa: ANN201
    """The area's bounding box (`idea4gov.places.geo.BBox`), or None when it has none."""
    return settings_of(area).bounding_box


def _bbox_text(box) -> str:  # noqa: ANN001
    return "" if box is None else ",".join(f"{value:.4f}".rstrip("0").rstrip(".") for value in box.as_list())


def save_settings(area: Area, actor: User | None, **values: object) -> list[str]:
    """Change some settings; one audit entry per changed value. Returns the names changed."""
    unknown = set(values) - set(NAMES)
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    if area.is_archived:
        raise ServiceError("area_archived", status=409)
    row = area.settings
    if row is None:
        row = area.settings = AreaSettings()
    changed = []
    for name, value in values.items():
        if name == "bounding_box":
            before = bounding_box(area)
            if before != value:
                for column, side in zip(BBOX_COLUMNS, value.as_list() if value else [None] * 4, strict=True):
                    setattr(row, column, side)
                audit.record(actor, "area_settings", "area", area.id, area_id=area.id, before=_bbox_text(before),
                             after=_bbox_text(value), reason=name)
                changed.append(name)
            continue
        if name == "moderation_mode":
            value = ModerationMode(value)
        elif name in RANGES:
            low, high = RANGES[name]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise ServiceError(f"{name}_range", field=name)
        else:
            value = bool(value)
        before = getattr(row, name)
        if before != value:
            setattr(row, name, value)
            audit.record(actor, "area_settings", "area", area.id, area_id=area.id, before=before, after=value,
                         reason=name)
            changed.append(name)
    db.session.flush()
    return changed
