#!/usr/bin/env python3
"""Load and fault test: gunicorn (4 workers) on PostgreSQL under mixed traffic, then an audit
that no acknowledged vote was lost and none counted twice.

    .venv/bin/python bench/load.py [--seconds 60] [--clients 16] [--workers 4]
                                   [--database-url postgresql+psycopg://...] [--kill-worker]
                                   [--restart-postgres]
    .venv/bin/python bench/load.py --spike [--seconds 60] [--rate 20] [--spike-factor 10]

Without --database-url it starts a throw-away PostgreSQL cluster (scripts/pg-throwaway) and
removes it afterwards; without --redis-url (or --no-redis) a private redis-server, and one
`flask jobs worker`, as production runs (page-cache versions, jobs, rate limits). It migrates, seeds the three pilot areas (`flask seed demo`) plus
--ideas-per-area extra ideas and --users residents with personal API tokens, starts
`gunicorn -c gunicorn.conf.py wsgi:app` with IDEA4GOV_ENV=production, and runs concurrent
clients for --seconds with this mix:

    70 %  GET /areas/<slug>            (sort top/new/trending, page 1-3, some searches)
    20 %  GET /ideas/<id>
     8 %  PUT /api/v1/ideas/<id>/vote  (Bearer token; 3 in 4 a fresh (resident, idea) pair,
                                        1 in 4 repeats a pair already acknowledged: must not count again)
     2 %  POST /api/v1/areas/<slug>/ideas

It prints throughput, p50/p95/p99 per kind and every error, then audits the database:
  * vote rows added = acknowledged votes with "changed": true (each fresh pair used once),
  * every acknowledged (resident, idea) pair has its row (nothing acknowledged is lost),
  * sum(ideas.vote_count) = number of vote rows, idea by idea (nothing counted twice),
  * ideas added = acknowledged 201s.
A request whose outcome is unknown (connection cut by --kill-worker, 503 during
--restart-postgres) may or may not have been stored: the audit allows exactly that slack
and reports it. --kill-worker SIGKILLs one worker mid-run; --restart-postgres restarts
the cluster mid-run (`pg_ctl restart -m fast`) and reports how long until requests succeed
again and that outage requests were answered 503, not 500. Exit status 1 if an audit fails.

--spike: a push link sends everyone to an area page. Production topology: gunicorn, PostgreSQL,
a private Redis (page-cache versions, rate limits, jobs) and one `flask jobs worker`. Traffic is
paced (open loop, latency counted from when a request was due, so a slow server cannot hide
its queue): first --seconds of the normal mix at --rate requests/s (residents with tokens:
70 % area pages, 20 % idea pages, 8 % votes, 2 % new ideas), then --seconds of the same plus
--spike-factor times the normal area-page rate of anonymous area-page views (the pilot areas'
pages as linked, no cookie). It reports each phase's vote p50/p95 and their ratio (target
<= 3), errors (target 0), the audit (no acknowledged vote lost), and the throughput per core of
the anonymous area page and of a bare Flask route served by the same gunicorn workers
(bench/spike_wsgi.py), each measured for --probe-seconds with --probe-clients closed-loop clients.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchdata import percentile  # noqa: E402  (bench/ is on the path when run as a script)

os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
BIN = Path(sys.executable).parent
SEARCHES = ["ขยะ", "ชายหาด", "ท่องเที่ยว", "ผ้าไหม", "ไฟถนน", "ชุมชน"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- PostgreSQL and gunicorn ------------------------------------------------------------------

def start_postgres() -> tuple[str, str]:
    out = subprocess.run(["bash", str(ROOT / "scripts/pg-throwaway"), "start"], check=True, capture_output=True,
                         text=True).stdout
    exports = dict(line.removeprefix("export ").split("=", 1) for line in out.splitlines() if line.startswith("export"))
    return exports["PGDATA"], exports["IDEA4GOV_TEST_DATABASE_URL"]


def pg_ctl(pgdata: str, *args: str) -> None:
    """Run pg_ctl as the cluster's owner. The server it starts must not inherit our pipes
    (it would hold them open forever): its output goes to server.log."""
    bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
    command = [str(bindir / "pg_ctl"), "-D", pgdata, "-l", f"{pgdata}/server.log", *args]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=120)


def app_env(database_url: str, port: int, workers: int, redis_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ, IDEA4GOV_ENV="production", SECRET_KEY="bench-" + "x" * 40, DATABASE_URL=database_url,
               PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
               GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(workers), GUNICORN_ACCESS_LOG="/dev/null",
               GUNICORN_LOG_LEVEL="warning", GUNICORN_MAX_REQUESTS="0")
    env.pop("FLASK_APP", None)
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
        # The bench's 500 residents vote from one address: the per-account vote limit is what counts here.
        env.setdefault("RATELIMIT_VOTES", "100000 per minute")
    return env


def start_redis() -> tuple[subprocess.Popen, str, str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("--spike needs redis-server (apt-get install redis-server) or --redis-url")
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="idea4gov-load-redis-")
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", workdir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, f"redis://127.0.0.1:{port}/0", workdir
        except OSError:
            time.sleep(0.05)
    raise SystemExit("redis-server did not start")


def start_gunicorn(env: dict[str, str], port: int, log: Path, app: str = "wsgi:app") -> subprocess.Popen:
    handle = log.open("w")
    server = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--pythonpath", "bench", app],
                              cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 180  # each worker warms up before it answers (gunicorn.conf.py)
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"gunicorn did not start: see {log}")
        time.sleep(0.3)


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


# --- seeding ---------------------------------------------------------------------------------

@dataclass
class Seeded:
    areas: list[str]
    idea_areas: list[str]  # the areas that take new ideas now
    idea_ids: list[int]
    ideas_by_area: dict[str, list[int]]
    tokens: list[tuple[int, str]]  # (user id, secret)
    votes_before: int
    ideas_before: int


def seed(env: dict[str, str], ideas_per_area: int, users: int) -> Seeded:
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", "seed", "demo"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    os.environ.update({k: env[k] for k in ("IDEA4GOV_ENV", "SECRET_KEY", "DATABASE_URL", "PUBLIC_BASE_URL",
                                           "REDIS_URL", "RATELIMIT_STORAGE_URI") if k in env})
    import sqlalchemy as sa

    from idea4gov import create_app
    from idea4gov.account.tokens import create_token
    from idea4gov.areas import rounds
    from idea4gov.areas.models import Area
    from idea4gov.auth.models import User
    from idea4gov.extensions import db
    from idea4gov.ideas.models import Idea, Vote
    from idea4gov.timeutil import utcnow

    app = create_app()
    with app.app_context():
        areas = list(db.session.scalars(sa.select(Area).order_by(Area.id)))
        author = db.session.scalar(sa.select(User).order_by(User.id))
        for area in areas:
            demo = db.session.execute(sa.select(Idea.title, Idea.body, Idea.search_tokens, Idea.theme_id)
                                      .where(Idea.area_id == area.id)).all()
            extra = [
                {"area_id": area.id, "theme_id": row.theme_id, "author_id": author.id,
                 "title": f"{row.title[:140]} #{n}", "body": row.body, "search_tokens": row.search_tokens}
                for n, row in zip(range(ideas_per_area), (demo * (ideas_per_area // max(len(demo), 1) + 1)), strict=False)
            ]
            if extra:
                db.session.execute(sa.insert(Idea), extra)
        now = utcnow()
        db.session.execute(sa.insert(User), [
            {"email": f"bench{n}@example.org", "display_name": f"ผู้ทดสอบ {n}", "password_hash": "!",
             "pdpa_consent_at": now} for n in range(users)])
        db.session.commit()
        bench_users = list(db.session.scalars(sa.select(User).where(User.email.like("bench%@example.org"))))
        tokens = [(user.id, create_token(user, "load test")[1]) for user in bench_users]
        db.session.commit()
        ideas_by_area = {area.slug: list(db.session.scalars(sa.select(Idea.id).where(Idea.area_id == area.id)))
                         for area in areas}
        with app.test_request_context():
            # New ideas go where the demo takes them (some of its areas are closed, archived or between rounds).
            taking = [area.slug for area in areas if area.is_open and not area.is_archived
                      and rounds.area_rounds(area).accepting(area.themes)]
        result = Seeded(
            areas=[area.slug for area in areas],
            idea_areas=taking,
            idea_ids=[i for ids in ideas_by_area.values() for i in ids],
            ideas_by_area=ideas_by_area,
            tokens=tokens,
            votes_before=db.session.scalar(sa.select(sa.func.count()).select_from(Vote)),
            ideas_before=db.session.scalar(sa.select(sa.func.count()).select_from(Idea)),
        )
        db.engine.dispose()
    return result


# --- traffic ---------------------------------------------------------------------------------

@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    #: (time, kind, status or exception name) of every non-2xx answer or failed request.
    errors: list[tuple[float, str, str]] = field(default_factory=list)
    acked_pairs: set[tuple[int, int]] = field(default_factory=set)
    changed_votes: int = 0
    repeat_votes: int = 0
    repeat_changed: int = 0
    unknown_votes: int = 0
    ideas_created: int = 0
    unknown_ideas: int = 0
    successes: list[float] = field(default_factory=list)


class Traffic:
    def __init__(self, port: int, seeded: Seeded, stats: Stats, seed_value: int) -> None:
        self.port, self.seeded, self.stats = port, seeded, stats
        self.random = random.Random(seed_value)
        self.pairs = self._pairs()
        self.pairs_lock = threading.Lock()

    def _pairs(self):
        """Fresh (token index, idea id) pairs, each handed out once."""
        seen: set[tuple[int, int]] = set()
        rng = random.Random(7)
        while True:
            pair = (rng.randrange(len(self.seeded.tokens)), rng.choice(self.seeded.idea_ids))
            if pair not in seen:
                seen.add(pair)
                yield pair

    def request(self, method: str, path: str, body: dict | None = None, token: str | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Accept-Language": "th"}
        payload = None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            data = response.read()
            return response.status, data
        finally:
            conn.close()

    def one(self, rng: random.Random, kind: str | None = None, due: float | None = None) -> None:
        """One request of the mix (or of `kind`); latency counts from `due` (paced traffic)."""
        roll = rng.random()
        slug = rng.choice(self.seeded.areas)
        vote_pair = None
        if kind == "anonymous area page":
            args = ("GET", f"/areas/{slug}")  # the pushed link: no cookie, no token, no query
        elif kind == "bare":
            args = ("GET", "/_bare/ping")
        elif roll < 0.70:
            kind = "area page"
            query = f"?sort={rng.choice(['top', 'new', 'trending'])}&page={rng.randint(1, 3)}"
            if rng.random() < 0.15:
                query = f"?q={quote(rng.choice(SEARCHES))}"
            args = ("GET", f"/areas/{slug}{query}")
        elif roll < 0.90:
            kind = "idea page"
            args = ("GET", f"/ideas/{rng.choice(self.seeded.idea_ids)}")
        elif roll < 0.98:
            kind = "vote"
            with self.stats.lock:
                acked = list(self.stats.acked_pairs) if rng.random() < 0.25 else []
            if acked:
                vote_pair, repeat = rng.choice(acked), True
                token = self._token_of(vote_pair[0])
            else:
                with self.pairs_lock:
                    index, idea_id = next(self.pairs)
                user_id, token = self.seeded.tokens[index]
                vote_pair, repeat = (user_id, idea_id), False
            args = ("PUT", f"/api/v1/ideas/{vote_pair[1]}/vote", None, token)
        else:
            kind = "new idea"
            n = rng.randrange(10**9)
            body = {"title": f"ข้อเสนอจากการทดสอบโหลด หมายเลข {n}",
                    "body": f"รายละเอียดข้อเสนอทดสอบโหลด หมายเลข {n} อยากให้เทศบาลช่วยดูแลพื้นที่สาธารณะ"}
            args = ("POST", f"/api/v1/areas/{rng.choice(self.seeded.idea_areas)}/ideas", body,
                    rng.choice(self.seeded.tokens)[1])
        started = due if due is not None else time.monotonic()
        try:
            status, data = self.request(*args)
        except (OSError, http.client.HTTPException) as error:
            with self.stats.lock:
                self.stats.errors.append((started, kind, type(error).__name__))
                if kind == "vote" and not repeat:
                    self.stats.unknown_votes += 1
                elif kind == "new idea":
                    self.stats.unknown_ideas += 1
            return
        elapsed = time.monotonic() - started
        with self.stats.lock:
            if status >= 400:
                self.stats.errors.append((started, kind, str(status)))
                if kind == "vote" and not repeat and status >= 500:
                    self.stats.unknown_votes += 1  # a 503 may come after the commit was sent
                elif kind == "new idea" and status >= 500:
                    self.stats.unknown_ideas += 1
                return
            self.stats.latency[kind].append(elapsed)
            self.stats.successes.append(started)
            if kind == "vote":
                changed = json.loads(data)["changed"]
                if repeat:
                    self.stats.repeat_votes += 1
                    self.stats.repeat_changed += bool(changed)
                else:
                    self.stats.changed_votes += bool(changed)
                    self.stats.acked_pairs.add(vote_pair)
            elif kind == "new idea" and status == 201:
                self.stats.ideas_created += 1

    def _token_of(self, user_id: int) -> str:
        if not hasattr(self, "_tokens_by_user"):
            self._tokens_by_user = dict(self.seeded.tokens)
        return self._tokens_by_user[user_id]

    def paced(self, rates: dict[str | None, float], seconds: float, pool: concurrent.futures.Executor) -> None:
        """Open loop: each kind (None: the mix) at its rate per second, for `seconds`."""
        stop = time.monotonic() + seconds
        rng = random.Random(11)
        schedule = [(time.monotonic() + rng.random() / rate, kind, rate) for kind, rate in rates.items() if rate > 0]
        futures = []
        while schedule:
            schedule.sort(key=lambda item: item[0])
            due, kind, rate = schedule.pop(0)
            if due >= stop:
                continue
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(self.one, random.Random(rng.random()), kind, due))
            schedule.append((due + rng.expovariate(rate), kind, rate))
        concurrent.futures.wait(futures)

    def run(self, clients: int, seconds: float) -> None:
        stop = time.monotonic() + seconds

        def client(number: int) -> None:
            rng = random.Random(number)
            while time.monotonic() < stop:
                self.one(rng)

        threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def warm_up(port: int, seeded: Seeded, workers: int) -> None:
    """Not measured: each worker loads PyThaiNLP's dictionary and an area's similarity index once."""
    paths = [f"/areas/{slug}?q={quote('ขยะ')}" for slug in seeded.areas]
    paths += [f"/api/v1/areas/{slug}/similar?text={quote('ขยะริมหาด')}" for slug in seeded.areas]

    def hit() -> None:
        for path in paths:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()

    threads = [threading.Thread(target=hit) for _ in range(workers * 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def probe(port: int, path: str, clients: int, seconds: float) -> float:
    """Closed-loop throughput (requests/s) of one path, `clients` at a time."""
    stop = time.monotonic() + seconds
    counts = [0] * clients

    def client(number: int) -> None:
        while time.monotonic() < stop:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path, headers={"Accept-Language": "th"})
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                counts[number] += 1

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started)


def spike(options, port: int, seeded: Seeded, server: subprocess.Popen) -> list[str]:  # noqa: ANN001
    failures: list[str] = []
    cores = os.cpu_count() or 1
    area_rate = options.rate * 0.70
    spike_rate = options.spike_factor * area_rate
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=options.max_in_flight)
    normal, spiked = Stats(), Stats()
    print(f"# normal: {options.rate:g} req/s of the mix for {options.seconds:.0f} s")
    calm = Traffic(port, seeded, normal, 1)
    calm.paced({None: options.rate}, options.seconds, pool)
    report(normal, options.seconds)
    print(f"\n# spike: the same mix plus {spike_rate:g} anonymous area-page views/s "
          f"({options.spike_factor:g}x the normal {area_rate:g}/s) for {options.seconds:.0f} s")
    traffic = Traffic(port, seeded, spiked, 2)
    traffic.pairs, traffic.pairs_lock = calm.pairs, calm.pairs_lock  # fresh pairs go on where the normal phase stopped
    traffic.paced({None: options.rate, "anonymous area page": spike_rate}, options.seconds, pool)
    report(spiked, options.seconds, kinds=("area page", "idea page", "vote", "new idea", "anonymous area page"))
    pool.shutdown()
    vote_normal = percentile(normal.latency.get("vote", []), .95)
    vote_spike = percentile(spiked.latency.get("vote", []), .95)
    ratio = vote_spike / vote_normal if vote_normal else float("inf")
    new_idea = percentile(spiked.latency.get("new idea", []) + normal.latency.get("new idea", []), .5)
    vote_p50 = percentile(spiked.latency.get("vote", []) + normal.latency.get("vote", []), .5)
    print(f"\nvote p95: {vote_normal * 1000:.0f} ms normal, {vote_spike * 1000:.0f} ms in the spike: "
          f"{ratio:.2f}x (target <= 3): {'PASS' if ratio <= 3 else 'FAIL'}")
    print(f"new idea p50 {new_idea * 1000:.0f} ms = {new_idea / vote_p50:.2f}x a vote's p50 {vote_p50 * 1000:.0f} ms "
          f"(target <= 2): {'PASS' if new_idea <= 2 * vote_p50 else 'FAIL'}")
    errors = normal.errors + spiked.errors
    print(f"errors: {len(errors)} (target 0)")
    if ratio > 3:
        failures.append(f"vote p95 grew {ratio:.2f}x in the spike")
    if new_idea > 2 * vote_p50:
        failures.append(f"a new idea's p50 is {new_idea / vote_p50:.2f}x a vote's")
    if errors:
        failures.append(f"{len(errors)} errors")
    merged = Stats()
    for stats in (normal, spiked):
        merged.acked_pairs |= stats.acked_pairs
        merged.changed_votes += stats.changed_votes
        merged.repeat_votes += stats.repeat_votes
        merged.repeat_changed += stats.repeat_changed
        merged.unknown_votes += stats.unknown_votes
        merged.ideas_created += stats.ideas_created
        merged.unknown_ideas += stats.unknown_ideas
    failures += audit(seeded, merged)
    print(f"\n# throughput per core ({cores} cores), {options.probe_clients} clients each for {options.probe_seconds:.0f} s, "
          f"same gunicorn ({options.workers} workers)")
    bare = probe(port, "/_bare/ping", options.probe_clients, options.probe_seconds)
    slug = seeded.areas[0]
    anonymous = probe(port, f"/areas/{slug}", options.probe_clients, options.probe_seconds)
    print(f"  bare Flask route     {bare:8.1f} req/s = {bare / cores:7.1f} per core")
    print(f"  anonymous area page  {anonymous:8.1f} req/s = {anonymous / cores:7.1f} per core "
          f"= {anonymous / bare:.2f}x the bare route")
    return failures


# --- audit -----------------------------------------------------------------------------------

def audit(seeded: Seeded, stats: Stats) -> list[str]:
    import sqlalchemy as sa

    from idea4gov import create_app
    from idea4gov.extensions import db
    from idea4gov.ideas.models import Idea, Vote

    failures = []
    app = create_app()
    with app.app_context():
        if hasattr(Idea, "awaiting_placement"):
            # New ideas are placed in their group and issue by the jobs worker: give it a few seconds.
            for _ in range(60):
                waiting = db.session.scalar(sa.select(sa.func.count()).select_from(Idea)
                                            .where(Idea.awaiting_placement.is_(True)))
                db.session.rollback()
                if not waiting:
                    break
                time.sleep(0.5)
            print(f"\nnew ideas still waiting for the worker to place them: {waiting}")
            if waiting:
                failures.append(f"{waiting} new ideas not placed by the worker")
        rows = db.session.scalar(sa.select(sa.func.count()).select_from(Vote))
        total = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(Idea.vote_count), 0)))
        drift = db.session.execute(
            sa.select(Idea.id, Idea.vote_count, sa.func.count(Vote.id))
            .outerjoin(Vote, Vote.idea_id == Idea.id).group_by(Idea.id, Idea.vote_count)
            .having(Idea.vote_count != sa.func.count(Vote.id))
        ).all()
        stored_pairs = set(db.session.execute(sa.select(Vote.user_id, Vote.idea_id)).tuples())
        ideas = db.session.scalar(sa.select(sa.func.count()).select_from(Idea))
        duplicates = db.session.scalar(sa.select(sa.func.count()).select_from(
            sa.select(Vote.user_id, Vote.idea_id).group_by(Vote.user_id, Vote.idea_id)
            .having(sa.func.count() > 1).subquery()))
        db.engine.dispose()
    added = rows - seeded.votes_before
    print("\naudit")
    print(f"  vote rows {rows} (seeded {seeded.votes_before}, added {added}); sum(vote_count) {total}")
    print(f"  acknowledged new votes {stats.changed_votes} (all with changed=true: "
          f"{stats.changed_votes == len(stats.acked_pairs)}); repeats {stats.repeat_votes}, of which changed "
          f"{stats.repeat_changed}; outcome unknown {stats.unknown_votes}")
    print(f"  ideas {ideas} (seeded {seeded.ideas_before}, acknowledged new {stats.ideas_created}, "
          f"unknown {stats.unknown_ideas})")
    if total != rows or drift:
        failures.append(f"sum(vote_count) {total} != vote rows {rows}; ideas drifting: {drift[:5]}")
    if duplicates:
        failures.append(f"{duplicates} duplicate (user, idea) votes")
    lost = stats.acked_pairs - stored_pairs
    if lost:
        failures.append(f"{len(lost)} acknowledged votes lost: {sorted(lost)[:5]}")
    if stats.repeat_changed:
        failures.append(f"{stats.repeat_changed} repeated PUTs changed something (counted twice?)")
    if not stats.changed_votes <= added <= stats.changed_votes + stats.unknown_votes:
        failures.append(f"vote rows added {added} outside [{stats.changed_votes}, "
                        f"{stats.changed_votes + stats.unknown_votes}]")
    if not stats.ideas_created <= ideas - seeded.ideas_before <= stats.ideas_created + stats.unknown_ideas:
        failures.append(f"ideas added {ideas - seeded.ideas_before} != acknowledged {stats.ideas_created}")
    verdict = "OK: nothing lost, nothing counted twice" if not failures else "FAILED"
    print(f"  {verdict}" + (f" (exact: vote rows added = acknowledged = {added})" if added == stats.changed_votes
                           and not failures else ""))
    for failure in failures:
        print(f"  ! {failure}")
    return failures


def report(stats: Stats, seconds: float, kinds=("area page", "idea page", "vote", "new idea")) -> None:  # noqa: ANN001
    total = sum(len(v) for v in stats.latency.values())
    print(f"\n{total} successful requests in {seconds:.0f} s: {total / seconds:.1f} req/s; "
          f"errors {len(stats.errors)}")
    print(f"  {'kind':<10} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    everything = []
    for kind in kinds:
        values = stats.latency.get(kind, [])
        everything += values
        print(f"  {kind:<10} {len(values):>7} {percentile(values, .5) * 1000:>8.0f} "
              f"{percentile(values, .95) * 1000:>8.0f} {percentile(values, .99) * 1000:>8.0f}")
    print(f"  {'all':<10} {len(everything):>7} {percentile(everything, .5) * 1000:>8.0f} "
          f"{percentile(everything, .95) * 1000:>8.0f} {percentile(everything, .99) * 1000:>8.0f}")
    by_kind: dict[tuple[str, str], int] = defaultdict(int)
    for _t, kind, what in stats.errors:
        by_kind[(kind, what)] += 1
    for (kind, what), count in sorted(by_kind.items()):
        print(f"  error: {kind} -> {what} x{count}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--ideas-per-area", type=int, default=300)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--database-url", help="PostgreSQL to use (it is migrated and seeded; default: a throw-away one)")
    parser.add_argument("--pgdata", help="with --database-url and --restart-postgres: the cluster's data directory")
    parser.add_argument("--kill-worker", action="store_true", help="SIGKILL one gunicorn worker mid-run")
    parser.add_argument("--restart-postgres", action="store_true", help="restart PostgreSQL mid-run")
    parser.add_argument("--spike", action="store_true", help="paced normal traffic, then a spike of anonymous views")
    parser.add_argument("--rate", type=float, default=20, help="--spike: requests/s of the normal mix")
    parser.add_argument("--spike-factor", type=float, default=10, help="--spike: anonymous views, x the normal area rate")
    parser.add_argument("--max-in-flight", type=int, default=64, help="--spike: concurrent requests at most")
    parser.add_argument("--probe-seconds", type=float, default=10)
    parser.add_argument("--probe-clients", type=int, default=8)
    parser.add_argument("--redis-url", help="Redis to use: page-cache versions, rate limits, jobs (default: a private redis-server)")
    parser.add_argument("--no-redis", action="store_true",
                        help="no Redis and no jobs worker (background work then runs in the web workers); "
                             "needs RATELIMIT_STORAGE_URI pointing at another shared store, as production does")
    options = parser.parse_args()
    if options.no_redis and not os.environ.get("RATELIMIT_STORAGE_URI"):
        parser.error("--no-redis: production refuses to start without a shared rate-limit store; "
                     "set RATELIMIT_STORAGE_URI (e.g. memcached://127.0.0.1:11211)")

    pgdata, url, ours = options.pgdata, options.database_url, False
    if url is None:
        pgdata, url = start_postgres()
        ours = True
        print(f"# throw-away PostgreSQL {url} ({pgdata})")
    if options.restart_postgres and not pgdata:
        parser.error("--restart-postgres needs the cluster: omit --database-url, or give --pgdata")
    port = free_port()
    redis_process = redis_dir = None
    redis_url = options.redis_url
    if not options.no_redis and not redis_url:
        redis_process, redis_url, redis_dir = start_redis()
        print(f"# private Redis {redis_url}")
    env = app_env(url, port, options.workers, None if options.no_redis else redis_url)
    server = jobs_worker = None
    try:
        seeded = seed(env, options.ideas_per_area, options.users)
        print(f"# seeded {seeded.ideas_before} ideas in {len(seeded.areas)} areas, {len(seeded.tokens)} residents "
              f"with tokens, {seeded.votes_before} votes")
        log = Path(tempfile.gettempdir()) / f"idea4gov-load-gunicorn-{port}.log"
        server = start_gunicorn(env, port, log, "spike_wsgi:app" if options.spike else "wsgi:app")
        if not options.no_redis:
            jobs_worker = subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "jobs", "worker"], cwd=ROOT,
                                           env=env, stdout=log.with_suffix(".worker.log").open("w"),
                                           stderr=subprocess.STDOUT)
        print(f"# gunicorn pid {server.pid}, {options.workers} workers on 127.0.0.1:{port}; "
              f"{options.clients} clients for {options.seconds:.0f} s")
        warm_up(port, seeded, options.workers)
        if options.spike:
            failures = spike(options, port, seeded, server)
            server_errors = [line for line in log.read_text(errors="replace").splitlines()
                             if "Error" in line or "Unhandled" in line or "Traceback" in line]
            print(f"# gunicorn log {log}: {len(server_errors)} error lines" +
                  "".join(f"\n#   {line[:300]}" for line in server_errors[:30]))
            print("\n" + ("OK" if not failures else "FAILED: " + "; ".join(failures)))
            return 1 if failures else 0
        stats = Stats()
        traffic = Traffic(port, seeded, stats, 1)
        fault_log: list[str] = []
        fault_at = {}

        def fault() -> None:
            try:
                inject()
            except Exception:  # noqa: BLE001 - say so; the audit still runs
                fault_log.append("fault injection failed:\n" + traceback.format_exc())

        def inject() -> None:
            time.sleep(options.seconds / 2)
            if options.kill_worker:
                victim = worker_pids(server.pid)[0]
                os.kill(victim, signal.SIGKILL)
                fault_at["kill"] = time.monotonic()
                fault_log.append(f"killed worker {victim} at t={options.seconds / 2:.0f}s")
            if options.restart_postgres:
                fault_at["pg_start"] = time.monotonic()
                pg_ctl(pgdata, "-m", "fast", "-w", "restart")
                fault_at["pg_ready"] = time.monotonic()
                fault_log.append(f"restarted PostgreSQL in {fault_at['pg_ready'] - fault_at['pg_start']:.1f}s")

        fault_thread = threading.Thread(target=fault, daemon=True)
        if options.kill_worker or options.restart_postgres:
            fault_thread.start()
        started = time.monotonic()
        traffic.run(options.clients, options.seconds)
        elapsed = time.monotonic() - started
        fault_thread.join(timeout=120) if fault_thread.is_alive() else None
        for line in fault_log:
            print(f"# {line}")
        report(stats, elapsed)
        new_idea, vote_p50 = (percentile(stats.latency.get(kind, []), .5) for kind in ("new idea", "vote"))
        if vote_p50:
            print(f"new idea p50 {new_idea * 1000:.0f} ms = {new_idea / vote_p50:.2f}x a vote's p50 "
                  f"{vote_p50 * 1000:.0f} ms (target <= 2)")
        server_errors = [line for line in log.read_text(errors="replace").splitlines()
                         if "Error" in line or "Unhandled" in line or "Traceback" in line]
        print(f"# gunicorn log {log}: {len(server_errors)} error lines" +
              "".join(f"\n#   {line[:300]}" for line in server_errors[:30]))
        failures = audit(seeded, stats)
        if options.kill_worker:
            alive = len(worker_pids(server.pid))
            print(f"\nworker kill: {alive} workers alive after the run (gunicorn replaced the killed one: "
                  f"{alive == options.workers})")
            if alive != options.workers:
                failures.append("gunicorn did not replace the killed worker")
        if any(what == "500" for _t, _kind, what in stats.errors):
            failures.append("a request got 500")
        if options.restart_postgres and "pg_ready" not in fault_at:
            failures.append("PostgreSQL was not restarted")
        if options.restart_postgres and "pg_ready" in fault_at:
            outage = [(t, what) for t, _kind, what in stats.errors if t >= fault_at["pg_start"] - 1]
            later = [t for t in stats.successes if t >= fault_at["pg_ready"]]
            recovery = (min(later) - fault_at["pg_ready"]) if later else float("inf")
            statuses = sorted({what for _t, what in outage})
            print(f"\npostgres restart: {len(outage)} requests failed during the outage, answered {statuses}; "
                  f"first success {recovery:.2f} s after PostgreSQL was back")
            if any(what.startswith("5") and what != "503" for _t, what in outage):
                failures.append("a request during the outage got a 5xx other than 503")
            if recovery > 10:
                failures.append(f"no recovery within 10 s ({recovery:.1f} s)")
        elif not (options.kill_worker or options.restart_postgres) and stats.errors:
            failures.append(f"{len(stats.errors)} errors in a run without faults")
        return 1 if failures else 0
    finally:
        for process in (jobs_worker, redis_process):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
        if redis_dir:
            shutil.rmtree(redis_dir, ignore_errors=True)
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if ours:
            subprocess.run(["bash", str(ROOT / "scripts/pg-throwaway"), "stop", pgdata], check=False)
        if redis_process is not None:
            redis_process.terminate()
            redis_process.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
