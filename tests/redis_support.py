"""A real Redis for the tests: IDEA4GOV_TEST_REDIS_URL (CI), or a private `redis-server`
started on a free loopback port. Without either a test skips locally; under CI=true that
skip is a failure (see conftest)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """The URL of a Redis server for this test session (database 0 is wiped by `redis_url`)."""
    url = os.environ.get("IDEA4GOV_TEST_REDIS_URL")
    if url:
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server not found: apt-get install redis-server (or set IDEA4GOV_TEST_REDIS_URL)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    from redis import Redis

    client = Redis(host="127.0.0.1", port=port)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except Exception:  # noqa: BLE001 - not listening yet
                time.sleep(0.05)
        else:
            pytest.fail("redis-server did not start")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture()
def redis_url(redis_server):
    """A wiped Redis database for one test."""
    from redis import Redis

    client = Redis.from_url(redis_server)
    client.flushdb()
    client.close()
    return redis_server
