"""Business rules of shortlists; services flush, never commit. Every change is audited."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from idea4gov.areas.models import Area
from idea4gov.audit import services as audit
from idea4gov.auth.models import Role, User
from idea4gov.auth.permissions import has_role
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, Visibility
from idea4gov.ideas.services import ServiceError
from idea4gov.notifications.services import notify
from idea4gov.shortlists.models import Criterion, Shortlist, ShortlistItem, ShortlistJudge
from idea4gov.shortlists.rubric import (  # noqa: F401  (the forms read the limits here)
    CRITERION_MAX,
    MAX_CRITERIA,
    MAX_JUDGES,
    WEIGHT_MAX,
    WEIGHT_MIN,
    Rubric,
)
from idea4gov.text import clean_plain

NAME_MAX = 200
DESCRIPTION_MAX = 2000
NOTE_MAX = 1000
#: Most ideas one shortlist holds: an event discusses tens, not thousands.
MAX_ITEMS = 200


@dataclass(frozen=True)
class ShortlistInput:
    name: str
    event_date: date | None
    description: str
    areas: list[Area]


def _area_id(shortlist: Shortlist) -> int | None:
    """The area an audit entry is filed under: the shortlist's first area."""
    return min(shortlist.area_ids) if shortlist.areas else None


def _record(by: User | None, action: str, shortlist: Shortlist, **kwargs) -> None:
    audit.record(by, action, "shortlist", shortlist.id, area_id=_area_id(shortlist), **kwargs)


def create_shortlist(by: User, data: ShortlistInput) -> Shortlist:
    """Create a shortlist over areas where `by` is an organiser (admins: any area)."""
    if not data.areas:
        raise ServiceError("areas_required", field="areas")
    if not all(has_role(by, Role.organiser, area.id) for area in data.areas):
        raise ServiceError("not_organiser_here", field="areas", status=403)
    name = clean_plain(data.name)[:NAME_MAX]
    if not name:
        raise ServiceError("name_required", field="name")
    shortlist = Shortlist(name=name, event_date=data.event_date,
                          description=clean_plain(data.description)[:DESCRIPTION_MAX],
                          created_by_id=by.id, areas=list(data.areas))
    db.session.add(shortlist)
    db.session.flush()
    _record(by, "shortlist_create", shortlist, after=len(data.areas), reason=name)
    return shortlist


def update_shortlist(shortlist: Shortlist, by: User, name: str, event_date: date | None, description: str) -> None:
    name = clean_plain(name)[:NAME_MAX]
    if not name:
        raise ServiceError("name_required", field="name")
    shortlist.name, shortlist.event_date = name, event_date
    shortlist.description = clean_plain(description)[:DESCRIPTION_MAX]
    _record(by, "shortlist_update", shortlist, reason=name)
    db.session.flush()


def _next_position(shortlist: Shortlist) -> int:
    highest = db.session.scalar(sa.select(sa.func.max(ShortlistItem.position))
                                .where(ShortlistItem.shortlist_id == shortlist.id))
    return 0 if highest is None else highest + 1


def item_count(shortlist: Shortlist) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(ShortlistItem.shortlist_id == shortlist.id)) or 0


def add_ideas(shortlist: Shortlist, idea_ids: Iterable[int], by: User) -> tuple[int, int]:
    """Add published ideas of the shortlist's areas, in the given order, up to MAX_ITEMS.

    Returns (added, left out because the shortlist is full). Ideas already on it, of other
    areas or not published are skipped without a word: a filter may match them.
    """
    wanted = list(dict.fromkeys(idea_ids))
    if not wanted:
        return 0, 0
    present = set(db.session.scalars(sa.select(ShortlistItem.idea_id).where(ShortlistItem.shortlist_id == shortlist.id)))
    eligible = set(db.session.scalars(sa.select(Idea.id).where(
        Idea.id.in_(wanted), Idea.visible(), Idea.area_id.in_(shortlist.area_ids))))
    todo = [idea_id for idea_id in wanted if idea_id in eligible and idea_id not in present]
    room = max(0, MAX_ITEMS - len(present))
    added, left_out = todo[:room], len(todo) - min(room, len(todo))
    position = _next_position(shortlist)
    for offset, idea_id in enumerate(added):
        db.session.add(ShortlistItem(shortlist_id=shortlist.id, idea_id=idea_id, position=position + offset))
    db.session.flush()
    if added:
        _record(by, "shortlist_add_ideas", shortlist, before=len(present), after=len(present) + len(added),
                reason=" ".join(str(i) for i in added)[:500])
    return len(added), left_out


def add_one(shortlist: Shortlist, idea_id: int, by: User) -> None:
    """Add one idea by number, with a reason when it cannot be added."""
    idea = db.session.get(Idea, idea_id)
    if idea is None or idea.area_id not in shortlist.area_ids or idea.visibility != Visibility.published:
        raise ServiceError("idea_not_eligible", field="idea_id")
    present = db.session.scalar(sa.select(sa.exists().where(
        ShortlistItem.shortlist_id == shortlist.id, ShortlistItem.idea_id == idea_id)))
    if present:
        raise ServiceError("idea_already_listed", field="idea_id")
    added, left_out = add_ideas(shortlist, [idea_id], by)
    if left_out:
        raise ServiceError("shortlist_full", field="idea_id")


def _renumber(shortlist: Shortlist) -> list[ShortlistItem]:
    items = list(db.session.scalars(sa.select(ShortlistItem).where(ShortlistItem.shortlist_id == shortlist.id)
                                    .order_by(ShortlistItem.position, ShortlistItem.id)))
    for index, item in enumerate(items):
        if item.position != index:
            item.position = index
    return items


def move_item(item: ShortlistItem, direction: str, by: User) -> bool:
    """Swap an item with its neighbour above ("up") or below ("down"); False at either end."""
    if direction not in ("up", "down"):
        raise ServiceError("bad_direction")
    items = _renumber(item.shortlist)
    index = next(i for i, other in enumerate(items) if other.id == item.id)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        return False
    items[index].position, items[target].position = target, index
    _record(by, "shortlist_move", item.shortlist, before=index + 1, after=target + 1, reason=f"idea {item.idea_id}")
    db.session.flush()
    return True


def remove_item(item: ShortlistItem, by: User) -> None:
    shortlist = item.shortlist
    _record(by, "shortlist_remove_idea", shortlist, before=item.idea_id)
    db.session.delete(item)
    db.session.flush()
    _renumber(shortlist)
    db.session.flush()


def set_note(item: ShortlistItem, note: str, by: User) -> None:
    note = clean_plain(note)
    if len(note) > NOTE_MAX:
        raise ServiceError("note_too_long", field="note")
    item.note = note
    _record(by, "shortlist_note", item.shortlist, after=f"idea {item.idea_id}", reason=note)
    db.session.flush()


# --- the rubric: criteria, judges and scores (shared with events: idea4gov.shortlists.rubric) ---

#: The audit action of each rubric change on a shortlist.
RUBRIC_ACTIONS = {
    "add_criterion": "shortlist_add_criterion",
    "remove_criterion": "shortlist_remove_criterion",
    "add_judge": "shortlist_add_judge",
    "remove_judge": "shortlist_remove_judge",
    "score": "shortlist_score",
}


def rubric_of(shortlist: Shortlist) -> Rubric:
    """The shortlist's rubric: it scores the shortlist's items."""

    def record(by: User | None, verb: str, **values: object) -> None:
        _record(by, RUBRIC_ACTIONS[verb], shortlist, **values)

    def tell_judge(user: User) -> None:
        notify([user.id], "shortlist_judge", data={"name": shortlist.name, "shortlist_id": shortlist.id})

    return Rubric(shortlist, "shortlist_id", "item_id",
                  sa.select(ShortlistItem.id).where(ShortlistItem.shortlist_id == shortlist.id), record, tell_judge)


def add_criterion(shortlist: Shortlist, name: str, weight: int, by: User) -> Criterion:
    return rubric_of(shortlist).add_criterion(name, weight, by)


def remove_criterion(criterion: Criterion, by: User) -> None:
    """Remove a criterion and the scores given on it."""
    rubric_of(criterion.shortlist).remove_criterion(criterion, by)


def add_judge(shortlist: Shortlist, user: User | None, by: User) -> ShortlistJudge:
    """Invite an existing account as a judge; they are told in their notifications."""
    return rubric_of(shortlist).add_judge(user, by)


def remove_judge(judge: ShortlistJudge, by: User) -> None:
    """Remove a judge and the scores they gave on this shortlist."""
    rubric_of(judge.shortlist).remove_judge(judge, by)


def judge_scores(shortlist: Shortlist, judge: User) -> dict[tuple[int, int], int]:
    """{(item_id, criterion_id): value} of one judge."""
    return rubric_of(shortlist).judge_scores(judge, [item.id for item in shortlist.items])


def save_scores(shortlist: Shortlist, judge: User, values: dict[tuple[int, int], int | None]) -> int:
    """Store one judge's scores: a value sets it, None clears it. Returns how many changed."""
    return rubric_of(shortlist).save_scores(judge, values, [item.id for item in shortlist.items])
