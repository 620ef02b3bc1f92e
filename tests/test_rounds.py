"""Themes and rounds (issue 13, point 2): staff add, rename, reorder, open and close themes; a
round's themes take ideas only between its dates (Bangkok time, stored UTC), with the next round's
date in the message, on the web form, in the API and in imports; votes and comments follow the
rounds when the area says so."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from idea4gov.areas import rounds
from idea4gov.areas.models import Area, Round, Theme
from idea4gov.areas.settings import settings_of
from idea4gov.audit.models import AuditEntry
from idea4gov.extensions import db
from idea4gov.ideas import services
from idea4gov.ideas.models import Comment, Idea, Vote
from idea4gov.timeutil import as_utc, format_date, to_bangkok, utcnow
from tests.api_support import token_for

TITLE = "เพิ่มถังขยะแยกประเภทริมหาดบางแสน"
BODY = "ถังขยะริมหาดล้นทุกวันหยุด อยากให้เทศบาลเพิ่มถังแยกประเภททุก 100 เมตรตลอดแนวหาด"


@pytest.fixture()
def area(make_area):
    return make_area(slug="saensuk", themes=(("beach", "ขยะชายหาด", "Beach litter"), ("market", "ตลาด", "Market"),
                                             ("river", "แม่น้ำ", "River")))


def _themes(slug: str = "saensuk") -> list[tuple[str, str, bool]]:
    db.session.expire_all()
    area = db.session.scalar(sa.select(Area).where(Area.slug == slug))
    return [(theme.slug, theme.title_th, theme.is_open) for theme in area.themes]


def test_staff_add_rename_reorder_close_and_open_themes(client, area, make_area, make_staff):
    organiser = make_staff("organiser", area)
    client.login(organiser)
    assert client.post("/admin/areas/saensuk/themes", {"title_th": "ทางเท้าริมหาด", "title_en": "Beach footpaths"}
                       ).status_code == 302
    empty = client.post("/admin/areas/saensuk/themes", {"title_th": "", "title_en": "Only English"})
    assert empty.status_code == 400 and "กรุณาใส่ชื่อโจทย์" in empty.get_data(as_text=True)
    assert 'value="Only English"' in empty.get_data(as_text=True)
    taken = client.post("/admin/areas/saensuk/themes", {"title_th": "ซ้ำ", "title_en": "Again", "slug": "beach"})
    assert taken.status_code == 409 and "พื้นที่นี้มีโจทย์ที่ใช้รหัสนี้แล้ว" in taken.get_data(as_text=True)
    assert [slug for slug, _title, _open in _themes()] == ["beach", "market", "river", "beach-footpaths"]

    theme_id = db.session.scalar(sa.select(Theme.id).where(Theme.slug == "beach-footpaths"))
    rename = {f"theme-{theme_id}-title_th": "ทางเดินริมหาด", f"theme-{theme_id}-title_en": "Beach walkways",
              f"theme-{theme_id}-csrf_token": client.csrf_token()}
    assert client.post(f"/admin/areas/saensuk/themes/{theme_id}", rename).status_code == 302
    assert client.post(f"/admin/areas/saensuk/themes/{theme_id}/move", {"direction": "up"}).status_code == 302
    assert client.post(f"/admin/areas/saensuk/themes/{theme_id}/move", {"direction": "up"}).status_code == 302
    assert client.post(f"/admin/areas/saensuk/themes/{theme_id}/close").status_code == 302
    assert _themes() == [("beach", "ขยะชายหาด", True), ("beach-footpaths", "ทางเดินริมหาด", False),
                         ("market", "ตลาด", True), ("river", "แม่น้ำ", True)]
    assert client.post(f"/admin/areas/saensuk/themes/{theme_id}/open").status_code == 302
    assert _themes()[1][2] is True
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.actor_id == organiser.id)
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["theme_create", "theme_rename", "theme_move", "theme_move", "theme_close", "theme_open"]
    # A theme of another area is not found through that area.
    make_area(slug="elsewhere")
    client.logout()
    client.login(make_staff("admin"))
    assert client.post(f"/admin/areas/elsewhere/themes/{theme_id}/close").status_code == 404


def test_a_round_is_entered_in_bangkok_time_and_stored_in_utc(client, area, make_staff):
    client.login(make_staff("admin"))
    beach, market = area.themes[0].id, area.themes[1].id
    response = client.post("/admin/areas/saensuk/rounds", {
        "title_th": "รอบที่ 1 ปีงบประมาณ 2570", "title_en": "Round 1, fiscal year 2570",
        "opens_at": "2026-12-01T09:00", "closes_at": "2570-01-31 16:30",  # a Buddhist-era year typed by hand
        "theme_ids": [beach, market]})
    assert response.status_code == 302
    round_ = db.session.scalar(sa.select(Round))
    assert as_utc(round_.opens_at) == datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    assert as_utc(round_.closes_at) == datetime(2027, 1, 31, 9, 30, tzinfo=UTC)
    assert [theme.slug for theme in round_.themes] == ["beach", "market"]
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.target_type == "round")) == "round_create"
    page = client.get(f"/admin/areas/saensuk/rounds/{round_.id}").get_data(as_text=True)
    assert 'value="2026-12-01T09:00"' in page and 'value="2027-01-31T16:30"' in page

    backwards = client.post("/admin/areas/saensuk/rounds", {
        "title_th": "รอบย้อนเวลา", "title_en": "Backwards", "opens_at": "2027-03-01T09:00",
        "closes_at": "2027-02-01T09:00", "theme_ids": [beach]})
    html = backwards.get_data(as_text=True)
    assert backwards.status_code == 400 and "เวลาปิดรับต้องอยู่หลังเวลาเปิดรับ" in html
    assert 'value="รอบย้อนเวลา"' in html
    no_theme = client.post("/admin/areas/saensuk/rounds", {
        "title_th": "รอบไม่มีโจทย์", "title_en": "No theme", "opens_at": "2027-03-01T09:00",
        "closes_at": "2027-04-01T09:00"})
    assert no_theme.status_code == 400 and "อย่างน้อยหนึ่งโจทย์" in no_theme.get_data(as_text=True)
    junk = client.post("/admin/areas/saensuk/rounds", {
        "title_th": "รอบวันที่ผิด", "title_en": "Bad date", "opens_at": "next week", "closes_at": "2027-04-01",
        "theme_ids": [beach]})
    assert junk.status_code == 400 and "รูปแบบวันเวลาไม่ถูกต้อง" in junk.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Round)) == 1


def test_outside_its_round_a_theme_takes_no_idea_anywhere(client, area, make_user, make_round, tmp_path, runner):
    beach, market, river = area.themes
    past = make_round(area, -60, -30, [beach], title_th="รอบที่ 1")
    upcoming = make_round(area, 10, 40, [beach, market], title_th="รอบที่ 2")
    author = make_user()
    # Web form: only the theme in no round (river) is offered; the others say when they open again.
    client.login(author)
    form = client.get("/areas/saensuk/ideas/new").get_data(as_text=True)
    assert 'value="river"' in form and 'value="beach"' not in form
    response = client.post("/areas/saensuk/ideas/new", {"title": TITLE, "body": BODY, "theme": "beach",
                                                        "confirm_new": "1"})
    html = response.get_data(as_text=True)
    opens = format_date(upcoming.opens_at, "th", with_time=True)
    assert response.status_code == 400 and "ไม่อยู่ในช่วงรอบรับฟังความคิดเห็น" in html and opens in html
    assert TITLE in html  # what was typed is kept
    # The area page says the same for each theme.
    page = client.get("/areas/saensuk").get_data(as_text=True)
    assert f"รอบถัดไปเปิดรับ {opens}" in page
    # API: refused with the round's message and code.
    api = client.api("POST", "/api/v1/areas/saensuk/ideas", {"title": TITLE, "body": BODY, "theme": "market"},
                     token=token_for(author))
    assert api.status_code == 403 and api.get_json()["error"]["code"] == "round_closed"
    assert opens in api.get_json()["error"]["message"]
    # The service itself (which the import goes through too).
    with pytest.raises(services.ServiceError) as refused:
        services.create_idea(area, author, services.IdeaInput(TITLE, BODY, beach))
    assert refused.value.message == "round_closed" and refused.value.details["next_opens_at"] == as_utc(
        upcoming.opens_at)
    db.session.rollback()
    # Import: a form filled in now is refused; one dated inside the past round goes in.
    csv_now = tmp_path / "now.csv"
    csv_now.write_text(f"title,body,theme\n{TITLE},{BODY},beach\n", encoding="utf-8")
    result = runner.invoke(args=["ideas", "import", str(csv_now), "--area", "saensuk"])
    assert result.exit_code == 1 and "no open round" in result.output
    dated = f"{to_bangkok(past.opens_at) + timedelta(days=1):%Y-%m-%d %H:%M}"
    csv_past = tmp_path / "past.csv"
    csv_past.write_text(f"title,body,theme,submitted_at\n{TITLE},{BODY},beach,{dated}\n", encoding="utf-8")
    result = runner.invoke(args=["ideas", "import", str(csv_past), "--area", "saensuk"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea)) == 1
    # The theme in no round takes ideas as before.
    assert client.post("/areas/saensuk/ideas/new", {"title": "ทำทางเดินริมแม่น้ำ", "body": BODY + " ริมน้ำ",
                                                    "theme": "river", "confirm_new": "1"}).status_code == 302


def test_while_its_round_is_open_a_theme_takes_ideas_and_the_page_says_until_when(client, area, make_user,
                                                                                   make_round):
    current = make_round(area, -1, 20, [area.themes[0]], title_th="รอบปัจจุบัน")
    client.login(make_user())
    page = client.get("/areas/saensuk").get_data(as_text=True)
    assert "รอบปัจจุบัน" in page and format_date(current.closes_at, "th", with_time=True) in page
    response = client.post("/areas/saensuk/ideas/new", {"title": TITLE, "body": BODY, "theme": "beach",
                                                        "confirm_new": "1"})
    assert response.status_code == 302


def test_no_theme_in_an_open_round_closes_the_form_with_the_next_date(client, area, make_user, make_round):
    upcoming = make_round(area, 5, 30, title_th="รอบหน้า")
    client.login(make_user())
    response = client.get("/areas/saensuk/ideas/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 403 and 'name="title"' not in html
    assert "รอบถัดไป “รอบหน้า” เปิดรับ" in html and format_date(upcoming.opens_at, "th", with_time=True) in html
    english = client.get("/areas/saensuk/ideas/new?lang=en").get_data(as_text=True)
    assert "The next round, “Round of public input”, opens on" in english or "opens on" in english


@pytest.mark.parametrize("kind", ["votes", "comments"])
def test_votes_and_comments_follow_the_rounds_when_the_area_says_so(client, area, make_user, make_round, kind):
    round_ = make_round(area, -2, 5)
    idea = services.create_idea(area, make_user(), services.IdeaInput(TITLE, BODY, area.themes[0]))
    round_.opens_at, round_.closes_at = utcnow() - timedelta(days=20), utcnow() - timedelta(days=10)  # now over
    db.session.commit()
    resident = make_user()
    client.login(resident)

    def act():
        if kind == "votes":
            return client.post(f"/ideas/{idea.id}/vote")
        return client.post(f"/ideas/{idea.id}/comments", {"body": "เห็นด้วยอย่างยิ่งครับ"})

    model = Vote if kind == "votes" else Comment
    # By default votes and comments go on after the round.
    act()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 1
    db.session.execute(sa.delete(model))
    db.session.execute(sa.update(Idea).values(vote_count=0, comment_count=0))
    setattr(settings_of(area), f"{kind}_follow_rounds", True)
    db.session.commit()
    response = act()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "อยู่นอกช่วงรอบรับฟังความคิดเห็น" in page and "ยังไม่มีกำหนดรอบถัดไป" in page
    assert response.status_code in (302, 400)
    if kind == "votes":
        api = client.api("PUT", f"/api/v1/ideas/{idea.id}/vote", token=token_for(resident))
        assert api.status_code == 403 and api.get_json()["error"]["code"] == "round_closed_votes"


def test_a_round_can_be_edited_and_deleted_only_before_it_opens(client, area, make_staff, make_round):
    client.login(make_staff("admin"))
    started, later = make_round(area, -1, 10), make_round(area, 30, 60, title_th="รอบหลัง")
    assert client.post(f"/admin/areas/saensuk/rounds/{started.id}/delete").status_code == 303
    assert db.session.get(Round, started.id) is not None
    assert client.post(f"/admin/areas/saensuk/rounds/{later.id}", {
        "title_th": "รอบหลัง (เลื่อน)", "title_en": "Later round", "opens_at": "2030-01-01T09:00",
        "closes_at": "2030-02-01T16:30", "theme_ids": [area.themes[2].id]}).status_code == 302
    db.session.expire_all()
    assert [t.slug for t in db.session.get(Round, later.id).themes] == ["river"]
    updates = db.session.scalars(sa.select(AuditEntry.reason).where(AuditEntry.action == "round_update")).all()
    assert set(updates) == {"title_th", "title_en", "opens_at", "closes_at", "themes"}
    assert client.post(f"/admin/areas/saensuk/rounds/{later.id}/delete").status_code == 302
    assert db.session.get(Round, later.id) is None
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.action == "round_delete")) == "round_delete"


def test_windows_of_a_theme():
    """The rule itself: no round = always; inside = open until the first closing; else the next opening."""
    def at(day: int) -> datetime:
        return datetime(2027, 1, day, tzinfo=UTC)

    first = Round(opens_at=at(1), closes_at=at(10))
    second = Round(opens_at=at(5), closes_at=at(20))
    third = Round(opens_at=at(25), closes_at=at(28))
    assert rounds.window_of([], at(3)).state == "always"
    assert rounds.window_of([first, second, third], at(6)).current is first
    assert rounds.window_of([first, second, third], at(10)).current is second  # closes_at is exclusive
    waiting = rounds.window_of([first, second, third], at(22))
    assert (waiting.state, waiting.next is third, waiting.in_round) == ("upcoming", True, False)
    assert rounds.window_of([first, second, third], at(28)).state == "ended"
    assert rounds.window_of([first], at(1)).in_round
