"""An organiser, in a real browser, builds a shortlist from a filter, reorders it and downloads the XLSX."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from idea4gov.extensions import db
from idea4gov.shortlists.models import Shortlist, ShortlistItem
from tests.conftest import PASSWORD
from tests.test_browser import (
    BrowserLog,
    phone,  # noqa: F401  (fixture)
)

pytestmark = pytest.mark.browser

BEACH_TITLES = ["เพิ่มถังขยะแยกประเภทริมหาดบางแสน", "จัดเวรเก็บขยะชายหาดทุกเช้าวันหยุดๆ", "ห้ามใช้โฟมริมหาด ๑๐๐ เมตร 🌊"]


def test_organiser_builds_a_shortlist_from_a_filter_and_downloads_xlsx(phone, make_area, make_staff,  # noqa: F811
                                                                       make_idea, make_user, tmp_path):
    from playwright.sync_api import expect

    page, log = phone
    area = make_area(slug="saensuk", themes=(("beach", "ขยะชายหาด", "Beach litter"),
                                              ("tourism", "ท่องเที่ยวชุมชน", "Community tourism")))
    organiser = make_staff("organiser", area, email="organiser@example.org", display_name="ผู้จัด แสนสุข")
    voter = make_user()
    from idea4gov.ideas import services
    ideas = [make_idea(area=area, title=title, body=f"{title} รายละเอียดยาวพอสำหรับการทดสอบในเบราว์เซอร์จริง",
                       theme=area.themes[0]) for title in BEACH_TITLES]
    make_idea(area=area, title="ล่องเรือชมวิถีชุมชนริมน้ำ", body="อยากให้มีเรือท่องเที่ยวชมวิถีชีวิตริมแม่น้ำในชุมชน",
              theme=area.themes[1])
    services.vote(ideas[2], voter)  # the most supported comes first
    db.session.commit()

    page.goto("/auth/login")
    page.fill("#email", organiser.email)
    page.fill("#password", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.get_by_role("link", name="รายการคัดเลือก").first.click()
    expect(page).to_have_url(re.compile(r"/shortlists/$"))

    page.get_by_role("link", name="+ สร้างรายการคัดเลือก").click()
    page.get_by_label("ชื่อรายการคัดเลือก").fill("MY BETTER COUNTRY HACKATHON ๒๕๖๙")
    page.get_by_label("วันที่จัดกิจกรรม").fill("2026-12-05")
    page.get_by_label(area.name_th).check()
    page.get_by_role("button", name="สร้างรายการ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MY BETTER COUNTRY HACKATHON ๒๕๖๙")

    page.get_by_role("link", name="+ เพิ่มไอเดียด้วยตัวกรอง").click()
    page.get_by_label("โจทย์").select_option(label="ขยะชายหาด")
    page.get_by_label("ผู้สนับสนุนอย่างน้อย").fill("0")
    page.get_by_role("button", name="แสดง").click()
    expect(page.get_by_role("heading", name="พบ 3 ไอเดียที่ตรงกับตัวกรอง")).to_be_visible()
    expect(page.get_by_text("ล่องเรือชมวิถีชุมชนริมน้ำ")).to_have_count(0)
    page.get_by_test_id("add-all").click()
    expect(page.locator(".flash-success")).to_contain_text("เพิ่ม 3 ไอเดียในรายการแล้ว")
    items = page.locator(".shortlist-items > li")
    expect(items).to_have_count(3)
    expect(items.first.locator("h3")).to_contain_text(BEACH_TITLES[2])

    # Move the first idea down one place (a plain form POST, no JavaScript needed).
    items.first.get_by_role("button", name=re.compile("เลื่อนลง")).click()
    expect(items.nth(1).locator("h3")).to_contain_text(BEACH_TITLES[2])
    expected_order = [BEACH_TITLES[1], BEACH_TITLES[2], BEACH_TITLES[0]]  # ties: newest first

    with page.expect_download() as download_info:
        page.get_by_role("link", name="ดาวน์โหลด Excel (XLSX)").click()
    download = download_info.value
    assert re.fullmatch(r"shortlist-\d+\.xlsx", download.suggested_filename)
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    sheet = load_workbook(target).active
    header = [cell.value for cell in sheet[1]]
    titles = [row[header.index("ชื่อไอเดีย (title)")].value for row in sheet.iter_rows(min_row=2)]
    assert titles == expected_order  # unscored: in the shortlist's order, Thai intact
    assert sheet.freeze_panes == "A2"
    page.screenshot(path=tmp_path / "shortlist.png", full_page=True)

    assert log == BrowserLog()
    db.session.expire_all()
    shortlist = db.session.scalars(sa.select(Shortlist)).one()
    rows = db.session.execute(sa.select(ShortlistItem.idea_id, ShortlistItem.position)
                              .where(ShortlistItem.shortlist_id == shortlist.id)
                              .order_by(ShortlistItem.position)).all()
    by_title = {idea.id: idea.title for idea in ideas}
    assert [by_title[row.idea_id] for row in rows] == expected_order
    assert [row.position for row in rows] == [0, 1, 2]
