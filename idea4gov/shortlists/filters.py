"""Finding the ideas to put on a shortlist: area, theme, group, supporters, dates, status."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from idea4gov.ideas.models import Idea, IdeaStatus
from idea4gov.shortlists.models import Shortlist, ShortlistItem
from idea4gov.timeutil import BANGKOK

#: Ideas listed under the filter before "add all".
PREVIEW_LIMIT = 50
#: Most ideas one "add all" adds (the shortlist's own cap applies too).
ADD_ALL_LIMIT = 100


@dataclass(frozen=True)
class IdeaFilter:
    area_id: int | None = None
    theme_id: int | None = None
    group_id: int | None = None
    min_supporters: int | None = None
    #: Calendar days in Bangkok, both included.
    date_from: date | None = None
    date_to: date | None = None
    status: IdeaStatus | None = None


def bangkok_day_start(day: date) -> datetime:
    """The UTC instant a Bangkok calendar day begins."""
    return datetime.combine(day, time.min, BANGKOK).astimezone(UTC)


def matching_select(shortlist: Shortlist, f: IdeaFilter) -> sa.Select:
    """Published ideas of the shortlist's areas that match and are not on it yet, most supported first."""
    on_list = sa.select(ShortlistItem.idea_id).where(ShortlistItem.shortlist_id == shortlist.id)
    area_ids = shortlist.area_ids if f.area_id is None else shortlist.area_ids & {f.area_id}
    stmt = sa.select(Idea).where(Idea.visible(), Idea.area_id.in_(area_ids or [-1]), Idea.id.not_in(on_list))
    if f.theme_id is not None:
        stmt = stmt.where(Idea.theme_id == f.theme_id)
    if f.group_id is not None:
        stmt = stmt.where(Idea.group_id == f.group_id)
    if f.min_supporters is not None:
        stmt = stmt.where(Idea.vote_count >= f.min_supporters)
    if f.date_from is not None:
        stmt = stmt.where(Idea.created_at >= bangkok_day_start(f.date_from))
    if f.date_to is not None:
        stmt = stmt.where(Idea.created_at < bangkok_day_start(f.date_to + timedelta(days=1)))
    if f.status is not None:
        stmt = stmt.where(Idea.status == f.status)
    return stmt.order_by(Idea.vote_count.desc(), Idea.created_at.desc(), Idea.id.desc())
