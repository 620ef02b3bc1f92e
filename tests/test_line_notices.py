"""LINE notices: opt-in per resident and kind, rendered in each one's language, pushed with line-bot-sdk
by the outbox worker to a stand-in of the Messaging API on loopback (tests/line_support.py) that
checks every request, retried with back-off, visible to admins, stopped in one step."""
from __future__ import annotations

import sqlalchemy as sa
from line_support import line_api, line_api_server  # noqa: F401  (fixtures)
from oidc_support import Person, line, line_server, sign_in  # noqa: F401  (fixtures)

from idea4gov.extensions import db
from idea4gov.ideas import services
from idea4gov.ideas.models import Idea, IdeaStatus
from idea4gov.line import services as line_notices
from idea4gov.line.models import LineNoticeKind, NoticeKind
from idea4gov.outbox import services as outbox
from idea4gov.outbox.models import OutboxMessage, OutboxStatus
from idea4gov.triage.services import merging, statuses

ANSWER = "เทศบาลจะติดตั้งถังขยะเพิ่มภายในเดือนหน้า"


def _link_line_for_notices(client, provider, user, sub: str = "U1234567890abcdef1234567890abcdef"):  # noqa: ANN001
    client.login(user)
    provider.person = Person(sub=sub, name="LINE name")
    response = sign_in(client, provider, start="/auth/oidc/line/start", data={"intent": "notices"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#line-notices")
    return sub


def _rows(**where) -> list[OutboxMessage]:
    db.session.expire_all()
    query = sa.select(OutboxMessage).where(OutboxMessage.channel == "line").order_by(OutboxMessage.id)
    for name, value in where.items():
        query = query.where(getattr(OutboxMessage, name) == value)
    return list(db.session.scalars(query))


def test_a_resident_signed_in_by_email_links_line_and_gets_the_receipt_there(client, line, line_api, make_area,  # noqa: F811
                                                                             make_user):
    user = make_user(email="somsri@example.org")
    area = make_area()
    sub = _link_line_for_notices(client, line, user)
    assert set(line_notices.kinds_of(user)) == set(NoticeKind)  # they asked for notices: every kind, changeable
    account = client.get("/account/").get_data(as_text=True)
    assert 'id="line-notices"' in account and 'name="receipt"' in account
    response = client.post(f"/areas/{area.slug}/ideas/new", {
        "title": "เพิ่มถังขยะริมหาดวอนนภา", "body": "ขยะล้นถังริมหาดวอนนภาทุกวันหยุด อยากให้เพิ่มถังขยะอีกหลายจุด",
        "theme": "beach"})
    assert response.status_code == 302
    idea = db.session.scalar(sa.select(Idea).where(Idea.area_id == area.id))
    [push] = line_api.pushes
    assert push["to"] == sub and idea.reference in push["text"] and "ได้รับไอเดีย" in push["text"]
    assert "/line/stop/" in push["text"] and "----- English -----" in push["text"]  # no language chosen: both
    [row] = _rows()
    assert row.status == OutboxStatus.sent and row.recipient == sub


def test_kinds_are_opt_in_one_by_one(client, line, line_api, make_idea, make_user, make_staff):  # noqa: F811
    user = make_user()
    _link_line_for_notices(client, line, user)
    assert client.post("/account/line-notices", {"answer": "y"}).status_code == 302
    assert line_notices.kinds_of(user) == {NoticeKind.answer}
    idea = make_idea(author=user)
    assert line_api.pushes == []  # no receipt: not chosen
    officer = make_staff("officer", idea.area)
    statuses.set_status(idea, IdeaStatus.under_review, "", officer)  # a bare status change: not chosen
    db.session.commit()
    assert line_api.pushes == []
    statuses.set_status(idea, IdeaStatus.accepted, ANSWER, officer)  # an official answer
    db.session.commit()
    [push] = line_api.pushes
    assert ANSWER in push["text"]
    other = make_idea(area=idea.area, title="ถังขยะริมหาดไม่พอใช้")
    merging.merge(db.session.get(Idea, other.id), db.session.get(Idea, idea.id), officer)  # merge: not chosen
    db.session.commit()
    assert len(line_api.pushes) == 1


def test_notices_are_in_the_residents_language(client, line, line_api, make_idea, make_user, make_staff):  # noqa: F811
    user = make_user()
    _link_line_for_notices(client, line, user)
    db.session.execute(sa.update(type(user)).where(type(user).id == user.id).values(preferred_locale="en"))
    db.session.commit()
    idea = make_idea(author=user)
    supporter = make_user()
    _link_line_for_notices(client, line, supporter, sub="U" + "b" * 32)
    services.vote(idea, supporter)
    db.session.commit()
    statuses.set_status(idea, IdeaStatus.accepted, ANSWER, make_staff("officer", idea.area))
    db.session.commit()
    by_recipient = {push["to"]: push["text"] for push in line_api.pushes}
    english = by_recipient["U1234567890abcdef1234567890abcdef"]
    assert "Accepted" in english and "----- English -----" not in english and "Stop LINE notices" in english
    assert "รับไปดำเนินการ" in by_recipient["U" + "b" * 32]


def test_failures_are_retried_with_back_off_and_shown_to_admins(client, line, line_api, make_idea, make_user,  # noqa: F811
                                                               make_staff):
    user = make_user()
    _link_line_for_notices(client, line, user)
    idea = make_idea(author=user)
    line_api.pushes.clear()
    line_api.fail_next.extend([500])
    statuses.set_status(idea, IdeaStatus.accepted, ANSWER, make_staff("officer", idea.area))
    db.session.commit()  # the worker's first attempt: refused
    [row] = _rows()
    assert row.status == OutboxStatus.pending and row.attempts == 1 and "LINE API 500" in row.last_error
    row.next_attempt_at = row.created_at  # its retry is due
    db.session.commit()
    assert outbox.deliver_due() == {"sent": 1, "retry": 0, "failed": 0}
    [push] = line_api.pushes
    assert push["retry_key"] == row.extra["retry_key"]  # the same key on every attempt
    # A message LINE keeps refusing ends as failed, with its error, on the admins' page.
    line_api.fail_next.extend([400] * outbox.MAX_ATTEMPTS)
    statuses.set_status(idea, IdeaStatus.implemented, ANSWER + " เสร็จแล้ว", make_staff("officer", idea.area))
    db.session.commit()
    for _ in range(outbox.MAX_ATTEMPTS):
        stuck = _rows(status=OutboxStatus.pending)
        if not stuck:
            break
        stuck[0].next_attempt_at = stuck[0].created_at
        db.session.commit()
        outbox.deliver_due()
    [failed] = _rows(status=OutboxStatus.failed)
    assert failed.attempts == outbox.MAX_ATTEMPTS and "LINE API 400" in failed.last_error
    client.logout()
    client.login(make_staff("admin"))
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "LINE API 400" in page


def test_a_request_never_waits_for_line(client, app, line, line_api, make_idea, make_user, make_staff):  # noqa: F811
    user = make_user()
    _link_line_for_notices(client, line, user)
    idea = make_idea(author=user)
    line_api.pushes.clear()
    officer = make_staff("officer", idea.area)
    client.logout()
    client.login(officer)
    app.config["BACKGROUND_AFTER_RESPONSE"] = True
    try:
        response = client.post(f"/triage/ideas/{idea.id}/status", {"status": "accepted", "answer": ANSWER})
        assert response.status_code == 302
        assert line_api.pushes == [] and [r.status for r in _rows()] == [OutboxStatus.pending]
        response.close()  # the response went out; then the delivery runs
        assert len(line_api.pushes) == 1
    finally:
        app.config["BACKGROUND_AFTER_RESPONSE"] = False


def test_stopping_line_notices_takes_one_step(client, line, line_api, make_idea, make_user, make_staff):  # noqa: F811
    user = make_user()
    _link_line_for_notices(client, line, user)
    client.logout()
    link = line_notices.stop_url(user.id).removeprefix("http://localhost")
    page = client.get(link)
    assert page.status_code == 200 and line_notices.kinds_of(user)  # a GET (LINE's link preview) changes nothing
    assert client.post(link).status_code == 200
    assert line_notices.kinds_of(user) == set()
    assert client.get("/line/stop/forged-token").status_code == 404
    idea = make_idea(author=user)
    statuses.set_status(idea, IdeaStatus.accepted, ANSWER, make_staff("officer", idea.area))
    db.session.commit()
    assert line_api.pushes == []


def test_unlinking_line_stops_its_notices_and_nothing_is_offered_without_a_channel(client, app, line, make_user):  # noqa: F811
    user = make_user()
    assert 'id="line-notices"' not in (client.login(user) and client.get("/account/").get_data(as_text=True))
    app.config["LINE_CHANNEL_ACCESS_TOKEN"] = "token"
    try:
        client.logout()
        _link_line_for_notices(client, line, user)
        from idea4gov.oidc.models import LinkedIdentity

        identity = db.session.scalar(sa.select(LinkedIdentity))
        assert client.post(f"/account/sign-in/{identity.id}/unlink").status_code == 302
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LineNoticeKind)) == 0
    finally:
        app.config["LINE_CHANNEL_ACCESS_TOKEN"] = ""


def test_projects_reach_line_as_status_changes_and_answers(client, line, line_api, make_idea, make_user,  # noqa: F811
                                                           make_staff):
    """An idea that became a project, and the project reported done, are news of the idea's status."""
    from idea4gov.projects import services as projects
    from idea4gov.projects.models import PlanType, ProjectStatus

    status_only, answers_only = make_user(), make_user()
    sub_status = _link_line_for_notices(client, line, status_only, sub="U" + "1" * 32)
    assert client.post("/account/line-notices", {"status": "y"}).status_code == 302
    sub_answer = _link_line_for_notices(client, line, answers_only, sub="U" + "2" * 32)
    assert client.post("/account/line-notices", {"answer": "y"}).status_code == 302
    idea = make_idea(author=status_only, title="ติดตั้งถังขยะแยกประเภทริมหาด")
    services.vote(idea, answers_only)
    officer = make_staff("officer", idea.area)
    project = projects.create_project(idea.area, officer, projects.ProjectInput(
        "ถังขยะแยกประเภทริมหาด 40 จุด", PlanType.other, 2570), [idea])
    db.session.commit()
    [became] = line_api.pushes  # a new step of the idea: to the one who asked for status changes
    assert became["to"] == sub_status and "ถังขยะแยกประเภทริมหาด 40 จุด" in became["text"]
    projects.set_status(project, ProjectStatus.done, officer, "ติดตั้งครบทั้ง 40 จุดแล้ว พร้อมป้ายบอกประเภทขยะ")
    db.session.commit()
    done = line_api.pushes[1:]
    assert sorted(push["to"] for push in done) == sorted([sub_status, sub_answer])  # done: a status and an answer
    assert all("ติดตั้งครบทั้ง 40 จุดแล้ว" in push["text"] for push in done)


def test_event_reminders_and_seat_news_go_on_line_to_those_who_asked(client, line, line_api, make_area,  # noqa: F811
                                                                     make_staff, make_user):
    """Issue 17: a registered participant who asked for event notices on LINE gets the reminder and the news
    that a seat came free there; one who did not opt in to events gets neither on LINE (e-mail still goes)."""
    from datetime import timedelta

    from idea4gov.events.services import registration
    from idea4gov.events.services.reminders import remind_event
    from tests.event_support import make_event, seat

    area = make_area()
    event = make_event([area], make_staff("organiser", area), starts_in=timedelta(hours=20), capacity=2,
                       title_th="เวทีพรุ่งนี้", title_en="Tomorrow's forum")
    wants, declines, waiting = make_user(), make_user(), make_user()
    wants_sub = _link_line_for_notices(client, line, wants)
    assert client.post("/account/line-notices", {"event": "y"}).status_code == 302
    assert line_notices.kinds_of(wants) == {NoticeKind.event}
    assert 'name="event"' in client.get("/account/").get_data(as_text=True)
    waiting_sub = _link_line_for_notices(client, line, waiting, sub="U" + "c" * 32)  # every kind, events included
    _link_line_for_notices(client, line, declines, sub="U" + "b" * 32)
    assert client.post("/account/line-notices", {"receipt": "y", "status": "y"}).status_code == 302  # no events
    for person in (wants, declines, waiting):
        seat(event, person)  # the third waits
    line_api.pushes.clear()

    assert remind_event(event) == 2
    db.session.commit()
    [push] = line_api.pushes
    assert push["to"] == wants_sub and "เวทีพรุ่งนี้" in push["text"] and f"/events/{event.id}" in push["text"]
    assert "/line/stop/" in push["text"]
    [row] = _rows()
    assert row.status == OutboxStatus.sent and row.extra["kinds"] == ["event"]

    registration.cancel_own(registration.registration_of(event, declines))  # a seat comes free: the third gets it
    db.session.commit()
    assert [p["to"] for p in line_api.pushes] == [wants_sub, waiting_sub]
    assert "เวทีพรุ่งนี้" in line_api.pushes[-1]["text"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LineNoticeKind).where(
        LineNoticeKind.kind == NoticeKind.event)) == 2
