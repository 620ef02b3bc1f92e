#!/usr/bin/env python3
"""Time and peak memory of the open-data exports at 10,000 ideas, streamed vs. materialised.

    .venv/bin/python bench/export.py [--data ../shared/data/traffy-bangkok-dev.csv] [--ideas 10000]

Builds a throw-away SQLite database (migrated like production) with one area of --ideas
published ideas (real Thai text from --data, read by path and cycled; synthetic Thai if
absent), then measures in the same run:
  - GET /areas/bench/export.csv and .json through the app (test client, response consumed
    chunk by chunk and thrown away, as a client writing to disk would);
  - a baseline that loads every idea as an ORM object and builds the whole file in memory.
Time is the median of --repeat untraced runs; peak memory is Python's tracemalloc peak
during one more run (allocations, not RSS).
"""
from __future__ import annotations

import argparse
import atexit
import csv
import io
import json
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")

from benchdata import DEFAULT_DATA, load_texts  # noqa: E402


def build(texts: list[str], n_ideas: int) -> None:
    import sqlalchemy as sa

    from idea4gov.areas.models import Area, Theme
    from idea4gov.auth.models import User
    from idea4gov.extensions import db
    from idea4gov.ideas.models import Idea
    from idea4gov.timeutil import utcnow

    area = Area(slug="bench", name_th="พื้นที่ทดสอบการส่งออก", name_en="Export benchmark")
    area.themes.append(Theme(slug="general", title_th="ทั่วไป", title_en="General"))
    db.session.add(area)
    now = utcnow()
    db.session.add(User(email="bench@example.org", display_name="ผู้ทดสอบ", password_hash="!", pdpa_consent_at=now))
    db.session.flush()
    author_id = db.session.scalar(sa.select(User.id))
    rows = [{
        "area_id": area.id, "theme_id": area.themes[0].id, "author_id": author_id,
        "title": (texts[i % len(texts)][:60] + f" #{i}").strip(), "body": texts[i % len(texts)],
        "search_tokens": "", "visibility": "published", "status": "received", "vote_count": i % 50,
        "comment_count": 0, "created_at": now - timedelta(minutes=i), "updated_at": now,
    } for i in range(n_ideas)]
    db.session.execute(sa.insert(Idea), rows)
    db.session.commit()


def measure(call, repeat: int) -> tuple[float, float, int]:
    """(median seconds without tracing, peak MiB with tracemalloc, bytes produced) of a call."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        size = call()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    tracemalloc.reset_peak()
    call()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return sorted(times)[len(times) // 2], peak / 2**20, size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per case (the median is shown)")
    args = parser.parse_args(argv)

    from flask_migrate import upgrade

    from config import TestingConfig
    from idea4gov import create_app

    workdir = tempfile.mkdtemp(prefix="idea4gov-bench-export-")
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)

    class BenchConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{workdir}/bench.sqlite3"

    app = create_app(BenchConfig)
    with app.app_context():
        upgrade()
        t0 = time.perf_counter()
        build(load_texts(args.data), args.ideas)
        print(f"# built {args.ideas} published ideas in {time.perf_counter() - t0:.1f} s")

    client = app.test_client()

    def streamed(path: str):
        def call() -> int:
            response = client.get(path, buffered=False)
            assert response.status_code == 200 and response.is_streamed, path
            size = sum(len(chunk) for chunk in response.response)
            response.close()
            return size
        return call

    def materialised(fmt: str):
        """The naive way: every idea as an ORM object, the whole file built in memory."""
        def call() -> int:
            import sqlalchemy as sa

            from idea4gov.exports import plain_text
            from idea4gov.extensions import db
            from idea4gov.ideas.models import Idea

            with app.test_request_context():
                ideas = db.session.scalars(sa.select(Idea).where(Idea.visible()).order_by(Idea.id)).all()
                records = [{"id": i.id, "title": i.title, "body": plain_text(i.body), "theme": i.theme.slug,
                            "supporters": i.vote_count, "status": i.status.value, "group": i.group_id,
                            "created_at": i.created_at.isoformat(), "updated_at": i.updated_at.isoformat()}
                           for i in ideas]
                if fmt == "csv":
                    buffer = io.StringIO()
                    writer = csv.DictWriter(buffer, fieldnames=list(records[0]))
                    writer.writeheader()
                    writer.writerows(records)
                    body = ("\ufeff" + buffer.getvalue()).encode("utf-8")
                else:
                    body = json.dumps({"ideas": records}, ensure_ascii=False).encode("utf-8")
                db.session.remove()
                return len(body)
        return call

    cases = [
        ("csv streamed", streamed("/areas/bench/export.csv")),
        ("csv materialised", materialised("csv")),
        ("json streamed", streamed("/areas/bench/export.json")),
        ("json materialised", materialised("json")),
    ]
    for _name, call in cases:  # warm-up: imports, templates, SQLite page cache
        call()
    print(f"{'export':<20}{'seconds':>9}{'peak MiB':>10}{'MiB out':>9}")
    results = {}
    for name, call in cases:
        seconds, peak, size = measure(call, args.repeat)
        results[name] = (seconds, peak)
        print(f"{name:<20}{seconds:>9.2f}{peak:>10.1f}{size / 2**20:>9.1f}")
    for fmt in ("csv", "json"):
        s_sec, s_peak = results[f"{fmt} streamed"]
        m_sec, m_peak = results[f"{fmt} materialised"]
        print(f"summary: {fmt} at {args.ideas} ideas: streamed peak {s_peak:.1f} MiB vs materialised "
              f"{m_peak:.1f} MiB ({m_peak / s_peak:.0f}x less), time {s_sec:.2f} s vs {m_sec:.2f} s")


if __name__ == "__main__":
    main()
