"""The counts every visitor sees are cached for a minute, in Redis when REDIS_URL is set."""
from __future__ import annotations

import re

import pytest

from config import TestingConfig
from idea4gov.extensions import cache, db
from tests.redis_support import redis_server, redis_url  # noqa: F401  (fixtures: a real Redis)


def _home_count(client, area) -> int:
    html = client.get("/").get_data(as_text=True)
    block = html[html.index(f'href="/areas/{area.slug}"'):]
    return int(re.search(r"(\d+)\s*ไอเดีย", block).group(1))


@pytest.fixture()
def cached_app(app, redis_url):  # noqa: F811
    """A second app on the same database with the Redis cache on (as in production)."""
    from idea4gov import create_app

    class RedisCached(TestingConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        REDIS_URL = redis_url
        CACHE_TYPE = None  # chosen by REDIS_URL, as in production
    other = create_app(RedisCached)
    yield other
    with other.app_context():
        cache.clear()
        db.engine.dispose()


def test_home_counts_come_from_redis_and_lag_at_most_the_ttl(cached_app, make_area, make_idea):
    import redis as redis_lib

    area = make_area()
    make_idea(area=area)
    client = cached_app.test_client()
    assert cached_app.config["CACHE_TYPE"] == "RedisCache"
    assert _home_count(client, area) == 1
    make_idea(area=area, title="ไอเดียที่สองเรื่องทางเดินริมหาด")
    assert _home_count(client, area) == 1  # served from the cache for up to COUNTS_TTL seconds
    server = redis_lib.Redis.from_url(cached_app.config["CACHE_REDIS_URL"])
    assert any(True for _ in server.scan_iter("idea4gov:cache:*"))
    with cached_app.app_context():
        cache.clear()
    assert _home_count(client, area) == 2


def test_without_redis_the_cache_lives_in_the_process():
    from config import DevelopmentConfig
    from idea4gov import create_app

    class NoRedis(DevelopmentConfig):
        REDIS_URL = None

    assert create_app(NoRedis).config["CACHE_TYPE"] == "SimpleCache"
