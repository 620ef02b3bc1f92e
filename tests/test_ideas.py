"""Posting an idea, reading it, and voting on it through the web pages."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from markupsafe import escape

from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, Visibility, Vote

TITLE = "เพิ่มถังขยะแยกประเภทริมหาดบางแสน"
BODY = "ขยะบนชายหาดเยอะมากทุกวันหยุด อยากให้เทศบาลตั้งถังขยะแยกประเภททุก 100 เมตร พร้อมป้ายบอก"
PLACE = "หาดบางแสน หน้าศาลาริมทะเล"


def _idea_data(**overrides) -> dict:
    data = {"title": TITLE, "body": BODY, "theme": "beach", "place_name": PLACE}
    data.update(overrides)
    return data


def _ideas() -> list[Idea]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Idea).order_by(Idea.id)))


def _vote_rows(idea: Idea) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Vote).where(Vote.idea_id == idea.id))


def _field_block(html: str, name: str) -> str:
    """The <div class="field"> that holds one form field: its widget and its errors."""
    for block in re.findall(r'<div class="field[^"]*">.*?</div>', html, re.S):
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no field {name!r} on the page")


def _shown_count(html: str) -> int:
    return int(re.search(r'<strong data-testid="vote-count">(\d+)</strong>', html).group(1))


@pytest.fixture()
def area(make_area):
    return make_area(slug="saensuk", themes=(("beach", "ขยะชายหาด", "Beach litter"),
                                             ("water", "น้ำเสีย", "Waste water")))


@pytest.fixture()
def resident(client, make_user):
    user = make_user(display_name="สมหญิง รักหาด")
    client.login(user)
    return user


# --- the form --------------------------------------------------------------------------

def test_anonymous_is_sent_to_log_in_and_back(client, area, make_user):
    response = client.get("/areas/saensuk/ideas/new")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=/areas/saensuk/ideas/new"
    user = make_user()
    response = client.post("/auth/login", {"email": user.email, "password": "correct-horse-battery-9",
                                           "next": "/areas/saensuk/ideas/new"})
    assert response.headers["Location"] == "/areas/saensuk/ideas/new"


def test_anonymous_post_creates_nothing(client, area):
    response = client.post("/areas/saensuk/ideas/new", _idea_data())
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
    assert _ideas() == []


def test_form_offers_the_open_themes(client, area, resident):
    area.themes[1].is_open = False
    db.session.commit()
    response = client.get("/areas/saensuk/ideas/new?theme=beach")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "เสนอไอเดียใหม่" in html
    assert '<option selected value="beach">ขยะชายหาด</option>' in html
    assert 'value="water"' not in html


def test_unknown_area_form_is_404(client, resident):
    assert client.get("/areas/nowhere/ideas/new").status_code == 404


# --- posting ---------------------------------------------------------------------------

def test_post_an_idea(client, area, resident):
    response = client.post("/areas/saensuk/ideas/new", _idea_data(theme="water"))
    [idea] = _ideas()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{idea.id}"
    assert idea.title == TITLE
    assert idea.body == BODY
    assert idea.place_name == PLACE
    assert idea.theme.slug == "water"
    assert idea.area_id == area.id
    assert idea.author_id == resident.id
    assert idea.visibility == Visibility.published
    assert idea.vote_count == 0
    assert "ชายหาด" in idea.search_tokens.split()

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ส่งไอเดียเรียบร้อยแล้ว" in page
    assert TITLE in page and "สมหญิง รักหาด" in page and PLACE in page


def test_place_is_optional(client, area, resident):
    response = client.post("/areas/saensuk/ideas/new", _idea_data(place_name=""))
    assert response.status_code == 302
    assert _ideas()[0].place_name is None


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("ก" * 10, BODY),  # shortest title
        ("ก" * 150, BODY),  # longest title
        (TITLE, "ข" * 30),  # shortest body
        (TITLE, "ข" * 5000),  # longest body
        ("น้ำท่วมขังถนนสุขุมวิท", BODY),  # Thai marks count as characters
    ],
    ids=["title-10", "title-150", "body-30", "body-5000", "thai-marks"],
)
def test_lengths_at_the_limits_are_accepted(client, area, resident, title, body):
    response = client.post("/areas/saensuk/ideas/new", _idea_data(title=title, body=body))
    assert response.status_code == 302
    [idea] = _ideas()
    assert idea.title == title and idea.body == body


INVALID = [
    ("title", {"title": ""}, "กรุณาใส่ชื่อไอเดีย"),
    ("title", {"title": "ก" * 9}, "ชื่อไอเดียต้องยาว 10–150 ตัวอักษร"),
    ("title", {"title": "ก" * 151}, "ชื่อไอเดียต้องยาว 10–150 ตัวอักษร"),
    ("title", {"title": "   สั้นไป     "}, "ชื่อไอเดียต้องยาว 10–150 ตัวอักษร"),
    ("title", {"title": "<b></b><i></i><b></b>"}, "ชื่อไอเดียต้องยาว 10–150 ตัวอักษร"),
    ("title", {"title": "ก" + "\u200b" * 20}, "ชื่อไอเดียต้องยาว 10–150 ตัวอักษร"),
    ("body", {"body": ""}, "กรุณาเล่ารายละเอียดของไอเดีย"),
    ("body", {"body": "ข" * 29}, "รายละเอียดต้องยาว 30–5000 ตัวอักษร"),
    ("body", {"body": "ข" * 5001}, "รายละเอียดต้องยาว 30–5000 ตัวอักษร"),
    ("body", {"body": "<img src=x onerror=alert(1)><img src=y>"}, "รายละเอียดต้องยาว 30–5000 ตัวอักษร"),
    ("body", {"body": "\u200b" * 40 + "ข"}, "รายละเอียดต้องยาว 30–5000 ตัวอักษร"),
    ("theme", {"theme": ""}, "กรุณาเลือกโจทย์"),
    ("theme", {"theme": "no-such-theme"}, "กรุณาเลือกโจทย์ที่ยังเปิดรับไอเดีย"),
    ("place_name", {"place_name": "ส" * 201}, "ชื่อสถานที่ยาวเกิน 200 ตัวอักษร"),
]


@pytest.mark.parametrize(("field", "overrides", "message"), INVALID,
                         ids=[f"{field}-{index}" for index, (field, _o, _m) in enumerate(INVALID)])
def test_failed_form_comes_back_filled_with_the_error_beside_the_field(client, area, resident, field, overrides,
                                                                         message):
    data = _idea_data(**overrides)
    response = client.post("/areas/saensuk/ideas/new", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert _ideas() == []

    block = _field_block(html, field)
    assert "has-error" in block
    assert message in block
    # Every other field shows no error and keeps what was typed; this one keeps it too.
    assert f'value="{escape(data["title"])}"' in _field_block(html, "title")
    assert f"{escape(data['body'])}</textarea>" in _field_block(html, "body")
    assert f'value="{escape(data["place_name"])}"' in _field_block(html, "place_name")
    if data["theme"] in ("beach", "water"):
        assert f'<option selected value="{data["theme"]}">' in _field_block(html, "theme")
    for other in {"title", "body", "theme", "place_name"} - {field}:
        assert "has-error" not in _field_block(html, other)


def test_theme_that_closed_is_refused_and_the_form_kept(client, area, resident):
    area.themes[1].is_open = False
    db.session.commit()
    response = client.post("/areas/saensuk/ideas/new", _idea_data(theme="water"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "กรุณาเลือกโจทย์ที่ยังเปิดรับไอเดีย" in _field_block(html, "theme")
    assert f'value="{TITLE}"' in html
    assert _ideas() == []


def test_theme_of_another_area_is_refused(client, area, make_area, resident):
    make_area(slug="huawiang", themes=(("tourism", "ท่องเที่ยวชุมชน", "Tourism"),))
    response = client.post("/areas/saensuk/ideas/new", _idea_data(theme="tourism"))
    assert response.status_code == 400
    assert _ideas() == []


def test_post_without_csrf_is_refused(client, area, resident):
    response = client.post("/areas/saensuk/ideas/new", _idea_data(), csrf=False)
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert _ideas() == []


def test_closed_area_says_so(client, make_area, resident):
    make_area(slug="closed", is_open=False)
    response = client.get("/areas/closed/ideas/new")
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "พื้นที่นี้ปิดรับไอเดียใหม่แล้ว" in html
    assert 'name="title"' not in html

    response = client.post("/areas/closed/ideas/new", _idea_data())
    assert response.status_code == 403
    assert "พื้นที่นี้ปิดรับไอเดียใหม่แล้ว" in response.get_data(as_text=True)
    assert _ideas() == []


def test_area_with_every_theme_closed_says_so(client, area, resident):
    for theme in area.themes:
        theme.is_open = False
    db.session.commit()
    response = client.post("/areas/saensuk/ideas/new", _idea_data())
    assert response.status_code == 403
    assert "ปิดรับไอเดีย" in response.get_data(as_text=True)
    assert _ideas() == []


# --- cleaning and escaping -------------------------------------------------------------

def test_text_is_cleaned_before_it_is_stored_and_escaped_when_shown(client, area, resident):
    body = ("<script>alert('x')</script>ขยะล้นหาด ดูรูปได้ที่ https://example.org/photos "
            '<a href="javascript:alert(1)">กดที่นี่</a> <img src=x onerror=alert(2)> และ 1 < 2')
    title = "<b>ถังขยะ</b> <script>alert(3)</script>ริมหาด & ทางเดิน"
    response = client.post("/areas/saensuk/ideas/new", _idea_data(title=title, body=body,
                                                                   place_name="<i>หาด</i>บางแสน"))
    assert response.status_code == 302
    [idea] = _ideas()
    assert "<script" not in idea.body and "<img" not in idea.body and "javascript:" not in idea.body
    assert '<a href="https://example.org/photos" rel="nofollow ugc">' in idea.body
    assert "1 &lt; 2" in idea.body
    assert idea.title == "ถังขยะ alert(3)ริมหาด & ทางเดิน"
    assert idea.place_name == "หาดบางแสน"

    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "onerror" not in html and "javascript:alert" not in html
    assert "<h1>ถังขยะ alert(3)ริมหาด &amp; ทางเดิน</h1>" in html
    assert '<a href="https://example.org/photos" rel="nofollow ugc">https://example.org/photos</a>' in html
    # The listing escapes the title too.
    listing = client.get("/areas/saensuk").get_data(as_text=True)
    assert "ถังขยะ alert(3)ริมหาด &amp; ทางเดิน" in listing


def test_failed_form_shows_typed_markup_escaped(client, area, resident):
    response = client.post("/areas/saensuk/ideas/new", _idea_data(title='<script>alert(1)</script>"'))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;" in html


# --- reading ---------------------------------------------------------------------------

def test_idea_page(client, make_idea):
    idea = make_idea()
    response = client.get(f"/ideas/{idea.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert idea.title in html
    assert "ได้รับแล้ว" in html  # status
    assert "เข้าสู่ระบบเพื่อสนับสนุน" in html
    assert "ยังไม่มีความคิดเห็น" in html


@pytest.mark.parametrize("visibility", [Visibility.hidden, Visibility.rejected, Visibility.pending])
def test_unpublished_idea_is_404_to_others_but_visible_to_its_author(client, make_idea, make_user, visibility):
    author = make_user()
    idea = make_idea(author=author)
    idea.visibility = visibility
    db.session.commit()
    assert client.get(f"/ideas/{idea.id}").status_code == 404
    client.login(make_user())
    assert client.get(f"/ideas/{idea.id}").status_code == 404
    client.logout()
    client.login(author)
    assert client.get(f"/ideas/{idea.id}").status_code == 200


def test_unknown_idea_is_404(client):
    response = client.get("/ideas/999999")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่คุณต้องการ" in response.get_data(as_text=True)


# --- votes -----------------------------------------------------------------------------

def test_vote_is_idempotent_and_the_count_matches_the_rows(client, make_idea, resident):
    idea = make_idea()
    for _ in range(2):
        response = client.post(f"/ideas/{idea.id}/vote")
        assert response.status_code == 302
        assert response.headers["Location"] == f"/ideas/{idea.id}#support"
    assert _vote_rows(idea) == 1
    db.session.refresh(idea)
    assert idea.vote_count == 1
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert _shown_count(html) == 1
    assert "คุณสนับสนุนไอเดียนี้แล้ว" in html
    assert f'action="/ideas/{idea.id}/unvote"' in html


def test_unvote_is_idempotent(client, make_idea, resident):
    idea = make_idea()
    client.post(f"/ideas/{idea.id}/vote")
    for _ in range(2):
        response = client.post(f"/ideas/{idea.id}/unvote")
        assert response.status_code == 302
    assert _vote_rows(idea) == 0
    db.session.refresh(idea)
    assert idea.vote_count == 0
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert _shown_count(html) == 0
    assert f'action="/ideas/{idea.id}/vote"' in html


def test_unvote_without_a_vote_leaves_other_votes_alone(client, make_idea, make_user, app):
    idea = make_idea()
    other = make_user()
    from tests.conftest import Client

    other_client = Client(app)
    other_client.login(other)
    other_client.post(f"/ideas/{idea.id}/vote")
    client.login(make_user())
    client.post(f"/ideas/{idea.id}/unvote")
    assert _vote_rows(idea) == 1
    db.session.refresh(idea)
    assert idea.vote_count == 1


def test_shown_count_equals_vote_rows_with_several_residents(client, make_idea, make_user, app):
    from tests.conftest import Client

    idea = make_idea()
    for _ in range(3):
        voter = Client(app)
        voter.login(make_user())
        voter.post(f"/ideas/{idea.id}/vote")
        voter.post(f"/ideas/{idea.id}/vote")
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert _shown_count(html) == _vote_rows(idea) == 3
    listing = client.get(f"/areas/{idea.area.slug}").get_data(as_text=True)
    assert '<span class="votes"><strong>3</strong>' in listing


@pytest.mark.parametrize("action", ["vote", "unvote"])
def test_vote_urls_refuse_get(client, make_idea, resident, action):
    idea = make_idea()
    response = client.get(f"/ideas/{idea.id}/{action}")
    assert response.status_code == 405
    assert "ไม่รองรับวิธีการส่งคำขอนี้" in response.get_data(as_text=True)
    assert "POST" in response.headers.get("Allow", "")
    assert _vote_rows(idea) == 0


def test_anonymous_vote_goes_to_log_in_and_back_to_the_idea(client, make_idea, make_user):
    idea = make_idea()
    response = client.post(f"/ideas/{idea.id}/vote", headers={"Referer": f"http://localhost/ideas/{idea.id}"})
    assert response.status_code == 302
    # After logging in the browser follows `next` with a GET: it must be the idea page,
    # not the POST-only vote URL (which would answer 405).
    assert response.headers["Location"] == f"/auth/login?next=/ideas/{idea.id}"
    assert _vote_rows(idea) == 0


def test_anonymous_vote_from_a_foreign_page_has_no_next(client, make_idea):
    idea = make_idea()
    response = client.post(f"/ideas/{idea.id}/vote", headers={"Referer": "https://evil.example/ideas/1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"


def test_vote_without_csrf_is_refused(client, make_idea, resident):
    idea = make_idea()
    response = client.post(f"/ideas/{idea.id}/vote", csrf=False)
    assert response.status_code == 400
    assert _vote_rows(idea) == 0


def test_vote_on_unknown_or_hidden_idea_is_404(client, make_idea, resident):
    assert client.post("/ideas/999999/vote").status_code == 404
    idea = make_idea()
    idea.visibility = Visibility.hidden
    db.session.commit()
    assert client.post(f"/ideas/{idea.id}/vote").status_code == 404
    assert _vote_rows(idea) == 0


def test_voting_is_allowed_in_a_closed_area(client, make_area, make_idea, resident):
    area = make_area(slug="closed")
    idea = make_idea(area=area)
    area.is_open = False
    db.session.commit()
    assert client.post(f"/ideas/{idea.id}/vote").status_code == 302
    assert _vote_rows(idea) == 1
