"""My account: own ideas and votes, personal API tokens, data download, erasing the account."""
from __future__ import annotations

import hashlib
import json
import re

import pytest
import sqlalchemy as sa

from idea4gov.auth.models import ApiToken, User
from idea4gov.extensions import db
from idea4gov.ideas import services as idea_services
from idea4gov.ideas.models import Idea, Report, ReportReason, Vote
from tests.conftest import PASSWORD, Client


def _tokens() -> list[ApiToken]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(ApiToken).order_by(ApiToken.id)))


def _secret(html: str) -> str:
    return re.search(r'<code class="secret" data-testid="new-token">([^<]+)</code>', html).group(1)


@pytest.fixture()
def resident(client, make_user):
    user = make_user(email="manee@example.org", display_name="มานี มีนา")
    client.login(user)
    return user


def test_account_needs_login(client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=/account/")


# --- own ideas and votes ---------------------------------------------------------------

def test_account_lists_own_ideas_and_votes(client, resident, make_idea, make_user):
    mine = make_idea(author=resident, title="ไอเดียของมานีเรื่องทางเท้า")
    someone = make_user()
    supported = make_idea(author=someone, title="ไอเดียของคนอื่นที่มานีสนับสนุน")
    make_idea(author=someone, title="ไอเดียของคนอื่นที่ไม่เกี่ยวกับมานี")
    idea_services.vote(supported, resident)
    db.session.commit()

    response = client.get("/account/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "มานี มีนา" in html and "manee@example.org" in html
    mine_section = re.search(r"<h2>ไอเดียของฉัน</h2>(.*?)</section>", html, re.S).group(1)
    supported_section = re.search(r"<h2>ไอเดียที่ฉันสนับสนุน</h2>(.*?)</section>", html, re.S).group(1)
    assert f'href="/ideas/{mine.id}"' in mine_section and "ไอเดียของมานีเรื่องทางเท้า" in mine_section
    assert "ไอเดียของคนอื่น" not in mine_section
    assert f'href="/ideas/{supported.id}"' in supported_section
    assert "ไม่เกี่ยวกับมานี" not in supported_section


def test_account_empty_states_say_what_to_do(client, resident):
    html = client.get("/account/").get_data(as_text=True)
    assert "คุณยังไม่ได้เสนอไอเดีย" in html
    assert "คุณยังไม่ได้สนับสนุนไอเดียใด" in html
    assert "ยังไม่มีโทเคน" in html


# --- API tokens ------------------------------------------------------------------------

def test_make_a_token_shows_the_secret_once_and_stores_only_its_hash(client, resident):
    response = client.post("/account/tokens", {"name": "แอปทางรัฐ"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    secret = _secret(html)
    assert secret.startswith("i4g_")

    [token] = _tokens()
    assert token.user_id == resident.id
    assert token.name == "แอปทางรัฐ"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.token_hash, token.prefix, token.name}
    assert secret.startswith(token.prefix)
    # Nowhere in the database, and never shown again.
    for column in ("token_hash", "prefix", "name"):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)
                                 .where(getattr(ApiToken, column) == secret)) == 0
    again = client.get("/account/").get_data(as_text=True)
    assert secret not in again
    assert "แอปทางรัฐ" in again and f"{token.prefix}…" in again


def test_the_token_authenticates_the_api(client, resident, make_idea, app):
    secret = _secret(client.post("/account/tokens", {"name": "สคริปต์"}).get_data(as_text=True))
    idea = make_idea()
    api = Client(app)
    response = api.api("PUT", f"/api/v1/ideas/{idea.id}/vote", token=secret)
    assert response.status_code == 200
    assert db.session.scalar(sa.select(Vote.user_id).where(Vote.idea_id == idea.id)) == resident.id


@pytest.mark.parametrize(("name", "message"), [("", "กรุณาตั้งชื่อโทเคน"), ("   ", "กรุณาตั้งชื่อโทเคน"),
                                               ("ก" * 81, "ยาวเกิน 80 ตัวอักษร")])
def test_token_needs_a_name(client, resident, name, message):
    response = client.post("/account/tokens", {"name": name})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert 'data-testid="new-token"' not in html
    assert _tokens() == []


def test_revoke_own_token(client, resident, make_idea, app):
    secret = _secret(client.post("/account/tokens", {"name": "เก่า"}).get_data(as_text=True))
    [token] = _tokens()
    response = client.post(f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/"
    assert _tokens()[0].revoked_at is not None
    assert "ยังไม่มีโทเคน" in client.get("/account/").get_data(as_text=True)
    idea = make_idea()
    response = Client(app).api("PUT", f"/api/v1/ideas/{idea.id}/vote", token=secret)
    assert response.status_code == 401


def test_an_account_holds_at_most_ten_active_tokens(client, resident):
    for n in range(10):
        assert client.post("/account/tokens", {"name": f"แอป {n}"}).status_code == 200
    response = client.post("/account/tokens", {"name": "แอปที่ 11"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "มีโทเคนครบ 10 โทเคนแล้ว" in html
    assert 'data-testid="new-token"' not in html and 'value="แอปที่ 11"' in html
    assert len(_tokens()) == 10
    client.post(f"/account/tokens/{_tokens()[0].id}/revoke")  # a revoked token makes room
    assert client.post("/account/tokens", {"name": "แอปที่ 11"}).status_code == 200
    assert len([token for token in _tokens() if token.revoked_at is None]) == 10


def test_revoking_twice_is_404(client, resident):
    client.post("/account/tokens", {"name": "เก่า"})
    [token] = _tokens()
    client.post(f"/account/tokens/{token.id}/revoke")
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404


def test_revoke_another_users_token_is_404(client, resident, make_user, app):
    other = make_user()
    other_client = Client(app)
    other_client.login(other)
    other_client.post("/account/tokens", {"name": "ของคนอื่น"})
    [token] = _tokens()

    response = client.post(f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 404
    assert _tokens()[0].revoked_at is None


def test_revoke_by_get_is_not_allowed(client, resident):
    client.post("/account/tokens", {"name": "เก่า"})
    [token] = _tokens()
    assert client.get(f"/account/tokens/{token.id}/revoke").status_code == 405
    assert _tokens()[0].revoked_at is None


def test_token_without_csrf_is_refused(client, resident):
    response = client.post("/account/tokens", {"name": "x"}, csrf=False)
    assert response.status_code == 400
    assert _tokens() == []


# --- download my data ------------------------------------------------------------------

def test_download_own_data(client, resident, make_idea, make_user):
    mine = make_idea(author=resident, title="ไอเดียของมานีเรื่องทางเท้า")
    other = make_idea(author=make_user(), title="ไอเดียของคนอื่นอีกคนหนึ่ง")
    idea_services.vote(other, resident)
    comment = idea_services.add_comment(other, resident, "ความเห็นของมานี <b>ตัวหนา</b>")
    idea_services.report(resident, ReportReason.spam, "โฆษณา", idea=other)
    db.session.commit()
    client.post("/account/tokens", {"name": "แอป"})

    response = client.get("/account/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "ไอเดีย" in response.get_data(as_text=True)  # Thai as text, not \\u escapes
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "manee@example.org"
    assert data["account"]["display_name"] == "มานี มีนา"
    assert data["account"]["pdpa_consent_at"]
    assert [idea["id"] for idea in data["ideas"]] == [mine.id]
    assert data["ideas"][0]["title"] == "ไอเดียของมานีเรื่องทางเท้า"
    assert [vote["idea_id"] for vote in data["votes"]] == [other.id]
    assert [c["id"] for c in data["comments"]] == [comment.id]
    assert data["comments"][0]["body"] == "ความเห็นของมานี ตัวหนา"
    assert data["reports"][0]["reason"] == "spam"
    assert data["api_tokens"][0]["name"] == "แอป"
    text = response.get_data(as_text=True)
    assert "password" not in text and "scrypt" not in text and "token_hash" not in text


def test_download_needs_login(client):
    response = client.get("/account/data.json")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


# --- delete my account -----------------------------------------------------------------

@pytest.mark.parametrize("password", ["", "wrong-password-123"])
def test_delete_needs_the_password(client, resident, password):
    response = client.post("/account/delete", {"password": password})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "กรุณาใส่รหัสผ่าน" in html or "รหัสผ่านไม่ถูกต้อง" in html
    assert "<details open>" in html
    db.session.expire_all()
    user = db.session.get(User, resident.id)
    assert user.deleted_at is None and user.email == "manee@example.org"


def test_delete_erases_personal_data_and_keeps_ideas_and_votes(client, resident, make_idea, make_user, app):
    idea = make_idea(author=resident, title="ไอเดียที่ยังอยู่หลังลบบัญชี")
    other = make_idea(author=make_user())
    idea_services.vote(other, resident)
    comment = idea_services.add_comment(other, resident, "ความเห็นที่ยังอยู่หลังลบบัญชี")
    db.session.commit()
    client.post("/account/tokens", {"name": "แอป"})
    another_device = Client(app)
    another_device.login(resident)

    response = client.post("/account/delete", {"password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"

    db.session.expire_all()
    user = db.session.get(User, resident.id)
    assert user.deleted_at is not None
    assert user.email != "manee@example.org" and "manee" not in user.email
    assert user.display_name == ""
    assert all(token.revoked_at is not None for token in _tokens())
    # Ideas and comments stay, shown as by a deleted user; votes still count.
    assert db.session.get(Idea, idea.id).author_id == resident.id
    assert db.session.get(Idea, other.id).vote_count == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote).where(Vote.idea_id == other.id)) == 1

    client._token = None
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "ไอเดียที่ยังอยู่หลังลบบัญชี" in html
    assert "ผู้ใช้ที่ลบบัญชีแล้ว" in html and "มานี มีนา" not in html
    other_html = client.get(f"/ideas/{other.id}").get_data(as_text=True)
    assert "ความเห็นที่ยังอยู่หลังลบบัญชี" in other_html and "มานี มีนา" not in other_html
    assert re.search(r'data-testid="vote-count">1<', other_html)
    assert comment.id

    # Logged out here and on the other device; the old password opens nothing.
    assert client.get("/account/").status_code == 302
    assert another_device.get("/account/").status_code == 302
    response = client.post("/auth/login", {"email": "manee@example.org", "password": PASSWORD})
    assert response.status_code == 400


def test_the_email_of_an_erased_account_can_register_again(client, resident, mails):
    client.post("/account/delete", {"password": PASSWORD})
    client._token = None
    response = client.register(mails, email="manee@example.org", display_name="มานี คนใหม่")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 2


def test_delete_by_get_is_not_allowed(client, resident):
    assert client.get("/account/delete").status_code == 405
    db.session.expire_all()
    assert db.session.get(User, resident.id).deleted_at is None


def test_reports_by_an_erased_account_stay_for_the_moderators(client, resident, make_idea):
    idea = make_idea()
    idea_services.report(resident, ReportReason.offensive, "", idea=idea)
    db.session.commit()
    client.post("/account/delete", {"password": PASSWORD})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 1
