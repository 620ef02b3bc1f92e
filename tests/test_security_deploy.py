"""Deployment: production config refuses to start without secrets, cookies and security
headers, and a real gunicorn started from gunicorn.conf.py."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from config import ProductionConfig
from idea4gov import create_app
from idea4gov.places.tiles import DEFAULT_TILE_URL
from idea4gov.security import CONTENT_SECURITY_POLICY, content_security_policy
from tests.redis_support import redis_server, redis_url  # noqa: F401  (fixtures: a real Redis)

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = "https://idea4gov.example.go.th"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "PUBLIC_BASE_URL"])
def test_production_refuses_to_start_without_secret_database_and_public_address(monkeypatch, missing):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/never-opened.sqlite3")
    monkeypatch.setenv("PUBLIC_BASE_URL", PUBLIC)
    monkeypatch.delenv(missing)
    with pytest.raises(RuntimeError, match=missing):
        create_app(ProductionConfig)
    monkeypatch.setenv(missing, "")
    with pytest.raises(RuntimeError, match=missing):
        create_app(ProductionConfig)


@pytest.mark.parametrize("value", ["idea4gov.example.go.th", "ftp://idea4gov.example.go.th", "https://",
                                   "https://x.example/?q=1", "https://user:pw@x.example"])
def test_production_refuses_a_public_address_that_is_no_web_address(monkeypatch, value):
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/never-opened.sqlite3")
    monkeypatch.setenv("PUBLIC_BASE_URL", value)
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL must look like https://"):
        create_app(ProductionConfig)


def test_wsgi_in_production_refuses_without_secret():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    env["IDEA4GOV_ENV"] = "production"
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "ProductionConfig needs SECRET_KEY, DATABASE_URL" in result.stderr


@pytest.fixture(autouse=True)
def _keep_the_limiter(other_app):
    """Production apps built here point the process-wide limiter at Redis; the next test gets it back."""


def _production_app(monkeypatch, tmp_path, trusted_proxies: int = 0, **environ):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-for-tests")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    monkeypatch.setenv("PUBLIC_BASE_URL", PUBLIC)
    # The limiter's store must be shared in production; it is never reached in these tests.
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:1/0")
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    config = ProductionConfig()
    config.TRUSTED_PROXIES = trusted_proxies  # read when config.py is imported, as in a real start
    app = create_app(config)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    return app


def test_production_cookies_are_secure_httponly_lax(monkeypatch, tmp_path, make_user):
    app = _production_app(monkeypatch, tmp_path)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["REMEMBER_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/auth/login", base_url=PUBLIC)
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    from idea4gov.extensions import db

    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("url", ["/", "/auth/login", "/api/v1/areas", "/no-such-page", "/static/css/app.css",
                                 "/privacy"])
def test_security_headers_on_every_kind_of_response(client, url):
    response = client.get(url)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # development and tests run on plain HTTP
    response.close()  # a static file response holds the file open


def test_templates_hold_no_inline_script_style_or_handlers():
    import re

    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\sstyle=", r"\son[a-z]+=", r"javascript:", r"<style"):
            offenders += [(path.name, m.group(0)) for m in re.finditer(pattern, text, re.IGNORECASE)]
    assert offenders == []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
@pytest.mark.live
def test_gunicorn_serves_the_app_with_the_production_config(tmp_path, redis_url):  # noqa: F811
    gunicorn = Path(sys.executable).with_name("gunicorn")
    port = _free_port()
    db_url = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    env = dict(os.environ, IDEA4GOV_ENV="production", SECRET_KEY="x" * 40, DATABASE_URL=db_url, MAP_TILE_URL=DEFAULT_TILE_URL,
               PUBLIC_BASE_URL=f"http://127.0.0.1:{port}", REDIS_URL=redis_url,
               GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2", GUNICORN_ACCESS_LOG="-")
    env.pop("FLASK_APP", None)
    flask = Path(sys.executable).with_name("flask")
    subprocess.run([str(flask), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        # Workers warm up (tokenizer, catalogues, indexes) before answering: on a loaded 2-core
        # machine that alone took over 20 s, so the wait is generous; a crash ends it at once.
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
                    headers, status = response.headers, response.status
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert status == 200
        # Production shows OpenStreetMap's tiles by default: the policy allows that host, for images only.
        assert headers["Content-Security-Policy"] == content_security_policy(DEFAULT_TILE_URL)
        assert "img-src 'self' data: https://tile.openstreetmap.org;" in headers["Content-Security-Policy"]
        assert headers["Strict-Transport-Security"].startswith("max-age=")
        assert "Secure" in headers["Set-Cookie"] and "HttpOnly" in headers["Set-Cookie"]
        # gunicorn names itself without a version (Werkzeug's development server names both
        # its own and Python's: documented in SECURITY.md, and never used in production).
        assert headers["Server"] == "gunicorn"
        # Another Host header is refused before the app runs.
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": "evil.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 400
        refused.value.close()
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=60)
    assert server.returncode == 0, output
    assert "Booting worker" in output and output.count("Booting worker") >= 2
    assert '"GET / HTTP/1.1" 200' in output  # the access log
    assert "Shutting down: Master" in output


# --- the Host header --------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["evil.example", "idea4gov.example.go.th.evil.example", "localhost", "127.0.0.1"])
def test_production_answers_only_its_own_host(monkeypatch, tmp_path, host):
    app = _production_app(monkeypatch, tmp_path, TRUSTED_HOSTS="10.0.0.5")
    client = app.test_client()
    for url in ("/", "/api/v1/areas", "/areas/saensuk/export.csv", "/auth/login"):
        response = client.get(url, headers={"Host": host})
        assert response.status_code == 400, (host, url)
        assert "Bad Request: unknown host" in response.get_data(as_text=True)
    assert client.get("/privacy", base_url=PUBLIC).status_code == 200
    assert client.get("/privacy", headers={"Host": "10.0.0.5:8000"}).status_code == 200  # e.g. the health check
    from idea4gov.extensions import db

    with app.app_context():
        db.engine.dispose()


def test_production_refuses_a_forwarded_host_from_the_trusted_proxy(monkeypatch, tmp_path):
    app = _production_app(monkeypatch, tmp_path, trusted_proxies=1)
    response = app.test_client().get("/privacy", base_url=PUBLIC, headers={"X-Forwarded-Host": "evil.example"})
    assert response.status_code == 400
    assert app.test_client().get("/privacy", base_url=PUBLIC).status_code == 200
    from idea4gov.extensions import db

    with app.app_context():
        db.engine.dispose()
