"""Background jobs on Redis with RQ: regrouping an area runs in a worker, never in a request.

    REDIS_URL=redis://127.0.0.1:6379/0 flask --app wsgi jobs worker      # one or more workers
    flask --app wsgi grouping enqueue [--area SLUG]                      # from cron, or staff's button

Without REDIS_URL background jobs are off: `enqueue_regroup` returns None and staff are
told to run `flask grouping recompute` instead.
"""
from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, current_app, g, has_app_context, has_request_context
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

QUEUE_NAME = "idea4gov"
#: A regroup of a 100k-idea area takes minutes; give it room, then the worker kills it.
REGROUP_TIMEOUT = 30 * 60


_clients: dict[str, object] = {}


def redis_connection(url: str | None = None):
    """A Redis client for REDIS_URL (one per process and URL, with its connection pool), or None
    when background jobs are off."""
    url = url or (current_app.config.get("REDIS_URL") if has_app_context() else None)
    if not url:
        return None
    client = _clients.get(url)
    if client is None:
        from redis import Redis

        client = _clients[url] = Redis.from_url(url)
    return client


def get_queue(connection=None):  # noqa: ANN001
    from rq import Queue

    connection = connection or redis_connection()
    return Queue(QUEUE_NAME, connection=connection) if connection is not None else None


#: Keys that keep a burst of commits from queueing one job each (the job clears its key first).
KICK_PREFIX = "idea4gov:kick:"


def run_in_background(function: Callable, *args, kick_key: str | None = None, kick_seconds: int = 600,
                      job_timeout: int = 300) -> None:
    """Run `function(*args)` outside the request.

    With REDIS_URL: an RQ job for `flask jobs worker` (`kick_key`: not queued again for
    `kick_seconds`, or until the job clears the key when it starts). Without it (development, `make run`): in this process once the
    response has been sent, or at once outside a request (commands). Errors are logged.
    """
    connection = redis_connection()
    if connection is not None:
        try:
            if kick_key and not connection.set(KICK_PREFIX + kick_key, 1, nx=True, ex=kick_seconds):
                return
            get_queue(connection).enqueue(function, *args, job_timeout=job_timeout, result_ttl=600,
                                          failure_ttl=7 * 24 * 3600)
            return
        except Exception:  # noqa: BLE001 - Redis away: run it here rather than lose it
            log.exception("could not queue %s; running it in this process", function.__name__)
    after_response(function, *args)


def after_response(function: Callable, *args) -> None:
    """Run `function(*args)` in this process, in an app context of its own, once the response has
    been sent; at once outside a request, or with BACKGROUND_AFTER_RESPONSE off (the tests).
    Errors are logged."""
    app = current_app._get_current_object()

    def run() -> None:
        try:
            with app.app_context():
                function(*args)
        except Exception:  # noqa: BLE001 - nobody waits for it: say it loudly
            log.exception("background %s failed", function.__name__)

    if has_request_context() and app.config.get("BACKGROUND_AFTER_RESPONSE", True):
        g.setdefault("_after_response", []).append(run)
    else:
        run()


_AFTER_COMMIT = "idea4gov_jobs_after_commit"


def after_commit(session, function: Callable, *args, in_this_process: bool = False) -> None:  # noqa: ANN001
    """`run_in_background(function, *args)` once this session's transaction commits (a rollback drops it);
    `in_this_process`: `after_response` instead (work on this process's own state, such as its indexes)."""
    session.info.setdefault(_AFTER_COMMIT, []).append((function, args, in_this_process))


@sa.event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    pending = session.info.pop(_AFTER_COMMIT, [])
    if pending and has_app_context():
        for function, args, in_this_process in pending:
            (after_response if in_this_process else run_in_background)(function, *args)


@sa.event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(session: Session, _previous) -> None:  # noqa: ANN001
    session.info.pop(_AFTER_COMMIT, None)


def clear_kick(kick_key: str) -> None:
    connection = redis_connection()
    if connection is not None:
        connection.delete(KICK_PREFIX + kick_key)


def run_at(when: datetime, function: Callable, *args) -> None:
    """Run `function(*args)` in an RQ worker at `when` (a worker started with the scheduler:
    `flask jobs worker` is). Without Redis nothing is scheduled: the next commit, or
    `flask outbox deliver` from cron, picks up what is due."""
    queue = get_queue()
    if queue is not None:
        queue.enqueue_at(when, function, *args, result_ttl=600)


def _run_after_response(response):  # noqa: ANN001, ANN202
    for run in g.pop("_after_response", []):
        response.call_on_close(run)
    return response


def regroup_job_prefix(area_id: int) -> str:
    return f"regroup-area-{area_id}-"


def enqueue_regroup(area_id: int):
    """Queue a regroup of the area, once: a regroup of it still waiting in the queue is reused
    (one already running is not: ideas may have changed since it started). None if jobs are off."""
    queue = get_queue()
    if queue is None:
        return None
    prefix = regroup_job_prefix(area_id)
    waiting = [job_id for job_id in queue.get_job_ids() if job_id.startswith(prefix)]
    if waiting:
        return queue.fetch_job(waiting[0])
    return queue.enqueue(run_regroup, area_id, job_id=prefix + secrets.token_hex(6), job_timeout=REGROUP_TIMEOUT,
                         result_ttl=24 * 3600, failure_ttl=7 * 24 * 3600, description=f"regroup area {area_id}")


def run_regroup(area_id: int) -> dict[str, int]:
    """The job itself: recompute the area's groups and issues and commit (inside a worker)."""
    if has_app_context():
        return _regroup(area_id)
    from idea4gov import create_app

    with create_app().app_context():
        return _regroup(area_id)


def _regroup(area_id: int) -> dict[str, int]:
    from idea4gov.areas.models import Area
    from idea4gov.extensions import db
    from idea4gov.groups.services import recompute_area
    from idea4gov.ideas import similar

    area = db.session.get(Area, area_id)
    if area is None:
        log.warning("regroup: area %s is gone", area_id)
        return {"ideas": 0, "groups": 0, "grouped": 0, "issues": 0}
    try:
        counts = recompute_area(area)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    similar.forget(area)
    log.info("regrouped area %s: %s", area.slug, counts)
    return counts


def run_worker(app: Flask, burst: bool = False) -> bool:
    """Work the queue in this process, each job in a fresh app context (its own session).

    A SimpleWorker runs jobs without fork(): a forked child would share the parent's pooled
    database connections. Run as many worker processes as there are cores to spare.
    """
    from rq import SimpleWorker

    connection = redis_connection(app.config.get("REDIS_URL"))
    if connection is None:
        raise RuntimeError("REDIS_URL is not set: background jobs are off")

    class AppWorker(SimpleWorker):
        def perform_job(self, job, queue, execution):  # noqa: ANN001
            with app.app_context():
                return super().perform_job(job, queue, execution)

    worker = AppWorker([get_queue(connection)], connection=connection)
    # The scheduler moves jobs queued for later (retries of undelivered messages) into the queue.
    return worker.work(burst=burst, logging_level="INFO", with_scheduler=True)


def init_app(app: Flask) -> None:
    app.after_request(_run_after_response)
