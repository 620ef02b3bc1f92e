"""Writing messages with the change they are about, and delivering them in the background.

    add(session, channel, recipient, body, subject=…, extra=…)   # in the transaction of the change
    deliver_due()                                                # the worker: due messages, retries

After a commit that wrote messages, delivery is started with `jobs.run_in_background`: an RQ
job when REDIS_URL is set (`flask jobs worker` runs it), otherwise in this process after the
response has gone out (the development server), or at once outside a request (commands).
`flask outbox deliver` does the same by hand or from cron, and every run also picks up
messages whose retry time has come. Delivery is at least once: a worker that dies between
sending and recording it may send a message again.

A channel is a function taking a list of messages and returning, per message, None when it was
delivered or the error text; register it with `channel("name")`. E-mail is `idea4gov.mail.sender`;
LINE notices (issue 15) add `@channel("line")` and write rows with `channel="line"`.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask import has_app_context
from sqlalchemy.orm import Session

from idea4gov.outbox.models import OutboxMessage, OutboxStatus
from idea4gov.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

#: Attempts before a message is marked failed (about a day and a half of back-off in all).
MAX_ATTEMPTS = 8
#: Wait before the n-th retry: 1 min, 2, 4 … capped at 6 hours.
FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=6)
BATCH = 100
_WROTE = "idea4gov_outbox_wrote"

Deliverer = Callable[[list[OutboxMessage]], list[str | None]]
_channels: dict[str, Deliverer] = {}


def channel(name: str) -> Callable[[Deliverer], Deliverer]:
    """Register the deliverer of a channel."""

    def register(function: Deliverer) -> Deliverer:
        _channels[name] = function
        return function

    return register


def add(session: Session, channel: str, recipient: str, body: str, subject: str = "",
        extra: dict | None = None) -> OutboxMessage:
    """Write a message in the session's transaction: delivered only if that transaction commits."""
    message = OutboxMessage(channel=channel, recipient=recipient, subject=subject[:300], body=body,
                            extra=extra or {}, next_attempt_at=utcnow())
    session.add(message)
    session.info[_WROTE] = True
    return message


def retry_delay(attempts: int) -> timedelta:
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), MAX_RETRY)


def _due(session: Session, limit: int) -> list[OutboxMessage]:
    query = (sa.select(OutboxMessage)
             .where(OutboxMessage.status == OutboxStatus.pending, OutboxMessage.next_attempt_at <= utcnow())
             .order_by(OutboxMessage.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        # Several workers share the rows: each takes the ones nobody else holds.
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def deliver_due(limit: int = BATCH) -> dict[str, int]:
    """Deliver every message whose time has come, in batches, each batch in its own transaction."""
    from idea4gov.extensions import db

    totals = {"sent": 0, "retry": 0, "failed": 0}
    while True:
        with Session(db.engine, expire_on_commit=False) as session:
            batch = _due(session, limit)
            if not batch:
                return totals
            for name in sorted({message.channel for message in batch}):
                messages = [message for message in batch if message.channel == name]
                deliverer = _channels.get(name)
                try:
                    errors = deliverer(messages) if deliverer else [f"no deliverer for channel {name!r}"] * len(messages)
                except Exception as error:  # noqa: BLE001 - a broken channel must not stop the others
                    log.exception("outbox: channel %s failed", name)
                    errors = [f"{type(error).__name__}: {error}"] * len(messages)
                for message, error in zip(messages, errors, strict=True):
                    totals[_record(message, error)] += 1
            session.commit()
        if len(batch) < limit:
            return totals


def _record(message: OutboxMessage, error: str | None) -> str:
    message.attempts += 1
    if error is None:
        message.status, message.sent_at, message.last_error = OutboxStatus.sent, utcnow(), ""
        return "sent"
    message.last_error = error[:2000]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.failed
        log.error("outbox: message %s to %s failed %d times, giving up: %s", message.id, message.recipient,
                  message.attempts, error)
        return "failed"
    message.next_attempt_at = utcnow() + retry_delay(message.attempts)
    log.warning("outbox: message %s to %s failed (attempt %d), retrying at %s: %s", message.id,
                message.recipient, message.attempts, message.next_attempt_at, error)
    return "retry"


def deliver_job() -> dict[str, int]:
    """The background job: deliver what is due, then come back when the earliest retry is due."""
    if not has_app_context():
        from idea4gov import create_app

        with create_app().app_context():
            return deliver_job()
    from idea4gov import jobs

    jobs.clear_kick(KICK_KEY)
    totals = deliver_due()
    _schedule_next_retry()
    return totals


KICK_KEY = "outbox"


def _schedule_next_retry() -> None:
    from idea4gov import jobs
    from idea4gov.extensions import db

    with Session(db.engine) as session:
        earliest = session.scalar(sa.select(sa.func.min(OutboxMessage.next_attempt_at))
                                  .where(OutboxMessage.status == OutboxStatus.pending))
    if earliest is not None:
        jobs.run_at(as_utc(earliest), deliver_job)


def kick() -> None:
    """Start delivery in the background (after a commit that wrote messages)."""
    from idea4gov import jobs

    jobs.run_in_background(deliver_job, kick_key=KICK_KEY)


def wrote_messages(session: Session) -> bool:
    return bool(session.info.pop(_WROTE, False))


def counts() -> dict[str, int]:
    from idea4gov.extensions import db

    rows = db.session.execute(sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status))
    found = {status.value: count for status, count in rows}
    return {status.value: found.get(status.value, 0) for status in OutboxStatus}


def retry_now(message: OutboxMessage) -> None:
    """An admin sends a failed (or waiting) message again: one more round of attempts, now."""
    message.status = OutboxStatus.pending
    message.next_attempt_at = utcnow()
    if message.attempts >= MAX_ATTEMPTS:
        message.attempts = MAX_ATTEMPTS - 1


@sa.event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    """Deliver after every commit that wrote messages (a rollback writes none)."""
    if wrote_messages(session) and has_app_context():
        kick()


@sa.event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, _previous) -> None:  # noqa: ANN001
    session.info.pop(_WROTE, None)
