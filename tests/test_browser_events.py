"""The whole event cycle on a phone in a real browser: sign up (with the e-mailed link) and register on
site with the event's join code, form a team, submit a proposal, answer the survey; a judge scores it;
the organiser marks it taken forward; the report shows the figures."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from idea4gov.events.models import Outcome, Proposal, Registration
from idea4gov.events.services import judging
from idea4gov.extensions import db
from idea4gov.joincodes.services import open_code
from tests.browser_support import log_in, log_out
from tests.conftest import PASSWORD
from tests.event_support import event_world  # noqa: F401  (fixture)
from tests.test_browser import phone  # noqa: F401  (fixture: Chromium on a phone, loopback only)

pytestmark = pytest.mark.browser


def test_the_hackathon_cycle_from_join_code_to_report(phone, ew, make_user, mails):  # noqa: F811
    from playwright.sync_api import expect

    page, log = phone
    judge = make_user(email="judge@example.org", display_name="กรรมการ")
    rubric = judging.rubric_of(ew.event)
    rubric.add_criterion("ผลกระทบ", 1, ew.organiser)
    rubric.add_judge(judge, ew.organiser)
    code = open_code(ew.area, ew.organiser, "หน้างานแฮกกาธอน", 12, 100, event=ew.event).code
    event_id, idea_id, organiser_email = ew.event.id, ew.ideas[0].id, ew.organiser.email
    db.session.commit()

    # On site: scan the code, sign up, come back to the code's page, register and check in.
    page.goto(f"/join/{code}")
    expect(page.get_by_test_id("join-event")).to_contain_text(ew.event.title_th)
    page.get_by_test_id("join-event").get_by_role("link", name="สมัครสมาชิก").click()
    page.get_by_label("อีเมล").fill("nok@example.org")
    page.get_by_label("ชื่อที่แสดง").fill("นก นักศึกษา")
    page.get_by_label("รหัสผ่าน", exact=True).fill(PASSWORD)
    page.get_by_label("ยืนยันรหัสผ่าน").fill(PASSWORD)
    page.get_by_label(re.compile("ฉันยอมรับประกาศความเป็นส่วนตัว")).check()
    page.get_by_role("button", name="สมัครสมาชิก").click()
    expect(page.get_by_role("heading", name="ตรวจสอบอีเมลของคุณ")).to_be_visible()
    page.goto(mails.link("nok@example.org", "/auth/register/confirm/"))  # the e-mailed link
    page.get_by_role("button", name="เปิดใช้บัญชีและเข้าสู่ระบบ").click()
    expect(page).to_have_url(re.compile(f"/join/{code}$"))
    page.get_by_test_id("join-event-register").tap()
    expect(page.get_by_test_id("on-site")).to_be_visible()
    page.get_by_label("ภาคส่วน (ไม่บังคับ)").select_option("student")
    page.get_by_label(re.compile("ฉันยินยอมให้ใช้ภาคส่วน")).check()
    page.get_by_role("button", name="ลงทะเบียนและเช็กอิน").click()
    expect(page.get_by_test_id("my-status")).to_contain_text("เช็กอินแล้ว")

    # A team, and its proposal sent as final.
    page.get_by_label("ชื่อทีม").fill("ทีมหาดสะอาด")
    page.get_by_role("button", name="ตั้งทีม").click()
    expect(page.get_by_test_id("my-team")).to_contain_text("ทีมหาดสะอาด")
    expect(page.get_by_test_id("invite-link")).to_have_value(re.compile(r"/events/\d+/teams/\d+/join/"))
    page.get_by_role("link", name="ข้อเสนอของทีม").click()
    page.get_by_label("ชื่อข้อเสนอ").fill("ถังขยะแจ้งเตือนเมื่อเต็ม")
    page.get_by_label("ปัญหา", exact=True).fill("ถังขยะริมหาดล้นทุกวันหยุด รถเก็บขยะไม่รู้ว่าถังไหนเต็ม")
    page.get_by_label("ทางแก้ที่เสนอ").fill("ติดเซนเซอร์วัดระดับขยะ ส่งข้อมูลให้รถเก็บขยะวางเส้นทาง")
    page.get_by_label("ใครได้ประโยชน์").fill("นักท่องเที่ยว ผู้ค้าริมหาด และพนักงานเก็บขยะ")
    page.get_by_label("ไอเดียของประชาชนที่เป็นที่มา").fill(str(idea_id))
    page.get_by_role("button", name="ส่งเป็นฉบับสุดท้าย").click()
    expect(page.locator(".flash-success")).to_contain_text("ส่งข้อเสนอฉบับสุดท้ายแล้ว")
    expect(page.get_by_test_id("proposal-status")).to_have_text("ฉบับสุดท้าย")

    # The survey.
    page.goto(f"/events/{event_id}")
    page.get_by_role("link", name="ตอบแบบสอบถามหลังกิจกรรม").click()
    page.get_by_label("5 พึงพอใจมากที่สุด").check()
    page.get_by_label("เข้าร่วม", exact=True).check()
    page.get_by_role("button", name="ส่งแบบสอบถาม").click()
    expect(page.locator(".flash-success")).to_contain_text("ขอบคุณที่ตอบแบบสอบถาม")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    log_out(page)

    # A judge scores it.
    log_in(page, "judge@example.org", PASSWORD)
    page.goto(f"/events/{event_id}/manage/score")
    page.get_by_label(re.compile("ผลกระทบ")).select_option("4")
    page.get_by_role("button", name="บันทึกคะแนน").click()
    expect(page.locator(".flash-success")).to_contain_text("บันทึกคะแนนแล้ว")
    log_out(page)

    # The organiser marks it taken forward.
    log_in(page, organiser_email, PASSWORD)
    page.goto(f"/events/{event_id}/manage/judging")
    expect(page.get_by_test_id("weighted")).to_have_text("4.00")
    page.get_by_role("link", name="บันทึกผลลัพธ์").click()
    page.get_by_label("ผลลัพธ์").select_option("taken_forward")
    page.get_by_label("เหตุผล (แสดงต่อสาธารณะ)").fill("เทศบาลรับไปทำโครงการนำร่อง 20 จุดริมหาดบางแสน")
    page.get_by_label("หน่วยงานที่นำไปดำเนินการ").select_option(label="กองสาธารณสุขและสิ่งแวดล้อม")
    page.get_by_role("button", name="บันทึกผลลัพธ์").click()
    expect(page.locator(".flash-success")).to_contain_text("บันทึกผลลัพธ์แล้ว")
    log_out(page)

    # Anyone reads the report's figures.
    page.goto(f"/events/{event_id}/report")
    expect(page.get_by_test_id("fig-participants")).to_have_text("1")
    expect(page.get_by_test_id("fig-proposals")).to_have_text("1")
    expect(page.get_by_test_id("fig-taken-forward")).to_have_text("1 จาก 1")
    expect(page.get_by_test_id("fig-satisfaction")).to_have_text("100.0 %")
    expect(page.get_by_test_id("fig-return")).to_have_text("100.0 %")
    expect(page.get_by_test_id("sectors").locator('tr[data-key="student"] td').nth(1)).to_have_text("< 5")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    assert not log.js_errors and not log.outside_requests, (log.js_errors, log.outside_requests)
    assert all(status < 500 for _method, _path, status in log.error_responses), log.error_responses
    db.session.expire_all()
    proposal = db.session.scalars(sa.select(Proposal)).one()
    assert proposal.outcome == Outcome.taken_forward and [i.id for i in proposal.ideas] == [idea_id]
    assert db.session.scalars(sa.select(Registration)).one().join_code_id is not None
