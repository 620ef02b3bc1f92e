"""A moderator approves a pending idea and rejects a comment; the author sees both outcomes."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from idea4gov.areas.models import ModerationMode
from idea4gov.areas.settings import settings_of
from idea4gov.extensions import db
from idea4gov.ideas.models import Comment, Idea, Visibility
from tests.conftest import PASSWORD
from tests.test_browser import phone  # noqa: F401  (the Chromium phone fixture)

pytestmark = pytest.mark.browser

TITLE = "ลานจอดจักรยานริมหาดแสนสุข"
BODY = "นักท่องเที่ยวปั่นจักรยานมาเยอะแต่ไม่มีที่จอด อยากให้มีลานจอดจักรยานพร้อมที่ล็อกทุกจุดทางลงหาด"
COMMENT = "ไปดูโปรโมชั่นที่ร้านผมได้เลย ถูกที่สุดในแสนสุข"
REASON = "เป็นการโฆษณาร้านค้า ไม่เกี่ยวกับไอเดีย"


def sign_in(page, user) -> None:
    page.goto("/auth/login")
    page.get_by_label("อีเมล").fill(user.email)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/")


def sign_out(page) -> None:
    page.get_by_role("button", name="ออกจากระบบ").click()


def test_moderator_approves_an_idea_and_rejects_a_comment_and_the_author_sees_both(
        phone, make_area, make_idea, make_user, make_staff):  # noqa: F811
    page, log = phone
    area = make_area(slug="saensuk")
    existing = make_idea(area=area, title="เพิ่มถังขยะริมชายหาดแสนสุข")
    settings_of(area).moderation_mode = ModerationMode.pre
    db.session.commit()
    author = make_user(display_name="สมหญิง รักหาด")
    moderator = make_staff("moderator", area, display_name="ผู้ดูแล แสนสุข")

    sign_in(page, author)
    page.goto(f"/areas/{area.slug}/ideas/new")
    page.get_by_label("ชื่อไอเดีย").fill(TITLE)
    page.get_by_label("รายละเอียด").fill(BODY)
    page.get_by_role("button", name="ส่งไอเดีย").click()
    page.get_by_text("ไอเดียจะแสดงต่อสาธารณะเมื่อผู้ดูแลตรวจสอบแล้ว").wait_for()
    assert page.locator(".moderation-state.state-pending").first.is_visible()
    page.goto(f"/ideas/{existing.id}")
    page.get_by_label("ความคิดเห็น", exact=True).fill(COMMENT)
    page.get_by_role("button", name="ส่งความคิดเห็น").click()
    page.get_by_text("ความคิดเห็นจะแสดงต่อสาธารณะเมื่อผู้ดูแลตรวจสอบแล้ว").wait_for()
    sign_out(page)

    sign_in(page, moderator)
    page.get_by_role("link", name="คิวตรวจสอบเนื้อหา").click()
    idea = db.session.scalar(sa.select(Idea).where(Idea.title == TITLE))
    comment = db.session.scalar(sa.select(Comment))
    item = page.locator(f"#item-idea-{idea.id}")
    item.get_by_role("button", name="อนุมัติ", exact=True).click()
    page.get_by_text("บันทึกการตัดสินใจแล้ว").wait_for()
    item = page.locator(f"#item-comment-{comment.id}")
    item.locator("form.decision", has=page.get_by_role("button", name="ไม่อนุมัติ")).get_by_label(
        "เหตุผล (ผู้เขียนจะเห็น)").fill(REASON)
    item.get_by_role("button", name="ไม่อนุมัติ").click()
    page.get_by_text("บันทึกการตัดสินใจแล้ว").wait_for()
    assert page.get_by_text("ไม่มีรายการรอตรวจสอบ").is_visible()
    sign_out(page)

    db.session.expire_all()
    assert db.session.get(Idea, idea.id).visibility == Visibility.published
    assert db.session.get(Comment, comment.id).visibility == Visibility.rejected

    sign_in(page, author)
    page.get_by_role("link", name="การแจ้งเตือน").click()
    page.wait_for_url(re.compile(r"/notifications/"))  # the click starts the navigation; counting waits for the page
    notes = page.locator(".notification")
    expect(notes).to_have_count(2)
    text = page.locator(".notifications").inner_text()
    assert f"ไอเดีย “{TITLE}” ผ่านการตรวจสอบและเผยแพร่แล้ว" in text
    assert "ไม่ผ่านการตรวจสอบ" in text and REASON in text
    page.get_by_role("link", name=f"ไอเดีย “{TITLE}” ผ่านการตรวจสอบและเผยแพร่แล้ว").click()
    assert page.locator(".moderation-state").count() == 0
    page.goto(f"/ideas/{existing.id}")
    rejected = page.locator(f"#comment-{comment.id}")
    assert "ไม่ผ่านการตรวจสอบ" in rejected.inner_text() and REASON in rejected.inner_text()
    sign_out(page)
    # The public sees the approved idea, not the rejected comment.
    page.goto(f"/areas/{area.slug}")
    assert page.get_by_text(TITLE).is_visible()
    page.goto(f"/ideas/{existing.id}")
    assert COMMENT not in page.content()
    assert log.js_errors == [] and log.outside_requests == []
