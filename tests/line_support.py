"""A stand-in for the LINE Messaging API on loopback: records what line-bot-sdk sends and checks it.

`LINE_API_BASE_URL` points the SDK here. Each push is checked as LINE would: the path
`/v2/bot/message/push`, `Authorization: Bearer <channel access token>`, a JSON body with `to` and
text `messages`, an `X-Line-Retry-Key` that is a UUID. The stand-in can be told to fail the next
requests (`fail_next`) to exercise the outbox's retries.
"""
from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

TOKEN = "test-channel-access-token-" + "x" * 20


class LineApi:
    def __init__(self) -> None:
        self.pushes: list[dict] = []
        self.problems: list[str] = []
        self.fail_next: list[int] = []
        self.seen_retry_keys: set[str] = set()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # noqa: ANN002
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, answer = api.handle(self.path, dict(self.headers), raw)
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def handle(self, path: str, headers: dict, raw: bytes) -> tuple[int, dict]:
        headers = {key.lower(): value for key, value in headers.items()}
        problems = []
        if path != "/v2/bot/message/push":
            problems.append(f"path {path}")
        if headers.get("authorization") != f"Bearer {TOKEN}":
            problems.append(f"authorization {headers.get('authorization')!r}")
        if not headers.get("content-type", "").startswith("application/json"):
            problems.append(f"content-type {headers.get('content-type')!r}")
        retry_key = headers.get("x-line-retry-key", "")
        try:
            uuid.UUID(retry_key)
        except ValueError:
            problems.append(f"retry key {retry_key!r}")
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
            problems.append("body is not JSON")
        if body is not None:
            messages = body.get("messages")
            if not isinstance(body.get("to"), str) or not messages or not all(
                    m.get("type") == "text" and isinstance(m.get("text"), str) and 0 < len(m["text"]) <= 5000
                    for m in messages):
                problems.append(f"body {body!r}")
        if problems:
            self.problems.extend(problems)
            return 400, {"message": "; ".join(problems)}
        if self.fail_next:
            return self.fail_next.pop(0), {"message": "The stand-in was told to fail"}
        if retry_key in self.seen_retry_keys:
            return 409, {"message": "The retry key is already accepted"}
        self.seen_retry_keys.add(retry_key)
        self.pushes.append({"to": body["to"], "text": body["messages"][0]["text"], "retry_key": retry_key})
        return 200, {"sentMessages": [{"id": str(len(self.pushes)), "quoteToken": "q"}]}

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.server.server_close()


@pytest.fixture(scope="session")
def line_api_server():
    api = LineApi()
    yield api
    api.stop()


@pytest.fixture()
def line_api(app, line_api_server):
    """The app sending LINE notices to the stand-in (a fresh record for each test)."""
    line_api_server.pushes.clear()
    line_api_server.problems.clear()
    line_api_server.fail_next.clear()
    saved = {key: app.config.get(key) for key in ("LINE_CHANNEL_ACCESS_TOKEN", "LINE_API_BASE_URL")}
    app.config.update(LINE_CHANNEL_ACCESS_TOKEN=TOKEN, LINE_API_BASE_URL=line_api_server.url)
    yield line_api_server
    app.config.update(saved)
    assert line_api_server.problems == [], line_api_server.problems
