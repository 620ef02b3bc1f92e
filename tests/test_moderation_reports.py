"""Reports a moderator disagrees with: keep the item and dismiss its reports; the reporter who
tips an idea into auto-hide lands somewhere that exists."""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.areas.settings import settings_of
from idea4gov.audit.models import AuditEntry
from idea4gov.extensions import db
from idea4gov.ideas import services
from idea4gov.ideas.models import Comment, Idea, Report, ReportReason, Visibility
from idea4gov.notifications.models import Notification


def _report(user, *, idea=None, comment=None, reason=ReportReason.spam):
    services.report(user, reason, "ดูเหมือนโฆษณา", idea=idea, comment=comment)
    db.session.commit()


def _notes(user_id: int) -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).where(Notification.user_id == user_id)))


def test_a_moderator_keeps_a_reported_idea_and_only_the_reporters_are_told(client, make_idea, make_user, make_staff):
    idea = make_idea()
    moderator = make_staff("moderator", idea.area)
    reporters = [make_user(), make_user()]
    for reporter in reporters:
        _report(reporter, idea=idea)
    client.login(moderator)
    queue = client.get("/moderation/").get_data(as_text=True)
    assert f'/moderation/idea/{idea.id}/dismiss' in queue and "คงไว้ ยกเลิกรายงาน" in queue

    response = client.post(f"/moderation/idea/{idea.id}/dismiss", {"reason": "เป็นข้อเสนอจริง ไม่ใช่โฆษณา"})
    assert response.status_code == 302
    db.session.refresh(idea)
    assert idea.visibility == Visibility.published and idea.moderation_note == ""
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report).where(Report.resolved_at.is_(None))) == 0
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "dismiss"))
    assert (entry.actor_id, entry.target_type, entry.target_id, entry.before, entry.after, entry.reason) == (
        moderator.id, "idea", idea.id, "published", "published", "เป็นข้อเสนอจริง ไม่ใช่โฆษณา")
    for reporter in reporters:
        [note] = _notes(reporter.id)
        assert (note.kind, note.idea_id, note.reason) == ("idea_report_dismissed", idea.id, "เป็นข้อเสนอจริง ไม่ใช่โฆษณา")
    assert _notes(idea.author_id) == []  # the author never hears of reports nobody acted on
    # The queue is empty without hiding anything.
    assert "ไม่มีรายการรอตรวจสอบ" in client.get("/moderation/").get_data(as_text=True)

    client.logout()
    client.login(reporters[0])
    page = client.get("/notifications/").get_data(as_text=True)
    assert "ยังแสดงต่อไป" in page and "หมายเหตุจากผู้ดูแลเนื้อหา:" in page


def test_dismissing_needs_no_note_and_works_on_comments_and_in_bulk(client, make_idea, make_user, make_staff):
    idea = make_idea()
    moderator = make_staff("moderator", idea.area)
    commenter, reporter = make_user(), make_user()
    comment = services.add_comment(idea, commenter, "เห็นด้วยครับ ควรทำตั้งแต่ปีที่แล้ว")
    db.session.commit()
    _report(reporter, comment=comment)
    other = make_idea(area=idea.area, title="ขอไฟส่องสว่างริมหาดตอนกลางคืน")
    _report(reporter, idea=other)
    client.login(moderator)
    response = client.post("/moderation/bulk", {"action": "dismiss", "items": [f"comment:{comment.id}", f"idea:{other.id}"]})
    assert response.status_code == 302
    db.session.refresh(comment)
    assert comment.visibility == Visibility.published
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report).where(Report.resolved_at.is_(None))) == 0
    assert sorted(n.kind for n in _notes(reporter.id)) == ["comment_report_dismissed", "idea_report_dismissed"]
    assert _notes(commenter.id) == []
    assert db.session.get(Idea, idea.id).comment_count == 1


def test_dismissing_what_has_no_open_report_is_refused_and_audits_nothing(client, make_idea, make_staff):
    idea = make_idea()
    moderator = make_staff("moderator", idea.area)
    client.login(moderator)
    response = client.post(f"/moderation/idea/{idea.id}/dismiss")
    assert response.status_code == 400
    assert "ไม่มีรายงานที่รอตรวจสอบ" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "dismiss")) == 0


def test_a_moderator_of_another_area_cannot_dismiss(client, make_idea, make_user, make_staff, make_area):
    idea = make_idea()
    _report(make_user(), idea=idea)
    client.login(make_staff("moderator", make_area()))
    assert client.post(f"/moderation/idea/{idea.id}/dismiss").status_code == 403
    assert db.session.scalar(sa.select(Report.resolved_at)) is None


def test_the_reporter_who_triggers_auto_hide_lands_on_the_area_page(client, make_idea, make_user):
    idea = make_idea()
    settings_of(idea.area).auto_hide_reports = 2
    db.session.commit()
    _report(make_user(), idea=idea)
    last = make_user()
    client.login(last)
    response = client.post(f"/ideas/{idea.id}/report", {"reason": "spam", "details": ""})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/areas/{idea.area.slug}")
    db.session.refresh(idea)
    assert idea.visibility == Visibility.hidden
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and "ขอบคุณ เราได้รับรายงานแล้ว" in page.get_data(as_text=True)


def test_reporting_a_comment_still_returns_to_its_idea(client, make_idea, make_user):
    idea = make_idea()
    comment = services.add_comment(idea, make_user(), "ความคิดเห็นที่ถูกรายงาน")
    settings_of(idea.area).auto_hide_reports = 1
    db.session.commit()
    client.login(make_user())
    response = client.post(f"/ideas/{idea.id}/report", {"reason": "offensive", "comment_id": str(comment.id)})
    assert response.headers["Location"].endswith(f"/ideas/{idea.id}")
    assert db.session.get(Comment, comment.id).visibility == Visibility.hidden


def test_restoring_an_auto_hidden_idea_tells_its_reporters_it_stays(client, make_idea, make_user, make_staff):
    idea = make_idea()
    settings_of(idea.area).auto_hide_reports = 2
    db.session.commit()
    reporters = [make_user(), make_user()]
    for reporter in reporters:
        _report(reporter, idea=idea)
    assert db.session.get(Idea, idea.id).visibility == Visibility.hidden
    client.login(make_staff("moderator", idea.area))
    assert client.post(f"/moderation/idea/{idea.id}/restore").status_code == 302
    for reporter in reporters:
        assert [n.kind for n in _notes(reporter.id)] == ["idea_report_dismissed"]
