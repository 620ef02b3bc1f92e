"""A short-lived cache for counts every visitor sees: in Redis when `REDIS_URL` is set, so
every app server shares it, else in the process (`SimpleCache`).

Only aggregates that may lag a little are cached (the idea counts on the home page and
per theme, `COUNTS_TTL` seconds); anything a person just changed is read from the database.
"""
from __future__ import annotations

from flask import Flask

from idea4gov.extensions import cache

#: Seconds the home page's and the themes' idea counts may lag behind new ideas.
COUNTS_TTL = 60


def init_app(app: Flask) -> None:
    if not app.config.get("CACHE_TYPE"):  # unset: chosen by REDIS_URL
        redis_url = app.config.get("REDIS_URL")
        app.config["CACHE_TYPE"] = "RedisCache" if redis_url else "SimpleCache"
        if redis_url:
            app.config.setdefault("CACHE_REDIS_URL", redis_url)
    app.config.setdefault("CACHE_KEY_PREFIX", "idea4gov:cache:")
    app.config.setdefault("CACHE_DEFAULT_TIMEOUT", COUNTS_TTL)
    cache.init_app(app)
