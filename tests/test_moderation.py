"""Pre- and post-moderation, the queue, decisions, auto-hide, audit and notifications."""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.areas.models import ModerationMode
from idea4gov.areas.settings import settings_of
from idea4gov.audit.models import AuditEntry
from idea4gov.extensions import db
from idea4gov.ideas import services
from idea4gov.ideas.models import Comment, Idea, Report, ReportReason, Visibility
from idea4gov.notifications.models import Notification

BODY = "ชายหาดบางแสนมีขยะพลาสติกเยอะหลังวันหยุด อยากให้มีจุดแยกขยะและอาสาสมัครเก็บขยะทุกเช้า"


def pre_moderated(make_area):
    area = make_area()
    settings_of(area).moderation_mode = ModerationMode.pre
    db.session.commit()
    return area


def post_idea(client, area, title="จุดแยกขยะริมหาดบางแสน", body=BODY):
    return client.post(f"/areas/{area.slug}/ideas/new",
                       data={"title": title, "body": body, "theme": area.themes[0].slug, "confirm_new": "1"})


def test_pre_moderated_idea_waits_unseen_until_approved(client, make_area, make_user, make_staff):
    area = pre_moderated(make_area)
    author, moderator = make_user(), make_staff("moderator", area)
    client.login(author)
    response = post_idea(client, area)
    assert response.status_code == 302
    idea = db.session.scalar(sa.select(Idea))
    assert idea.visibility == Visibility.pending and idea.held_for == "pre_moderation"
    assert "รอตรวจสอบ" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "จุดแยกขยะริมหาดบางแสน" not in client.get(f"/areas/{area.slug}").get_data(as_text=True)
    client.logout()
    assert client.get(f"/ideas/{idea.id}").status_code == 404
    assert client.get(f"/api/v1/ideas/{idea.id}").status_code == 404
    assert client.get(f"/api/v1/areas/{area.slug}/ideas").get_json()["items"] == []

    client.login(moderator)
    queue = client.get("/moderation/").get_data(as_text=True)
    assert "จุดแยกขยะริมหาดบางแสน" in queue and "พื้นที่นี้ตรวจสอบก่อนเผยแพร่" in queue
    response = client.post(f"/moderation/idea/{idea.id}/approve")
    assert response.status_code == 302
    db.session.refresh(idea)
    assert idea.visibility == Visibility.published and idea.held_for is None
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.target_id == idea.id))
    assert (entry.action, entry.actor_id, entry.before, entry.after) == ("approve", moderator.id, "pending", "published")
    note = db.session.scalar(sa.select(Notification).where(Notification.user_id == author.id))
    assert note.kind == "idea_approved" and note.idea_id == idea.id
    client.logout()
    assert "จุดแยกขยะริมหาดบางแสน" in client.get(f"/areas/{area.slug}").get_data(as_text=True)


def test_reject_needs_a_reason_the_author_then_sees(client, make_area, make_user, make_staff):
    area = pre_moderated(make_area)
    author, moderator = make_user(), make_staff("moderator", area)
    idea = services.create_idea(area, author, services.IdeaInput("ขอป้ายบอกทางไปชายหาด", BODY, area.themes[0]))
    db.session.commit()
    client.login(moderator)
    response = client.post(f"/moderation/idea/{idea.id}/reject", data={"reason": "  "})
    assert response.status_code == 400
    assert "กรุณาใส่เหตุผล" in response.get_data(as_text=True)
    long_reason = "ยาวเกิน" * 200
    response = client.post(f"/moderation/idea/{idea.id}/reject", data={"reason": long_reason})
    assert response.status_code == 400 and long_reason in response.get_data(as_text=True)
    db.session.refresh(idea)
    assert idea.visibility == Visibility.pending
    response = client.post(f"/moderation/idea/{idea.id}/reject", data={"reason": "มีเบอร์โทรศัพท์ส่วนตัว <b>กรุณาลบ</b>"})
    assert response.status_code == 302
    db.session.refresh(idea)
    assert idea.visibility == Visibility.rejected
    client.logout()
    client.login(author)
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    # The reason is stored as plain text (tags removed), like everything people type.
    assert "ไม่ผ่านการตรวจสอบ" in page and "มีเบอร์โทรศัพท์ส่วนตัว กรุณาลบ" in page and "<b>กรุณาลบ" not in page
    notes = client.get("/notifications/").get_data(as_text=True)
    assert "ไม่ผ่านการตรวจสอบ" in notes and "มีเบอร์โทรศัพท์ส่วนตัว" in notes


def test_pending_comment_is_not_counted_until_approved(client, make_area, make_idea, make_user, make_staff):
    area = make_area()
    idea = make_idea(area=area)
    settings_of(area).moderation_mode = ModerationMode.pre
    db.session.commit()
    author, moderator = make_user(), make_staff("moderator", area)
    client.login(author)
    response = client.post(f"/ideas/{idea.id}/comments", data={"body": "เห็นด้วยครับ ควรทำทุกสุดสัปดาห์"})
    assert response.status_code == 302
    comment = db.session.scalar(sa.select(Comment))
    assert comment.visibility == Visibility.pending
    db.session.refresh(idea)
    assert idea.comment_count == 0
    assert "รอตรวจสอบ" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    client.logout()
    assert "เห็นด้วยครับ" not in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    client.login(moderator)
    assert client.post(f"/moderation/comment/{comment.id}/approve").status_code == 302
    db.session.refresh(idea)
    assert idea.comment_count == 1
    assert client.post(f"/moderation/comment/{comment.id}/hide", data={"reason": "นอกเรื่อง"}).status_code == 302
    db.session.refresh(idea)
    assert idea.comment_count == 0
    assert client.post(f"/moderation/comment/{comment.id}/restore").status_code == 302
    db.session.refresh(idea)
    assert idea.comment_count == 1
    kinds = db.session.scalars(sa.select(Notification.kind).where(Notification.user_id == author.id)
                               .order_by(Notification.id)).all()
    assert kinds == ["comment_approved", "comment_hidden", "comment_restored"]


def test_a_decision_that_no_longer_applies_is_refused(client, make_idea, make_staff):
    idea = make_idea()
    client.login(make_staff("moderator", idea.area))
    response = client.post(f"/moderation/idea/{idea.id}/approve")
    assert response.status_code == 400
    assert "ทำแบบนี้ไม่ได้" in response.get_data(as_text=True)
    assert client.post(f"/moderation/idea/{idea.id}/explode").status_code == 404
    assert client.post(f"/moderation/poll/{idea.id}/approve").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.target_type == "idea")) == 0


def report_as(users, **target):
    for user in users:
        services.report(user, ReportReason.offensive, "หยาบคาย", **target)
    db.session.commit()


def test_three_distinct_reports_hide_until_a_moderator_restores(client, make_idea, make_user, make_staff):
    idea = make_idea()
    reporters = [make_user() for _ in range(3)]
    report_as(reporters[:2], idea=idea)
    services.report(reporters[0], ReportReason.spam, "", idea=idea)  # the same person again: not counted
    db.session.commit()
    db.session.refresh(idea)
    assert idea.visibility == Visibility.published
    report_as(reporters[2:], idea=idea)
    db.session.refresh(idea)
    assert idea.visibility == Visibility.hidden and idea.held_for == "reports"
    assert client.get(f"/ideas/{idea.id}").status_code == 404
    auto = db.session.scalar(sa.select(AuditEntry))
    assert auto.action == "auto_hide" and auto.actor_id is None

    client.login(make_staff("moderator", idea.area))
    queue = client.get("/moderation/").get_data(as_text=True)
    assert "ถูกรายงาน 3 ครั้ง" in queue and "หยาบคายหรือสร้างความเกลียดชัง × 3" in queue
    assert client.post(f"/moderation/idea/{idea.id}/restore").status_code == 302
    db.session.refresh(idea)
    assert idea.visibility == Visibility.published
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report).where(Report.resolved_at.is_(None))) == 0
    assert "ถูกรายงาน 3 ครั้ง" not in client.get("/moderation/").get_data(as_text=True)
    # Reports after the restore start counting again from zero.
    report_as([make_user()], idea=idea)
    db.session.refresh(idea)
    assert idea.visibility == Visibility.published


def test_the_auto_hide_threshold_is_an_area_setting(make_idea, make_user):
    idea = make_idea()
    settings_of(idea.area).auto_hide_reports = 1
    db.session.commit()
    comment = services.add_comment(idea, make_user(), "ข้อความที่ไม่เหมาะสมมาก")
    db.session.commit()
    report_as([make_user()], comment=comment)
    db.session.refresh(comment)
    db.session.refresh(idea)
    assert comment.visibility == Visibility.hidden
    assert idea.comment_count == 0


def test_queue_is_oldest_first_and_only_my_areas(client, make_area, make_user, make_staff):
    mine, theirs = pre_moderated(make_area), pre_moderated(make_area)
    author = make_user()
    first = services.create_idea(mine, author, services.IdeaInput("ไอเดียแรกที่รอตรวจ", BODY, mine.themes[0]))
    second = services.create_idea(mine, author, services.IdeaInput("ไอเดียที่สองที่รอตรวจ", BODY + " เพิ่ม", mine.themes[0]))
    services.create_idea(theirs, author, services.IdeaInput("ไอเดียของพื้นที่อื่น", BODY, theirs.themes[0]))
    db.session.commit()
    client.login(make_staff("moderator", mine))
    html = client.get("/moderation/").get_data(as_text=True)
    assert html.index(first.title) < html.index(second.title)
    assert "ไอเดียของพื้นที่อื่น" not in html
    assert "รอการตัดสินใจ 2 รายการ" in html
    assert client.get(f"/moderation/?area={theirs.slug}").status_code == 404
    assert "ไอเดียแรก" not in client.get("/moderation/?kind=comment").get_data(as_text=True)


def test_bulk_approve_skips_what_does_not_apply(client, make_area, make_user, make_staff, make_idea):
    area = pre_moderated(make_area)
    author = make_user()
    pending = [services.create_idea(area, author, services.IdeaInput(f"ไอเดียรอตรวจหมายเลข {n}", f"{BODY} {n}",
                                                                        area.themes[0])) for n in range(3)]
    db.session.commit()
    published = make_idea(area=area)
    published.visibility = Visibility.published
    db.session.commit()
    client.login(make_staff("moderator", area))
    items = [f"idea:{idea.id}" for idea in pending] + [f"idea:{published.id}"]
    response = client.post("/moderation/bulk", data={"items": items, "action": "approve", "reason": ""})
    assert response.status_code == 302
    assert all(db.session.get(Idea, idea.id).visibility == Visibility.published for idea in pending)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "approve")) == 3
    assert client.post("/moderation/bulk", data={"action": "approve"}).status_code == 400
    assert client.post("/moderation/bulk", data={"items": ["idea:abc"], "action": "approve"}).status_code == 400


def test_word_list_and_links_send_content_to_the_queue(client, make_area, make_user, make_idea):
    area = make_area()
    client.login(make_user())
    post_idea(client, area, title="ร้านค้าริมหาด ค ว ย มาก", body=BODY)
    spaced = db.session.scalar(sa.select(Idea).order_by(Idea.id.desc()))
    assert (spaced.visibility, spaced.held_for) == (Visibility.pending, "word_list")
    links = " ".join(f"https://spam{n}.example.com/x" for n in range(3))
    post_idea(client, area, title="โปรโมชั่นพิเศษสำหรับนักท่องเที่ยว", body=f"{BODY} {links}")
    linked = db.session.scalar(sa.select(Idea).order_by(Idea.id.desc()))
    assert (linked.visibility, linked.held_for) == (Visibility.pending, "links")
    post_idea(client, area, title="หีบเก็บอุปกรณ์ทำความสะอาดชายหาด",
              body=f"{BODY} ดูตัวอย่างที่ https://a.example.org และ https://b.example.org")
    fine = db.session.scalar(sa.select(Idea).order_by(Idea.id.desc()))
    assert fine.visibility == Visibility.published and fine.held_for is None
    idea = make_idea(area=area)
    client.post(f"/ideas/{idea.id}/comments", data={"body": "ไปเล่น บาคาร่า ที่เว็บเรา"})
    comment = db.session.scalar(sa.select(Comment))
    assert (comment.visibility, comment.held_for) == (Visibility.pending, "word_list")


def test_the_same_text_twice_is_refused_and_kept_in_the_form(client, make_area, make_user, make_idea):
    area = make_area()
    client.login(make_user())
    assert post_idea(client, area).status_code == 302
    again = post_idea(client, area, title="  จุดแยกขยะริมหาดบางแสน ", body=BODY.replace(" ", "  "))
    html = again.get_data(as_text=True)
    assert again.status_code == 400 and "คุณเคยส่งข้อความนี้แล้ว" in html and "จุดแยกขยะริมหาดบางแสน" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea)) == 1
    idea = make_idea(area=area)
    assert client.post(f"/ideas/{idea.id}/comments", data={"body": "ขอสนับสนุนเต็มที่"}).status_code == 302
    again = client.post(f"/ideas/{idea.id}/comments", data={"body": "ขอสนับสนุนเต็มที่"})
    assert again.status_code == 400 and "คุณเคยส่งข้อความนี้แล้ว" in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 1


def test_the_api_refuses_the_same_idea_twice(client, make_area, make_user):
    from tests.api_support import token_for

    area = make_area()
    token = token_for(make_user())
    payload = {"title": "ที่จอดจักรยานริมชายหาด", "body": BODY}
    assert client.api("POST", f"/api/v1/areas/{area.slug}/ideas", json=payload, token=token).status_code == 201
    response = client.api("POST", f"/api/v1/areas/{area.slug}/ideas", json=payload, token=token)
    assert response.status_code == 409
    assert "เคยส่งข้อความนี้แล้ว" in response.get_json()["error"]["message"]


def test_a_pre_moderated_api_idea_says_it_is_pending(client, make_area, make_user):
    from tests.api_support import token_for

    area = pre_moderated(make_area)
    response = client.api("POST", f"/api/v1/areas/{area.slug}/ideas",
                          json={"title": "ที่จอดจักรยานริมชายหาด", "body": BODY}, token=token_for(make_user()))
    assert response.status_code == 201
    assert db.session.get(Idea, response.get_json()["id"]).visibility == Visibility.pending


def test_an_approved_older_idea_is_found_by_similar_search(client, make_area, make_user, make_staff, make_idea):
    from idea4gov.ideas import similar

    area = pre_moderated(make_area)
    pending = services.create_idea(area, make_user(), services.IdeaInput(
        "ติดตั้งไฟส่องสว่างที่ลานจอดรถชายหาด", "ลานจอดรถริมชายหาดมืดมากตอนกลางคืน อยากให้ติดไฟส่องสว่างเพิ่ม",
        area.themes[0]))
    db.session.commit()
    settings_of(area).moderation_mode = ModerationMode.post
    db.session.commit()
    make_idea(area=area, title="ปลูกต้นไม้ให้ร่มเงาริมถนนเลียบหาด",
              body="ถนนเลียบหาดร้อนมากตอนกลางวัน อยากให้ปลูกต้นไม้ใหญ่ให้ร่มเงาตลอดแนว")
    assert all(idea.id != pending.id for idea, _s in similar.similar_ideas(area, "ไฟส่องสว่างลานจอดรถ", 5))
    client.login(make_staff("moderator", area))
    assert client.post(f"/moderation/idea/{pending.id}/approve").status_code == 302
    assert pending.id in [idea.id for idea, _s in similar.similar_ideas(area, "ไฟส่องสว่างลานจอดรถ", 5)]


def test_the_queue_runs_the_same_queries_however_many_items(client, make_area, make_user, make_staff):
    from tests.db_support import count_queries

    area = pre_moderated(make_area)
    client.login(make_staff("moderator", area))

    def fill(n: int) -> None:
        for i in range(n):
            idea = services.create_idea(area, make_user(), services.IdeaInput(
                f"ไอเดียรอตรวจชุดที่ {i} {n}", f"{BODY} ชุด {i} {n}", area.themes[0]))
            db.session.flush()
            services.report(make_user(), ReportReason.spam, f"โฆษณา {i}", idea=idea)
        db.session.commit()

    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/moderation/").status_code == 200
        return len(statements)

    fill(2)
    few = queries()
    fill(8)
    assert queries() == few
    assert "โฆษณา 7" in client.get("/moderation/").get_data(as_text=True)
