"""Working-day deadlines: the Thai holiday calendar, office hours, one calculation of "first answer
due" used by the board, reminders, stats, programme and receipt; the holiday admin page."""
from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from triage_support import world  # noqa: F401  (fixture)

from idea4gov.areas.settings import settings_of
from idea4gov.audit.models import AuditEntry
from idea4gov.deadlines import services as deadlines
from idea4gov.deadlines.calendar import OFFICE_CLOSES, WorkingCalendar
from idea4gov.deadlines.models import Holiday, HolidayKind
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, IdeaStatus
from idea4gov.triage.services import board


def bkk(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A Bangkok wall-clock time as the UTC moment stored in the database (UTC+7, no DST)."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


@pytest.fixture(scope="module")
def thai() -> WorkingCalendar:
    """The calendar of the shipped list of Thai government holidays."""
    return WorkingCalendar.from_days(row.day for row in deadlines.shipped_days())


# --- the shipped list ----------------------------------------------------------------------


def test_shipped_list_covers_2569_and_2570_with_its_source_and_a_warning():
    text = deadlines.HOLIDAYS_FILE.read_text(encoding="utf-8")
    assert "Cabinet" in text and "MUST CHECK" in text
    days = deadlines.shipped_days()
    assert len({row.day for row in days}) == len(days), "one row per day"
    for year in (2026, 2027):
        named = {row.day for row in days if row.day.year == year}
        for fixed in ((1, 1), (4, 6), (4, 13), (4, 14), (4, 15), (5, 4), (6, 3), (7, 28), (8, 12), (10, 13),
                      (10, 23), (12, 5), (12, 10), (12, 31)):
            assert date(year, *fixed) in named, (year, fixed)
    # Substitution days are weekdays following a weekend holiday; the special day of 2 Jan 2569.
    for row in days:
        if row.kind == HolidayKind.substitution:
            assert row.day.weekday() == 0 or row.day.weekday() == 1, row
    assert date(2026, 1, 2) in {row.day for row in days if row.kind == HolidayKind.special}
    assert date(2026, 12, 7) in {row.day for row in days}  # Father's Day 2569 fell on a Saturday


# --- the calendar ------------------------------------------------------------------------------


@pytest.mark.parametrize(("submitted", "received"), [
    (bkk(2026, 11, 24, 9), date(2026, 11, 24)),            # a Tuesday in office hours
    (bkk(2026, 11, 24, 7, 15), date(2026, 11, 24)),        # before 08:30: waits for the office to open
    (bkk(2026, 11, 24, 16, 29), date(2026, 11, 24)),       # a minute before closing
    (bkk(2026, 11, 24, 16, 30), date(2026, 11, 25)),       # closing time: the next working day
    (bkk(2026, 11, 27, 18), date(2026, 11, 30)),           # Friday evening: Monday
    (bkk(2026, 11, 28, 10), date(2026, 11, 30)),           # Saturday: Monday
    (bkk(2026, 12, 4, 17), date(2026, 12, 8)),             # Friday evening, Mon 7 Dec a substitution day
    (bkk(2026, 12, 30, 17), date(2027, 1, 4)),             # across the year end: 31 Dec, 1 Jan, weekend
    (bkk(2026, 4, 10, 17), date(2026, 4, 16)),             # Songkran 13–15 Apr after a weekend
    (datetime(2026, 11, 24, 9, 29, tzinfo=UTC), date(2026, 11, 24)),  # 16:29 Bangkok is 09:29 UTC
    (datetime(2026, 11, 24, 9, 30, tzinfo=UTC), date(2026, 11, 25)),  # 16:30 Bangkok
    (datetime(2026, 11, 24, 20, 0, tzinfo=UTC), date(2026, 11, 25)),  # 03:00 next day Bangkok, still UTC 24th
    (datetime(2026, 11, 24, 20, 0), date(2026, 11, 25)),              # naive (SQLite) means UTC
])
def test_received_day_follows_office_hours_weekends_and_holidays(thai, submitted, received):
    assert thai.received_day(submitted) == received


@pytest.mark.parametrize(("submitted", "days", "due"), [
    (bkk(2026, 11, 24), 1, date(2026, 11, 25)),
    (bkk(2026, 11, 24), 14, date(2026, 12, 16)),   # skips Mon 7 Dec (substitution) and Thu 10 Dec
    (bkk(2026, 12, 24), 5, date(2027, 1, 4)),      # over New Year: 31 Dec, 1 Jan and a weekend skipped
    (bkk(2026, 4, 9), 3, date(2026, 4, 17)),       # over Songkran: 10, 16, 17 Apr
    (bkk(2027, 4, 9), 3, date(2027, 4, 19)),       # Songkran 2570: Tue–Thu 13–15 Apr
    (bkk(2026, 7, 27), 2, date(2026, 8, 3)),       # 28, 29, 30 Jul 2569: King's birthday, Asanha, Lent
])
def test_due_day_counts_working_days_after_the_day_of_receipt(thai, submitted, days, due):
    assert thai.due_day(submitted, days) == due
    # Overdue from midnight (Bangkok) after the due day, i.e. 17:00 UTC on the due day.
    assert thai.due_at(submitted, days) == datetime.combine(due, datetime.min.time(), tzinfo=UTC) + timedelta(hours=17)


def test_days_to_answer_and_on_time_use_bangkok_days(thai):
    submitted = bkk(2026, 11, 27, 18)                     # Friday evening, received Monday 30 Nov
    assert thai.working_days_to_answer(submitted, bkk(2026, 11, 30, 9)) == 0
    assert thai.working_days_to_answer(submitted, bkk(2026, 12, 1, 23, 59)) == 1
    assert thai.working_days_to_answer(submitted, bkk(2026, 12, 8, 9)) == 5   # Mon 7 Dec does not count
    assert thai.answered_on_time(submitted, bkk(2026, 12, 1, 23, 59), 1)
    assert not thai.answered_on_time(submitted, bkk(2026, 12, 2, 0, 0), 1)


def test_every_deadline_function_agrees_with_the_others(thai):
    """The SQL cutoff of the board, the per-idea due moment and the vectorised programme figures
    give the same answer for thousands of random submissions around holidays and year ends."""
    rng = random.Random(13)
    start = datetime(2025, 12, 20, tzinfo=UTC)
    submitted = [start + timedelta(minutes=rng.randrange(60 * 24 * 560)) for _ in range(2000)]
    answered = [moment + timedelta(minutes=rng.randrange(60 * 24 * 45)) if rng.random() < 0.6 else None
                for moment in submitted]
    days = [rng.randint(1, 30) for _ in submitted]
    now = datetime(2027, 6, 1, 3, 0, tzinfo=UTC)
    timing = thai.answer_timing(submitted, answered, days, now)
    for index, (moment, answer, count) in enumerate(zip(submitted, answered, days, strict=True)):
        overdue = now >= thai.due_at(moment, count)
        assert (moment < thai.overdue_cutoff(now, count)) == overdue, index
        if answer is None:
            assert timing.delays[index] == -1 and bool(timing.counted[index]) == overdue
        else:
            assert timing.delays[index] == thai.working_days_to_answer(moment, answer)
            assert bool(timing.on_time[index]) == thai.answered_on_time(moment, answer, count)


def test_office_close_is_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert OFFICE_CLOSES.strftime("%H:%M") in readme and "08:30" in readme


# --- the database calendar and the one calculation ------------------------------------------


def test_holidays_come_from_the_table_and_loading_is_idempotent(app):
    assert deadlines.load_shipped() == len(deadlines.shipped_days())
    db.session.commit()
    assert deadlines.load_shipped() == 0
    assert date(2027, 4, 14) in deadlines.calendar().holidays
    # A day an administrator removed stays removed when the list is loaded again.
    row = db.session.scalar(sa.select(Holiday).where(Holiday.day == date(2027, 4, 14)))
    row.removed_at = datetime.now(UTC)
    db.session.commit()
    deadlines.forget_calendar()
    assert deadlines.load_shipped() == 0
    assert date(2027, 4, 14) not in deadlines.calendar().holidays


def test_days_to_first_answer_is_read_in_one_place(app, make_area):
    one, two = make_area(), make_area()
    settings_of(two).days_to_first_answer = 3
    db.session.commit()
    assert deadlines.days_to_first_answer([one.id, two.id]) == {one.id: 14, two.id: 3}
    assert deadlines.days_for(two.id) == 3


def test_board_counts_and_reminders_skip_a_special_day_off(app, world, runner, make_user):  # noqa: F811
    """An idea becomes overdue a working day later when the admin adds a day off in its window."""
    idea = world["ideas"][0]
    settings_of(world["area"]).days_to_first_answer = 3
    # Posted on Monday 23 Nov 2026 in office hours: 3 working days end on Thursday 26 Nov.
    idea.created_at = bkk(2026, 11, 23, 10)
    db.session.commit()
    friday = bkk(2026, 11, 27, 9)
    assert deadlines.first_answer_due_day(idea) == date(2026, 11, 26)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea).where(
        deadlines.overdue_clause(world["area"].id, friday))) == 1
    deadlines.add_day_off(date(2026, 11, 25), "วันหยุดพิเศษทดสอบ", "Test day off", world["admin"])
    db.session.commit()
    assert deadlines.first_answer_due_day(idea) == date(2026, 11, 27)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea).where(
        deadlines.overdue_clause(world["area"].id, friday))) == 0
    assert board.deadline(world["area"].id) == deadlines.overdue_cutoff(world["area"].id)
    # Today is long past both dates: the board and the digest see it overdue.
    assert board.counts(world["area"].id)["overdue"] == 1
    result = runner.invoke(args=["triage", "remind", "--area", "saensuk"])
    assert result.exit_code == 0 and "about 1 overdue ideas" in result.output


def test_only_a_written_answer_stops_the_clock(app, world):  # noqa: F811
    from idea4gov.triage.services.statuses import set_status

    idea = world["ideas"][0]
    set_status(idea, IdeaStatus.under_review, "", world["officer"])
    db.session.commit()
    assert idea.first_answered_at is None
    set_status(idea, IdeaStatus.in_progress, "", world["officer"])
    set_status(idea, IdeaStatus.in_progress, "กำลังดำเนินการ จะรายงานความคืบหน้าทุกเดือน", world["officer"])
    db.session.commit()
    first = idea.first_answered_at
    assert first is not None
    set_status(idea, IdeaStatus.implemented, "ติดตั้งถังขยะครบทุกจุดแล้ว ขอบคุณที่เสนอ", world["officer"])
    db.session.commit()
    assert idea.first_answered_at == first  # the first written answer, not the last


# --- the admin page ------------------------------------------------------------------------------


def test_admin_adds_and_removes_days_off_with_an_audit_trail(client, app, make_staff):
    admin = make_staff("admin")
    client.login(admin)
    page = client.get("/admin/holidays?year=2570")
    assert page.status_code == 200 and "2570" in page.get_data(as_text=True)
    added = client.post("/admin/holidays", {"day": "2027-03-15", "name_th": "วันหยุดพิเศษ <b>ทดสอบ</b>",
                                            "name_en": "Special day"})
    assert added.status_code == 302 and "year=2570" in added.headers["Location"]
    row = db.session.scalar(sa.select(Holiday).where(Holiday.day == date(2027, 3, 15)))
    assert row.kind == HolidayKind.special and row.created_by_id == admin.id and "<b>" not in row.name_th
    html = client.get("/admin/holidays?year=2027").get_data(as_text=True)
    assert "วันหยุดพิเศษ ทดสอบ" in html
    assert date(2027, 3, 15) in deadlines.calendar().holidays
    # The same day twice, a weekend day, a missing name, a bad date: clear 4xx, nothing stored.
    assert client.post("/admin/holidays", {"day": "2027-03-15", "name_th": "ซ้ำ"}).status_code == 409
    weekend = client.post("/admin/holidays", {"day": "2027-03-13", "name_th": "วันเสาร์"})
    assert weekend.status_code == 400 and "เสาร์หรืออาทิตย์" in weekend.get_data(as_text=True)
    assert client.post("/admin/holidays", {"day": "2027-03-16", "name_th": ""}).status_code == 400
    assert client.post("/admin/holidays", {"day": "31/02/2027", "name_th": "ผิด"}).status_code == 400
    assert client.post("/admin/holidays", {"day": "1800-03-16", "name_th": "เก่า"}).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Holiday)) == 1
    removed = client.post(f"/admin/holidays/{row.id}/remove", {"reason": "ยกเลิกตามมติ ครม."})
    assert removed.status_code == 302
    db.session.refresh(row)
    assert row.removed_at is not None and row.removed_by_id == admin.id
    assert date(2027, 3, 15) not in deadlines.calendar().holidays
    actions = [entry.action for entry in db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.target_type == "holiday").order_by(AuditEntry.id))]
    assert actions == ["add_holiday", "remove_holiday"]
    # Putting it back reuses the row.
    assert client.post("/admin/holidays", {"day": "2027-03-15", "name_th": "กลับมาหยุด"}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Holiday)) == 1


@pytest.mark.parametrize("year", ["abc", "25", "99999", "๒๕๖๙x", "1066"])
def test_bad_years_get_a_clear_400(client, make_staff, year):
    client.login(make_staff("admin"))
    response = client.get(f"/admin/holidays?year={year}")
    assert response.status_code == 400 and "ปี" in response.get_data(as_text=True)


def test_only_admins_see_the_holiday_calendar(client, make_staff, make_area):
    area = make_area()
    assert client.get("/admin/holidays").status_code == 302  # log in first
    for role in ("moderator", "officer", "organiser"):
        client.login(make_staff(role, area))
        assert client.get("/admin/holidays").status_code == 403
        assert client.post("/admin/holidays", {"day": "2027-03-15", "name_th": "x"}).status_code == 403
        client.logout()


def test_holidays_commands(runner, app):
    result = runner.invoke(args=["holidays", "load"])
    assert result.exit_code == 0 and f"{len(deadlines.shipped_days())} days added" in result.output
    assert "0 days added" in runner.invoke(args=["holidays", "load"]).output
    listed = runner.invoke(args=["holidays", "list", "--year", "2570"])
    assert listed.exit_code == 0 and "2027-04-13\tofficial\tวันสงกรานต์" in listed.output
