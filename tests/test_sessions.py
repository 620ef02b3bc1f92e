"""Revocable sessions: a copied session or remember-me cookie stops working after log-out, a password
or role change and "sign out everywhere"; remember-me differs at every log-in and expires on the server.

The attacker here is a second test client holding nothing but the raw cookie values copied from
the victim's browser.
"""
from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest

from idea4gov.auth import sessions
from idea4gov.auth.models import Role, User
from idea4gov.extensions import db
from tests.conftest import PASSWORD

NEW_PASSWORD = "ทะเลสวยไร้ขยะ-ใหม่-2570"


def _login(client, user, remember: bool = False):
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    client._token = None  # the CSRF token of this browser's current session
    response = client.post("/auth/login", data)
    assert response.status_code == 302
    client._token = None
    return response


def _cookies(client) -> dict[str, str]:
    return {name: client.raw.get_cookie(name).value for name in ("session", "remember_token")
            if client.raw.get_cookie(name) is not None}


def _copy(app, cookies: dict[str, str], only: str | None = None):
    """Another browser holding the copied cookie values (all, or just `only`)."""
    thief = app.test_client()
    for name, value in cookies.items():
        if only is None or name == only:
            thief.set_cookie(name, value)
    return thief


def _signed_in(browser) -> bool:
    response = browser.get("/account/")
    return response.status_code == 200


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_a_copied_cookie_stops_working_after_log_out(app, client, make_user, cookie):
    user = make_user()
    _login(client, user, remember=True)
    stolen = _cookies(client)
    assert set(stolen) == {"session", "remember_token"}
    assert _signed_in(_copy(app, stolen, only=cookie))  # the copy works while the owner is signed in

    client.logout()

    assert not _signed_in(client)
    assert not _signed_in(_copy(app, stolen, only=cookie))
    assert not _signed_in(_copy(app, stolen))


def test_the_identity_names_the_accounts_session_token(app, make_user):
    user = make_user()
    assert user.get_id() == f"{user.id}:{user.session_token}" and len(user.session_token) >= 40
    other = make_user()
    assert other.session_token != user.session_token


def test_remember_me_differs_at_every_log_in(app, client, make_user):
    user = make_user()
    _login(client, user, remember=True)
    first = client.raw.get_cookie("remember_token").value
    second_browser = type(client)(app)
    time.sleep(1.01)  # the expiry in the identity is in whole seconds
    _login(second_browser, user, remember=True)
    second = second_browser.raw.get_cookie("remember_token").value
    assert first != second
    assert _signed_in(client) and _signed_in(second_browser)  # one log-in does not end the other


class _Clock:
    def __init__(self, offset: float) -> None:
        self.offset = offset

    def time(self) -> float:
        return time.time() + self.offset


def test_remember_me_expires_on_the_server_whatever_the_browser_keeps(app, client, make_user, monkeypatch):
    user = make_user()
    _login(client, user, remember=True)
    remember_only = _copy(app, _cookies(client), only="remember_token")
    days = app.config["REMEMBER_COOKIE_DURATION"].days
    monkeypatch.setattr(sessions, "time", _Clock(timedelta(days=days - 1).total_seconds()))
    assert _signed_in(_copy(app, _cookies(client), only="remember_token"))
    monkeypatch.setattr(sessions, "time", _Clock(timedelta(days=days, minutes=1).total_seconds()))
    assert not _signed_in(remember_only)


def test_a_session_without_remember_me_ends_after_its_lifetime(app, client, make_user, monkeypatch):
    user = make_user()
    _login(client, user)
    assert "remember_token" not in _cookies(client)
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    monkeypatch.setattr(sessions, "time", _Clock(lifetime.total_seconds() + 60))
    assert not _signed_in(_copy(app, _cookies(client)))


def test_changing_the_password_ends_every_other_session_and_tells_the_owner(app, client, make_user, mails):
    user = make_user()
    laptop = type(client)(app)
    _login(laptop, user, remember=True)
    laptop_cookies = _cookies(laptop)
    _login(client, user)
    wrong = client.post("/account/password", {"current": "not-my-password", "password": NEW_PASSWORD,
                                              "confirm": NEW_PASSWORD})
    assert wrong.status_code == 400 and "รหัสผ่านไม่ถูกต้อง" in wrong.get_data(as_text=True)
    common = client.post("/account/password", {"current": PASSWORD, "password": "password123",
                                               "confirm": "password123"})
    assert common.status_code == 400 and "คาดเดาง่ายเกินไป" in common.get_data(as_text=True)
    response = client.post("/account/password", {"current": PASSWORD, "password": NEW_PASSWORD,
                                                 "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/account/#security"
    assert _signed_in(client)  # this browser stays signed in
    assert not _signed_in(laptop) and not _signed_in(_copy(app, laptop_cookies, only="remember_token"))
    from idea4gov.auth.services import authenticate

    assert authenticate(user.email, PASSWORD) is None and authenticate(user.email, NEW_PASSWORD) is not None
    [mail] = mails.to(user.email)
    assert mail["subject"] == "รหัสผ่าน idea4gov ของคุณเปลี่ยนแล้ว / Your idea4gov password was changed"


def test_sign_out_everywhere_ends_every_session_this_one_too(app, client, make_user):
    user = make_user()
    phone = type(client)(app)
    _login(phone, user, remember=True)
    phone_cookies = _cookies(phone)
    _login(client, user, remember=True)
    mine = _cookies(client)
    assert "ออกจากระบบทุกอุปกรณ์" in client.get("/account/").get_data(as_text=True)
    response = client.post("/account/sign-out-everywhere")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    for browser in (client, phone, _copy(app, phone_cookies, only="remember_token"), _copy(app, mine)):
        assert not _signed_in(browser)
    _login(client, user)  # signing in again works
    assert _signed_in(client)


def test_a_role_change_ends_the_accounts_sessions(app, client, make_user, make_staff, make_area):
    area = make_area()
    officer = make_user()
    _login(client, officer, remember=True)
    stolen = _cookies(client)
    admin = make_staff("admin")
    admin_browser = type(client)(app)
    _login(admin_browser, admin)
    granted = admin_browser.post(f"/admin/users/{officer.id}/roles", {"role": "officer", "area": area.slug})
    assert granted.status_code == 302
    assert not _signed_in(client) and not _signed_in(_copy(app, stolen))  # a stolen copy gains no new role
    _login(client, officer)
    revoked = admin_browser.post(f"/admin/users/{officer.id}/roles/officer/revoke", {"area": area.slug})
    assert revoked.status_code == 302 and not _signed_in(client)
    # An admin changing their own roles stays signed in on this browser.
    own = admin_browser.post(f"/admin/users/{admin.id}/roles", {"role": "moderator", "area": area.slug})
    assert own.status_code == 302 and _signed_in(admin_browser)
    assert db.session.get(User, admin.id).role == Role.admin


def test_lifetimes_are_documented_settings_read_from_the_environment(monkeypatch):
    import importlib

    import config

    monkeypatch.setenv("PERMANENT_SESSION_LIFETIME", "3600")
    monkeypatch.setenv("REMEMBER_COOKIE_DURATION", "86400")
    try:
        reloaded = importlib.reload(config)
        assert reloaded.Config.PERMANENT_SESSION_LIFETIME == timedelta(hours=1)
        assert reloaded.Config.REMEMBER_COOKIE_DURATION == timedelta(days=1)
    finally:
        monkeypatch.delenv("PERMANENT_SESSION_LIFETIME")
        monkeypatch.delenv("REMEMBER_COOKIE_DURATION")
        importlib.reload(config)
    assert config.Config.PERMANENT_SESSION_LIFETIME == timedelta(hours=12)
    assert config.Config.REMEMBER_COOKIE_DURATION == timedelta(days=14)
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "`PERMANENT_SESSION_LIFETIME`" in readme and "`REMEMBER_COOKIE_DURATION`" in readme


def test_a_cookie_opened_before_is_still_refused_once_too_old_or_changed(app, client, make_user, monkeypatch):
    """The session cookie's decoded content is kept per process (idea4gov.i18n.SessionInterface): the
    cookie's age is still checked on each request, a tampered copy is refused, and what one request
    changes in its session never reaches the next one that sends the same cookie."""
    import flask

    from idea4gov import i18n

    user = make_user()
    _login(client, user)
    cookies = _cookies(client)
    assert _signed_in(_copy(app, cookies)) and _signed_in(_copy(app, cookies))
    assert cookies["session"] in app.session_interface._opened
    value = cookies["session"]
    assert not _signed_in(_copy(app, {"session": value[:-2] + ("AA" if value[-2:] != "AA" else "BB")}))

    with app.test_request_context("/", headers={"Cookie": f"session={value}"}):
        first = app.session_interface.open_session(app, flask.request)
        flashes = len(first.get("_flashes", []))
        first.setdefault("_flashes", []).append(("info", "ของคำขอนี้"))
        first["_user_id"] += "x"
        again = app.session_interface.open_session(app, flask.request)
        assert len(again.get("_flashes", [])) == flashes and not again["_user_id"].endswith("x")

    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    monkeypatch.setattr(i18n, "time", _Clock(lifetime.total_seconds() + 60))
    assert not _signed_in(_copy(app, cookies))
