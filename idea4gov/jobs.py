"""Background jobs on Redis with RQ: regrouping an area runs in a worker, never in a request.

    REDIS_URL=redis://127.0.0.1:6379/0 flask --app wsgi jobs worker      # one or more workers
    flask --app wsgi grouping enqueue [--area SLUG]                      # from cron, or staff's button

Without REDIS_URL background jobs are off: `enqueue_regroup` returns None and staff are
told to run `flask grouping recompute` instead.
"""
from __future__ import annotations

import logging
import secrets

from flask import Flask, current_app, has_app_context

log = logging.getLogger(__name__)

QUEUE_NAME = "idea4gov"
#: A regroup of a 100k-idea area takes minutes; give it room, then the worker kills it.
REGROUP_TIMEOUT = 30 * 60


def redis_connection(url: str | None = None):
    """A Redis client for REDIS_URL, or None when background jobs are off."""
    url = url or (current_app.config.get("REDIS_URL") if has_app_context() else None)
    if not url:
        return None
    from redis import Redis

    return Redis.from_url(url)


def get_queue(connection=None):  # noqa: ANN001
    from rq import Queue

    connection = connection or redis_connection()
    return Queue(QUEUE_NAME, connection=connection) if connection is not None else None


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
    """The job itself: recompute the area's groups and commit (inside a worker)."""
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
        return {"ideas": 0, "groups": 0, "grouped": 0}
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
    return worker.work(burst=burst, logging_level="INFO")
