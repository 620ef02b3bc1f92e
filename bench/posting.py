#!/usr/bin/env python3
"""In-process benchmark: what posting a new idea costs the request, as a ratio to a vote timed in
the same run (issue 18 point 7: a new idea's p50 <= 2x a vote's p50).

    .venv/bin/python bench/posting.py [--root PATH] [--ideas 10000] [--votes 100000] [--repeat 60]

Builds the throw-away SQLite area of bench/web.py (--ideas ideas, --votes votes), warms the
area's similarity index as a started worker has it, then times through the API (Flask test
client, Bearer tokens, no network): a new idea (POST /api/v1/areas/bench/ideas, a different
resident and text each time) and a vote (PUT /api/v1/ideas/<id>/vote, a fresh resident and idea
each time). Without Redis, as `make run`: work left for after the response (the placement job,
this process's index append) runs when the response is closed, outside the request's sample; it
is timed too ("after the answer"). --root imports the app from another tree (a clean export of
an older commit) with this same script, so two versions compare in one command:

    for root in /tmp/main-export .; do .venv/bin/python bench/posting.py --root $root; done
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=HERE.parent, help="the project tree to import (default: this one)")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--votes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    import web  # noqa: F401  (puts this tree on sys.path: the one asked for goes before it)
    from benchdata import DEFAULT_DATA, load_texts, percentile
    from web import build

    sys.path.insert(0, str(args.root.resolve()))
    from flask_migrate import upgrade

    import idea4gov
    from config import TestingConfig
    from idea4gov import create_app

    if Path(idea4gov.__file__).resolve().parent.parent != args.root.resolve():
        raise SystemExit(f"imported {idea4gov.__file__}, not the tree in --root")

    workdir = tempfile.mkdtemp(prefix="idea4gov-bench-posting-")

    class BenchConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{workdir}/bench.sqlite3"
        WTF_CSRF_ENABLED = False
        CACHE_TYPE = "SimpleCache"
        BACKGROUND_AFTER_RESPONSE = True  # as `make run`: after the answer, not inside the request

    try:
        app = create_app(BenchConfig)
        texts = load_texts(args.data or DEFAULT_DATA)
        with app.app_context():
            upgrade()
            build(app, texts, args.ideas, args.votes)
            secrets, idea_ids = _tokens_and_ideas(args.repeat * 2 + 10)
        from idea4gov.ideas import similar

        with app.app_context():
            similar.warm(app)  # what every gunicorn worker does before it takes requests
        client = app.test_client()
        counter = iter(range(10**9))

        def new_idea():
            n = next(counter)
            text = texts[(n * 7919) % len(texts)]
            return client.post("/api/v1/areas/bench/ideas", headers={"Authorization": f"Bearer {secrets[n % len(secrets)]}"},
                               json={"title": f"ข้อเสนอทดสอบความเร็ว หมายเลข {n}", "body": f"{text} (หมายเลข {n})"})

        votes = iter(range(10**9))

        def vote():
            n = next(votes)
            return client.put(f"/api/v1/ideas/{idea_ids[n]}/vote",
                              headers={"Authorization": f"Bearer {secrets[n % len(secrets)]}"})

        def timed(call) -> tuple[list[float], list[float], list[float]]:
            """(request ms, its CPU ms, after-the-answer ms) per sample."""
            for _ in range(3):
                call().close()
            wall, cpu, after = [], [], []
            for _ in range(args.repeat):
                start, start_cpu = time.perf_counter(), time.thread_time()
                response = call()
                wall.append((time.perf_counter() - start) * 1000)
                cpu.append((time.thread_time() - start_cpu) * 1000)
                if response.status_code >= 400:
                    raise SystemExit(f"{response.request.path} answered {response.status_code}: {response.get_data()[:300]}")
                start = time.perf_counter()
                response.close()  # the server has sent it: work left for after the answer runs now
                after.append((time.perf_counter() - start) * 1000)
            return wall, cpu, after

        # Interleaved rounds: both kinds see the same machine load.
        rounds = {"vote": ([], [], []), "new idea": ([], [], [])}
        per_round = max(args.repeat // 4, 5)
        repeat, args.repeat = args.repeat, per_round
        for _ in range(max(repeat // per_round, 1)):
            for name, call in (("vote", vote), ("new idea", new_idea)):
                for into, got in zip(rounds[name], timed(call), strict=True):
                    into.extend(got)
        print(f"# {args.root.resolve()}: {args.ideas} ideas, {args.votes} votes, {len(rounds['vote'][0])} samples each")
        print(f"{'request':<12}{'p50 ms':>9}{'p95 ms':>9}{'CPU p50':>9}{'after answer p50':>18}")
        for name, (wall, cpu, after) in rounds.items():
            print(f"{name:<12}{statistics.median(wall):>9.2f}{percentile(wall, .95):>9.2f}"
                  f"{statistics.median(cpu):>9.2f}{statistics.median(after):>18.2f}")
        ratio = statistics.median(rounds["new idea"][0]) / statistics.median(rounds["vote"][0])
        cpu_ratio = statistics.median(rounds["new idea"][1]) / statistics.median(rounds["vote"][1])
        print(f"summary: new idea p50 = {ratio:.1f}x a vote's p50 (CPU {cpu_ratio:.1f}x) (target <= 2x): "
              f"{'PASS' if ratio <= 2 else 'FAIL'}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _tokens_and_ideas(n: int) -> tuple[list[str], list[int]]:
    """Personal API tokens of n new residents (no votes yet), and n ideas: every vote a fresh pair."""
    import sqlalchemy as sa

    from idea4gov.account.tokens import create_token
    from idea4gov.auth.models import User
    from idea4gov.extensions import db
    from idea4gov.ideas.models import Idea
    from idea4gov.timeutil import utcnow

    users = [User(email=f"bench-post{i}@example.org", display_name=f"ผู้ทดสอบโพสต์ {i}", password_hash="!",
                  role="resident", pdpa_consent_at=utcnow()) for i in range(n)]
    db.session.add_all(users)
    db.session.flush()
    secrets = [create_token(user, "bench")[1] for user in users]
    db.session.commit()
    return secrets, list(db.session.scalars(sa.select(Idea.id).order_by(Idea.id).limit(n)))


if __name__ == "__main__":
    main()
