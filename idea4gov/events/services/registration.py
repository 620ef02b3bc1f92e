"""Registering for an event, the waitlist and check-in; race-safe.

Every change of seats first updates the event's row (`lock`): PostgreSQL then holds that row's
lock and SQLite its write lock until the commit, so the changes of one event happen one after
another. A seat is taken by a single conditional UPDATE (`accepted_count < capacity`) and the
database's CHECK (`accepted_count <= capacity`) refuses anything beyond it; one registration per
person and event is a unique constraint. The waitlist is served oldest first whenever a seat frees.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from idea4gov import pagecache
from idea4gov.auth.models import User
from idea4gov.events.models import AgeBand, Event, EventState, Registration, RegistrationStatus, Sector, TeamMember
from idea4gov.events.services import record
from idea4gov.extensions import db
from idea4gov.joincodes.models import JoinCode
from idea4gov.notifications.services import notify
from idea4gov.service_errors import ServiceError
from idea4gov.timeutil import as_utc, utcnow


@dataclass(frozen=True)
class Demographics:
    """Optional sector and age band; kept only with `consent` (used only in aggregate)."""

    sector: Sector | None = None
    age_band: AgeBand | None = None
    consent: bool = False

    def check(self) -> None:
        if (self.sector or self.age_band) and not self.consent:
            raise ServiceError("demographics_need_consent", field="consent")


NONE = Demographics()


#: The seat counter shows on no cached public page: changing it invalidates nothing (`idea4gov.pagecache`).
_SEAT_COUNTER = {pagecache.UNSEEN: True}


def lock(event: Event) -> None:
    """Take the event's row lock (PostgreSQL) or the write lock (SQLite) for this transaction."""
    db.session.execute(sa.update(Event).where(Event.id == event.id)
                       .values(accepted_count=Event.accepted_count, updated_at=Event.updated_at)
                       .execution_options(synchronize_session=False, **_SEAT_COUNTER))


def _take_seat(event: Event) -> bool:
    result = db.session.execute(
        sa.update(Event).where(Event.id == event.id, Event.accepted_count < Event.capacity)
        .values(accepted_count=Event.accepted_count + 1, updated_at=Event.updated_at)
        .execution_options(synchronize_session=False, **_SEAT_COUNTER))
    db.session.expire(event, ["accepted_count"])
    return result.rowcount == 1


def _free_seat(event: Event) -> None:
    db.session.execute(sa.update(Event).where(Event.id == event.id)
                       .values(accepted_count=Event.accepted_count - 1, updated_at=Event.updated_at)
                       .execution_options(synchronize_session=False, **_SEAT_COUNTER))
    db.session.expire(event, ["accepted_count"])


def registration_of(event: Event, user: User | None) -> Registration | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(sa.select(Registration).where(Registration.event_id == event.id,
                                                           Registration.user_id == user.id))


def registration_open(event: Event, now=None) -> bool:  # noqa: ANN001
    """Online registration: a published event, inside its window (by default until it starts)."""
    now = now or utcnow()
    if event.state != EventState.published:
        return False
    opens = event.registration_opens_at
    closes = event.registration_closes_at or event.starts_at
    return (opens is None or as_utc(opens) <= now) and now < as_utc(closes)


def code_for(event: Event, code: JoinCode | None) -> JoinCode | None:
    """The join code bound to this browser, when it is open and belongs to this event."""
    if code is None or code.event_id != event.id or code.state() != "open":
        return None
    return code


def _set_demographics(row: Registration, demographics: Demographics) -> None:
    demographics.check()
    if demographics.consent and (demographics.sector or demographics.age_band):
        row.sector, row.age_band = demographics.sector, demographics.age_band
        row.demographics_consent_at = row.demographics_consent_at or utcnow()
    else:
        row.sector = row.age_band = row.demographics_consent_at = None


def register(event: Event, user: User, demographics: Demographics = NONE, code: JoinCode | None = None) -> Registration:
    """Register `user`: accepted while seats remain, otherwise on the waitlist.

    With the event's open join code (`code`, bound to the browser on site) the registration
    window does not apply and an accepted person is checked in at once; someone already
    registered is checked in. Raises ServiceError when registration is closed; IntegrityError
    (the caller rolls back) when the same person registers twice at the same moment.
    """
    now = utcnow()
    demographics.check()
    if event.state != EventState.published:
        raise ServiceError("event_not_open", status=409)
    if code is None and not registration_open(event, now):
        raise ServiceError("registration_closed", status=409)
    if code is not None and event.has_ended(now):
        raise ServiceError("event_over", status=409)
    lock(event)
    row = registration_of(event, user)
    if row is not None and row.status != RegistrationStatus.cancelled:
        if code is not None and row.status == RegistrationStatus.accepted and row.checked_in_at is None:
            row.checked_in_at, row.join_code_id = now, code.id
        if demographics != NONE:
            _set_demographics(row, demographics)
        db.session.flush()
        return row
    seated = _take_seat(event)  # before the row exists: a flush must never see it half made
    if row is None:
        row = Registration(event_id=event.id, user_id=user.id, created_at=now)
        db.session.add(row)
    row.cancelled_at = None
    _set_demographics(row, demographics)
    if seated:
        row.status, row.accepted_at, row.waitlisted_at = RegistrationStatus.accepted, now, None
        if code is not None:
            row.checked_in_at = now
    else:
        row.status, row.waitlisted_at = RegistrationStatus.waitlisted, now
    if code is not None:
        row.join_code_id = code.id
    db.session.flush()
    return row


def set_demographics(row: Registration, demographics: Demographics) -> None:
    """Change or withdraw (no consent) a participant's own sector and age band."""
    _set_demographics(row, demographics)
    db.session.flush()


def _leave_team(row: Registration) -> None:
    from idea4gov.events.services.teams import leave_membership

    member = db.session.scalar(sa.select(TeamMember).where(TeamMember.event_id == row.event_id,
                                                           TeamMember.user_id == row.user_id))
    if member is not None:
        leave_membership(member)


def _cancel(event: Event, row: Registration) -> None:
    lock(event)
    db.session.refresh(row)
    if row.status == RegistrationStatus.cancelled:
        return
    was_accepted = row.status == RegistrationStatus.accepted
    row.status, row.cancelled_at, row.checked_in_at = RegistrationStatus.cancelled, utcnow(), None
    db.session.flush()
    if was_accepted:
        _free_seat(event)
    _leave_team(row)
    fill_from_waitlist(event)


def cancel_own(row: Registration) -> None:
    """A participant cancels before the event starts; their seat goes to the waitlist."""
    event = row.event
    if row.checked_in_at is not None or event.has_started():
        raise ServiceError("too_late_to_cancel", status=409)
    _cancel(event, row)


def fill_from_waitlist(event: Event, exclude_id: int | None = None) -> list[Registration]:
    """Give free seats to the waitlist, oldest first; each promoted person is told in-app and by e-mail."""
    promoted = []
    while True:
        query = (sa.select(Registration).where(Registration.event_id == event.id,
                                               Registration.status == RegistrationStatus.waitlisted)
                 .order_by(Registration.waitlisted_at, Registration.id).limit(1))
        if exclude_id is not None:
            query = query.where(Registration.id != exclude_id)
        row = db.session.scalar(query)
        if row is None or not _take_seat(event):
            break
        row.status, row.accepted_at, row.waitlisted_at = RegistrationStatus.accepted, utcnow(), None
        db.session.flush()
        promoted.append(row)
    if promoted:
        from idea4gov.events.services.reminders import tell_promoted

        tell_promoted(event, [row.user_id for row in promoted])
    return promoted


# --- organisers ----------------------------------------------------------------------------------


def accept(event: Event, row: Registration, by: User) -> None:
    """Give a waitlisted (or cancelled) person a seat; refused when the event is full."""
    lock(event)
    db.session.refresh(row)
    if row.status == RegistrationStatus.accepted:
        return
    if not _take_seat(event):
        raise ServiceError("event_full", status=409)
    before = row.status
    row.status, row.accepted_at, row.waitlisted_at, row.cancelled_at = RegistrationStatus.accepted, utcnow(), None, None
    record(by, "event_accept", event, target_type="registration", target_id=row.id, before=before,
           after=RegistrationStatus.accepted, reason=f"user {row.user_id}")
    notify([row.user_id], "event_accepted", data=_data(event))
    db.session.flush()


def waitlist(event: Event, row: Registration, by: User) -> None:
    """Move an accepted person to the end of the waitlist; the freed seat goes to the next in line."""
    lock(event)
    db.session.refresh(row)
    if row.status == RegistrationStatus.waitlisted:
        return
    if row.checked_in_at is not None:
        raise ServiceError("already_checked_in", status=409)
    before = row.status
    row.status, row.waitlisted_at, row.cancelled_at = RegistrationStatus.waitlisted, utcnow(), None
    db.session.flush()
    if before == RegistrationStatus.accepted:
        _free_seat(event)
    record(by, "event_waitlist", event, target_type="registration", target_id=row.id, before=before,
           after=RegistrationStatus.waitlisted, reason=f"user {row.user_id}")
    fill_from_waitlist(event, exclude_id=row.id)


def cancel_by_organiser(event: Event, row: Registration, by: User) -> None:
    before = row.status
    _cancel(event, row)
    record(by, "event_cancel_registration", event, target_type="registration", target_id=row.id, before=before,
           after=RegistrationStatus.cancelled, reason=f"user {row.user_id}")


def check_in(event: Event, row: Registration, by: User) -> bool:
    """Mark an accepted participant present; False when they already were."""
    if row.status != RegistrationStatus.accepted:
        raise ServiceError("check_in_needs_seat", status=409)
    if row.checked_in_at is not None:
        return False
    row.checked_in_at, row.checked_in_by_id = utcnow(), by.id
    record(by, "event_check_in", event, target_type="registration", target_id=row.id, after="checked_in",
           reason=f"user {row.user_id}")
    db.session.flush()
    return True


def undo_check_in(event: Event, row: Registration, by: User) -> bool:
    if row.checked_in_at is None:
        return False
    row.checked_in_at = row.checked_in_by_id = None
    record(by, "event_undo_check_in", event, target_type="registration", target_id=row.id, before="checked_in",
           reason=f"user {row.user_id}")
    db.session.flush()
    return True


def people_registered(event: Event) -> list[int]:
    """Accounts accepted or waiting for this event."""
    return list(db.session.scalars(sa.select(Registration.user_id).where(
        Registration.event_id == event.id, Registration.status != RegistrationStatus.cancelled)))


def _data(event: Event) -> dict:
    return {"title": event.title_th, "title_en": event.title_en or event.title_th, "event_id": event.id}


def counts(event: Event) -> dict[str, int]:
    """Registrations by status, and how many checked in."""
    rows = dict(db.session.execute(sa.select(Registration.status, sa.func.count()).where(
        Registration.event_id == event.id).group_by(Registration.status)).all())
    checked_in = db.session.scalar(sa.select(sa.func.count()).where(
        Registration.event_id == event.id, Registration.checked_in_at.is_not(None))) or 0
    return {"accepted": rows.get(RegistrationStatus.accepted, 0), "waitlisted": rows.get(RegistrationStatus.waitlisted, 0),
            "cancelled": rows.get(RegistrationStatus.cancelled, 0), "checked_in": checked_in}


def waitlist_position(row: Registration) -> int | None:
    """1 for the next in line; None when not waiting."""
    if row.status != RegistrationStatus.waitlisted:
        return None
    ahead = db.session.scalar(sa.select(sa.func.count()).where(
        Registration.event_id == row.event_id, Registration.status == RegistrationStatus.waitlisted,
        sa.or_(Registration.waitlisted_at < row.waitlisted_at,
               sa.and_(Registration.waitlisted_at == row.waitlisted_at, Registration.id < row.id)))) or 0
    return ahead + 1
