"""Rating an official answer and the averages; services flush, never commit.

    from idea4gov.satisfaction import services as satisfaction
    satisfaction.rate(idea, user, score, comment)       # once each, changeable for 30 days
    satisfaction.averages(area_ids, fy=None)            # {(area id, agency id): Average}
    satisfaction.area_summary(area)                     # (overall, [(agency or None, Average)])

An idea can be rated once it has an official answer (a written public answer, `first_answered_at`),
by its author and its supporters. Averages count each rating once; individual ratings are shown
only to the area's officers, and exports never carry names.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from idea4gov.areas.models import Area
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, Visibility, Vote
from idea4gov.satisfaction.models import Rating
from idea4gov.service_errors import ServiceError
from idea4gov.text import clean_plain
from idea4gov.timeutil import as_utc, utcnow
from idea4gov.triage.models import Agency

#: A rating may be changed for this long after it was first given.
CHANGEABLE = timedelta(days=30)
COMMENT_MAX = 1000


@dataclass(frozen=True)
class Average:
    total: int = 0
    count: int = 0

    @property
    def mean(self) -> float | None:
        return round(self.total / self.count, 2) if self.count else None

    def __add__(self, other: Average) -> Average:
        return Average(self.total + other.total, self.count + other.count)


def may_rate(idea: Idea, user: User | None) -> bool:
    """The author or a supporter of a public idea that got an official (written) answer."""
    if user is None or not user.is_authenticated or idea.visibility != Visibility.published:
        return False
    if idea.first_answered_at is None:
        return False
    if idea.author_id == user.id:
        return True
    return bool(db.session.scalar(sa.select(sa.exists().where(Vote.idea_id == idea.id, Vote.user_id == user.id))))


def rating_of(idea: Idea, user: User | None) -> Rating | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(sa.select(Rating).where(Rating.idea_id == idea.id, Rating.user_id == user.id))


def changeable_until(rating: Rating):  # noqa: ANN201
    return as_utc(rating.created_at) + CHANGEABLE


def rate(idea: Idea, user: User, score: int, comment: str = "") -> Rating:
    """Rate the idea's answer 1–5 (with an optional comment); a second rating changes the first
    within 30 days of it, and is refused after."""
    if user.is_blocked:
        raise ServiceError("blocked", status=403)
    if idea.area.is_archived:
        raise ServiceError("area_archived", status=409)
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ServiceError("score_range", field="score")
    comment = clean_plain(comment or "")
    if len(comment) > COMMENT_MAX:
        raise ServiceError("comment_too_long", field="comment")
    if idea.first_answered_at is None:
        raise ServiceError("not_answered", status=409)
    if not may_rate(idea, user):
        raise ServiceError("not_a_follower", status=403)
    now = utcnow()
    existing = rating_of(idea, user)
    if existing is None:
        from sqlalchemy.dialects import postgresql, sqlite

        insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
        added = db.session.execute(insert(Rating).values(
            idea_id=idea.id, user_id=user.id, area_id=idea.area_id, agency_id=idea.agency_id, score=score,
            comment=comment, created_at=now, updated_at=now).on_conflict_do_nothing()
            .execution_options(preserve_rowcount=True)).rowcount
        if added:
            return rating_of(idea, user)
        existing = rating_of(idea, user)  # a second request of the same person won the race
    if now > changeable_until(existing):
        raise ServiceError("rating_locked", status=409)
    existing.score, existing.comment, existing.updated_at = score, comment, now
    db.session.flush()
    return existing


def averages(area_ids: list[int] | None = None, fy=None) -> dict[tuple[int, int | None], Average]:  # noqa: ANN001
    """Sum and count of ratings per (area, agency of the idea); with `fy`, of the fiscal year's ideas
    (as the programme's other figures). One GROUP BY."""
    query = (sa.select(Idea.area_id, Idea.agency_id, sa.func.sum(Rating.score), sa.func.count(Rating.id))
             .join(Idea, Idea.id == Rating.idea_id).where(Idea.visible()).group_by(Idea.area_id, Idea.agency_id))
    if area_ids is not None:
        query = query.where(Idea.area_id.in_(area_ids))
    if fy is not None:
        query = query.where(Idea.created_at >= fy.start, Idea.created_at < fy.end)
    return {(area_id, agency_id): Average(int(total or 0), count)
            for area_id, agency_id, total, count in db.session.execute(query)}


def area_summary(area: Area) -> tuple[Average, list[tuple[Agency | None, Average]]]:
    """The area's average and each agency's (agencies by name; unrouted last), all time."""
    found = averages([area.id])
    overall = sum(found.values(), Average())
    agencies = list(db.session.scalars(sa.select(Agency).where(Agency.area_id == area.id)
                                       .order_by(Agency.name_th, Agency.id)))
    rows: list[tuple[Agency | None, Average]] = [(agency, found.get((area.id, agency.id), Average()))
                                                 for agency in agencies]
    if (area.id, None) in found:
        rows.append((None, found[(area.id, None)]))
    return overall, rows


def ratings_for_officers(idea_id: int) -> list[Rating]:
    """Individual ratings of one idea (officers of its area only), newest first."""
    return list(db.session.scalars(sa.select(Rating).where(Rating.idea_id == idea_id)
                                   .order_by(Rating.updated_at.desc(), Rating.id.desc())))


def export_rows(area: Area) -> tuple[list[str], list[list]]:
    """Every rating of the area without names (idea, agency, score, comment, dates) for officers."""
    from flask_babel import gettext as _

    header = [_("ไอเดีย"), _("เลขที่รับเรื่อง"), _("หน่วยงาน"), _("คะแนน (1–5)"), _("ความคิดเห็น"), _("วันที่ให้คะแนน")]
    rows = db.session.execute(
        sa.select(Idea.id, Idea.reference, Agency.name_th, Rating.score, Rating.comment, Rating.updated_at)
        .join(Idea, Idea.id == Rating.idea_id).outerjoin(Agency, Agency.id == Rating.agency_id)
        .where(Rating.area_id == area.id).order_by(Rating.id))
    return header, [[idea_id, ref or "", agency or "", score, comment, as_utc(when).isoformat()]
                    for idea_id, ref, agency, score, comment, when in rows]
