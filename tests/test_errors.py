"""Error pages: Thai by default, a friendly message, never a stack trace."""
from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from config import TestingConfig
from idea4gov import create_app
from idea4gov.areas.models import Area
from idea4gov.extensions import db
from idea4gov.ideas import services as idea_services

SECRET_DETAIL = "database password is hunter2"


def _assert_error_page(response, status: int, message: str) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert '<html lang="th">' in html
    assert f"<h1>{status}</h1>" in html
    assert message in html
    assert "กลับหน้าแรก" in html  # a way out
    assert "Traceback" not in html and "werkzeug" not in html.lower()
    return html


@pytest.fixture()
def crashing_app(app, database_url):
    """A second app on the same database, with routes that fail on purpose.

    The shared test app has served requests already, so Flask refuses new routes on it.
    """

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    crashing = create_app(Config)

    @crashing.get("/boom")
    def boom():
        raise RuntimeError(SECRET_DETAIL)

    @crashing.get("/boom-after-write")
    def boom_after_write():
        db.session.add(Area(slug="half-written", name_th="ครึ่งทาง", name_en="Half"))
        db.session.flush()
        raise ZeroDivisionError(SECRET_DETAIL)

    @crashing.get("/abort-500")
    def abort_500():
        from flask import abort

        abort(500)

    yield crashing
    with crashing.app_context():
        db.engine.dispose()


# --- 500 -------------------------------------------------------------------------------

def test_unexpected_error_shows_the_friendly_page_without_a_traceback(crashing_app, caplog):
    with caplog.at_level(logging.ERROR, logger="idea4gov.errors"):
        response = crashing_app.test_client().get("/boom")
    html = _assert_error_page(response, 500, "ระบบขัดข้อง เราบันทึกปัญหาไว้แล้ว กรุณาลองใหม่ภายหลัง")
    assert SECRET_DETAIL not in html and "RuntimeError" not in html
    # ...and the problem is recorded for the operators, with its traceback.
    [record] = [r for r in caplog.records if r.name == "idea4gov.errors"]
    assert record.exc_info and SECRET_DETAIL in str(record.exc_info[1])
    assert "/boom" in record.getMessage()


def test_unexpected_error_rolls_back_the_transaction(crashing_app, caplog):
    client = crashing_app.test_client()
    with caplog.at_level(logging.CRITICAL, logger="idea4gov.errors"):
        response = client.get("/boom-after-write")
    _assert_error_page(response, 500, "ระบบขัดข้อง")
    assert SECRET_DETAIL not in response.get_data(as_text=True)
    with crashing_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Area)) == 0
        # The session is usable again after the failure.
        assert client.get("/").status_code == 200


def test_abort_500_shows_the_friendly_page(crashing_app):
    _assert_error_page(crashing_app.test_client().get("/abort-500"), 500, "ระบบขัดข้อง")


# --- 4xx -------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/no-such-page", "/areas/no-such-area", "/ideas/999999", "/ideas/abc",
                                  "/ideas/99999999999999999999", "/static/no-such-file.css"])
def test_404_page_in_thai(client, path):
    _assert_error_page(client.get(path), 404, "ไม่พบหน้าที่คุณต้องการ")


def test_404_page_follows_the_language_switch(client):
    response = client.get("/no-such-page?lang=en")
    assert response.status_code == 404
    assert '<html lang="en">' in response.get_data(as_text=True)


def test_405_page_in_thai_says_what_is_allowed(client, make_idea):
    idea = make_idea()
    response = client.get(f"/ideas/{idea.id}/vote")
    _assert_error_page(response, 405, "ไม่รองรับวิธีการส่งคำขอนี้")
    assert "POST" in response.headers["Allow"]


def test_405_on_logout_by_get(client):
    _assert_error_page(client.get("/auth/logout"), 405, "ไม่รองรับวิธีการส่งคำขอนี้")


def test_403_page_in_thai(client, make_idea, make_user):
    idea = make_idea()
    comment = idea_services.add_comment(idea, make_user(), "ความคิดเห็นของคนอื่น")
    db.session.commit()
    client.login(make_user())
    _assert_error_page(client.post(f"/comments/{comment.id}/delete"), 403, "คุณไม่มีสิทธิ์ทำรายการนี้")


def test_400_page_in_thai(client, make_idea, make_user):
    idea = make_idea()
    client.login(make_user())
    response = client.post(f"/ideas/{idea.id}/comments", {"body": "ความคิดเห็น", "parent_id": "not-a-number"})
    _assert_error_page(response, 400, "คำขอไม่ถูกต้อง")


CSRF_MESSAGE = "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง (CSRF) กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง"


@pytest.mark.parametrize("url", ["/auth/login", "/auth/register", "/auth/logout", "/ideas/1/vote",
                                 "/account/tokens"])
def test_post_without_csrf_token_is_400_with_the_thai_message(client, url):
    response = client.post(url, {"email": "a@example.org", "password": "x"}, csrf=False)
    _assert_error_page(response, 400, CSRF_MESSAGE)


@pytest.mark.parametrize("token", ["", "forged", "a" * 200])
def test_post_with_a_bad_csrf_token_is_400(client, make_user, token):
    user = make_user()
    response = client.post("/auth/login", {"email": user.email, "password": "x", "csrf_token": token})
    _assert_error_page(response, 400, CSRF_MESSAGE)


def test_csrf_token_of_another_session_is_refused(client, app, make_user):
    from tests.conftest import Client

    user = make_user()
    stranger_token = Client(app).csrf_token()
    response = client.post("/auth/login", {"email": user.email, "password": "x", "csrf_token": stranger_token})
    _assert_error_page(response, 400, CSRF_MESSAGE)


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data"])
def test_body_over_one_megabyte_is_413(client, make_area, content_type):
    make_area(slug="saensuk")
    big = "ก" * (1024 * 1024)  # 3 MB of UTF-8
    if content_type == "multipart/form-data":
        response = client.raw.post("/auth/login", data={"email": "a@example.org", "password": big},
                                   content_type=content_type)
    else:
        response = client.raw.post("/auth/login", data=f"email=a%40example.org&password={big}",
                                   content_type=content_type)
    _assert_error_page(response, 413, "ข้อมูลที่ส่งมามีขนาดใหญ่เกินไป")
    # The test client spooled the big body to a temporary file that the app (rightly)
    # never read; close it here, or its ResourceWarning fails a later test.
    response.request.environ["wsgi.input"].close()


def test_body_just_under_the_limit_is_read(client):
    response = client.raw.post("/auth/login", data={"email": "a@example.org", "password": "x" * 1000})
    # Read and judged on its merits (no CSRF token here), not refused for its size.
    assert response.status_code == 400
    assert CSRF_MESSAGE in response.get_data(as_text=True)
