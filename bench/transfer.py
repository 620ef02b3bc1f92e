#!/usr/bin/env python3
"""What a phone downloads: transfer size and request count of the main pages, first and repeat visit.

    .venv/bin/python bench/transfer.py

Builds a throw-away SQLite database with the demo (`flask seed demo`: three pilot areas), then
for each main page, as an anonymous visitor and as a signed-in resident, fetches the HTML and
what it links to — style sheets, scripts, and the fonts a browser would fetch (each @font-face
whose unicode-range the page's text uses, in the weights the page uses) — and reports bytes as
sent over a compressing proxy (gzip -6 for HTML, CSS and JS; WOFF2 as is) and requests:

* first visit: everything;
* repeat visit: what the cache headers make the browser ask again: files served `immutable`
  with a year's max-age are not asked at all; the HTML is downloaded again (counted in full,
  the worst case: unchanged it is a 304 with no body).

`measure()` is shared with tests/test_transfer_budget.py, which asserts the budget.
"""
from __future__ import annotations

import gzip
import html
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

#: The budget asserted by tests/test_transfer_budget.py (the area page, anonymous, bytes).
FIRST_VISIT_BUDGET = 150 * 1024
REPEAT_VISIT_BUDGET = 30 * 1024

_LINKS = re.compile(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"|<script[^>]+src="([^"]+)"')
_FACE = re.compile(r"@font-face\s*{([^}]*)}", re.S)
_BOLD = re.compile(r"<(h1|h2|h3|strong|b|th)[\s>]")


@dataclass
class Transfer:
    path: str
    first_bytes: int = 0
    first_requests: int = 0
    repeat_bytes: int = 0
    repeat_requests: int = 0
    parts: list[tuple[str, int, bool]] = field(default_factory=list)  # (url, bytes, kept by the browser)


def _compressed(data: bytes, mimetype: str) -> int:
    if mimetype.startswith(("text/", "application/javascript", "application/json", "image/svg")):
        return len(gzip.compress(data, 6))
    return len(data)


def _kept(response) -> bool:  # noqa: ANN001
    control = response.headers.get("Cache-Control", "")
    match = re.search(r"max-age=(\d+)", control)
    return "immutable" in control and match is not None and int(match.group(1)) >= 86400


def _ranges(text: str) -> list[tuple[int, int]]:
    out = []
    for part in text.split(","):
        part = part.strip().upper().removeprefix("U+")
        low, _sep, high = part.partition("-")
        out.append((int(low, 16), int(high or low, 16)))
    return out


def _fonts(css: str, css_url: str, page_text: str, bold: bool) -> list[str]:
    """The font files a browser fetches for this page: faces whose range its text uses."""
    used = {ord(ch) for ch in page_text}
    urls = []
    for block in _FACE.findall(css):
        weight = int(re.search(r"font-weight:\s*(\d+)", block).group(1))
        if weight >= 600 and not bold:
            continue
        src = re.search(r"url\(([^)]+)\)", block).group(1).strip("'\"")
        found = re.search(r"unicode-range:\s*([^;]+);", block)
        if found is None or any(low <= cp <= high for cp in used for low, high in _ranges(found.group(1))):
            urls.append(urljoin(css_url, src))
    return urls


def _get(client, url: str):  # noqa: ANN001
    parts = urlsplit(url)
    response = client.get(parts.path, query_string=parts.query)
    data = response.get_data()
    response.close()
    return response, data


def measure(client, path: str) -> Transfer:  # noqa: ANN001
    """First and repeat visit of one page through this (test) client."""
    result = Transfer(path)
    response, body = _get(client, path)
    assert response.status_code == 200, (path, response.status_code)
    page = body.decode("utf-8")
    html_bytes = _compressed(body, response.mimetype)
    result.parts.append((path, html_bytes, False))
    text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)))
    bold = bool(_BOLD.search(page))
    for css, script in _LINKS.findall(page):
        url = html.unescape(css or script)
        asset, data = _get(client, url)
        assert asset.status_code == 200, (url, asset.status_code)
        result.parts.append((url, _compressed(data, asset.mimetype), _kept(asset)))
        if css:
            for font_url in _fonts(data.decode("utf-8"), url, text, bold):
                font, font_data = _get(client, font_url)
                assert font.status_code == 200, (font_url, font.status_code)
                result.parts.append((font_url, len(font_data), _kept(font)))
    result.first_bytes = sum(size for _url, size, _kept_ in result.parts)
    result.first_requests = len(result.parts)
    repeat = [(url, size) for url, size, kept in result.parts if not kept]
    result.repeat_bytes = sum(size for _url, size in repeat)
    result.repeat_requests = len(repeat)
    return result


def main() -> None:
    from flask_migrate import upgrade

    from config import TestingConfig
    from idea4gov import create_app

    workdir = tempfile.mkdtemp(prefix="idea4gov-transfer-")

    class BenchConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{workdir}/transfer.sqlite3"

    try:
        app = create_app(BenchConfig)
        with app.app_context():
            upgrade()
            result = app.test_cli_runner().invoke(args=["seed", "demo", "--password", "transfer-bench-2569"])
            assert result.exit_code == 0, result.output
            import sqlalchemy as sa

            from idea4gov.extensions import db
            from idea4gov.ideas.models import Idea

            idea_id = db.session.scalar(sa.select(Idea.id).order_by(Idea.vote_count.desc()))
            email = "somchai@example.org"
        pages = ["/", "/areas/saensuk", f"/ideas/{idea_id}", "/areas/saensuk?lang=en", "/auth/login", "/privacy"]
        print(f"{'page':<28}{'who':<10}{'first KB':>9}{'req':>5}{'repeat KB':>11}{'req':>5}")
        anonymous = app.test_client()
        resident = app.test_client()
        login = resident.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
        resident.post("/auth/login", data={"email": email, "password": "transfer-bench-2569", "csrf_token": token})
        for path in pages:
            for who, client in (("anonymous", anonymous), ("resident", resident)):
                if path == "/auth/login" and who == "resident":
                    continue
                t = measure(client, path)
                print(f"{path:<28}{who:<10}{t.first_bytes / 1024:>9.1f}{t.first_requests:>5}"
                      f"{t.repeat_bytes / 1024:>11.1f}{t.repeat_requests:>5}")
        area = measure(app.test_client(), "/areas/saensuk")
        print("\narea page, anonymous, first visit:")
        for url, size, kept in area.parts:
            print(f"  {size / 1024:7.1f} KB  {'kept a year' if kept else 'asked again':<12} {url}")
        verdict = area.first_bytes <= FIRST_VISIT_BUDGET and area.repeat_bytes <= REPEAT_VISIT_BUDGET
        print(f"summary: area page first visit {area.first_bytes / 1024:.1f} KB in {area.first_requests} requests "
              f"(budget {FIRST_VISIT_BUDGET // 1024} KB), repeat {area.repeat_bytes / 1024:.1f} KB in "
              f"{area.repeat_requests} (budget {REPEAT_VISIT_BUDGET // 1024} KB): {'PASS' if verdict else 'FAIL'}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
