"""Reading areas and listing their ideas (sort, theme filter, Thai search)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import selectinload

from idea4gov.areas.models import Area, Theme
from idea4gov.cache import COUNTS_TTL
from idea4gov.extensions import cache, db
from idea4gov.ideas.models import Idea, IdeaStatus, Vote
from idea4gov.search import match_clause, query_words
from idea4gov.timeutil import utcnow

SORTS = ("top", "new", "trending")


def get_area_or_404(slug: str) -> Area:
    return db.first_or_404(sa.select(Area).where(Area.slug == slug))


def refuse_if_archived(area: Area) -> None:
    """Stop a request that would change something in an archived (read-only) area: 409 with a message."""
    if area.is_archived:
        from flask_babel import gettext as _

        from idea4gov.errors import abort_with

        abort_with(409, _("พื้นที่นี้ถูกเก็บถาวรแล้ว อ่านได้อย่างเดียว ไม่รับไอเดีย โหวต หรือความคิดเห็นใหม่"))


def list_areas() -> list[Area]:
    """Every area with its themes loaded (the home page shows them all, in one query more)."""
    return list(db.session.scalars(sa.select(Area).options(selectinload(Area.themes)).order_by(Area.id)))


@cache.memoize(timeout=COUNTS_TTL)
def idea_counts_by_area() -> dict[int, int]:
    """Published ideas per area (cached: a national home page would count every idea)."""
    rows = db.session.execute(
        sa.select(Idea.area_id, sa.func.count()).where(Idea.visible()).group_by(Idea.area_id)
    )
    return dict(rows.all())


def idea_counts_by_theme(area: Area) -> dict[int, int]:
    return _theme_counts(area.id)


@cache.memoize(timeout=COUNTS_TTL)
def _theme_counts(area_id: int) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(Idea.theme_id, sa.func.count())
        .where(Idea.area_id == area_id, Idea.visible())
        .group_by(Idea.theme_id)
    )
    return dict(rows.all())


@dataclass(frozen=True)
class IdeaQuery:
    """Validated listing parameters shared by the area page and the API."""

    sort: str = "top"
    q: str = ""
    theme: Theme | None = None
    #: Only ideas in this status (`?status=`), any status when None.
    status: IdeaStatus | None = None


def parse_status(raw: str | None) -> IdeaStatus | None:
    """`?status=` of a listing: a status name (received, accepted, …) or empty; ValueError otherwise."""
    if not raw:
        return None
    return IdeaStatus(raw.strip())


def parse_theme(area: Area, slug: str | None) -> Theme | None:
    if not slug:
        return None
    for theme in area.themes:
        if theme.slug == slug:
            return theme
    abort(404)


def ideas_select(area: Area, query: IdeaQuery, trending_days: int = 7) -> sa.Select:
    """The SELECT of an area's public ideas for one listing."""
    stmt = sa.select(Idea).where(Idea.area_id == area.id, Idea.visible())
    if query.theme is not None:
        stmt = stmt.where(Idea.theme_id == query.theme.id)
    if query.status is not None:
        stmt = stmt.where(Idea.status == query.status)
    words = query_words(query.q)
    if words:
        dialect = db.session.get_bind().dialect.name
        stmt = stmt.where(match_clause(Idea.id, Idea.search_tokens, words, dialect))
    if query.sort == "new":
        return stmt.order_by(Idea.created_at.desc(), Idea.id.desc())
    if query.sort == "trending":
        # A correlated count in ORDER BY (one index seek per idea on votes(idea_id,
        # created_at)) rather than a joined aggregate, so the page's COUNT(*) for
        # pagination, which drops ORDER BY, does not aggregate the votes again.
        since = utcnow() - timedelta(days=trending_days)
        recent_votes = (
            sa.select(sa.func.count())
            .where(Vote.idea_id == Idea.id, Vote.created_at >= since)
            .correlate(Idea)
            .scalar_subquery()
        )
        return stmt.order_by(recent_votes.desc(), Idea.vote_count.desc(), Idea.id.desc())
    return stmt.order_by(Idea.vote_count.desc(), Idea.created_at.desc(), Idea.id.desc())


class IdPagination(Pagination):
    """A page of ideas read in two steps: the ids of the page from the index alone (OFFSET skips
    index entries, not whole rows with their bodies), then those rows by primary key."""

    def _query_items(self) -> list:
        select = self._query_args["select"]
        ids = list(db.session.scalars(select.with_only_columns(Idea.id).limit(self.per_page).offset(self._query_offset)))
        if not ids:
            return []
        rows = {idea.id: idea for idea in db.session.scalars(sa.select(Idea).where(Idea.id.in_(ids)))}
        return [rows[idea_id] for idea_id in ids if idea_id in rows]

    def _query_count(self) -> int:
        select = self._query_args["select"]
        return db.session.scalar(sa.select(sa.func.count()).select_from(
            select.with_only_columns(Idea.id).order_by(None).subquery()))


def ideas_page(area: Area, query: IdeaQuery, page: int, per_page: int, trending_days: int = 7) -> Pagination:
    """One page of an area's listing (themes come from the area, loaded once, not per idea)."""
    area.themes  # noqa: B018 - load the area's themes now: each idea's theme is then found in the session
    return IdPagination(select=ideas_select(area, query, trending_days), page=page, per_page=per_page,
                        max_per_page=per_page, error_out=False, count=True)
