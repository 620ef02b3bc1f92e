"""JSON API v1, who may write: personal tokens (made under /account, stored hashed, revoked,
dead with an erased account) and the session cookie with its X-CSRFToken header."""
from __future__ import annotations

import hashlib
import re

import pytest
import sqlalchemy as sa
from api_support import GOOD_BODY, GOOD_TITLE, assert_api_error, count, token_for
from conftest import PASSWORD, Client

from idea4gov.auth.models import ApiToken
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, Vote

NEW_IDEA = {"title": GOOD_TITLE, "body": GOOD_BODY}


def _writes(idea_id: int, slug: str) -> list[tuple[str, str, dict | None]]:
    return [
        ("POST", f"/api/v1/areas/{slug}/ideas", NEW_IDEA),
        ("PUT", f"/api/v1/ideas/{idea_id}/vote", None),
        ("DELETE", f"/api/v1/ideas/{idea_id}/vote", None),
    ]


def _nothing_written(idea: Idea) -> bool:
    return count(Idea) == 1 and count(Vote) == 0 and db.session.get(Idea, idea.id).vote_count == 0


def _make_token_through_account_page(client: Client, name: str = "แอปทางรัฐ") -> str:
    response = client.post("/account/tokens", {"name": name})
    assert response.status_code == 200
    match = re.search(r'data-testid="new-token">([^<]+)<', response.get_data(as_text=True))
    assert match, "the new token's secret is not shown"
    return match.group(1)


# --- tokens -------------------------------------------------------------------------------


def test_token_made_under_account_is_stored_hashed_and_works(client, make_user, make_area):
    make_area(slug="saensuk")
    user = make_user()
    client.login(user)

    secret = _make_token_through_account_page(client)
    client.logout()

    stored = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (stored.token_hash, stored.prefix, stored.name)
    assert secret.startswith(stored.prefix)
    response = client.api("POST", "/api/v1/areas/saensuk/ideas", json=NEW_IDEA, token=secret)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert db.session.get(Idea, response.get_json()["id"]).author_id == user.id


def test_bearer_token_needs_no_csrf_header(client, make_user, make_idea):
    idea = make_idea()
    user = make_user()

    response = client.api("PUT", f"/api/v1/ideas/{idea.id}/vote", token=token_for(user))

    assert response.status_code == 200
    assert count(Vote, Vote.idea_id == idea.id, Vote.user_id == user.id) == 1


def test_no_credentials_is_401_for_every_write(client, make_idea):
    idea = make_idea()
    for method, url, body in _writes(idea.id, idea.area.slug):
        response = client.api(method, url, json=body)
        assert_api_error(response, 401, code="unauthorized")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert _nothing_written(idea)


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer i4g_not-a-real-token",
        "Bearer nope",
        "Bearer " + "i4g_" + "x" * 500,
        "Bearer ",
        "Bearer",
        "Basic dXNlcjpwYXNz",
        "Token i4g_abc",
        "i4g_abc",
    ],
)
def test_bad_token_is_401(client, make_idea, authorization):
    idea = make_idea()
    for method, url, body in _writes(idea.id, idea.area.slug):
        response = client.api(method, url, json=body, headers={"Authorization": authorization})
        assert_api_error(response, 401, code="invalid_token")
    assert _nothing_written(idea)


def test_revoked_token_is_401(client, make_user, make_idea):
    idea = make_idea()
    user = make_user()
    client.login(user)
    secret = _make_token_through_account_page(client)
    assert client.api("PUT", f"/api/v1/ideas/{idea.id}/vote", token=secret).status_code == 200
    token_id = db.session.scalars(sa.select(ApiToken.id).where(ApiToken.user_id == user.id)).one()

    response = client.post(f"/account/tokens/{token_id}/revoke")
    assert response.status_code == 302
    client.logout()

    assert_api_error(client.api("DELETE", f"/api/v1/ideas/{idea.id}/vote", token=secret), 401, code="invalid_token")
    assert count(Vote, Vote.idea_id == idea.id) == 1  # the withdrawal did not happen
    db.session.expire_all()
    assert db.session.get(ApiToken, token_id).revoked_at is not None


def test_token_of_a_deleted_account_is_401(client, make_user, make_idea):
    idea = make_idea()
    user = make_user()
    secret = token_for(user)
    client.login(user)

    response = client.post("/account/delete", {"password": PASSWORD})
    assert response.status_code == 302

    for method, url, body in _writes(idea.id, idea.area.slug):
        assert_api_error(client.api(method, url, json=body, token=secret), 401, code="invalid_token")
    assert _nothing_written(idea)


def test_a_deleted_accounts_other_session_cannot_write(app, make_user, make_idea):
    """Erasing an account on one device ends what its session on another device may do."""
    idea = make_idea()
    user = make_user()
    phone, laptop = Client(app), Client(app)
    phone.login(user)
    laptop.login(user)
    laptop_csrf = laptop.csrf_token()

    assert phone.post("/account/delete", {"password": PASSWORD}).status_code == 302

    for method, url, body in _writes(idea.id, idea.area.slug):
        response = laptop.api(method, url, json=body, headers={"X-CSRFToken": laptop_csrf})
        assert_api_error(response, 401)
    assert _nothing_written(idea)


# --- session cookie and CSRF --------------------------------------------------------------


@pytest.mark.parametrize("header", [None, "", "not-the-token"])
def test_session_without_valid_csrf_header_is_400_csrf_failed(client, make_user, make_idea, header):
    idea = make_idea()
    client.login(make_user())
    headers = {} if header is None else {"X-CSRFToken": header}

    for method, url, body in _writes(idea.id, idea.area.slug):
        assert_api_error(client.api(method, url, json=body, headers=headers), 400, code="csrf_failed")
    assert _nothing_written(idea)


def test_session_with_csrf_header_can_post_vote_and_unvote(client, make_user, make_area):
    make_area(slug="saensuk")
    user = make_user()
    client.login(user)

    created = client.api("POST", "/api/v1/areas/saensuk/ideas", json=NEW_IDEA, csrf=True)
    assert created.status_code == 201, created.get_data(as_text=True)
    idea_id = created.get_json()["id"]
    assert db.session.get(Idea, idea_id).author_id == user.id

    voted = client.api("PUT", f"/api/v1/ideas/{idea_id}/vote", csrf=True)
    assert voted.status_code == 200 and voted.get_json()["vote_count"] == 1
    assert count(Vote, Vote.idea_id == idea_id, Vote.user_id == user.id) == 1

    withdrawn = client.api("DELETE", f"/api/v1/ideas/{idea_id}/vote", csrf=True)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["vote_count"] == 0
    assert count(Vote, Vote.idea_id == idea_id) == 0


def test_session_reads_need_no_csrf_header(client, make_user, make_idea):
    idea = make_idea()
    client.login(make_user())

    assert client.get(f"/api/v1/ideas/{idea.id}").status_code == 200
    assert client.get(f"/api/v1/areas/{idea.area.slug}/ideas").status_code == 200


def test_reads_need_no_credentials(client, make_idea):
    idea = make_idea()

    for url in ("/api/v1/openapi.json", "/api/v1/areas", f"/api/v1/areas/{idea.area.slug}/ideas",
                f"/api/v1/ideas/{idea.id}"):
        assert client.get(url).status_code == 200, url
