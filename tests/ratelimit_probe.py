"""One "app server" for tests/test_ratelimit.py: tries to log in N times, prints the statuses.

Run as a separate process so two of them share nothing but the Redis server they count in.
    python tests/ratelimit_probe.py SQLITE_PATH REDIS_URL ATTEMPTS
"""
from __future__ import annotations

import sys

from config import TestingConfig
from idea4gov import create_app
from idea4gov.extensions import db


class ProbeConfig(TestingConfig):
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{sys.argv[1]}"
    REDIS_URL = sys.argv[2]
    RATELIMIT_LOGIN = "3 per hour"
    WTF_CSRF_ENABLED = False


app = create_app(ProbeConfig)
with app.app_context():
    db.create_all()
client = app.test_client()
statuses = [
    client.post("/auth/login", data={"email": "nobody@example.org", "password": "wrong-password"}).status_code
    for _ in range(int(sys.argv[3]))
]
print(" ".join(map(str, statuses)))
