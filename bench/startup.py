#!/usr/bin/env python3
"""The first requests after a start: as fast as the later ones? (issue 18 point 7)

    .venv/bin/python bench/startup.py [--later 10]

Seeds the demo into a throw-away SQLite database, then starts the app as `make run` does
(`flask run`, a fresh process) twice — without and with the start-up warm-up
(IDEA4GOV_WARM_UP=1: tokenizer, catalogues, templates and every area's similarity index) —
and times, in each, the first request of each kind and the median of the next --later ones
(each with different words, so no cache helps): the similar-ideas API the new-idea form calls
while a resident types, a Thai search of an area, an area page, and posting a new idea through
the API (a different resident each time). Also prints how long the process took to start
answering. Ratios first / later are the figures to read.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORDS = ["ขยะริมหาด", "ถังขยะแยกประเภท", "ไฟถนนดับ", "ท่องเที่ยวชุมชน", "ผ้าไหมบ้านครัว", "ทางเท้าพัง", "เรือนำเที่ยว",
         "น้ำท่วมขัง", "ที่จอดรถ", "ตลาดน้ำ", "สวนสาธารณะ", "จักรยาน", "ป้ายรถเมล์"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str) -> float:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}")
    return (time.perf_counter() - started) * 1000


def post(port: int, path: str, body: dict, token: str) -> float:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("POST", path, body=json.dumps(body).encode(),
                  headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    if response.status != 201:
        raise SystemExit(f"{path} answered {response.status}: {data[:300]!r}")
    return (time.perf_counter() - started) * 1000


#: Run in the seeded database before the servers start: residents with API tokens, and an area
#: that takes new ideas now.
_POSTERS = """
import sys
import sqlalchemy as sa
from idea4gov import create_app
from idea4gov.account.tokens import create_token
from idea4gov.areas import rounds
from idea4gov.areas.models import Area
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.timeutil import utcnow

app = create_app()
with app.app_context(), app.test_request_context():
    users = [User(email=f"startup{n}@example.org", display_name=f"ผู้ทดสอบ {n}", password_hash="!",
                  pdpa_consent_at=utcnow()) for n in range(int(sys.argv[1]))]
    db.session.add_all(users)
    db.session.flush()
    secrets = [create_token(user, "startup bench")[1] for user in users]
    area = next(area for area in db.session.scalars(sa.select(Area).order_by(Area.id))
                if area.is_open and not area.is_archived and rounds.area_rounds(area).accepting(area.themes))
    db.session.commit()
    print(area.slug, *secrets)
"""


def posters(env: dict[str, str], count: int) -> tuple[str, list[str]]:
    out = subprocess.run([sys.executable, "-c", _POSTERS, str(count)], cwd=ROOT, env=dict(env, PYTHONPATH=str(ROOT)),
                         check=True, capture_output=True, text=True).stdout.split()
    return out[0], out[1:]


def run(env: dict[str, str], warm: bool, later: int, slug: str, tokens: list[str]) -> dict[str, tuple[float, float]]:
    port = free_port()
    env = dict(env, IDEA4GOV_WARM_UP="1" if warm else "0")
    started = time.perf_counter()
    server = subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "run", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if server.poll() is not None or time.perf_counter() - started > 120:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.05)
        ready = (time.perf_counter() - started) * 1000
        kinds = {
            "similar API": lambda n: f"/api/v1/areas/saensuk/similar?text={quote(WORDS[n % len(WORDS)] + ' อยากให้เทศบาลช่วยดูแล')}",
            "area search": lambda n: f"/areas/huawiang?q={quote(WORDS[(n + 5) % len(WORDS)])}",
            "area page": lambda n: f"/areas/ratchathewi?sort={('top', 'new', 'trending')[n % 3]}&page={1 + n % 2}",
        }
        result = {"start (ms until it answers)": (ready, float("nan"))}
        for name, path in kinds.items():
            first = get(port, path(0))
            result[name] = (first, statistics.median(get(port, path(n)) for n in range(1, later + 1)))

        def new_idea(n: int) -> float:
            time.sleep(0.3)  # the previous one's work after its answer (placing it) is done by then
            return post(port, f"/api/v1/areas/{slug}/ideas", token=tokens[n], body={
                "title": f"ข้อเสนอหลังเริ่มระบบ {WORDS[n % len(WORDS)]} หมายเลข {n} ({int(warm)})",
                "body": f"อยากให้เทศบาลช่วยดูแลเรื่อง{WORDS[n % len(WORDS)]} ในชุมชนของเรา หมายเลข {n} ({int(warm)})"})

        result["new idea (API)"] = (new_idea(0), statistics.median(new_idea(n) for n in range(1, later + 1)))
        return result
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--later", type=int, default=10)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="idea4gov-startup-")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{workdir}/startup.sqlite3", PYTHAINLP_OFFLINE="1",
               IDEA4GOV_ENV="development", MAIL_BACKEND="none", RATELIMIT_IDEAS="1000 per minute")
    env.pop("REDIS_URL", None)
    try:
        for command in (["db", "upgrade"], ["seed", "demo"]):
            subprocess.run([str(BIN / "flask"), "--app", "wsgi", *command], cwd=ROOT, env=env, check=True,
                           capture_output=True)
        slug, tokens = posters(env, args.later + 1)
        print(f"{'':<30}{'first ms':>10}{'later p50':>11}{'first/later':>13}")
        for warm in (False, True):
            print(f"IDEA4GOV_WARM_UP={int(warm)}")
            for name, (first, later) in run(env, warm, args.later, slug, tokens).items():
                ratio = f"{first / later:>13.1f}" if later == later else ""
                later_text = f"{later:>11.1f}" if later == later else f"{'':>11}"
                print(f"  {name:<28}{first:>10.1f}{later_text}{ratio}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
