"""Creating and editing events: what, when, where, seats, linked challenges and partner agencies."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from idea4gov.areas.models import Area, Theme
from idea4gov.auth.models import Role, User
from idea4gov.auth.permissions import has_role
from idea4gov.events.models import Event, EventKind, EventState
from idea4gov.events.services import record
from idea4gov.extensions import db
from idea4gov.groups.models import IdeaGroup
from idea4gov.service_errors import ServiceError
from idea4gov.shortlists import access as shortlist_access
from idea4gov.shortlists.models import Shortlist
from idea4gov.text import clean_plain
from idea4gov.timeutil import as_utc, utcnow
from idea4gov.triage.models import Agency

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
PLACE_MAX = 300
URL_MAX = 500
CAPACITY_MAX = 10_000
TEAM_SIZE_MIN, TEAM_SIZE_MAX = 1, 20
#: Longest event: a weekend hackathon is three days; a programme of forums is several events.
MAX_DAYS = 14
MAX_GROUPS = 30
REASON_MAX = 1000
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


@dataclass
class EventInput:
    kind: EventKind
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    starts_at: datetime
    ends_at: datetime
    place: str
    online_url: str
    capacity: int
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    proposal_deadline: datetime | None = None
    team_size_max: int = 6
    theme_ids: list[int] = field(default_factory=list)
    group_ids: list[int] = field(default_factory=list)
    agency_ids: list[int] = field(default_factory=list)
    shortlist_id: int | None = None


def _check(data: EventInput) -> dict[str, str]:
    """Cleaned text fields, or a ServiceError naming the field."""
    text = {
        "title_th": clean_plain(data.title_th), "title_en": clean_plain(data.title_en),
        "description_th": clean_plain(data.description_th), "description_en": clean_plain(data.description_en),
        "place": clean_plain(data.place), "online_url": (data.online_url or "").strip(),
    }
    if not text["title_th"]:
        raise ServiceError("title_required", field="title_th")
    for name, limit in (("title_th", TITLE_MAX), ("title_en", TITLE_MAX), ("description_th", DESCRIPTION_MAX),
                        ("description_en", DESCRIPTION_MAX), ("place", PLACE_MAX), ("online_url", URL_MAX)):
        if len(text[name]) > limit:
            raise ServiceError("too_long", field=name, max=limit)
    if text["online_url"] and not _URL.match(text["online_url"]):
        raise ServiceError("bad_url", field="online_url")
    if not text["place"] and not text["online_url"]:
        raise ServiceError("place_required", field="place")
    starts, ends = as_utc(data.starts_at), as_utc(data.ends_at)
    if ends <= starts:
        raise ServiceError("ends_before_start", field="ends_at")
    if (ends - starts).days >= MAX_DAYS:
        raise ServiceError("too_long_event", field="ends_at", days=MAX_DAYS)
    if not 1 <= data.capacity <= CAPACITY_MAX:
        raise ServiceError("capacity_range", field="capacity", max=CAPACITY_MAX)
    if not TEAM_SIZE_MIN <= data.team_size_max <= TEAM_SIZE_MAX:
        raise ServiceError("team_size_range", field="team_size_max")
    opens, closes = data.registration_opens_at, data.registration_closes_at
    if opens and closes and as_utc(closes) <= as_utc(opens):
        raise ServiceError("registration_window", field="registration_closes_at")
    if closes and as_utc(closes) > ends:
        raise ServiceError("registration_after_end", field="registration_closes_at")
    if data.proposal_deadline and not starts < as_utc(data.proposal_deadline) <= ends:
        raise ServiceError("deadline_outside_event", field="proposal_deadline")
    return text


def _links(event: Event, data: EventInput, by: User) -> None:
    """Themes, groups, partner agencies and the shortlist, each from the event's own areas."""
    area_ids = event.area_ids
    themes = list(db.session.scalars(sa.select(Theme).where(Theme.id.in_(data.theme_ids or [-1]))))
    if len(themes) != len(set(data.theme_ids)) or any(theme.area_id not in area_ids for theme in themes):
        raise ServiceError("theme_not_here", field="theme_ids")
    if len(set(data.group_ids)) > MAX_GROUPS:
        raise ServiceError("too_many_groups", field="group_ids", max=MAX_GROUPS)
    groups = list(db.session.scalars(sa.select(IdeaGroup).where(IdeaGroup.id.in_(data.group_ids or [-1]))))
    if len(groups) != len(set(data.group_ids)) or any(group.area_id not in area_ids for group in groups):
        raise ServiceError("group_not_here", field="group_ids")
    agencies = list(db.session.scalars(sa.select(Agency).where(Agency.id.in_(data.agency_ids or [-1]))))
    if len(agencies) != len(set(data.agency_ids)) or any(agency.area_id not in area_ids for agency in agencies):
        raise ServiceError("agency_not_here", field="agency_ids")
    shortlist = None
    if data.shortlist_id is not None:
        shortlist = db.session.get(Shortlist, data.shortlist_id)
        if shortlist is None or not shortlist.area_ids <= area_ids or not shortlist_access.can_view(by, shortlist):
            raise ServiceError("shortlist_not_here", field="shortlist_id")
    event.themes, event.groups, event.agencies = themes, groups, agencies
    event.shortlist = shortlist


def _apply(event: Event, data: EventInput, text: dict[str, str]) -> None:
    for name, value in text.items():
        setattr(event, name, value)
    event.kind, event.starts_at, event.ends_at = data.kind, data.starts_at, data.ends_at
    event.registration_opens_at, event.registration_closes_at = data.registration_opens_at, data.registration_closes_at
    event.proposal_deadline, event.team_size_max = data.proposal_deadline, data.team_size_max


def create_event(by: User, areas: list[Area], data: EventInput) -> Event:
    """A draft event in areas where `by` is an organiser (admins: any); published separately."""
    if not areas:
        raise ServiceError("areas_required", field="areas")
    if not all(has_role(by, Role.organiser, area.id) for area in areas):
        raise ServiceError("not_organiser_here", field="areas", status=403)
    if any(area.is_archived for area in areas):
        raise ServiceError("area_archived", field="areas", status=409)
    text = _check(data)
    event = Event(capacity=data.capacity, created_by_id=by.id, areas=list(areas), state=EventState.draft)
    _apply(event, data, text)
    db.session.add(event)
    db.session.flush()
    _links(event, data, by)
    db.session.flush()
    record(by, "event_create", event, after=event.kind, reason=event.title_th)
    return event


#: Fields whose change is named in the audit entry.
_AUDITED = ("kind", "title_th", "title_en", "starts_at", "ends_at", "place", "online_url", "capacity",
            "registration_opens_at", "registration_closes_at", "proposal_deadline", "team_size_max")


def update_event(event: Event, by: User, data: EventInput) -> list[str]:
    """Change an event; returns the names of the fields changed. A capacity below the seats taken is
    refused; a higher one gives the new seats to the waitlist, oldest first."""
    from idea4gov.events.services import registration

    text = _check(data)
    before = {name: getattr(event, name) for name in _AUDITED}
    links_before = _link_ids(event)
    registration.lock(event)
    if data.capacity < event.accepted_count:
        raise ServiceError("capacity_below_accepted", field="capacity", accepted=event.accepted_count)
    _apply(event, data, text)
    event.capacity = data.capacity
    _links(event, data, by)
    db.session.flush()
    changed = [name for name in _AUDITED if _same(before[name]) != _same(getattr(event, name))]
    links_after = _link_ids(event)
    changed += [name for name in links_after if links_after[name] != links_before[name]]
    if changed:
        record(by, "event_update", event, reason=", ".join(changed))
    if "capacity" in changed and event.capacity > before["capacity"]:
        registration.fill_from_waitlist(event)
    return changed


def _link_ids(event: Event) -> dict[str, object]:
    return {"themes": {t.id for t in event.themes}, "groups": {g.id for g in event.groups},
            "agencies": {a.id for a in event.agencies}, "shortlist": event.shortlist_id}


def _same(value: object) -> object:
    return as_utc(value) if isinstance(value, datetime) else value


def publish(event: Event, by: User) -> bool:
    if event.state != EventState.draft:
        return False
    event.state = EventState.published
    record(by, "event_publish", event, before=EventState.draft, after=EventState.published)
    db.session.flush()
    return True


def cancel(event: Event, by: User, reason: str) -> bool:
    """Cancel an event (it stays readable with the reason); its registrations are told in-app."""
    from idea4gov.events.services.registration import people_registered
    from idea4gov.notifications.services import notify

    reason = clean_plain(reason)
    if not reason:
        raise ServiceError("reason_required", field="reason")
    if len(reason) > REASON_MAX:
        raise ServiceError("too_long", field="reason", max=REASON_MAX)
    if event.state == EventState.cancelled:
        return False
    before, event.state, event.cancel_reason = event.state, EventState.cancelled, reason
    record(by, "event_cancel", event, before=before, after=EventState.cancelled, reason=reason)
    notify(people_registered(event), "event_cancelled", data={"title": event.title_th, "title_en": event.title_en,
                                                             "event_id": event.id})
    db.session.flush()
    return True


def listed(upcoming: bool, area_id: int | None = None) -> sa.Select:
    """Public events (published or cancelled): upcoming soonest first, or past latest first."""
    now = utcnow()
    query = sa.select(Event).where(Event.state != EventState.draft)
    if upcoming:
        query = query.where(Event.ends_at > now).order_by(Event.starts_at, Event.id)
    else:
        query = query.where(Event.ends_at <= now).order_by(Event.starts_at.desc(), Event.id.desc())
    if area_id is not None:
        from idea4gov.events.models import event_areas

        query = query.where(Event.id.in_(sa.select(event_areas.c.event_id).where(event_areas.c.area_id == area_id)))
    return query
