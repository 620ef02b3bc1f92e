"""Themes (โจทย์) of an area: add, rename, reorder, open and close. Admins and the area's
organisers do this; every change is audited. Services flush, never commit."""
from __future__ import annotations

import re

import sqlalchemy as sa

from idea4gov.areas.manage import NAME_MAX, NAME_MIN, SLUG_MAX, check_slug, switch_open
from idea4gov.areas.models import Area, Theme
from idea4gov.audit import services as audit
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.service_errors import ServiceError
from idea4gov.text import clean_plain


def _title(value: str, field: str) -> str:
    value = clean_plain(value)
    if not NAME_MIN <= len(value) <= NAME_MAX:
        raise ServiceError("title_length", field=field)
    return value


def _writable(area: Area) -> None:
    if area.is_archived:
        raise ServiceError("area_archived", status=409)


def _free_slug(area: Area, wanted: str) -> str:
    """A slug made from the English title, or theme-N, not yet used in the area."""
    base = re.sub(r"[^a-z0-9]+", "-", wanted.lower()).strip("-")[:SLUG_MAX - 4] or "theme"
    taken = {theme.slug for theme in area.themes}
    slug, number = base, 2
    while slug in taken or len(slug) < 2:
        slug, number = f"{base}-{number}", number + 1
    return slug


def add_theme(area: Area, title_th: str, title_en: str, actor: User | None, slug: str = "") -> Theme:
    """A new open theme at the end of the list; the slug is made from the English title when not given."""
    _writable(area)
    title_th, title_en = _title(title_th, "title_th"), _title(title_en, "title_en")
    if slug.strip():
        slug = check_slug(slug)
        if any(theme.slug == slug for theme in area.themes):
            raise ServiceError("theme_slug_taken", field="slug", status=409)
    else:
        slug = _free_slug(area, title_en)
    position = max((theme.position for theme in area.themes), default=-1) + 1
    theme = Theme(slug=slug, title_th=title_th, title_en=title_en, position=position, is_open=True)
    area.themes.append(theme)
    db.session.flush()
    audit.record(actor, "theme_create", "theme", theme.id, area_id=area.id, after=slug, reason=title_th)
    return theme


def rename_theme(theme: Theme, title_th: str, title_en: str, actor: User | None) -> bool:
    _writable(theme.area)
    title_th, title_en = _title(title_th, "title_th"), _title(title_en, "title_en")
    if (theme.title_th, theme.title_en) == (title_th, title_en):
        return False
    audit.record(actor, "theme_rename", "theme", theme.id, area_id=theme.area_id, before=theme.title_th[:40],
                 after=title_th[:40], reason=f"{theme.title_en} → {title_en}")
    theme.title_th, theme.title_en = title_th, title_en
    db.session.flush()
    return True


def move_theme(theme: Theme, step: int, actor: User | None) -> bool:
    """Move a theme up (-1) or down (+1) the area's list; positions are renumbered 0, 1, 2, …"""
    _writable(theme.area)
    themes = sorted(theme.area.themes, key=lambda t: (t.position, t.id))
    index = themes.index(theme)
    target = index + (1 if step > 0 else -1)
    if not 0 <= target < len(themes):
        return False
    themes[index], themes[target] = themes[target], themes[index]
    for position, item in enumerate(themes):
        item.position = position
    audit.record(actor, "theme_move", "theme", theme.id, area_id=theme.area_id, before=index, after=target)
    db.session.flush()
    return True


def set_theme_open(theme: Theme, is_open: bool, actor: User | None) -> bool:
    """A closed theme takes no ideas whatever its rounds say; its ideas stay."""
    _writable(theme.area)
    return switch_open(theme, is_open, actor, "theme", theme.area_id)


def theme_of(area: Area, theme_id: int) -> Theme | None:
    return db.session.scalar(sa.select(Theme).where(Theme.id == theme_id, Theme.area_id == area.id))
