#!/usr/bin/env python3
"""The first requests after a start: as fast as the later ones? (issue 18 point 7)

    .venv/bin/python bench/startup.py [--later 10]

Seeds the demo into a throw-away SQLite database, then starts the app as `make run` does
(`flask run`, a fresh process) twice — without and with the start-up warm-up
(IDEA4GOV_WARM_UP=1: tokenizer, catalogues, templates and every area's similarity index) —
and times, in each, the first request of each kind and the median of the next --later ones
(each with different words, so no cache helps): the similar-ideas API the new-idea form calls
while a resident types, a Thai search of an area, and an area page. Also prints how long the
process took to start answering. Ratios first / later are the figures to read.
"""
from __future__ import annotations

import argparse
import http.client
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


def run(env: dict[str, str], warm: bool, later: int) -> dict[str, tuple[float, float]]:
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
               IDEA4GOV_ENV="development", MAIL_BACKEND="none")
    env.pop("REDIS_URL", None)
    try:
        for command in (["db", "upgrade"], ["seed", "demo"]):
            subprocess.run([str(BIN / "flask"), "--app", "wsgi", *command], cwd=ROOT, env=env, check=True,
                           capture_output=True)
        print(f"{'':<30}{'first ms':>10}{'later p50':>11}{'first/later':>13}")
        for warm in (False, True):
            print(f"IDEA4GOV_WARM_UP={int(warm)}")
            for name, (first, later) in run(env, warm, args.later).items():
                ratio = f"{first / later:>13.1f}" if later == later else ""
                later_text = f"{later:>11.1f}" if later == later else f"{'':>11}"
                print(f"  {name:<28}{first:>10.1f}{later_text}{ratio}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
