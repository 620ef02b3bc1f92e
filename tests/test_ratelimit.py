"""Rate limits: each kind of write has its own documented limit; a limited request gets a friendly 429."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
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


ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}


def _try(client, email: str, password: str, address: dict) -> int:
    return client.post("/auth/login", data={"email": email, "password": password}, environ_base=address).status_code


def test_guessing_someones_password_slows_the_guesser_not_the_owner(app, client, make_user, mails, monkeypatch):
    """Eleven wrong passwords from one address stop that address for that account; the owner,
    from another address, signs in at once and is told by e-mail (once)."""
    from tests.conftest import PASSWORD

    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN_ACCOUNT", "10 per hour")
    victim = make_user(email="officer-saensuk@example.org")
    codes = [_try(client, victim.email, f"guess-number-{n}", ATTACKER) for n in range(11)]
    assert codes == [400] * 10 + [429]
    # The attacker's address keeps waiting, even with the right password.
    assert _try(client, victim.email, PASSWORD, ATTACKER) == 429
    # The owner, from their own address, is not locked out.
    owner = type(client)(app)
    assert _try(owner, victim.email, PASSWORD, OWNER) == 302
    assert owner.get("/account/").status_code == 200
    # The attacker may still try other accounts (until the per-address limit).
    other = make_user()
    assert _try(client, other.email, "guess-number-1", ATTACKER) == 400
    # The owner was told, once, with the attacker's address and no link built from the request.
    [notice] = mails.to(victim.email)
    assert notice["subject"].startswith("มีการพยายามเข้าสู่บัญชีของคุณด้วยรหัสผ่านผิดหลายครั้ง")
    assert "203.0.113.66" in notice["body"] and "http://localhost/account/" in notice["body"]
    _try(client, victim.email, "guess-number-12", ATTACKER)
    assert len(mails.to(victim.email)) == 1
    # Guessing at an address with no account tells nobody anything.
    for n in range(11):
        _try(client, "nobody@example.org", f"guess-{n}", {"REMOTE_ADDR": "203.0.113.67"})
    assert mails.to("nobody@example.org") == []


def test_guessing_from_many_addresses_stops_new_browsers_but_not_the_owners(app, client, make_user, mails,
                                                                             monkeypatch):
    """A botnet spreads its guesses over many addresses: once the account's failures from browsers
    new to it pass RATELIMIT_LOGIN_NEW_DEVICE, new browsers wait; the owner's, which signed in before, does not."""
    from tests.conftest import PASSWORD

    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN_NEW_DEVICE", "5 per hour")
    victim = make_user()
    owner = type(client)(app)
    assert _try(owner, victim.email, PASSWORD, OWNER) == 302  # the owner's browser knows the account
    assert owner.raw.get_cookie("i4g_device") is not None
    owner.logout()
    codes = [_try(type(client)(app), victim.email, f"guess-{n}", {"REMOTE_ADDR": f"192.0.2.{n}"}) for n in range(6)]
    assert codes == [400] * 5 + [429]
    assert _try(type(client)(app), victim.email, PASSWORD, {"REMOTE_ADDR": "192.0.2.200"}) == 429
    assert _try(owner, victim.email, PASSWORD, {"REMOTE_ADDR": "192.0.2.201"}) == 302
    assert len(mails.to(victim.email)) == 1
    # A forged device cookie is no way round.
    forger = type(client)(app)
    forger.raw.set_cookie("i4g_device", "WyJhYmMiXQ.forged.signature")
    assert _try(forger, victim.email, PASSWORD, {"REMOTE_ADDR": "192.0.2.202"}) == 429


def test_every_registration_attempt_counts_per_address(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_REGISTER", "3 per hour")
    make_user(email="taken@example.org")
    form = {"display_name": "ผู้ใช้ใหม่", "password": "a-long-unusual-passphrase-77",
            "confirm": "a-long-unusual-passphrase-77", "consent": "y"}
    # A form sent back with errors, a taken address and a free one: each counts.
    assert client.post("/auth/register", data=dict(form, email="not-an-email")).status_code == 400
    assert client.post("/auth/register", data=dict(form, email="taken@example.org")).status_code == 302
    assert client.post("/auth/register", data=dict(form, email="first@example.org")).status_code == 302
    assert client.post("/auth/register", data=dict(form, email="second@example.org")).status_code == 429
    assert client.get("/auth/register").status_code == 200  # reading the form is not an attempt


def test_limits_count_per_account_for_the_web_and_every_token(app, client, make_area, make_user, monkeypatch):
    """Tokens are free: "5 ideas an hour, web and API together" must hold across all of them."""
    from tests.api_support import token_for

    monkeypatch.setitem(app.config, "RATELIMIT_IDEAS", "3 per hour")
    area = make_area()
    user = make_user()
    first, second = token_for(user, "แอปแรก"), token_for(user, "แอปที่สอง")
    client.login(user)
    web = client.post(f"/areas/{area.slug}/ideas/new", data={
        "title": "ไอเดียจากเว็บไซต์ลำดับหนึ่ง", "body": f"{BODY} เว็บ", "theme": area.themes[0].slug, "confirm_new": "1"})
    assert web.status_code == 302
    codes = [client.api("POST", f"/api/v1/areas/{area.slug}/ideas", token=token, json={
        "title": f"ไอเดียจาก API ลำดับที่ {n}", "body": f"{BODY} API {n}"}).status_code
        for n, token in enumerate((first, second, second))]
    assert codes == [201, 201, 429]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea)) == 3
    # A third token made now changes nothing.
    third = token_for(user, "แอปที่สาม")
    assert client.api("POST", f"/api/v1/areas/{area.slug}/ideas", token=third, json={
        "title": "ไอเดียจากโทเคนใหม่ล่าสุด", "body": f"{BODY} ใหม่"}).status_code == 429
    # Another account is not affected.
    assert client.api("POST", f"/api/v1/areas/{area.slug}/ideas", token=token_for(make_user()), json={
        "title": "ไอเดียของอีกบัญชีหนึ่ง", "body": f"{BODY} อีกบัญชี"}).status_code == 201


def test_limits_can_be_set_from_the_environment_and_a_typo_stops_the_start(monkeypatch, other_app):
    from config import DevelopmentConfig
    from idea4gov import create_app

    monkeypatch.setenv("RATELIMIT_IDEAS", "2 per hour")
    assert create_app(DevelopmentConfig).config["RATELIMIT_IDEAS"] == "2 per hour"
    monkeypatch.setenv("RATELIMIT_VOTES", "lots")
    with pytest.raises(RuntimeError, match="RATELIMIT_VOTES='lots' is not a limit"):
        create_app(DevelopmentConfig)


def test_production_refuses_to_start_without_a_shared_limit_store(monkeypatch, tmp_path, other_app):
    from config import ProductionConfig
    from idea4gov import create_app

    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://idea4gov.example.go.th")
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    with pytest.raises(RuntimeError, match="production needs REDIS_URL"):
        create_app(ProductionConfig)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    with pytest.raises(RuntimeError, match="production needs REDIS_URL"):
        create_app(ProductionConfig)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:1/0")  # never reached: connected on first use
    app = create_app(ProductionConfig)
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:1/0"


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


def test_a_forged_authorization_header_does_not_move_web_counts(app, client, make_idea, make_user, monkeypatch):
    """Web pages act for the session: a Bearer header (junk, or another account's token) must not
    make the limiter count somebody else, or count by address instead of the account."""
    from tests.api_support import token_for

    monkeypatch.setitem(app.config, "RATELIMIT_VOTES", "2 per minute")
    ideas = [make_idea() for _ in range(3)]
    other_token = token_for(make_user())
    client.login(make_user())
    codes = [client.post(f"/ideas/{idea.id}/vote", headers={"Authorization": header}).status_code
             for idea, header in zip(ideas, ("Bearer junk", f"Bearer {other_token}", "Bearer junk-again"), strict=True)]
    assert codes == [302, 302, 429]


def test_pages_skip_the_shared_limit_check_until_such_a_limit_is_set(app, client, make_area, monkeypatch):
    """Every limit here is on its view; Flask-Limiter's before-request check of the others (default,
    application, blueprint limits) is skipped while there are none, and runs once one is set."""
    from flask_limiter import ApplicationLimit

    from idea4gov.extensions import limiter

    area = make_area()
    checked = []
    resolve = limiter.limit_manager.resolve_limits
    monkeypatch.setattr(limiter.limit_manager, "resolve_limits",
                        lambda *args, **kwargs: checked.append(args) or resolve(*args, **kwargs))
    assert client.get(f"/areas/{area.slug}").status_code == 200
    assert checked == []

    shared = ApplicationLimit(limit_provider="2 per minute").bind(limiter)
    monkeypatch.setattr(limiter.limit_manager, "_application_limits", [shared])
    statuses = [client.get(f"/areas/{area.slug}?n={n}").status_code for n in range(3)]
    assert statuses == [200, 200, 429]
    assert checked
