"""Rounds of an area (รอบรับฟังความคิดเห็น): create, edit, delete one not yet opened.
Admins and the area's organisers do this; every change is audited. Services flush, never commit."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from idea4gov.areas.manage import NAME_MAX, NAME_MIN
from idea4gov.areas.models import Area, Round, Theme
from idea4gov.audit import services as audit
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.service_errors import ServiceError
from idea4gov.text import clean_plain
from idea4gov.timeutil import as_utc, to_bangkok, utcnow

DESCRIPTION_MAX = 2000


@dataclass(frozen=True)
class RoundInput:
    title_th: str
    title_en: str
    #: Aware datetimes (the forms and the command line read Bangkok time).
    opens_at: datetime
    closes_at: datetime
    theme_ids: list[int] = field(default_factory=list)
    description_th: str = ""
    description_en: str = ""


def _checked(area: Area, data: RoundInput) -> dict:
    values: dict = {}
    for name in ("title_th", "title_en"):
        value = clean_plain(getattr(data, name))
        if not NAME_MIN <= len(value) <= NAME_MAX:
            raise ServiceError("title_length", field=name)
        values[name] = value
    for name in ("description_th", "description_en"):
        value = clean_plain(getattr(data, name))
        if len(value) > DESCRIPTION_MAX:
            raise ServiceError("description_too_long", field=name)
        values[name] = value
    if data.opens_at is None or data.closes_at is None:
        raise ServiceError("round_dates", field="opens_at" if data.opens_at is None else "closes_at")
    opens_at, closes_at = as_utc(data.opens_at), as_utc(data.closes_at)
    if closes_at <= opens_at:
        raise ServiceError("round_dates", field="closes_at")
    values["opens_at"], values["closes_at"] = opens_at, closes_at
    if not data.theme_ids:
        raise ServiceError("round_needs_theme", field="theme_ids")
    themes = [theme for theme in area.themes if theme.id in set(data.theme_ids)]
    if len(themes) != len(set(data.theme_ids)):
        raise ServiceError("theme_not_in_area", field="theme_ids")
    values["themes"] = themes
    return values


def _when(value: datetime) -> str:
    return f"{to_bangkok(value):%Y-%m-%d %H:%M}"


def save_round(area: Area, data: RoundInput, actor: User | None, round_: Round | None = None) -> Round:
    """Create a round, or change one; the audit log keeps its dates and themes before and after."""
    if area.is_archived:
        raise ServiceError("area_archived", status=409)
    values = _checked(area, data)
    created = round_ is None
    if created:
        round_ = Round(area_id=area.id)
        db.session.add(round_)
    before = {} if created else _summary(round_)
    for name, value in values.items():
        setattr(round_, name, value)
    db.session.flush()
    after = _summary(round_)
    if created:
        audit.record(actor, "round_create", "round", round_.id, area_id=area.id, after=after["opens_at"],
                     reason=f"{round_.title_th}; {after['opens_at']} → {after['closes_at']} (Bangkok); "
                            f"themes: {after['themes']}")
    else:
        for name, value in after.items():
            if before[name] != value:
                audit.record(actor, "round_update", "round", round_.id, area_id=area.id,
                             before=before[name][:40], after=value[:40], reason=name)
    return round_


def _summary(round_: Round) -> dict[str, str]:
    """What the audit log keeps of a round, as text."""
    return {"title_th": round_.title_th, "title_en": round_.title_en, "opens_at": _when(round_.opens_at),
            "closes_at": _when(round_.closes_at), "themes": ",".join(theme.slug for theme in round_.themes)}


def delete_round(round_: Round, actor: User | None) -> None:
    """Only a round that has not opened yet may go: no idea can have come in through it."""
    if round_.area.is_archived:
        raise ServiceError("area_archived", status=409)
    if as_utc(round_.opens_at) <= utcnow():
        raise ServiceError("round_started", status=409)
    audit.record(actor, "round_delete", "round", round_.id, area_id=round_.area_id, before=round_.title_th[:40],
                 reason=f"{_when(round_.opens_at)} → {_when(round_.closes_at)} (Bangkok)")
    db.session.delete(round_)
    db.session.flush()


def round_of(area: Area, round_id: int) -> Round | None:
    return db.session.scalar(sa.select(Round).where(Round.id == round_id, Round.area_id == area.id))


def theme_ids_by_slug(area: Area, slugs: list[str]) -> list[int]:
    """Theme ids for the command line's --theme SLUG options (ServiceError for an unknown slug)."""
    found: dict[str, Theme] = {theme.slug: theme for theme in area.themes}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise ServiceError("theme_not_in_area", field="theme_ids")
    return [found[slug].id for slug in slugs]
