"""Configuration classes; every value can be set from the environment."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _seconds(name: str, default: int) -> timedelta:
    return timedelta(seconds=int(os.environ.get(name) or default))


def _hosts(name: str) -> list[str] | None:
    hosts = [host.strip() for host in os.environ.get(name, "").split(",") if host.strip()]
    return hosts or None


class Config:
    """Defaults shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-change-me")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'idea4gov.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    #: Largest request body accepted (photos come later); larger gets 413.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 1024 * 1024))
    WTF_CSRF_TIME_LIMIT = None
    BABEL_DEFAULT_LOCALE = "th"
    BABEL_DEFAULT_TIMEZONE = "Asia/Bangkok"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = ("th", "en")
    IDEAS_PER_PAGE = 20
    API_MAX_PER_PAGE = 100
    #: Days of supporters counted by ?sort=trending.
    TRENDING_DAYS = 7
    #: Licence of the open data (/areas/<slug>/export.csv and .json): the JSON's "licence"
    #: field and the X-License header; the URL goes in the JSON and a Link rel="license" header.
    OPEN_DATA_LICENCE = os.environ.get("OPEN_DATA_LICENCE", "Creative Commons Attribution 4.0 International (CC BY 4.0)")
    OPEN_DATA_LICENCE_URL = os.environ.get("OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/")
    #: Public address of the site, for every absolute link (exports, API, e-mails; see
    #: `idea4gov.links`), never the request's Host. Required in production; when unset
    #: (development), http://127.0.0.1:5000, where `make run` serves.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
    #: Host names the app answers (comma-separated); any other Host header gets 400. Unset in
    #: development: any host. Production adds PUBLIC_BASE_URL's host to these.
    TRUSTED_HOSTS = _hosts("TRUSTED_HOSTS")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    #: A session ends this long after logging in, and its cookie is refused on the server that long
    #: after it was last written (default 12 hours); "remember me" extends it to REMEMBER_COOKIE_DURATION.
    PERMANENT_SESSION_LIFETIME = _seconds("PERMANENT_SESSION_LIFETIME", 12 * 3600)
    #: How long "remember me" keeps a person signed in (default 14 days), checked on the server too.
    REMEMBER_COOKIE_DURATION = _seconds("REMEMBER_COOKIE_DURATION", 14 * 24 * 3600)
    #: E-mail: `smtp` sends through MAIL_SERVER:MAIL_PORT, `log` only logs (development), `none` drops.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "log")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "idea4gov <no-reply@idea4gov.local>")
    #: Evidence photos are stored here (re-encoded, EXIF removed), served only through the app.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    #: Largest evidence photo, and how many one answer may carry.
    PHOTO_MAX_BYTES = 5 * 1024 * 1024
    PHOTOS_PER_ANSWER = 4
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    #: Strict-Transport-Security max-age in seconds; 0 sends no HSTS (production: two years).
    HSTS_SECONDS = 0
    #: Reverse proxies in front of the app (load balancer, nginx): trust this many
    #: X-Forwarded-For/-Proto/-Host hops so HTTPS and client addresses are seen. 0 = none.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))
    #: Redis shared by every app server (background jobs; rate limits). Unset = jobs off.
    REDIS_URL = os.environ.get("REDIS_URL") or None
    #: Where residents write about their personal data (the data controller's contact).
    PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "privacy@idea4gov.example")
    #: Seconds a client should wait before retrying when the database is unreachable (503).
    RETRY_AFTER_SECONDS = 10
    #: Load the tokenizer, catalogues, templates and similarity indexes while the process starts,
    #: so its first request is as fast as the next ones (gunicorn.conf.py and `make run` set it).
    WARM_UP = os.environ.get("IDEA4GOV_WARM_UP") == "1"
    #: Reuse rendered parts of public pages until their content changes (`idea4gov.pagecache`);
    #: versions are shared through REDIS_URL. PAGE_CACHE=0 turns it off.
    PAGE_CACHE = os.environ.get("PAGE_CACHE", "1") != "0"
    PAGE_CACHE_ENTRIES = int(os.environ.get("PAGE_CACHE_ENTRIES", 2000))
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 300))
    #: Seconds a shared cache (CDN, reverse proxy) may serve an anonymous public page before
    #: asking again (`idea4gov.httpcache`); the app answers that question with 304 when unchanged.
    PUBLIC_MAX_AGE = int(os.environ.get("PUBLIC_MAX_AGE", 30))


class DevelopmentConfig(Config):
    """`make run`: embedded SQLite under instance/."""


class TestingConfig(Config):
    """The test suite; `IDEA4GOV_TEST_DATABASE_URL` selects PostgreSQL."""

    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("IDEA4GOV_TEST_DATABASE_URL", "sqlite://")
    #: The test client's own address, so links read http://localhost/... as the tests expect.
    PUBLIC_BASE_URL = "http://localhost"
    TRUSTED_HOSTS = None
    #: Still scrypt, at a cost the suite can pay hundreds of times (production keeps the default).
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
    MAIL_BACKEND = "none"
    #: Background jobs off; tests that need Redis set it (IDEA4GOV_TEST_REDIS_URL in CI).
    REDIS_URL = None
    #: Suites post hundreds of forms from one address: limits are out of the way here, and
    #: tests/test_ratelimit.py sets each one it checks (the real defaults: idea4gov.ratelimit).
    RATELIMIT_IDEAS = RATELIMIT_COMMENTS = RATELIMIT_VOTES = RATELIMIT_REPORTS = "100000 per minute"
    RATELIMIT_LOGIN = RATELIMIT_LOGIN_ACCOUNT = RATELIMIT_REGISTER = "100000 per minute"
    #: Without Redis, background work (mail, photos) runs once the response is sent; the test
    #: client never "sends" it, so here it runs right after the commit (tests/test_outbox.py
    #: checks the after-response path itself).
    BACKGROUND_AFTER_RESPONSE = False
    #: Counts are read fresh in tests (tests/test_cache.py checks the cache itself).
    CACHE_TYPE = "NullCache"
    CACHE_NO_NULL_WARNING = True


class ProductionConfig(Config):
    """Refuses to start without a real secret, database and public address; rate limits need a
    shared store (Redis), checked in `idea4gov.ratelimit`."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", 2 * 365 * 24 * 3600))
    PREFERRED_URL_SCHEME = "https"
    #: Several gunicorn workers (and servers) must count in one place, or each counts alone.
    RATELIMIT_SHARED_STORAGE_REQUIRED = True
    #: Several app servers need REDIS_URL to see each other's changes: no page cache without it.
    PAGE_CACHE = Config.PAGE_CACHE and bool(os.environ.get("REDIS_URL"))

    def __init__(self) -> None:
        from idea4gov.links import check_base_url, trusted_hosts

        missing = [name for name in ("SECRET_KEY", "DATABASE_URL", "PUBLIC_BASE_URL") if not os.environ.get(name)]
        if missing:
            raise RuntimeError(f"ProductionConfig needs {', '.join(missing)} in the environment")
        self.SECRET_KEY = os.environ["SECRET_KEY"]
        self.SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]
        try:
            self.PUBLIC_BASE_URL = check_base_url(os.environ["PUBLIC_BASE_URL"])
        except ValueError as error:
            raise RuntimeError(str(error)) from None
        # Only the public host (and TRUSTED_HOSTS, e.g. the load balancer's health check) is
        # answered: a request with another Host header gets 400.
        self.TRUSTED_HOSTS = trusted_hosts(self.PUBLIC_BASE_URL, os.environ.get("TRUSTED_HOSTS", ""))


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
