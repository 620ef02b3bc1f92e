"""The database away, read-only or full: a friendly 503/507 with Retry-After, one log line,
never a stack trace; and recovery by itself after PostgreSQL restarts."""
from __future__ import annotations

import logging
import os
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from config import TestingConfig
from idea4gov import create_app
from idea4gov.extensions import db

ROOT = Path(__file__).resolve().parent.parent


def _app(url: str, **settings):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        WTF_CSRF_ENABLED = False

    for name, value in settings.items():
        setattr(Config, name, value)
    return create_app(Config)


def _seed(app) -> None:
    from idea4gov.areas.models import Area, Theme

    with app.app_context():
        upgrade()
        area = Area(slug="saensuk", name_th="แสนสุข", name_en="Saensuk", description_th="ทดสอบ", description_en="Test")
        area.themes.append(Theme(slug="beach", title_th="ขยะชายหาด", title_en="Beach litter"))
        db.session.add(area)
        db.session.commit()
        db.engine.dispose()


def _dispose(app) -> None:
    with app.app_context():
        db.engine.dispose()


REGISTRATION = {"email": "new@example.org", "display_name": "สมหญิง", "password": "correct-horse-battery-9",
                "confirm": "correct-horse-battery-9", "consent": "y"}


@pytest.fixture()
def sqlite_file(tmp_path) -> Path:
    path = tmp_path / "idea4gov.sqlite3"
    _seed(_app(f"sqlite:///{path}"))
    return path


def test_unreachable_database_gives_a_friendly_503_page_and_json(caplog):
    app = _app("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    client = app.test_client()
    with caplog.at_level(logging.ERROR, logger="idea4gov.db_errors"):
        page = client.get("/areas/saensuk")
    html = page.get_data(as_text=True)
    assert page.status_code == 503 and page.headers["Retry-After"] == "10"
    assert "ฐานข้อมูลไม่พร้อมให้บริการชั่วคราว" in html and "ลองอีกครั้ง" in html
    assert "Traceback" not in html and "psycopg" not in html and "127.0.0.1:1" not in html
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert any("Database unavailable on GET /areas/saensuk" in r.getMessage() for r in caplog.records)
    assert not any(r.exc_info for r in caplog.records), "one clear line, no traceback in the log"

    english = client.get("/?lang=en").get_data(as_text=True)
    assert "The database is temporarily unavailable" in english
    from tests.test_i18n import thai_left

    assert thai_left(english) == []

    api = client.get("/api/v1/areas")
    assert api.status_code == 503 and api.headers["Retry-After"] == "10"
    assert api.get_json()["error"]["code"] == "unavailable"


def _readonly_url(path: Path) -> str:
    """chmod a-w; root ignores file modes, so there the file is also opened read-only."""
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    if os.geteuid() == 0:
        return f"sqlite:///file:{path}?mode=ro&uri=true"
    return f"sqlite:///{path}"


def test_read_only_sqlite_file_reads_and_refuses_writes_with_a_clear_message(sqlite_file, caplog):
    app = _app(_readonly_url(sqlite_file))
    client = app.test_client()
    try:
        assert client.get("/areas/saensuk").status_code == 200
        with caplog.at_level(logging.ERROR, logger="idea4gov.db_errors"):
            response = client.post("/auth/register", data=REGISTRATION)
        html = response.get_data(as_text=True)
        assert response.status_code == 503, html[:400]
        assert "ระบบเปิดให้อ่านได้อย่างเดียวชั่วคราว" in html and "Traceback" not in html
        assert any("Database readonly on POST /auth/register" in r.getMessage() for r in caplog.records)
    finally:
        _dispose(app)
        sqlite_file.chmod(0o644)


def test_full_sqlite_file_gives_507(sqlite_file, caplog):
    app = _app(f"sqlite:///{sqlite_file}")
    with app.app_context():
        pages = db.session.scalar(sa.text("PRAGMA page_count"))

        @sa.event.listens_for(db.engine, "connect")
        def _no_room(dbapi_connection, _record):  # noqa: ANN001
            dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

        db.engine.dispose()
    client = app.test_client()
    try:
        with caplog.at_level(logging.ERROR, logger="idea4gov.db_errors"):
            statuses = []
            for n in range(40):  # fill what free space the pages still have
                data = dict(REGISTRATION, email=f"n{n}@example.org", display_name="ก" * 60)
                response = client.post("/auth/register", data=data)
                client.post("/auth/logout")
                statuses.append(response.status_code)
                if response.status_code == 507:
                    break
        html = response.get_data(as_text=True)
        assert response.status_code == 507, statuses
        assert "พื้นที่จัดเก็บข้อมูลของระบบเต็ม" in html and "Traceback" not in html
        assert set(statuses[:-1]) <= {302}
        assert any("Database full on POST /auth/register" in r.getMessage() for r in caplog.records)
    finally:
        _dispose(app)


# --- PostgreSQL restarting during requests --------------------------------------------------------


def _as_owner(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture()
def second_postgres():
    """A throw-away PostgreSQL cluster of its own (the suite's database is left alone)."""
    if shutil.which("pg_ctl") is None and not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        message = "PostgreSQL server binaries not found: apt-get install postgresql"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    env = dict(os.environ)
    env.pop("PGPORT", None)
    out = subprocess.run(["bash", str(ROOT / "scripts/pg-throwaway"), "start"], capture_output=True, text=True,
                         check=True, env=env, timeout=120).stdout
    exports = dict(line.removeprefix("export ").split("=", 1) for line in out.splitlines() if line.startswith("export"))
    data, url = exports["PGDATA"], exports["IDEA4GOV_TEST_DATABASE_URL"]
    try:
        yield data, url
    finally:
        subprocess.run(["bash", str(ROOT / "scripts/pg-throwaway"), "stop", data], check=False, timeout=120)


def _pg_ctl(data: str, *args: str) -> None:
    bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
    subprocess.run(_as_owner([str(bindir / "pg_ctl"), "-D", data, *args]), check=True, capture_output=True,
                   timeout=120)


@pytest.mark.slow
def test_app_recovers_by_itself_after_postgresql_restarts(second_postgres, caplog):
    data, url = second_postgres
    port = sa.engine.make_url(url).port
    app = _app(url)
    _seed(app)
    client = app.test_client()
    try:
        for _ in range(5):  # warm the pool: these connections die with the server
            assert client.get("/areas/saensuk").status_code == 200
        _pg_ctl(data, "-m", "fast", "-w", "stop")
        with caplog.at_level(logging.ERROR):
            during = [client.get(f"/areas/saensuk?page={n}") for n in (2, 3, 4)] + [client.get("/api/v1/areas")]
            # A page the process already holds (idea4gov.pagecache) is still served while the database is away.
            cached = client.get("/areas/saensuk")
        assert [r.status_code for r in during] == [503] * 4
        assert cached.status_code == 200
        assert "ฐานข้อมูลไม่พร้อมให้บริการชั่วคราว" in during[0].get_data(as_text=True)
        _pg_ctl(data, "-w", "-l", f"{data}/server.log", "-o",
                f"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c fsync=off", "start")
        back = time.monotonic()
        statuses = []
        while time.monotonic() - back < 10:
            response = client.get("/areas/saensuk")
            statuses.append(response.status_code)
            if response.status_code == 200:
                break
            time.sleep(0.2)
        recovered_in = time.monotonic() - back
        assert statuses[-1] == 200, statuses
        assert set(statuses) <= {200, 503}, "never a 500"
        assert recovered_in < 10
        # Every pooled connection from before the restart is replaced, not served broken.
        assert all(client.get("/areas/saensuk").status_code == 200 for _ in range(10))
    finally:
        _dispose(app)


def test_a_driver_error_from_a_lost_connection_is_503_and_others_stay_500(sqlite_file, caplog):
    app = _app(f"sqlite:///{sqlite_file}")

    @app.get("/lost")
    def lost():
        raise sa.exc.DatabaseError("SELECT 1", {}, Exception("server closed the connection"),
                                   connection_invalidated=True)

    @app.get("/broken-query")
    def broken_query():
        raise sa.exc.ProgrammingError("SELECT nope", {}, Exception("syntax error"))

    client = app.test_client()
    with caplog.at_level(logging.ERROR):
        assert client.get("/lost").status_code == 503
        response = client.get("/broken-query")
    assert response.status_code == 500 and "Traceback" not in response.get_data(as_text=True)
    assert any(r.exc_info for r in caplog.records if "Unhandled error on GET /broken-query" in r.getMessage())
    _dispose(app)
