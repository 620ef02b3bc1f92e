"""Concurrent votes against a real server on loopback: one supporter counts once.

Each burst opens its connections first, waits on a barrier, then sends every request at
once, so the requests really overlap in the threaded Werkzeug server. Runs on whichever
database the session uses: a SQLite file, or PostgreSQL (IDEA4GOV_TEST_DATABASE_URL).
"""
from __future__ import annotations

import http.client
import http.cookiejar
import json
import re
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from conftest import PASSWORD

from idea4gov.account.tokens import create_token
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, Vote

pytestmark = pytest.mark.live

#: Requests in one burst (the brief asks for at least 50).
BURST = 50
#: Seconds any one request may take; the burst as a whole is bounded by it too.
TIMEOUT = 60


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    headers: dict = field(default_factory=dict)
    body: bytes | None = None


@dataclass(frozen=True)
class Reply:
    call: Call
    status: int
    headers: dict
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


class WebSession:
    """A logged-in browser: cookies and the page's CSRF token, over real HTTP."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _open(self, path: str, data: dict | None = None) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        with self.opener.open(self.base + path, data=body, timeout=TIMEOUT) as response:
            return response.read().decode("utf-8")

    def csrf_token(self, path: str) -> str:
        html = self._open(path)
        return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)

    def login(self, email: str) -> None:
        token = self.csrf_token("/auth/login")
        self._open("/auth/login", {"email": email, "password": PASSWORD, "csrf_token": token})
        assert any(cookie.name == "session" for cookie in self.jar), "no session cookie after log-in"

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)

    def form_post(self, path: str, csrf_token: str) -> Call:
        """A form POST as the page's button sends it: session cookie and csrf_token field."""
        return Call("POST", path, {
            "Cookie": self.cookie_header(),
            "Content-Type": "application/x-www-form-urlencoded",
        }, urllib.parse.urlencode({"csrf_token": csrf_token}).encode())


def api_call(method: str, idea_id: int, secret: str) -> Call:
    return Call(method, f"/api/v1/ideas/{idea_id}/vote", {"Authorization": f"Bearer {secret}"})


def fire_together(base: str, calls: list[Call]) -> list[Reply]:
    """Send every call on its own connection, all released at the same moment by a barrier."""
    host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
    barrier = threading.Barrier(len(calls), timeout=TIMEOUT)
    replies: list[Reply | None] = [None] * len(calls)
    failures: list[str] = []

    def send(index: int, call: Call) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
        try:
            connection.connect()
            barrier.wait()
            connection.request(call.method, call.path, body=call.body, headers=call.headers)
            response = connection.getresponse()
            replies[index] = Reply(call, response.status, dict(response.getheaders()), response.read())
        except Exception as error:  # noqa: BLE001  (reported below with the call that failed)
            barrier.abort()
            failures.append(f"{call.method} {call.path}: {error!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 2)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    assert not failures, failures
    return replies  # type: ignore[return-value]


def assert_no_server_errors(replies: list[Reply]) -> None:
    errors = [(r.call.method, r.call.path, r.status, r.body[:300]) for r in replies if r.status >= 500]
    assert not errors, errors


def votes_of(idea_id: int) -> tuple[int, int]:
    """(vote rows, ideas.vote_count) read fresh from the database."""
    db.session.expire_all()
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(Vote).where(Vote.idea_id == idea_id))
    counter = db.session.scalar(sa.select(Idea.vote_count).where(Idea.id == idea_id))
    return rows, counter


def api_secret(user) -> str:
    _token, secret = create_token(user, "concurrency")
    db.session.commit()
    return secret


@pytest.fixture()
def voter(live_server, make_idea, make_user):
    """An idea, a resident logged in over HTTP (cookie and CSRF token), and their API token."""
    idea = make_idea()
    user = make_user()
    secret = api_secret(user)
    idea_id, user_id, email = idea.id, user.id, user.email
    db.session.remove()  # hold no transaction open while the server writes

    web = WebSession(live_server)
    web.login(email)
    csrf = web.csrf_token(f"/ideas/{idea_id}")
    return {"idea_id": idea_id, "user_id": user_id, "web": web, "csrf": csrf, "secret": secret}


def test_concurrent_form_votes_by_one_user_count_once(live_server, voter):
    idea_id, web = voter["idea_id"], voter["web"]
    calls = [web.form_post(f"/ideas/{idea_id}/vote", voter["csrf"]) for _ in range(BURST)]

    replies = fire_together(live_server, calls)

    assert_no_server_errors(replies)
    # Every request took the success path: a redirect to the idea's support section.
    assert [r.status for r in replies] == [302] * BURST, {r.status for r in replies}
    assert all(r.headers["Location"].endswith(f"/ideas/{idea_id}#support") for r in replies)
    assert votes_of(idea_id) == (1, 1)
    db.session.expire_all()
    assert db.session.scalar(
        sa.select(Vote.user_id).where(Vote.idea_id == idea_id)
    ) == voter["user_id"]


def test_concurrent_api_votes_by_one_user_count_once(live_server, voter):
    idea_id = voter["idea_id"]
    calls = [api_call("PUT", idea_id, voter["secret"]) for _ in range(BURST)]

    replies = fire_together(live_server, calls)

    assert_no_server_errors(replies)
    assert [r.status for r in replies] == [200] * BURST
    bodies = [r.json() for r in replies]
    assert sum(body["changed"] for body in bodies) == 1, "exactly one request may add the vote"
    assert {body["vote_count"] for body in bodies} == {1}
    assert all(body["voted"] is True and body["idea_id"] == idea_id for body in bodies)
    assert votes_of(idea_id) == (1, 1)


def test_concurrent_votes_through_form_and_api_together_count_once(live_server, voter):
    idea_id, web = voter["idea_id"], voter["web"]
    calls = [
        web.form_post(f"/ideas/{idea_id}/vote", voter["csrf"]) if i % 2 else api_call("PUT", idea_id, voter["secret"])
        for i in range(BURST)
    ]

    replies = fire_together(live_server, calls)

    assert_no_server_errors(replies)
    assert sorted(r.status for r in replies) == [200] * (BURST // 2) + [302] * (BURST - BURST // 2)
    assert sum(r.json()["changed"] for r in replies if r.status == 200) <= 1
    assert votes_of(idea_id) == (1, 1)


def test_concurrent_api_votes_and_unvotes_keep_the_count_exact(live_server, voter):
    """Interleaved PUT and DELETE: the changes that happened add up to the rows left."""
    idea_id = voter["idea_id"]
    calls = [api_call("PUT" if i % 2 else "DELETE", idea_id, voter["secret"]) for i in range(BURST)]

    replies = fire_together(live_server, calls)

    assert_no_server_errors(replies)
    assert [r.status for r in replies] == [200] * BURST
    net = sum((1 if r.call.method == "PUT" else -1) for r in replies if r.json()["changed"])
    rows, counter = votes_of(idea_id)
    assert rows in (0, 1)
    assert counter == rows == net


def test_concurrent_votes_and_unvotes_through_both_channels(live_server, voter):
    idea_id, web, secret, csrf = voter["idea_id"], voter["web"], voter["secret"], voter["csrf"]
    kinds = [
        lambda: web.form_post(f"/ideas/{idea_id}/vote", csrf),
        lambda: web.form_post(f"/ideas/{idea_id}/unvote", csrf),
        lambda: api_call("PUT", idea_id, secret),
        lambda: api_call("DELETE", idea_id, secret),
    ]
    calls = [kinds[i % len(kinds)]() for i in range(BURST + 2)]

    replies = fire_together(live_server, calls)

    assert_no_server_errors(replies)
    assert all(r.status == (302 if r.call.method == "POST" else 200) for r in replies), [r.status for r in replies]
    rows, counter = votes_of(idea_id)
    assert rows in (0, 1)
    assert counter == rows

    # Settled state afterwards: one more vote makes exactly one.
    final = fire_together(live_server, [api_call("PUT", idea_id, secret)])
    assert final[0].status == 200 and final[0].json()["vote_count"] == 1
    assert votes_of(idea_id) == (1, 1)


def test_concurrent_votes_by_many_users_are_all_counted(live_server, make_idea, make_user):
    """No lost updates on the counter: ten residents, five requests each, ten votes."""
    idea = make_idea()
    secrets = [api_secret(make_user()) for _ in range(10)]
    idea_id = idea.id
    db.session.remove()
    calls = [api_call("PUT", idea_id, secrets[i % len(secrets)]) for i in range(BURST)]

    replies = fire_together(live_server, calls)

    assert_no_server_errors(replies)
    assert [r.status for r in replies] == [200] * BURST
    assert sum(r.json()["changed"] for r in replies) == len(secrets)
    assert votes_of(idea_id) == (len(secrets), len(secrets))
