"""Input no person types (NUL characters) is refused with a clear 400 everywhere, never a 500.

PostgreSQL cannot hold U+0000 in text; without the guard these requests failed deep in a
query on PostgreSQL while passing on SQLite.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from idea4gov.auth.models import User
from idea4gov.extensions import db
from tests.api_support import token_for

NUL_MESSAGE = "อักขระที่ไม่อนุญาต (NUL)"


@pytest.mark.parametrize("url, data", [
    ("/auth/login", {"email": "x\x00@example.org", "password": "pass\x00word-123"}),
    ("/auth/register", {"email": "x\x00@example.org", "display_name": "ชื่อ\x00", "password": "abc\x00defghijkl",
                        "confirm": "abc\x00defghijkl", "consent": "y"}),
    ("/areas/a/ideas/new", {"title": "ไอเดีย\x00ทดสอบยาวพอ", "body": "ข" * 40, "theme": "beach"}),
])
def test_forms_with_nul_are_refused_with_a_message(client, make_area, url, data):
    make_area(slug="a")
    response = client.post(url, data)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


@pytest.mark.parametrize("url", [
    "/areas/x%00y", "/areas/a?q=%00", "/areas/a?theme=%00", "/areas/a?page=%00", "/?lang=%00",
    "/auth/login?next=%00",
])
def test_pages_with_nul_in_path_or_query_are_400(client, make_area, url):
    make_area(slug="a")
    response = client.get(url)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "/api/v1/areas/a/ideas?q=%00", "/api/v1/areas/a/similar?text=%00", "/api/v1/areas/x%00/ideas",
])
def test_api_with_nul_is_a_json_400(client, make_area, url):
    make_area(slug="a")
    response = client.get(url)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_json()["error"]["message"]


def test_api_json_with_nul_is_cleaned_or_refused_never_500(client, make_area, make_user):
    make_area(slug="a")
    response = client.api("POST", "/api/v1/areas/a/ideas", token=token_for(make_user()),
                          json={"title": "ทดสอบ\x00ทดสอบทดสอบ", "body": "ข" * 40 + "\x00", "theme": "beach\x00"})
    assert response.status_code in (201, 422)
    if response.status_code == 201:
        assert "\x00" not in response.get_json()["title"] + response.get_json()["body"]


@pytest.mark.parametrize("attack", ["/\x00/evil.com", "\x00//evil.com"])
def test_login_with_nul_in_next_redirects_nowhere(client, make_user, attack):
    user = make_user()
    response = client.post("/auth/login", {"email": user.email, "password": "correct-horse-battery-9", "next": attack})
    assert response.status_code == 400
    assert "Location" not in response.headers
