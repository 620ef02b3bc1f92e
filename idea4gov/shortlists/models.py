"""Shortlists of ideas for an event, their criteria, judges and scores."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from idea4gov.extensions import db
from idea4gov.timeutil import utcnow

if TYPE_CHECKING:
    from idea4gov.areas.models import Area
    from idea4gov.auth.models import User
    from idea4gov.ideas.models import Idea

#: Scores run from 1 (weak) to 5 (strong).
SCORE_MIN, SCORE_MAX = 1, 5

#: The areas a shortlist draws its ideas from; managing it needs the organiser role in each.
shortlist_areas = sa.Table(
    "shortlist_areas",
    db.metadata,
    sa.Column("shortlist_id", sa.ForeignKey("shortlists.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("area_id", sa.ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Shortlist(db.Model):
    """The ideas an organiser picked for one event (a hackathon, a provincial forum)."""

    __tablename__ = "shortlists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: The day of the event the shortlist is for.
    event_date: Mapped[Optional[date]] = mapped_column(sa.Date)
    description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: Who created it; NULL once that account is gone.
    created_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)

    areas: Mapped[list["Area"]] = relationship(secondary=shortlist_areas, order_by="Area.id")
    items: Mapped[list["ShortlistItem"]] = relationship(
        back_populates="shortlist", order_by="(ShortlistItem.position, ShortlistItem.id)", cascade="all, delete-orphan"
    )
    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="shortlist", order_by="(Criterion.position, Criterion.id)", cascade="all, delete-orphan"
    )
    judges: Mapped[list["ShortlistJudge"]] = relationship(
        back_populates="shortlist", order_by="ShortlistJudge.id", cascade="all, delete-orphan"
    )
    created_by: Mapped[Optional["User"]] = relationship()

    @property
    def area_ids(self) -> set[int]:
        return {area.id for area in self.areas}

    def __repr__(self) -> str:
        return f"<Shortlist {self.id} {self.name[:20]!r}>"


class ShortlistItem(db.Model):
    """One idea on a shortlist, at a position, with the organiser's note."""

    __tablename__ = "shortlist_items"
    __table_args__ = (
        sa.UniqueConstraint("shortlist_id", "idea_id"),
        sa.CheckConstraint("position >= 0", name="position_non_negative"),
        sa.Index("ix_shortlist_items_shortlist_position", "shortlist_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shortlist_id: Mapped[int] = mapped_column(sa.ForeignKey("shortlists.id", ondelete="CASCADE"), index=True)
    idea_id: Mapped[int] = mapped_column(sa.ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    #: Order chosen by the organiser, 0 first.
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    #: The organiser's note for judges and agencies (plain text).
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    added_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    shortlist: Mapped[Shortlist] = relationship(back_populates="items")
    idea: Mapped["Idea"] = relationship()

    def __repr__(self) -> str:
        return f"<ShortlistItem {self.id} shortlist={self.shortlist_id} idea={self.idea_id} @{self.position}>"


#: A rubric belongs to a shortlist (scoring ideas) or to an event (scoring its teams' proposals).
ONE_OWNER = "(shortlist_id IS NULL) <> (event_id IS NULL)"


class Criterion(db.Model):
    """A scoring criterion (e.g. ผลกระทบ) with a relative weight, of a shortlist or of an event."""

    __tablename__ = "shortlist_criteria"
    __table_args__ = (
        sa.UniqueConstraint("shortlist_id", "name"),
        sa.UniqueConstraint("event_id", "name"),
        sa.CheckConstraint("weight > 0", name="weight_positive"),
        sa.CheckConstraint(ONE_OWNER, name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shortlist_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("shortlists.id", ondelete="CASCADE"),
                                                        index=True)
    event_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    #: Relative weight, a whole number (e.g. 40, 30, 30); only the ratios matter.
    weight: Mapped[int] = mapped_column(default=1, server_default="1")
    position: Mapped[int] = mapped_column(default=0, server_default="0")

    shortlist: Mapped[Optional[Shortlist]] = relationship(back_populates="criteria")

    def __repr__(self) -> str:
        return f"<Criterion {self.id} {self.name!r} x{self.weight}>"


class ShortlistJudge(db.Model):
    """A person who scores the ideas of one shortlist, or the proposals of one event (and sees only
    what they judge)."""

    __tablename__ = "shortlist_judges"
    __table_args__ = (
        sa.UniqueConstraint("shortlist_id", "user_id"),
        sa.UniqueConstraint("event_id", "user_id"),
        sa.CheckConstraint(ONE_OWNER, name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shortlist_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("shortlists.id", ondelete="CASCADE"),
                                                        index=True)
    event_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    shortlist: Mapped[Optional[Shortlist]] = relationship(back_populates="judges")
    user: Mapped["User"] = relationship()

    def __repr__(self) -> str:
        return f"<ShortlistJudge shortlist={self.shortlist_id} event={self.event_id} user={self.user_id}>"


class Score(db.Model):
    """One judge's score (1–5) on one criterion of one shortlisted idea, or of one event proposal."""

    __tablename__ = "shortlist_scores"
    __table_args__ = (
        sa.UniqueConstraint("item_id", "criterion_id", "judge_id"),
        sa.UniqueConstraint("proposal_id", "criterion_id", "judge_id"),
        sa.CheckConstraint(f"value >= {SCORE_MIN} AND value <= {SCORE_MAX}", name="value_range"),
        sa.CheckConstraint("(item_id IS NULL) <> (proposal_id IS NULL)", name="one_entry"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("shortlist_items.id", ondelete="CASCADE"),
                                                   index=True)
    proposal_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("event_proposals.id", ondelete="CASCADE"),
                                                       index=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("shortlist_criteria.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    value: Mapped[int] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Score item={self.item_id} proposal={self.proposal_id} criterion={self.criterion_id} judge={self.judge_id} {self.value}>"
