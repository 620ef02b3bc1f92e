"""One notification path: outbox rows written with the change, delivered by the background worker
with retries (e-mail now, a second channel as a small addition), photos re-encoded there too,
and no file left behind by a transaction that failed."""
from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import Image
from triage_support import png_bytes, world  # noqa: F401  (fixture)

from idea4gov import jobs
from idea4gov.extensions import db
from idea4gov.ideas.models import IdeaStatus
from idea4gov.mail.sender import Mail, queue
from idea4gov.outbox import services as outbox
from idea4gov.outbox.models import OutboxMessage, OutboxStatus
from idea4gov.timeutil import as_utc, utcnow
from idea4gov.triage.models import EvidencePhoto
from idea4gov.triage.services import statuses
from tests.redis_support import redis_server, redis_url  # noqa: F401  (fixtures)
from tests.test_triage_mail import smtp  # noqa: F401  (fixture: a real SMTP server on loopback)
from tests.test_triage_photos_stats import ANSWER, _post_photos, uploads  # noqa: F401

PHOTO = png_bytes(size=(3000, 1500), exif=True)


def _messages(**where) -> list[OutboxMessage]:
    db.session.expire_all()
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    for name, value in where.items():
        query = query.where(getattr(OutboxMessage, name) == value)
    return list(db.session.scalars(query))


def test_mail_is_a_row_of_the_same_transaction_and_a_rollback_sends_nothing(app, smtp):  # noqa: F811
    queue(db.session, Mail(to="a@example.org", subject="เรื่อง", body="ข้อความ"))
    assert smtp.messages == []  # nothing leaves before the commit
    db.session.rollback()
    assert _messages() == [] and smtp.messages == []
    queue(db.session, Mail(to="b@example.org", subject="เรื่อง", body="ข้อความ", unsubscribe_url="http://x/u"))
    db.session.commit()
    [row] = _messages()
    assert row.status == OutboxStatus.sent and row.attempts == 1 and row.sent_at is not None
    [message] = smtp.to("b@example.org")
    assert message["List-Unsubscribe"] == "<http://x/u>"


def test_the_request_never_waits_for_smtp_mail_goes_after_the_response(app, client, world, smtp):  # noqa: F811
    """Without Redis (`make run`), delivery runs in the process once the response is sent."""
    app.config["BACKGROUND_AFTER_RESPONSE"] = True
    try:
        client.login(world["officer"])
        idea = world["ideas"][0]
        response = client.post(f"/triage/ideas/{idea.id}/status", {"status": "accepted", "answer": ANSWER})
        assert response.status_code == 302
        assert smtp.messages == []  # answered first …
        assert [m.status for m in _messages()] == [OutboxStatus.pending]
        response.close()  # … the server finishes sending the response, then delivers
        assert [m.status for m in _messages()] == [OutboxStatus.sent]
        assert len(smtp.messages) == 1
    finally:
        app.config["BACKGROUND_AFTER_RESPONSE"] = False


def test_failed_delivery_retries_with_back_off_then_shows_to_admins(app, client, world, smtp):  # noqa: F811
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1  # nothing listens there: unreachable
    queue(db.session, Mail(to="c@example.org", subject="ทดสอบ", body="ข้อความ"))
    db.session.commit()
    [row] = _messages()
    assert row.status == OutboxStatus.pending and row.attempts == 1
    assert "unreachable" in row.last_error
    assert as_utc(row.next_attempt_at) > utcnow() + timedelta(seconds=50)  # the first retry waits a minute
    assert outbox.retry_delay(3) == timedelta(minutes=4) and outbox.retry_delay(20) == outbox.MAX_RETRY
    assert outbox.deliver_due() == {"sent": 0, "retry": 0, "failed": 0}  # not due yet
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
        outbox.deliver_due()
    [row] = _messages()
    assert row.status == OutboxStatus.failed and row.attempts == outbox.MAX_ATTEMPTS

    client.login(world["admin"])
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "c@example.org" in page and "unreachable" in page
    assert client.get("/admin/").get_data(as_text=True).count("/admin/outbox") == 1
    app.config["MAIL_PORT"] = port
    response = client.post(f"/admin/outbox/{row.id}/retry")
    assert response.status_code == 302
    [row] = _messages()
    assert row.status == OutboxStatus.sent and len(smtp.to("c@example.org")) == 1


def test_outbox_page_is_for_admins_only(client, world):  # noqa: F811
    assert client.get("/admin/outbox").status_code == 302  # log in first
    client.login(world["officer"])
    assert client.get("/admin/outbox").status_code == 403
    assert client.post("/admin/outbox/1/retry").status_code == 403


def test_a_second_channel_is_a_deliverer_and_a_channel_name(app):
    """How LINE notices (issue 15) join: register a deliverer, write rows with its channel."""
    delivered = []

    @outbox.channel("test-line")
    def deliver(messages):
        delivered.extend((m.recipient, m.body) for m in messages)
        return [None if m.recipient != "U-bad" else "400 invalid user" for m in messages]

    try:
        outbox.add(db.session, "test-line", "U123", "มีความคืบหน้าในไอเดียของคุณ")
        outbox.add(db.session, "test-line", "U-bad", "ข้อความ")
        outbox.add(db.session, "email", "d@example.org", "ข้อความ", subject="s")  # MAIL_BACKEND=none in tests
        db.session.commit()
    finally:
        outbox._channels.pop("test-line")
    assert ("U123", "มีความคืบหน้าในไอเดียของคุณ") in delivered
    by_recipient = {m.recipient: m for m in _messages()}
    assert by_recipient["U123"].status == OutboxStatus.sent
    assert by_recipient["U-bad"].status == OutboxStatus.pending and by_recipient["U-bad"].last_error == "400 invalid user"
    assert by_recipient["d@example.org"].status == OutboxStatus.sent


def test_with_redis_the_rq_worker_delivers_and_a_burst_of_commits_queues_one_job(app, smtp, redis_url, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    for n in range(3):
        queue(db.session, Mail(to=f"r{n}@example.org", subject="s", body="b"))
        db.session.commit()
    assert smtp.messages == [] and {m.status for m in _messages()} == {OutboxStatus.pending}
    assert len(jobs.get_queue().get_job_ids()) == 1
    jobs.run_worker(app, burst=True)
    assert {m.status for m in _messages()} == {OutboxStatus.sent} and len(smtp.messages) == 3


def test_cli_delivers_what_is_due_and_counts(app, runner, smtp):  # noqa: F811
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = 1
    queue(db.session, Mail(to="e@example.org", subject="s", body="b"))
    db.session.commit()
    app.config["MAIL_PORT"] = port
    db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=utcnow()))
    db.session.commit()
    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0 and "sent 1" in result.output
    assert "sent 1" in runner.invoke(args=["outbox", "status"]).output


# --- evidence photos ---------------------------------------------------------------------------------

def _files(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_photos_are_reencoded_after_the_response_not_in_the_officers_request(app, client, world, uploads):  # noqa: F811
    app.config["BACKGROUND_AFTER_RESPONSE"] = True
    try:
        client.login(world["officer"])
        idea = world["ideas"][0]
        response = _post_photos(client, idea.id, [("big.jpg", PHOTO)])
        assert response.status_code == 302
        [photo] = db.session.scalars(sa.select(EvidencePhoto)).all()
        assert photo.processed_at is None and _files(uploads) == [f"incoming/{photo.filename}"]
        assert client.get(f"/photos/{photo.id}").status_code == 404  # the upload itself is never served
        assert "กำลังเตรียมภาพหลักฐาน" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
        response.close()
    finally:
        app.config["BACKGROUND_AFTER_RESPONSE"] = False
    db.session.expire_all()
    photo = db.session.get(EvidencePhoto, photo.id)
    assert photo.processed_at is not None and (photo.width, photo.height) == (2000, 1000)
    assert _files(uploads) == [photo.filename]  # the upload is gone, only the re-encoded file stays
    with Image.open(uploads / photo.filename) as stored:
        assert stored.format == "JPEG" and not stored.getexif()
    served = client.get(f"/photos/{photo.id}")
    assert served.status_code == 200
    served.close()


def test_with_redis_photos_wait_for_the_rq_worker(app, client, world, uploads, redis_url, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    client.login(world["officer"])
    assert _post_photos(client, world["ideas"][0].id, [("a.jpg", PHOTO)]).status_code == 302
    [photo] = db.session.scalars(sa.select(EvidencePhoto)).all()
    assert photo.processed_at is None
    jobs.run_worker(app, burst=True)
    db.session.expire_all()
    assert db.session.get(EvidencePhoto, photo.id).processed_at is not None
    assert not os.path.exists(uploads / "incoming" / photo.filename)


@pytest.mark.parametrize("how", ["commit fails", "rollback", "session closed"])
def test_no_photo_file_outlives_a_transaction_that_did_not_commit(app, world, uploads, how):  # noqa: F811
    idea = world["ideas"][0]
    statuses.set_status(idea, IdeaStatus.implemented, ANSWER, world["officer"], [PHOTO, png_bytes(fmt="PNG")])
    assert len(_files(uploads)) == 2  # written, not yet committed
    if how == "commit fails":
        def refuse(session):
            raise RuntimeError("the database went away during the commit")

        sa.event.listen(db.session(), "before_commit", refuse)
        try:
            with pytest.raises(RuntimeError):
                db.session.commit()
        finally:
            sa.event.remove(db.session(), "before_commit", refuse)
        db.session.remove()  # what the request's teardown does
    elif how == "rollback":
        db.session.rollback()
    else:
        db.session.close()
    assert _files(uploads) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvidencePhoto)) == 0


def test_worker_files_are_not_left_when_its_own_commit_fails(app, world, uploads, monkeypatch):  # noqa: F811
    """The worker writes the re-encoded file, then commits: a failed commit removes that file and
    keeps the upload for the next attempt."""
    app.config["BACKGROUND_AFTER_RESPONSE"] = True
    idea = world["ideas"][0]
    statuses.set_status(idea, IdeaStatus.implemented, ANSWER, world["officer"], [PHOTO])
    monkeypatch.setattr(jobs, "run_in_background", lambda *args, **kwargs: None)  # no worker yet
    db.session.commit()
    app.config["BACKGROUND_AFTER_RESPONSE"] = False
    [photo] = db.session.scalars(sa.select(EvidencePhoto)).all()
    from idea4gov.triage.services import photos

    monkeypatch.setattr("idea4gov.timeutil.utcnow", lambda: (_ for _ in ()).throw(RuntimeError("disk full")))
    with pytest.raises(RuntimeError):
        photos.process_job([photo.id])
    assert _files(uploads) == [f"incoming/{photo.filename}"]
    monkeypatch.undo()
    assert photos.process_job([photo.id]) == 1
    assert len(_files(uploads)) == 1 and not _files(uploads)[0].startswith("incoming/")
    data = io.BytesIO((uploads / _files(uploads)[0]).read_bytes())
    assert Image.open(data).size == (2000, 1000)
