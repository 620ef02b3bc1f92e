"""Rate limits: each kind of write has its own documented limit; a limited request gets a friendly 429."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from idea4gov.extensions import db
from idea4gov.ideas.models import Idea
from idea4gov.ratelimit import DEFAULT_LIMITS
from tests.redis_support import redis_server, redis_url  # noqa: F401  (fixtures: a real Redis)

BODY = "ชายหาดบางแสนมีขยะพลาสติกเยอะหลังวันหยุด อยากให้มีจุดแยกขยะและอาสาสมัครเก็บขยะ"


def test_every_limit_is_configured_and_documented():
    from config import DevelopmentConfig, ProductionConfig
    from idea4gov import create_app

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    app = create_app(DevelopmentConfig)
    for name, default in DEFAULT_LIMITS.items():
        assert app.config[name] == default
        assert not hasattr(ProductionConfig, name), name  # production keeps the documented defaults
        assert f"`{name}`" in readme and default in readme, name


def test_ideas_beyond_the_limit_get_a_friendly_429_and_keep_nothing(app, client, make_area, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_IDEAS", "2 per hour")
    area = make_area()
    client.login(make_user())
    statuses = [client.post(f"/areas/{area.slug}/ideas/new", data={
        "title": f"ไอเดียทดสอบลำดับที่ {n}", "body": f"{BODY} {n}", "theme": area.themes[0].slug,
        "confirm_new": "1"}).status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea)) == 2
    limited = client.post(f"/areas/{area.slug}/ideas/new", data={"title": "x"})
    assert limited.status_code == 429
    assert "ถี่เกินไป" in limited.get_data(as_text=True)
    assert int(limited.headers["Retry-After"]) > 0


def test_a_form_sent_back_with_errors_does_not_count(app, client, make_area, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_IDEAS", "1 per hour")
    area = make_area()
    client.login(make_user())
    for _ in range(3):
        assert client.post(f"/areas/{area.slug}/ideas/new", data={"title": "สั้น"}).status_code == 400
    ok = client.post(f"/areas/{area.slug}/ideas/new", data={
        "title": "ไอเดียที่ส่งได้หลังกรอกผิด", "body": BODY, "theme": area.themes[0].slug, "confirm_new": "1"})
    assert ok.status_code == 302


def test_api_votes_are_limited_with_a_json_error(app, client, make_idea, make_user, monkeypatch):
    from tests.api_support import token_for

    monkeypatch.setitem(app.config, "RATELIMIT_VOTES", "3 per minute")
    idea, token = make_idea(), token_for(make_user())
    codes = [client.api("PUT", f"/api/v1/ideas/{idea.id}/vote", token=token).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    body = client.api("DELETE", f"/api/v1/ideas/{idea.id}/vote", token=token).get_json()
    assert body["error"]["code"] == "rate_limited"
    # The web form shares the same counter for a signed-in person.
    other = make_user()
    client.login(other)
    codes = [client.post(f"/ideas/{idea.id}/vote").status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]


def test_reports_and_comments_are_limited(app, client, make_idea, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_REPORTS", "1 per hour")
    monkeypatch.setitem(app.config, "RATELIMIT_COMMENTS", "1 per hour")
    idea = make_idea()
    client.login(make_user())
    assert client.post(f"/ideas/{idea.id}/report", data={"reason": "spam"}).status_code == 302
    assert client.post(f"/ideas/{idea.id}/report", data={"reason": "spam"}).status_code == 429
    assert client.post(f"/ideas/{idea.id}/comments", data={"body": "ความคิดเห็นแรก"}).status_code == 302
    assert client.post(f"/ideas/{idea.id}/comments", data={"body": "ความคิดเห็นที่สอง"}).status_code == 429


def test_failed_logins_are_throttled_per_address_and_per_account(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN_ACCOUNT", "3 per hour")
    user = make_user()
    codes = [client.post("/auth/login", data={"email": user.email, "password": "wrong-password-1"}).status_code
             for _ in range(4)]
    assert codes[:3] != [429] * 3 and codes[3] == 429
    # Even the right password waits now: the account is being guessed at.
    assert client.post("/auth/login", data={"email": user.email, "password": "correct horse battery"}).status_code == 429
    # Another account from the same address is still allowed (until the per-address limit).
    other = make_user()
    assert client.post("/auth/login", data={"email": other.email, "password": "wrong-password-1"}).status_code != 429


def test_registration_is_limited_per_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_REGISTER", "1 per hour")
    form = {"display_name": "ผู้ใช้ใหม่", "password": "a-long-unusual-passphrase-77",
            "confirm": "a-long-unusual-passphrase-77", "consent": "y"}
    assert client.post("/auth/register", data=dict(form, email="first@example.org")).status_code == 302
    client.logout()
    assert client.post("/auth/register", data=dict(form, email="second@example.org")).status_code == 429


# --- Redis: the counters several app servers share -------------------------------------------
def test_two_app_servers_share_limits_through_redis(redis_url, tmp_path):  # noqa: F811
    import redis

    client = redis.Redis.from_url(redis_url)
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(root))
    env.pop("IDEA4GOV_TEST_DATABASE_URL", None)

    def server(name: str, attempts: int) -> list[int]:
        result = subprocess.run([sys.executable, str(root / "tests" / "ratelimit_probe.py"),
                                 str(tmp_path / f"{name}.sqlite3"), redis_url, str(attempts)],
                                capture_output=True, text=True, env=env, cwd=root, timeout=120)
        assert result.returncode == 0, result.stderr[-2000:]
        return [int(code) for code in result.stdout.split()]

    first = server("one", 4)
    assert first[:3] != [429, 429, 429] and first[3] == 429
    # A second server process has its own memory but the same Redis: it is limited at once.
    assert server("two", 1) == [429]
    assert any(True for _ in client.scan_iter("*idea4gov*"))
