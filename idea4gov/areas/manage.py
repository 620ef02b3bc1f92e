"""Creating and changing areas without code: names, place in the hierarchy, promise, open,
close, archive. Used by the admin pages and `flask areas`; every change is audited, nothing
is ever deleted. Services flush, never commit."""
from __future__ import annotations

import re
from dataclasses import dataclass, fields

import sqlalchemy as sa

from idea4gov.areas import iap2
from idea4gov.areas.models import Area, IAP2Level, Theme
from idea4gov.areas.tree import descendant_ids
from idea4gov.audit import services as audit
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.service_errors import ServiceError
from idea4gov.text import clean_plain, normalize_input
from idea4gov.timeutil import utcnow

#: Lower-case letters, digits and single hyphens: it is part of addresses and file names.
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MIN, SLUG_MAX = 2, 64
NAME_MIN, NAME_MAX = 2, 200
DESCRIPTION_MAX = 5000
#: One paragraph.
PROMISE_MIN, PROMISE_MAX = 20, 1000


@dataclass(frozen=True)
class AreaInput:
    """What an admin types; None leaves a field as it is (on update)."""

    name_th: str | None = None
    name_en: str | None = None
    description_th: str | None = None
    description_en: str | None = None
    #: Slug of the parent area; "" for a top-level area.
    parent: str | None = None
    #: An IAP2Level value; "" for none stated.
    iap2_level: str | None = None
    promise_th: str | None = None
    promise_en: str | None = None


def check_slug(slug: str) -> str:
    slug = (slug or "").strip()
    if not (SLUG_MIN <= len(slug) <= SLUG_MAX and SLUG_PATTERN.match(slug)):
        raise ServiceError("slug_invalid", field="slug")
    return slug


def _paragraph(value: str) -> str:
    """One paragraph of plain text: line breaks and runs of spaces become one space."""
    return " ".join(clean_plain(value).split())


def _cleaned(data: AreaInput, area: Area | None) -> dict:
    """Checked, cleaned values of the fields given (ServiceError on the first problem)."""
    values: dict = {}
    for name in ("name_th", "name_en"):
        value = getattr(data, name)
        if value is not None:
            value = clean_plain(value)
            if not NAME_MIN <= len(value) <= NAME_MAX:
                raise ServiceError("name_length", field=name)
            values[name] = value
    for name in ("description_th", "description_en"):
        value = getattr(data, name)
        if value is not None:
            value = clean_plain(value)
            if len(value) > DESCRIPTION_MAX:
                raise ServiceError("description_too_long", field=name)
            values[name] = value
    if data.parent is not None:
        values["parent_id"] = _parent_id(data.parent.strip(), area)
    if data.iap2_level is not None:
        try:
            values["iap2_level"] = IAP2Level(data.iap2_level) if data.iap2_level else None
        except ValueError:
            raise ServiceError("iap2_invalid", field="iap2_level") from None
    for name in ("promise_th", "promise_en"):
        value = getattr(data, name)
        if value is not None:
            value = _paragraph(value)
            if value and not PROMISE_MIN <= len(value) <= PROMISE_MAX:
                raise ServiceError("promise_length", field=name)
            values[name] = value
    level = values["iap2_level"] if "iap2_level" in values else (area.iap2_level if area else None)
    if level is not None:
        # A level stated without a promise of one's own gets IAP2's standard promise, in writing.
        standard_th, standard_en = iap2.STANDARD_PROMISES[level]
        if not values.get("promise_th", area.promise_th if area else ""):
            values["promise_th"] = standard_th
        if not values.get("promise_en", area.promise_en if area else ""):
            values["promise_en"] = standard_en
    elif values.get("promise_th") or values.get("promise_en"):
        raise ServiceError("promise_needs_level", field="iap2_level")
    return values


def _parent_id(slug: str, area: Area | None) -> int | None:
    if not slug:
        return None
    parent = db.session.scalar(sa.select(Area).where(Area.slug == slug))
    if parent is None:
        raise ServiceError("parent_not_found", field="parent")
    if area is not None and parent.id == area.parent_id:
        return parent.id  # unchanged, even under an archived parent
    if parent.is_archived:
        raise ServiceError("parent_archived", field="parent")
    if area is not None and (parent.id == area.id or parent.id in descendant_ids(area.id)):
        raise ServiceError("parent_cycle", field="parent")
    return parent.id


def _require_not_archived(area: Area) -> None:
    if area.is_archived:
        raise ServiceError("area_archived", status=409)


def create_area(slug: str, data: AreaInput, actor: User | None, is_open: bool = True) -> Area:
    """A new area (open unless said otherwise), with default settings."""
    slug = check_slug(slug)
    if db.session.scalar(sa.select(Area.id).where(Area.slug == slug)) is not None:
        raise ServiceError("slug_taken", field="slug", status=409)
    if data.name_th is None or data.name_en is None:
        raise ServiceError("name_length", field="name_th" if data.name_th is None else "name_en")
    values = {"description_th": "", "description_en": "", **_cleaned(data, None)}
    area = Area(slug=slug, is_open=is_open, **values)
    db.session.add(area)
    db.session.flush()
    audit.record(actor, "area_create", "area", area.id, area_id=area.id, after=slug,
                 reason=_parent_slug(area.parent_id))
    return area


def update_area(area: Area, data: AreaInput, actor: User | None) -> list[str]:
    """Change what was given; one audit entry per changed field. Returns the fields changed."""
    _require_not_archived(area)
    values = _cleaned(data, area)
    changed = []
    for name, value in values.items():
        before = getattr(area, name)
        if before == value:
            continue
        setattr(area, name, value)
        changed.append(name)
        if name == "parent_id":
            # Moving an area moves what is below it too; its ideas, themes and rounds stay with it.
            audit.record(actor, "area_move", "area", area.id, area_id=area.id,
                         before=_parent_slug(before), after=_parent_slug(value))
        else:
            audit.record(actor, "area_update", "area", area.id, area_id=area.id,
                         before=_short(before), after=_short(value), reason=name)
    db.session.flush()
    return changed


def _short(value: object) -> object:
    return value[:40] if isinstance(value, str) else value


def _parent_slug(parent_id: int | None) -> str:
    if parent_id is None:
        return ""
    return db.session.scalar(sa.select(Area.slug).where(Area.id == parent_id)) or ""


def set_open(area: Area, is_open: bool, actor: User | None) -> bool:
    """Open or close an area for new ideas; False when it already was."""
    _require_not_archived(area)
    return switch_open(area, is_open, actor, "area", area.id)


def switch_open(target: Area | Theme, is_open: bool, actor: User | None, kind: str, area_id: int) -> bool:
    """Set `is_open` of an area or a theme, audited as `<kind>_open` or `<kind>_close`; False when unchanged."""
    if target.is_open == is_open:
        return False
    target.is_open = is_open
    audit.record(actor, f"{kind}_open" if is_open else f"{kind}_close", kind, target.id, area_id=area_id,
                 before="closed" if is_open else "open", after="open" if is_open else "closed")
    db.session.flush()
    return True


def archive(area: Area, actor: User | None, reason: str = "") -> bool:
    """Make an area read-only everywhere (closed too); nothing is deleted. False when it already was."""
    if area.is_archived:
        return False
    before = area.state
    area.is_open = False
    area.archived_at = utcnow()
    audit.record(actor, "area_archive", "area", area.id, area_id=area.id, before=before, after="archived",
                 reason=normalize_input(reason)[:500])
    db.session.flush()
    return True


def unarchive(area: Area, actor: User | None) -> bool:
    """Take an area out of the archive; it comes back closed (open it when it is ready)."""
    if not area.is_archived:
        return False
    area.archived_at = None
    audit.record(actor, "area_unarchive", "area", area.id, area_id=area.id, before="archived", after="closed")
    db.session.flush()
    return True


def input_from(values: dict) -> AreaInput:
    """An AreaInput from a mapping with the same names (a form's `data`, a command's options)."""
    return AreaInput(**{f.name: values.get(f.name) for f in fields(AreaInput)})
