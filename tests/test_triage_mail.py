"""E-mail over real SMTP on loopback (aiosmtpd): status answers, merges, the overdue digest, unsubscribing."""
from __future__ import annotations

import email
import email.policy
import socket
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from triage_support import world  # noqa: F401  (fixture)

from idea4gov.extensions import db
from idea4gov.ideas import services
from idea4gov.mail.models import MailOptOut
from idea4gov.triage.models import AgencyMember


class Inbox:
    """What the SMTP server received: parsed messages."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def smtp(app):
    """A real SMTP server on 127.0.0.1 and the app pointed at it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {key: app.config[key] for key in ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        yield inbox
    finally:
        app.config.update(saved)
        controller.stop()


def test_status_answer_is_mailed_thai_first_with_english_and_an_unsubscribe_link(client, world, smtp, make_user):  # noqa: F811
    idea = world["ideas"][0]
    fan = make_user(email="fan@example.org")
    services.vote(idea, fan)
    db.session.commit()
    client.login(world["officer"])
    answer = "เทศบาลรับเรื่องแล้ว จะติดตั้งถังขยะเพิ่มภายในเดือนหน้า"
    assert client.post(f"/triage/ideas/{idea.id}/status", {"status": "accepted", "answer": answer}).status_code == 302
    [message] = smtp.to("fan@example.org")
    assert message["Subject"].startswith(f"ไอเดีย “{idea.title}”: รับไปดำเนินการ / Idea")
    body = message.get_content()
    assert body.index("ไอเดีย") < body.index("English") < body.index("you follow")
    assert answer in body and f"/ideas/{idea.id}" in body
    assert message["List-Unsubscribe"].strip().startswith("<http")
    assert len(smtp.messages) == 2  # the author too

    # The link works without logging in: GET shows a confirmation and changes nothing, POST unsubscribes.
    client.logout()
    path = urlsplit(message["List-Unsubscribe"].strip().strip("<>")).path
    page = client.get(path)
    assert page.status_code == 200 and "ยืนยันยกเลิกรับอีเมล" in page.get_data(as_text=True)
    assert db.session.get(MailOptOut, fan.id) is None
    done = client.post(path)
    assert done.status_code == 200 and "ยกเลิกแล้ว" in done.get_data(as_text=True)
    assert db.session.get(MailOptOut, fan.id) is not None
    assert client.get(path[:-3] + "xyz").status_code == 404  # a tampered token

    client.login(world["officer"])
    smtp.messages.clear()
    assert client.post(f"/triage/ideas/{idea.id}/status", {"status": "in_progress", "answer": ""}).status_code == 302
    assert smtp.to("fan@example.org") == [] and len(smtp.messages) == 1


def test_mail_setting_on_the_notifications_page_toggles(client, world):  # noqa: F811
    client.login(world["resident"])
    page = client.get("/notifications/").get_data(as_text=True)
    assert "หยุดรับอีเมล" in page
    assert client.post("/mail/settings").status_code == 302
    assert db.session.get(MailOptOut, world["resident"].id) is not None
    assert "รับอีเมลอีกครั้ง" in client.get("/notifications/").get_data(as_text=True)
    assert client.post("/mail/settings").status_code == 302
    assert db.session.get(MailOptOut, world["resident"].id) is None
    assert client.post("/mail/settings", csrf=False).status_code == 400


def test_no_mail_when_the_transaction_rolls_back(app, world, smtp):  # noqa: F811
    from idea4gov.ideas.models import IdeaStatus
    from idea4gov.triage.services import statuses

    statuses.set_status(world["ideas"][0], IdeaStatus.under_review, "", world["officer"])
    db.session.rollback()
    assert smtp.messages == []


def test_merge_is_mailed_to_supporters(client, world, smtp, make_user):  # noqa: F811
    x, y, _light = world["ideas"]
    fan = make_user(email="merge-fan@example.org")
    services.vote(x, fan)
    db.session.commit()
    client.login(world["officer"])
    assert client.post(f"/triage/ideas/{x.id}/merge", {"target_id": y.id}).status_code == 302
    [message] = smtp.to("merge-fan@example.org")
    assert "ถูกรวม" in message["Subject"] and "merged" in message["Subject"]


def test_remind_sends_each_agency_a_digest_of_its_overdue_ideas(runner, world, smtp, make_idea):  # noqa: F811
    beach1, beach2, light = world["ideas"]
    for idea in (beach1, light):
        idea.created_at = idea.created_at - timedelta(days=30)
    beach1.agency_id = beach2.agency_id = world["cleaning"].id
    light.agency_id = world["works"].id
    unrouted = make_idea(world["area"], title="ป้ายบอกทางไปหาดวอนนภาไม่ชัด",
                         body="ป้ายบอกทางไปหาดวอนนภาซีดจางมาก นักท่องเที่ยวหลงทางบ่อย ขอป้ายใหม่สองภาษา")
    unrouted.created_at = unrouted.created_at - timedelta(days=30)
    world["cleaning"].email = "health@saensuk.example"
    db.session.add(AgencyMember(agency_id=world["cleaning"].id, user_id=world["officer"].id))
    db.session.commit()
    result = runner.invoke(args=["triage", "remind", "--area", "saensuk"])
    assert result.exit_code == 0, result.output
    # health@ and its officer; works has no one; the unrouted idea goes to the area's officer.
    assert "reminded: 2 agencies about 3 overdue ideas, 3 e-mails" in result.output
    [digest] = smtp.to("health@saensuk.example")
    body = digest.get_content()
    assert beach1.title in body and beach2.title not in body and "English" in body
    to_officer = [m.get_content() for m in smtp.to(world["officer"].email)]
    assert len(to_officer) == 2 and any(unrouted.title in text and "Not yet routed" in text for text in to_officer)
    assert smtp.to(world["stranger"].email) == []
    assert runner.invoke(args=["triage", "remind", "--area", "nowhere"]).exit_code == 1


def test_agencies_commands(runner, world):  # noqa: F811
    result = runner.invoke(args=["agencies", "create", "--area", "saensuk", "--name-en", "Finance", "กองคลัง"])
    assert result.exit_code == 0 and "กองคลัง" in result.output
    again = runner.invoke(args=["agencies", "create", "--area", "saensuk", "กองคลัง"])
    assert again.exit_code == 0 and "already exists" in again.output
    added = runner.invoke(args=["agencies", "add-member", "--area", "saensuk", "กองคลัง", world["officer"].email])
    assert added.exit_code == 0, added.output
    refused = runner.invoke(args=["agencies", "add-member", "--area", "saensuk", "กองคลัง", world["resident"].email])
    assert refused.exit_code == 1 and "not an officer" in refused.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgencyMember)) == 1


def test_mail_links_never_come_from_the_requests_host(client, world, smtp, make_user):  # noqa: F811
    """An officer's request carrying an attacker's Host (or X-Forwarded-Host): the e-mail it sends
    still links to PUBLIC_BASE_URL, the unsubscribe link too."""
    idea = world["ideas"][0]
    fan = make_user(email="fan@example.org")
    services.vote(idea, fan)
    db.session.commit()
    client.login(world["officer"])
    client.carry_cookies_to("evil.example")
    forged = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}
    response = client.post(f"/triage/ideas/{idea.id}/status", {"status": "accepted", "answer": "รับเรื่องแล้ว ทดสอบลิงก์"},
                           headers=forged)
    assert response.status_code == 302
    [message] = smtp.to("fan@example.org")
    body = message.get_content()
    assert "evil.example" not in body and "evil.example" not in message["List-Unsubscribe"]
    assert f"http://localhost/ideas/{idea.id}" in body
    assert message["List-Unsubscribe"].strip().startswith("<http://localhost/mail/unsubscribe/")
