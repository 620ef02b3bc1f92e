"""An officer routes a group, answers an idea; a supporter sees the answer on the idea page and in notifications."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from conftest import PASSWORD

from idea4gov.extensions import db
from idea4gov.groups.models import IdeaGroup
from idea4gov.ideas import services
from idea4gov.ideas.models import Idea, IdeaStatus
from idea4gov.triage.models import Agency
from tests.test_browser import phone  # noqa: F401  (fixture: Chromium on a phone, loopback only)

pytestmark = pytest.mark.browser

ANSWER = "เทศบาลรับเรื่องแล้ว จะเพิ่มถังขยะแยกประเภทริมหาด 20 จุดภายในเดือนหน้า"


def _log_in(page, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("อีเมล").fill(email)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_officer_routes_a_group_answers_and_the_supporter_sees_it(phone, make_area, make_staff, make_user,  # noqa: F811
                                                                 make_idea):
    from playwright.sync_api import expect

    page, log = phone
    area = make_area(slug="saensuk")
    make_staff("officer", area, email="officer-saensuk@example.org", display_name="เจ้าหน้าที่ แสนสุข")
    supporter = make_user(email="malee@example.org", display_name="มาลี ศรีสุข")
    beach1 = make_idea(area, title="เพิ่มถังขยะริมชายหาดบางแสน")
    beach2 = make_idea(area, title="ถังขยะริมหาดไม่พอช่วงวันหยุด",
                       body="วันหยุดคนมาเที่ยวหาดเยอะ ถังขยะริมหาดล้นทุกสัปดาห์ ขอเพิ่มถังขยะและเก็บบ่อยขึ้น")
    group = IdeaGroup(area_id=area.id, keywords="ถังขยะ ชายหาด")
    db.session.add_all([group, Agency(area_id=area.id, name_th="กองช่าง"),
                        Agency(area_id=area.id, name_th="กองสาธารณสุขและสิ่งแวดล้อม")])
    db.session.flush()
    beach1.group_id = beach2.group_id = group.id
    services.vote(beach1, supporter)
    db.session.commit()
    ids, group_id, area_name = (beach1.id, beach2.id), group.id, area.name_th
    db.session.remove()

    # The officer routes the whole group from the board.
    _log_in(page, "officer-saensuk@example.org")
    page.get_by_role("link", name="งานเจ้าหน้าที่").first.click()
    page.get_by_role("link", name=area_name).click()
    row = page.get_by_test_id("board-row").filter(has=page.locator(f'[data-group="{group_id}"]'))
    expect(row).to_contain_text("ถังขยะ")
    row.get_by_label("หน่วยงาน").select_option(label="กองสาธารณสุขและสิ่งแวดล้อม")
    row.get_by_role("button", name="ส่งต่อทั้งกลุ่ม").click()
    expect(page.locator(".flash-success")).to_contain_text("ส่งต่อ 2 ไอเดียในกลุ่มให้ กองสาธารณสุขและสิ่งแวดล้อม แล้ว")
    db.session.expire_all()
    health = db.session.scalar(sa.select(Agency.id).where(Agency.name_th == "กองสาธารณสุขและสิ่งแวดล้อม"))
    assert {db.session.get(Idea, i).agency_id for i in ids} == {health}

    # ...then answers one idea with "accepted".
    page.get_by_role("link", name=f"#{ids[0]} เพิ่มถังขยะริมชายหาดบางแสน").click()
    expect(page).to_have_url(re.compile(rf"/triage/ideas/{ids[0]}$"))
    page.get_by_label("สถานะ").select_option(label="รับไปดำเนินการ")
    page.get_by_label("คำตอบถึงประชาชน (เผยแพร่บนหน้าไอเดีย)").fill(ANSWER)
    page.get_by_role("button", name="บันทึกสถานะ").click()
    expect(page.locator(".flash-success")).to_contain_text("บันทึกสถานะและแจ้งผู้ติดตามแล้ว")
    expect(page.get_by_test_id("triage-status")).to_have_text("รับไปดำเนินการ")
    page.get_by_role("button", name="ออกจากระบบ").click()

    # The supporter sees the answer on the idea page and in the notifications.
    _log_in(page, "malee@example.org")
    expect(page.locator(".notifications-link .count")).to_have_text("1")
    page.goto(f"/ideas/{ids[0]}")
    history = page.get_by_test_id("status-change")
    expect(history).to_have_count(1)
    expect(history).to_contain_text("รับไปดำเนินการ")
    expect(history.locator(".answer")).to_have_text(ANSWER)
    page.get_by_role("link", name="การแจ้งเตือน").click()
    note = page.locator(".notification").first
    expect(note).to_contain_text("ไอเดีย “เพิ่มถังขยะริมชายหาดบางแสน” ที่คุณติดตามเปลี่ยนสถานะเป็น “รับไปดำเนินการ”")
    expect(note).to_contain_text(ANSWER)

    db.session.expire_all()
    assert db.session.get(Idea, ids[0]).status == IdeaStatus.accepted
    assert log.js_errors == [] and log.outside_requests == []
    assert log.error_responses == []
