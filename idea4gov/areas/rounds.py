"""Rounds (รอบรับฟังความคิดเห็น): when a theme takes ideas, and (per area setting) votes and comments.

A theme in no round takes ideas whenever it is open. A theme in one or more rounds takes
them only while one of its rounds is open: from `opens_at` until just before `closes_at`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from idea4gov.areas.models import Area, Round, Theme, round_themes
from idea4gov.areas.settings import settings_of
from idea4gov.extensions import db
from idea4gov.service_errors import ServiceError
from idea4gov.timeutil import as_utc, utcnow


@dataclass(frozen=True)
class Window:
    """Where a theme stands at one moment."""

    #: `always` (in no round), `open`, `upcoming` (a round is yet to open), `ended` (every round is over).
    state: str
    #: The round open now, if any.
    current: Round | None = None
    #: The next round of the theme to open, if any.
    next: Round | None = None

    @property
    def in_round(self) -> bool:
        return self.state in ("always", "open")

    @property
    def next_opens_at(self) -> datetime | None:
        return as_utc(self.next.opens_at) if self.next is not None else None


def is_open_at(round_: Round, at: datetime) -> bool:
    return as_utc(round_.opens_at) <= at < as_utc(round_.closes_at)


def round_state(round_: Round, at: datetime | None = None) -> str:
    """`upcoming`, `open` or `ended`."""
    at = as_utc(at or utcnow())
    if at < as_utc(round_.opens_at):
        return "upcoming"
    return "open" if at < as_utc(round_.closes_at) else "ended"


def window_of(rounds: list[Round], at: datetime | None = None) -> Window:
    """The window of a theme given all of its rounds."""
    if not rounds:
        return Window("always")
    at = as_utc(at or utcnow())
    current = min((r for r in rounds if is_open_at(r, at)), key=lambda r: as_utc(r.closes_at), default=None)
    upcoming = min((r for r in rounds if as_utc(r.opens_at) > at), key=lambda r: as_utc(r.opens_at), default=None)
    if current is not None:
        return Window("open", current, upcoming)
    return Window("upcoming" if upcoming is not None else "ended", None, upcoming)


def rounds_of_area(area: Area | int) -> list[Round]:
    """Every round of the area with its themes, earliest first (two queries)."""
    area_id = area.id if isinstance(area, Area) else area
    return list(db.session.scalars(
        sa.select(Round).where(Round.area_id == area_id).options(selectinload(Round.themes))
        .order_by(Round.opens_at, Round.id)))


def rounds_of_areas(area_ids: list[int]) -> dict[int, list[Round]]:
    """Rounds of several areas at once (two queries), for lists of areas."""
    found: dict[int, list[Round]] = {area_id: [] for area_id in area_ids}
    if area_ids:
        for round_ in db.session.scalars(
                sa.select(Round).where(Round.area_id.in_(area_ids)).options(selectinload(Round.themes))
                .order_by(Round.opens_at, Round.id)):
            found[round_.area_id].append(round_)
    return found


@dataclass(frozen=True)
class AreaRounds:
    """An area's rounds and each theme's window at one moment, computed once per page."""

    rounds: list[Round]
    #: Theme id -> its rounds.
    by_theme: dict[int, list[Round]]
    windows: dict[int, Window]
    at: datetime

    @property
    def current(self) -> list[Round]:
        return [r for r in self.rounds if is_open_at(r, self.at)]

    @property
    def next(self) -> Round | None:
        return min((r for r in self.rounds if as_utc(r.opens_at) > self.at), key=lambda r: as_utc(r.opens_at),
                   default=None)

    @property
    def next_change(self) -> datetime | None:
        """When a round of the area next opens or closes: what the area page shows holds until then."""
        moments = [as_utc(m) for r in self.rounds for m in (r.opens_at, r.closes_at) if as_utc(m) > self.at]
        return min(moments, default=None)

    def state(self, round_: Round) -> str:
        return round_state(round_, self.at)

    def window(self, theme: Theme) -> Window:
        return self.windows.get(theme.id, Window("always"))

    def window_at(self, theme: Theme, at: datetime) -> Window:
        """The theme's window at another moment (a paper form's date), with no query."""
        return window_of(self.by_theme.get(theme.id, []), at)

    def accepting(self, themes: list[Theme]) -> list[Theme]:
        """The themes that take ideas now: open, and in no round or in an open one."""
        return [theme for theme in themes if theme.is_open and self.window(theme).in_round]


def area_rounds(area: Area, rounds: list[Round] | None = None, at: datetime | None = None) -> AreaRounds:
    at = as_utc(at or utcnow())
    rounds = rounds_of_area(area) if rounds is None else rounds
    by_theme: dict[int, list[Round]] = {}
    for round_ in rounds:
        for theme in round_.themes:
            by_theme.setdefault(theme.id, []).append(round_)
    windows = {theme.id: window_of(by_theme.get(theme.id, []), at) for theme in area.themes}
    return AreaRounds(rounds, by_theme, windows, at)


def theme_window(theme: Theme | int, at: datetime | None = None) -> Window:
    """One theme's window (one query)."""
    theme_id = theme.id if isinstance(theme, Theme) else theme
    rounds = list(db.session.scalars(
        sa.select(Round).join(round_themes, round_themes.c.round_id == Round.id)
        .where(round_themes.c.theme_id == theme_id)))
    return window_of(rounds, at)


def check_theme_takes_ideas(theme: Theme, at: datetime | None = None, schedule: AreaRounds | None = None) -> None:
    """Refuse (`round_closed`, with the next round's opening) when the theme is outside its rounds
    (`schedule`: the area's, when the caller read it already: no query)."""
    window = theme_window(theme, at) if schedule is None else schedule.window_at(theme, as_utc(at or utcnow()))
    if not window.in_round:
        raise ServiceError("round_closed", field="theme", status=403, next_opens_at=window.next_opens_at)


def check_engagement(area: Area, theme_id: int, kind: str, window: Window | None = None) -> None:
    """Votes (`kind="votes"`) and comments (`"comments"`) on an idea of this area and theme.

    Refused in an archived area; when the area's setting says they follow the rounds,
    refused while no round of the theme is open (`window`: the theme's, when already read).
    """
    if area.is_archived:
        raise ServiceError("area_archived", status=403)
    if getattr(settings_of(area), f"{kind}_follow_rounds"):
        window = window or theme_window(theme_id)
        if not window.in_round:
            raise ServiceError(f"round_closed_{kind}", status=403, next_opens_at=window.next_opens_at)
