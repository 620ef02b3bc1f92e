"""Registration: seats then the waitlist (race-safe, enforced by the database), cancelling promotes the next in
line, organisers accept, waitlist and check in (audited), on-site registration through the event's join code,
optional sector and age band only with consent, and the reminder before the event."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from idea4gov.audit.models import AuditEntry
from idea4gov.events.models import AgeBand, Event, Registration, RegistrationStatus, Sector
from idea4gov.extensions import db
from idea4gov.notifications.models import Notification
from tests.event_support import event_world, make_event, seat  # noqa: F401  (fixture)
from tests.test_triage_mail import smtp  # noqa: F401  (fixture: aiosmtpd on loopback)


def _status(event_id: int) -> dict[str, int]:
    db.session.expire_all()
    rows = db.session.execute(sa.select(Registration.status, sa.func.count()).where(
        Registration.event_id == event_id).group_by(Registration.status)).all()
    return {status.value: count for status, count in rows}


def _invariants(event_id: int) -> None:
    """The seat counter matches the rows, never exceeds the capacity, and nobody waits while a seat is free."""
    db.session.expire_all()
    event = db.session.get(Event, event_id)
    counts = _status(event_id)
    assert event.accepted_count == counts.get("accepted", 0) <= event.capacity
    if event.accepted_count < event.capacity:
        assert counts.get("waitlisted", 0) == 0, counts


def test_seats_then_the_waitlist_and_a_cancel_gives_the_seat_to_the_next_in_line(client, ew, make_user, make_area,
                                                                                   make_staff):
    event = make_event([ew.area], ew.organiser, starts_in=timedelta(days=3), capacity=2, title_th="เวทีสองที่นั่ง")
    people = [make_user(display_name=f"ผู้ลงทะเบียน {i}") for i in range(4)]
    for person in people:
        client.login(person)
        response = client.post(f"/events/{event.id}/register", {"sector": "", "age_band": ""})
        assert response.status_code == 302, response.get_data(as_text=True)[:800]
    assert _status(event.id) == {"accepted": 2, "waitlisted": 2}
    client.login(people[3])
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "คุณอยู่ในรายชื่อสำรอง ลำดับที่ 2" in html

    # Registering again changes nothing.
    client.login(people[0])
    assert client.post(f"/events/{event.id}/register", {}).status_code == 302
    assert _status(event.id) == {"accepted": 2, "waitlisted": 2}

    # The first seated person cancels: the oldest on the waitlist gets the seat and is told.
    assert client.post(f"/events/{event.id}/cancel").status_code == 302
    assert _status(event.id) == {"accepted": 2, "waitlisted": 1, "cancelled": 1}
    promoted = db.session.scalar(sa.select(Registration).where(Registration.user_id == people[2].id))
    assert promoted.status == RegistrationStatus.accepted
    assert db.session.scalar(sa.select(Notification.kind).where(Notification.user_id == people[2].id)) == "event_promoted"
    # Its e-mail was written to the outbox with the change, for the worker to send (never sent in the request).
    from idea4gov.outbox.models import OutboxMessage

    mail = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == people[2].email)).one()
    assert mail.channel == "email" and "เวทีสองที่นั่ง" in mail.subject
    _invariants(event.id)

    # Raising the capacity seats the rest of the waitlist.
    client.login(ew.organiser)
    from tests.test_events import FORM

    response = client.post(f"/events/{event.id}/manage/edit", {**FORM, "title_th": "เวทีสองที่นั่ง", "capacity": "5",
                                                             "starts_at": "2030-01-01 09:00", "ends_at": "2030-01-01 16:00",
                                                             "proposal_deadline": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    assert _status(event.id) == {"accepted": 3, "cancelled": 1}
    _invariants(event.id)


def test_the_database_refuses_more_seats_than_the_capacity(ew, make_user):
    event = make_event([ew.area], ew.organiser, starts_in=timedelta(days=3), capacity=1, title_th="ที่นั่งเดียว")
    db.session.execute(sa.update(Event).where(Event.id == event.id).values(accepted_count=1))
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(sa.update(Event).where(Event.id == event.id).values(accepted_count=2))
        db.session.flush()
    db.session.rollback()
    person = make_user()
    row = Registration(event_id=event.id, user_id=person.id, status=RegistrationStatus.accepted,
                       sector=Sector.student)  # a sector without consent
    db.session.add(row)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.live
def test_concurrent_registrations_never_exceed_the_seats(live_server, ew, make_user):
    """Sixteen people (one of them twice) press "register" at the same moment for five seats."""
    from tests.test_concurrency import WebSession, assert_no_server_errors, fire_together

    event = make_event([ew.area], ew.organiser, starts_in=timedelta(days=3), capacity=5, title_th="ห้าที่นั่ง")
    emails = [make_user().email for _ in range(16)]
    event_id = event.id
    db.session.remove()  # hold no transaction open while the server writes
    calls = []
    for index, email in enumerate(emails):
        web = WebSession(live_server)
        web.login(email)
        csrf = web.csrf_token(f"/events/{event_id}/register")
        for _ in range(2 if index == 0 else 1):
            call = web.form_post(f"/events/{event_id}/register", csrf)
            calls.append(call)

    replies = fire_together(live_server, calls)

    assert_no_server_errors(replies)
    assert {r.status for r in replies} == {302}, {r.status for r in replies}
    assert _status(event_id) == {"accepted": 5, "waitlisted": 11}
    _invariants(event_id)

    # Seated people cancel while others still register: the counter and the waitlist stay exact.
    seated = list(db.session.scalars(sa.select(Registration.user_id).where(
        Registration.event_id == event_id, Registration.status == RegistrationStatus.accepted)))
    from idea4gov.auth.models import User

    late = [make_user().email for _ in range(4)]
    db.session.remove()
    calls = []
    for email in [db.session.get(User, user_id).email for user_id in seated[:3]] + late:
        web = WebSession(live_server)
        web.login(email)
        csrf = web.csrf_token(f"/events/{event_id}")
        action = "cancel" if email not in late else "register"
        calls.append(web.form_post(f"/events/{event_id}/{action}", csrf))
    db.session.remove()
    replies = fire_together(live_server, calls)
    assert_no_server_errors(replies)
    assert _status(event_id) == {"accepted": 5, "waitlisted": 12, "cancelled": 3}
    _invariants(event_id)


def test_registration_outside_its_window_is_refused_with_a_message(client, ew, make_user):
    later = make_event([ew.area], ew.organiser, starts_in=timedelta(days=10), title_th="เปิดลงทะเบียนสัปดาห์หน้า")
    event = ew.event  # already started: online registration closed
    client.login(make_user())
    page = client.get(f"/events/{event.id}/register")
    assert page.status_code == 200 and 'data-testid="registration-closed"' in page.get_data(as_text=True)
    response = client.post(f"/events/{event.id}/register", {"sector": ""})
    assert response.status_code == 409 and "ไม่ได้เปิดรับลงทะเบียนออนไลน์" in response.get_data(as_text=True)
    assert _status(event.id) == {}
    assert client.post(f"/events/{later.id}/register", {}).status_code == 302


def test_sector_and_age_band_are_kept_only_with_consent_and_can_be_withdrawn(client, ew, make_user):
    event = make_event([ew.area], ew.organiser, starts_in=timedelta(days=3), title_th="เวทีข้อมูลยินยอม")
    person = make_user()
    client.login(person)
    refused = client.post(f"/events/{event.id}/register", {"sector": "student", "age_band": "age_18_24"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "กรุณาติ๊กยินยอม" in html
    assert '<option selected value="student">' in html or 'value="student" selected' in html
    assert _status(event.id) == {}
    assert client.post(f"/events/{event.id}/register", {"sector": "student", "age_band": "age_18_24",
                                                        "consent": "y"}).status_code == 302
    row = db.session.scalar(sa.select(Registration).where(Registration.user_id == person.id))
    assert (row.sector, row.age_band) == (Sector.student, AgeBand.age_18_24) and row.demographics_consent_at
    # The organisers' list never shows it per person.
    client.login(ew.organiser)
    listing = client.get(f"/events/{event.id}/manage/participants").get_data(as_text=True)
    assert "นักเรียน นักศึกษา" not in listing and "18–24" not in listing
    client.login(person)
    assert client.post(f"/events/{event.id}/my-details", {"sector": "", "age_band": ""}).status_code == 302
    db.session.refresh(row)
    assert row.sector is None and row.age_band is None and row.demographics_consent_at is None
    # Bad values are refused, not stored.
    client.post(f"/events/{event.id}/my-details", {"sector": "'; DROP TABLE users; --", "consent": "y"})
    db.session.refresh(row)
    assert row.sector is None


def test_organisers_accept_waitlist_cancel_and_check_in_each_audited(client, ew, make_user):
    event = make_event([ew.area], ew.organiser, starts_in=timedelta(hours=-1), capacity=1, title_th="ที่นั่งเดียวเช็กอิน")
    first, second = make_user(display_name="คนแรก"), make_user(display_name="คนที่สอง")
    row1, row2 = seat(event, first), seat(event, second)
    assert (row1.status, row2.status) == (RegistrationStatus.accepted, RegistrationStatus.waitlisted)
    client.login(ew.organiser)
    base = f"/events/{event.id}/manage/participants"

    full = client.post(f"{base}/{row2.id}/accept")
    assert full.status_code == 302
    assert "ที่นั่งเต็มแล้ว" in client.get(full.headers["Location"]).get_data(as_text=True)
    # Waitlisting the seated person hands the seat to the next in line.
    assert client.post(f"{base}/{row1.id}/waitlist").status_code == 302
    assert _status(event.id) == {"accepted": 1, "waitlisted": 1}
    db.session.expire_all()
    assert db.session.get(Registration, row2.id).status == RegistrationStatus.accepted
    # Check-in only with a seat; undo; cancel.
    client.post(f"{base}/{row1.id}/checkin")
    assert db.session.get(Registration, row1.id).checked_in_at is None
    assert client.post(f"{base}/{row2.id}/checkin?status=not_checked_in&page=2").headers["Location"].endswith(
        f"status=not_checked_in&page=2#registration-{row2.id}")
    db.session.expire_all()
    assert db.session.get(Registration, row2.id).checked_in_at is not None
    client.post(f"{base}/{row2.id}/undo-checkin")
    client.post(f"{base}/{row2.id}/cancel")
    _invariants(event.id)
    assert client.post(f"{base}/{row2.id}/explode").status_code == 404
    actions = [a for a in db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.target_type == "registration"))]
    assert {"event_waitlist", "event_check_in", "event_undo_check_in", "event_cancel_registration"} <= set(actions)
    # The checked-in list and searches, with huge or odd page numbers.
    for query in ("?status=checked_in", "?q=คนแรก", "?page=99999999999999999999", "?status=%00", "?q=" + "x" * 500):
        assert client.get(base + query).status_code in (200, 400)


def test_on_site_the_events_join_code_registers_and_checks_in(client, ew, make_user):
    from idea4gov.joincodes.models import JoinCode

    client.login(ew.organiser)
    opened = client.post(f"/events/{ew.event.id}/manage/join-code", {"label": "หน้างานแฮกกาธอน", "hours": "12",
                                                                    "max_registrations": "100"})
    assert opened.status_code == 302
    code = db.session.scalars(sa.select(JoinCode)).one()
    assert code.event_id == ew.event.id and code.area_id == ew.area.id
    poster = client.get(opened.headers["Location"]).get_data(as_text=True)
    assert code.code in poster

    visitor = make_user()
    client.login(visitor)
    join = client.get(f"/join/{code.code}")
    html = join.get_data(as_text=True)
    assert join.status_code == 200 and 'data-testid="join-event"' in html and "ลงทะเบียนและเช็กอิน" in html
    # Online registration closed when the event started; the bound code lets them in and checks them in.
    page = client.get(f"/events/{ew.event.id}/register").get_data(as_text=True)
    assert 'data-testid="on-site"' in page
    assert client.post(f"/events/{ew.event.id}/register", {"sector": "citizen", "consent": "y"}).status_code == 302
    row = db.session.scalar(sa.select(Registration).where(Registration.user_id == visitor.id))
    assert row.status == RegistrationStatus.accepted and row.checked_in_at is not None and row.join_code_id == code.id
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.action == "join_code_event")) is not None

    # Someone registered before checks themselves in by registering again with the code.
    early = make_user()
    seat(ew.event, early)
    client.login(early)
    client.get(f"/join/{code.code}")
    assert "เช็กอิน" in client.get(f"/events/{ew.event.id}").get_data(as_text=True)
    client.post(f"/events/{ew.event.id}/register", {})
    assert db.session.scalar(sa.select(Registration.checked_in_at).where(Registration.user_id == early.id))


def test_a_code_of_another_event_or_a_closed_code_does_not_check_in(client, ew, make_user):
    from idea4gov.joincodes import services as joincodes

    other = make_event([ew.area], ew.organiser, starts_in=timedelta(hours=-2), title_th="อีกงานหนึ่ง")
    code = joincodes.open_code(ew.area, ew.organiser, "งานอื่น", 2, 10, event=other)
    db.session.commit()
    client.login(make_user())
    client.get(f"/join/{code.code}")
    response = client.post(f"/events/{ew.event.id}/register", {})
    assert response.status_code == 409
    joincodes.close_code(code, ew.organiser)
    db.session.commit()
    assert client.post(f"/events/{other.id}/register", {}).status_code == 409


def test_the_reminder_goes_once_to_each_seated_person_in_their_language(runner, ew, make_user, smtp):  # noqa: F811
    from idea4gov.auth.models import User

    event = make_event([ew.area], ew.organiser, starts_in=timedelta(hours=20), capacity=2, title_th="เวทีพรุ่งนี้",
                       title_en="Tomorrow's forum")
    thai, english, waiting = make_user(), make_user(), make_user()
    db.session.execute(sa.update(User).where(User.id == english.id).values(preferred_locale="en"))
    db.session.commit()
    for person in (thai, english, waiting):
        seat(event, person)
    far = make_event([ew.area], ew.organiser, starts_in=timedelta(days=9), title_th="อีกนาน")
    seat(far, make_user())

    result = runner.invoke(args=["events", "remind", "--hours", "48"])
    assert result.exit_code == 0, result.output
    assert "reminded: 2 participants of 1 events" in result.output
    thai_mail, = smtp.to(thai.email)
    english_mail, = smtp.to(english.email)
    assert not smtp.to(waiting.email)
    assert "เตือนความจำ: เวทีพรุ่งนี้" in thai_mail["Subject"] and "Reminder: Tomorrow's forum" in thai_mail["Subject"]
    assert english_mail["Subject"] == "Reminder: Tomorrow's forum"
    body = english_mail.get_content()
    assert f"/events/{event.id}" in body and "Place: หอประชุมเทศบาลเมืองแสนสุข" in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.kind == "event_reminder")) == 2

    from idea4gov.outbox.models import OutboxMessage, OutboxStatus

    queued = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.subject.contains("Tomorrow's forum"))).all()
    assert sorted(m.recipient for m in queued) == sorted([thai.email, english.email])
    assert {m.status for m in queued} == {OutboxStatus.sent}  # through the outbox, delivered by the command
    again = runner.invoke(args=["events", "remind"])
    assert "reminded: 0 participants" in again.output and len(smtp.messages) == 2
    assert runner.invoke(args=["events", "remind", "--hours", "0"]).exit_code != 0



def test_registering_checking_in_and_teams_leave_the_cached_public_pages_alone(client, ew, make_user):
    """A crowded room registering, checking in and forming teams changes nothing a cached public page shows
    (the seat counter says so to `idea4gov.pagecache`): the site's cached pages stay valid meanwhile."""
    from idea4gov import pagecache

    upcoming = make_event([ew.area], ew.organiser, starts_in=timedelta(days=3), title_th="เวทีสัปดาห์หน้า")
    person, on_site = make_user(), make_user()
    seat(ew.event, on_site, checked_in=True)
    before = pagecache.versions(ew.area.id)
    client.login(person)
    assert client.post(f"/events/{upcoming.id}/register", {"sector": "", "age_band": ""}).status_code == 302
    assert client.post(f"/events/{upcoming.id}/cancel").status_code == 302
    assert db.session.scalar(sa.select(Registration.status).where(Registration.user_id == person.id)) \
        == RegistrationStatus.cancelled
    client.login(on_site)
    assert client.post(f"/events/{ew.event.id}/teams", {"name": "ทีมไม่กระทบแคช"}).status_code == 302
    assert pagecache.versions(ew.area.id) == before
