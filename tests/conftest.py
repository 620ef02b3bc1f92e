"""Fixtures: an app on a migrated database (SQLite file, or PostgreSQL when
IDEA4GOV_TEST_DATABASE_URL is set), a client with CSRF on, factories and log-in help."""
from __future__ import annotations

import itertools
import logging
import os
import re

import pytest
import sqlalchemy as sa
from flask import g, request_started
from flask_migrate import upgrade

from config import TestingConfig
from idea4gov import create_app
from idea4gov.extensions import db

PASSWORD = "correct-horse-battery-9"
_counter = itertools.count(1)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test is a failure: what CI must run may not skip silently."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which counts as a failure: {report.longrepr}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("IDEA4GOV_TEST_DATABASE_URL")
    if url:
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def _migrated_app(database_url):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url

    app = create_app(Config)
    with app.app_context():
        upgrade()
    # Each test holds one app context open, and requests reuse it; without this, `g`
    # (Flask-Login's user, Flask-WTF's CSRF token, Flask-Babel's locale) leaks from one
    # request into the next, as it never does in production.
    request_started.connect(_fresh_request_globals, app)
    return app


def _fresh_request_globals(sender, **extra) -> None:
    g.__dict__.clear()


def _truncate_all() -> None:
    from idea4gov.ideas import similar

    similar.forget()  # ids restart with the tables: cached similarity indexes would lie
    tables = [table.name for table in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        for name in tables:
            db.session.execute(sa.text(f"DELETE FROM {name}"))
    db.session.commit()


@pytest.fixture()
def app(_migrated_app):
    from idea4gov.extensions import limiter

    with _migrated_app.app_context():
        _truncate_all()
        limiter.reset()  # rate-limit counters start empty for every test
        yield _migrated_app
        db.session.remove()


class Client:
    """A Flask test client that sends the CSRF token the page would send."""

    def __init__(self, app):
        self.app = app
        self.raw = app.test_client()
        self._token: str | None = None

    def csrf_token(self) -> str:
        if self._token is None:
            html = self.raw.get("/").get_data(as_text=True)
            self._token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
        return self._token

    def get(self, *args, **kwargs):
        return self.raw.get(*args, **kwargs)

    def post(self, url, data=None, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf and "csrf_token" not in data:
            data["csrf_token"] = self.csrf_token()
        return self.raw.post(url, data=data, **kwargs)

    def api(self, method, url, json=None, token=None, csrf=False, **kwargs):
        headers = dict(kwargs.pop("headers", {}))
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if csrf:
            headers["X-CSRFToken"] = self.csrf_token()
        return self.raw.open(url, method=method, json=json, headers=headers, **kwargs)

    def login(self, user, password: str = PASSWORD):
        response = self.post("/auth/login", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        self._token = None  # the session was renewed, and with it the CSRF token
        return response

    def logout(self):
        self._token = None
        response = self.post("/auth/logout")
        self._token = None  # logging out cleared the session, and the token with it
        return response

    def carry_cookies_to(self, host: str) -> None:
        """Send this browser's cookies with requests whose Host header says `host` (an attacker
        forging the header keeps the victim's session; the test client matches cookies by host)."""
        self.csrf_token()
        for name in ("session", "remember_token"):
            cookie = self.raw.get_cookie(name)
            if cookie is not None:
                self.raw.set_cookie(name, cookie.value, domain=host)

    def register(self, mails, query: str = "", **fields):
        """Register through the form and open the e-mailed link (needs the `mails` fixture):
        the confirming response (302, signed in)."""
        data = {"email": f"new{next(_counter)}@example.org", "display_name": "ชาวบ้าน ลงทะเบียนใหม่",
                "password": PASSWORD, "confirm": PASSWORD, "consent": "y", **fields}
        response = self.post(f"/auth/register{query}", data)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        link = mails.link(data["email"], "/auth/register/confirm/")
        assert self.get(link).status_code == 200
        response = self.post(link)
        self._token = None  # signed in: a new session
        return response


class SentMails:
    """E-mails the app sent during a test, read from the `log` backend's records (the real send path)."""

    def __init__(self, caplog) -> None:
        self._caplog = caplog

    def all(self) -> list[dict]:
        return [{"to": record.args[0], "subject": record.args[1], "body": record.args[2]}
                for record in self._caplog.records
                if record.name == "idea4gov.mail.sender" and record.msg.startswith("mail to")]

    def to(self, address: str) -> list[dict]:
        address = address.strip().lower()
        return [mail for mail in self.all() if mail["to"] == address]

    def link(self, address: str, prefix: str) -> str:
        """The path of the last link starting with `prefix` in a mail to `address`."""
        for mail in reversed(self.to(address)):
            found = re.search(re.escape(prefix) + r"[\w.~-]+", mail["body"])
            if found:
                return found.group(0)
        raise AssertionError(f"no mail to {address} with a link {prefix}…: {self.all()}")


@pytest.fixture()
def mails(app, caplog, monkeypatch) -> SentMails:
    """Send e-mail with MAIL_BACKEND=log and read what was sent."""
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "log")
    caplog.set_level(logging.INFO, logger="idea4gov.mail.sender")
    return SentMails(caplog)


@pytest.fixture()
def other_app():
    """For a test that builds another app in this process: the rate limiter, one per process,
    keeps counting in the test app's store afterwards (another app's init_app replaced it)."""
    from idea4gov.extensions import limiter

    saved = limiter._storage, limiter._limiter
    yield
    limiter._storage, limiter._limiter = saved


@pytest.fixture()
def client(app) -> Client:
    return Client(app)


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


@pytest.fixture()
def make_user(app):
    from idea4gov.auth import services
    from idea4gov.auth.models import Role

    def make(email: str | None = None, display_name: str = "ชาวบ้าน ทดสอบ", password: str = PASSWORD,
             role: Role = Role.resident):
        user = services.register(email or f"user{next(_counter)}@example.org", display_name, password, role)
        db.session.commit()
        return user

    return make


@pytest.fixture()
def make_staff(app, make_user):
    """A user holding `role` ("moderator", "officer", "organiser") in `area`, or "admin"."""
    from idea4gov.auth import staff
    from idea4gov.auth.models import Role

    def make(role: str, area=None, **kwargs):
        user = make_user(**kwargs)
        staff.grant(user, Role(role), area)
        db.session.commit()
        return user

    return make


@pytest.fixture()
def make_area(app):
    from idea4gov.areas.models import Area, Theme

    def make(slug: str | None = None, is_open: bool = True, themes=(("beach", "ขยะชายหาด", "Beach litter"),)):
        slug = slug or f"area-{next(_counter)}"
        area = Area(slug=slug, name_th=f"พื้นที่ {slug}", name_en=f"Area {slug}", description_th="พื้นที่ทดสอบ",
                    description_en="Test area", is_open=is_open)
        for position, (theme_slug, title_th, title_en) in enumerate(themes):
            area.themes.append(Theme(slug=theme_slug, title_th=title_th, title_en=title_en, position=position))
        db.session.add(area)
        db.session.commit()
        return area

    return make


@pytest.fixture()
def make_round(app):
    """A round of `area` from `opens` to `closes` days from now (negative: in the past), holding `themes`
    (default: all of the area's themes)."""
    from datetime import timedelta

    from idea4gov.areas.models import Round
    from idea4gov.timeutil import utcnow

    def make(area, opens: float, closes: float, themes=None, title_th: str = "รอบรับฟังความคิดเห็น",
             title_en: str = "Round of public input"):
        now = utcnow()
        round_ = Round(area_id=area.id, title_th=title_th, title_en=title_en, opens_at=now + timedelta(days=opens),
                       closes_at=now + timedelta(days=closes), themes=list(area.themes if themes is None else themes))
        db.session.add(round_)
        db.session.commit()
        return round_

    return make


DEFAULT_IDEA_BODY = "ขยะบนชายหาดเยอะมาก อยากให้เทศบาลเพิ่มถังขยะแยกประเภททุก 100 เมตร"


@pytest.fixture()
def make_idea(app, make_user, make_area):
    from idea4gov.ideas import services

    def make(area=None, author=None, title: str = "เพิ่มถังขยะริมชายหาดบางแสน",
             body: str = DEFAULT_IDEA_BODY, theme=None):
        area = area or make_area()
        author = author or make_user()
        if body == DEFAULT_IDEA_BODY:
            # The same author may not post the same text twice: defaults differ per idea.
            body = f"{body} จุดที่ {next(_counter)}"
        idea = services.create_idea(area, author, services.IdeaInput(title, body, theme or area.themes[0]))
        db.session.commit()
        return idea

    return make


@pytest.fixture()
def live_server(app):
    """The app served by a threaded Werkzeug server on 127.0.0.1 (a random free port)."""
    import threading

    from werkzeug.serving import make_server

    def buffered(environ, start_response):
        # Read each response whole before sending it: when a browser drops a connection
        # mid-file (a font, when it navigates away), a streamed file would be left
        # unclosed, and the ResourceWarning would fail an unrelated test.
        iterable = app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            if hasattr(iterable, "close"):
                iterable.close()

    server = make_server("127.0.0.1", 0, buffered, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations():
    """Compile the English catalogue when `make translations` has not (the .mo is git-ignored)."""
    from idea4gov.i18n import compile_catalogues

    compile_catalogues(TestingConfig.BABEL_TRANSLATION_DIRECTORIES)


@pytest.fixture(scope="session", autouse=True)
def _close_pooled_connections():
    """Close every engine's pooled connections when the session ends: psycopg warns about a
    connection garbage-collected while open, and warnings are errors here."""
    import weakref

    from sqlalchemy.engine import Engine

    engines: weakref.WeakSet = weakref.WeakSet()

    def remember(connection) -> None:
        engines.add(connection.engine)

    sa.event.listen(Engine, "engine_connect", remember)
    yield
    sa.event.remove(Engine, "engine_connect", remember)
    for engine in list(engines):
        engine.dispose()
