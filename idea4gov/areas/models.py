"""Areas (a hierarchy: province → municipality → community), their settings, themes (โจทย์)
and rounds (รอบรับฟังความคิดเห็น)."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from idea4gov.extensions import db
from idea4gov.timeutil import utcnow

#: Days an area gives itself to answer a new idea, unless its settings say otherwise.
DEFAULT_DAYS_TO_FIRST_ANSWER = 14
#: Distinct residents' reports that hide an item until a moderator decides, by default.
DEFAULT_AUTO_HIDE_REPORTS = 3
#: Proof of action: an implemented idea or done project is disputed when at least this share (%) of
#: at least this many responders say it is not done.
DEFAULT_DISPUTE_SHARE_PERCENT = 50
DEFAULT_DISPUTE_MIN_RESPONSES = 3
#: Residents' points are shown publicly rounded to about this many metres.
DEFAULT_LOCATION_PRECISION_M = 100


class ModerationMode(enum.Enum):
    """Pre-moderation: nothing new is public until a moderator approves it."""

    pre = "pre"
    post = "post"


class IAP2Level(enum.Enum):
    """The area's promise on the IAP2 spectrum of public participation, weakest first."""

    inform = "inform"
    consult = "consult"
    involve = "involve"
    collaborate = "collaborate"
    empower = "empower"


class Area(db.Model):
    __tablename__ = "areas"
    __table_args__ = (
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        # An archived area is read-only: it is closed too.
        sa.CheckConstraint("archived_at IS NULL OR NOT is_open", name="archived_is_closed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Permanent: used in addresses, exports and the API; never changed after creation.
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: 2–6 capital letters that start the reference numbers of the area's ideas (SSK-2569-00042);
    #: derived from the slug when the area is created (`idea4gov.receipts`), never reused.
    ref_code: Mapped[Optional[str]] = mapped_column(sa.String(6), unique=True, index=True)
    name_th: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    description_th: Mapped[str] = mapped_column(sa.Text, default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="")
    #: The area this one belongs to (a municipality's province); NULL for a top-level area.
    #: Cycles are refused by the service (`idea4gov.areas.manage`). Areas are never deleted; the
    #: database refuses to delete one with sub-areas (checked per statement, so a whole table can go).
    parent_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("areas.id"), index=True)
    #: A closed area can be read but takes no new ideas.
    is_open: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    #: Set when an admin archives the area: read-only everywhere, nothing deleted.
    archived_at: Mapped[Optional[datetime]] = mapped_column(sa.DateTime(timezone=True))
    #: What the area promises residents on the IAP2 spectrum; NULL until it is stated.
    iap2_level: Mapped[Optional[IAP2Level]] = mapped_column(
        sa.Enum(IAP2Level, native_enum=False, create_constraint=True, length=12))
    #: One paragraph: what happens with residents' input (plain text).
    promise_th: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    promise_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    themes: Mapped[list["Theme"]] = relationship(
        back_populates="area", order_by="Theme.position", cascade="all, delete-orphan"
    )
    parent: Mapped[Optional["Area"]] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Area"]] = relationship(back_populates="parent", order_by="Area.name_th")
    #: Always present (made with the area); joined so reading a setting costs no query.
    settings: Mapped["AreaSettings"] = relationship(
        back_populates="area", lazy="joined", cascade="all, delete-orphan", uselist=False)

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        kwargs.setdefault("settings", AreaSettings())
        super().__init__(**kwargs)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def state(self) -> str:
        """`open`, `closed` or `archived`."""
        if self.archived_at is not None:
            return "archived"
        return "open" if self.is_open else "closed"

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_th

    def description(self, locale: str) -> str:
        return self.description_en if locale == "en" and self.description_en else self.description_th

    def promise(self, locale: str) -> str:
        return self.promise_en if locale == "en" and self.promise_en else self.promise_th

    def __repr__(self) -> str:
        return f"<Area {self.slug}>"


class AreaSettings(db.Model):
    """The one place for an area's settings; read them with `idea4gov.areas.settings.settings_of`."""

    __tablename__ = "area_settings"
    __table_args__ = (
        sa.CheckConstraint("auto_hide_reports >= 1", name="auto_hide_reports_positive"),
        sa.CheckConstraint("days_to_first_answer BETWEEN 1 AND 365", name="days_range"),
        sa.CheckConstraint("dispute_share_percent BETWEEN 1 AND 100", name="dispute_share_range"),
        sa.CheckConstraint("dispute_min_responses BETWEEN 1 AND 1000", name="dispute_min_range"),
        sa.CheckConstraint("location_precision_m BETWEEN 10 AND 10000", name="location_precision_range"),
        # The bounding box is all four sides or none, south below north and west of east.
        sa.CheckConstraint(
            "(bbox_south IS NULL AND bbox_west IS NULL AND bbox_north IS NULL AND bbox_east IS NULL) OR "
            "(bbox_south < bbox_north AND bbox_west < bbox_east)", name="bbox_complete"),
    )

    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True)
    moderation_mode: Mapped[ModerationMode] = mapped_column(
        sa.Enum(ModerationMode, native_enum=False, create_constraint=True, length=10),
        default=ModerationMode.post,
        server_default=ModerationMode.post.value,
    )
    #: Reports from this many distinct residents hide an item until a moderator decides.
    auto_hide_reports: Mapped[int] = mapped_column(default=DEFAULT_AUTO_HIDE_REPORTS,
                                                   server_default=str(DEFAULT_AUTO_HIDE_REPORTS))
    #: An idea without any answer this long after it was posted is overdue.
    days_to_first_answer: Mapped[int] = mapped_column(default=DEFAULT_DAYS_TO_FIRST_ANSWER,
                                                      server_default=str(DEFAULT_DAYS_TO_FIRST_ANSWER))
    #: Votes (and withdrawals) on an idea are taken only while a round of its theme is open.
    votes_follow_rounds: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: Comments on an idea are taken only while a round of its theme is open.
    comments_follow_rounds: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: Only residents whose identity a provider verified (ThaiD / Digital ID) may vote here.
    verified_to_vote: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: Only residents whose identity a provider verified may post ideas here.
    verified_to_post: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: Proof of action: the share (%) of "not done" answers, among at least `dispute_min_responses`
    #: answers, that sends an implemented idea or a done project back to the officers as disputed.
    dispute_share_percent: Mapped[int] = mapped_column(default=DEFAULT_DISPUTE_SHARE_PERCENT,
                                                       server_default=str(DEFAULT_DISPUTE_SHARE_PERCENT))
    dispute_min_responses: Mapped[int] = mapped_column(default=DEFAULT_DISPUTE_MIN_RESPONSES,
                                                       server_default=str(DEFAULT_DISPUTE_MIN_RESPONSES))
    #: Residents' points are shown publicly (pages, map, API, open data) rounded to about this many metres.
    location_precision_m: Mapped[int] = mapped_column(default=DEFAULT_LOCATION_PRECISION_M,
                                                      server_default=str(DEFAULT_LOCATION_PRECISION_M))
    #: Optional bounding box of the area (degrees): points must fall inside it; Thailand otherwise.
    bbox_south: Mapped[Optional[float]] = mapped_column(sa.Float)
    bbox_west: Mapped[Optional[float]] = mapped_column(sa.Float)
    bbox_north: Mapped[Optional[float]] = mapped_column(sa.Float)
    bbox_east: Mapped[Optional[float]] = mapped_column(sa.Float)

    area: Mapped[Area] = relationship(back_populates="settings")

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        # Column defaults apply at INSERT; a new area's settings are readable before that.
        kwargs.setdefault("moderation_mode", ModerationMode.post)
        kwargs.setdefault("auto_hide_reports", DEFAULT_AUTO_HIDE_REPORTS)
        kwargs.setdefault("days_to_first_answer", DEFAULT_DAYS_TO_FIRST_ANSWER)
        kwargs.setdefault("votes_follow_rounds", False)
        kwargs.setdefault("comments_follow_rounds", False)
        kwargs.setdefault("verified_to_vote", False)
        kwargs.setdefault("verified_to_post", False)
        kwargs.setdefault("dispute_share_percent", DEFAULT_DISPUTE_SHARE_PERCENT)
        kwargs.setdefault("dispute_min_responses", DEFAULT_DISPUTE_MIN_RESPONSES)
        kwargs.setdefault("location_precision_m", DEFAULT_LOCATION_PRECISION_M)
        super().__init__(**kwargs)

    @property
    def bounding_box(self):  # noqa: ANN201
        """The area's bounding box (`idea4gov.places.geo.BBox`) or None."""
        from idea4gov.places.geo import BBox

        sides = (self.bbox_south, self.bbox_west, self.bbox_north, self.bbox_east)
        return None if any(side is None for side in sides) else BBox(*sides)

    def __repr__(self) -> str:
        return f"<AreaSettings area={self.area_id} {self.moderation_mode.value} days={self.days_to_first_answer}>"


#: Which themes a round opens (a theme may be in several rounds: one a year, say).
round_themes = sa.Table(
    "round_themes",
    db.metadata,
    sa.Column("round_id", sa.ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("theme_id", sa.ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Theme(db.Model):
    __tablename__ = "themes"
    __table_args__ = (sa.UniqueConstraint("area_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(64))
    title_th: Mapped[str] = mapped_column(sa.String(200))
    title_en: Mapped[str] = mapped_column(sa.String(200))
    #: A closed theme takes no ideas whatever its rounds say.
    is_open: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    position: Mapped[int] = mapped_column(default=0, server_default="0")

    area: Mapped[Area] = relationship(back_populates="themes")
    rounds: Mapped[list["Round"]] = relationship(secondary=round_themes, back_populates="themes",
                                                 order_by="Round.opens_at")

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_th

    def __repr__(self) -> str:
        return f"<Theme {self.area_id}/{self.slug}>"


class Round(db.Model):
    """A round of listening (รอบรับฟังความคิดเห็น): its themes take ideas only between its dates.

    A theme in no round follows only its own open/closed switch.
    """

    __tablename__ = "rounds"
    __table_args__ = (sa.CheckConstraint("closes_at > opens_at", name="closes_after_opens"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    title_th: Mapped[str] = mapped_column(sa.String(200))
    title_en: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    description_th: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: UTC; entered and shown in Asia/Bangkok. Open from `opens_at` until just before `closes_at`.
    opens_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    closes_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    area: Mapped[Area] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=round_themes, back_populates="rounds",
                                               order_by=Theme.position)

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_th

    def description(self, locale: str) -> str:
        return self.description_en if locale == "en" and self.description_en else self.description_th

    def __repr__(self) -> str:
        return f"<Round {self.id} area={self.area_id} {self.title_th[:20]!r}>"
