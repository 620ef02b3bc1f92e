"""The programme without code, in a real browser: an admin creates a province and a municipality
under it with a promise, a theme and an open round; a resident sees the promise, posts an idea and
gets its reference number; the programme page counts it.

Each step is a helper returning what the next needs, so later steps (the reference number, the
programme page) extend the same journey."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from conftest import PASSWORD

from idea4gov.areas.models import Area, IAP2Level, Round
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea
from idea4gov.timeutil import to_bangkok, utcnow
from tests.browser_support import log_in, log_out
from tests.test_browser import phone  # noqa: F401  (fixture: Chromium on a phone, loopback only)

pytestmark = pytest.mark.browser

PROMISE_TH = "เทศบาลจะอ่านทุกไอเดีย รวมเรื่องเดียวกันไว้ด้วยกัน และตอบกลับภายใน 14 วัน ไอเดียที่มีผู้สนับสนุนมากจะเข้าแผนพัฒนาท้องถิ่น"
PROMISE_EN = "We will read every idea, bring together reports of the same problem and answer within 14 days."
IDEA_TITLE = "ตั้งจุดคัดแยกขยะริมหาดวอนนภา"
IDEA_BODY = "ช่วงเย็นวันหยุดขยะริมหาดวอนนภาล้นถัง อยากให้มีจุดคัดแยกขยะพร้อมป้ายบอกวิธีแยกเป็นภาษาไทยและอังกฤษ"


def create_area(page, slug: str, name_th: str, name_en: str, parent_link: bool = False,
                promise: tuple[str, str] | None = None) -> None:
    """Fill the new-area form (reached from the areas list, or from the parent's page)."""
    from playwright.sync_api import expect

    if parent_link:
        page.get_by_role("link", name="+ สร้างพื้นที่ย่อย").click()
    else:
        page.goto("/admin/")
        page.get_by_role("link", name="พื้นที่ โจทย์ และรอบรับฟังความคิดเห็น").click()
    form = page.locator("#new-area")
    form.get_by_label("รหัสพื้นที่ (slug)").fill(slug)
    form.get_by_label("ชื่อภาษาไทย", exact=True).fill(name_th)
    form.get_by_label("ชื่อภาษาอังกฤษ", exact=True).fill(name_en)
    if promise:
        form.get_by_label("ระดับการมีส่วนร่วมที่สัญญากับประชาชน (IAP2)").select_option("consult")
        form.get_by_label("คำมั่นต่อประชาชน (ภาษาไทย)").fill(promise[0])
        form.get_by_label("คำมั่นต่อประชาชน (ภาษาอังกฤษ)").fill(promise[1])
    form.get_by_role("button", name="สร้างพื้นที่").click()
    expect(page.locator(".flash-success")).to_contain_text("สร้างพื้นที่แล้ว")
    expect(page.get_by_role("heading", level=1)).to_contain_text(name_th)


def add_theme_and_open_round(page, title_th: str, title_en: str) -> None:
    """On the area's admin page: a theme, then a round holding it, open from yesterday for a month."""
    from playwright.sync_api import expect

    themes = page.locator("#themes")
    themes.get_by_label("ชื่อโจทย์ (ภาษาไทย)").fill(title_th)
    themes.get_by_label("ชื่อโจทย์ (ภาษาอังกฤษ)").fill(title_en)
    themes.get_by_role("button", name="เพิ่มโจทย์").click()
    expect(page.locator(".flash-success")).to_contain_text("เพิ่มโจทย์แล้ว")
    rounds = page.locator("#rounds")
    rounds.get_by_label("ชื่อรอบ (ภาษาไทย)").fill("รอบที่ 1 ปีงบประมาณ 2570")
    rounds.get_by_label("ชื่อรอบ (ภาษาอังกฤษ)").fill("Round 1, fiscal year 2570")
    rounds.get_by_label("เปิดรับ (เวลากรุงเทพฯ)", exact=True).fill(f"{to_bangkok(utcnow() - timedelta(days=1)):%Y-%m-%dT09:00}")
    rounds.get_by_label("ปิดรับ (เวลากรุงเทพฯ)", exact=True).fill(f"{to_bangkok(utcnow() + timedelta(days=30)):%Y-%m-%dT16:30}")
    rounds.get_by_label(title_th).check()
    rounds.get_by_role("button", name="บันทึกรอบ").click()
    expect(page.locator(".flash-success")).to_contain_text("เพิ่มรอบรับฟังความคิดเห็นแล้ว")
    expect(page.get_by_test_id("round-row")).to_contain_text("เปิดรับอยู่")


def post_idea_seeing_the_promise(page, slug: str, theme_title: str) -> int:
    """A resident opens the area, reads the promise, posts an idea; returns its id."""
    from playwright.sync_api import expect

    page.goto(f"/areas/{slug}")
    expect(page.locator(".breadcrumb")).to_contain_text("จังหวัดชลบุรี")
    expect(page.get_by_test_id("iap2-level")).to_have_text("การปรึกษาหารือ")
    expect(page.get_by_test_id("promise")).to_contain_text(PROMISE_TH)
    expect(page.get_by_test_id("open-round")).to_contain_text("รอบที่ 1 ปีงบประมาณ 2570")
    page.get_by_role("link", name="+ เสนอไอเดียใหม่").click()
    expect(page.get_by_test_id("promise")).to_contain_text(PROMISE_TH)
    page.get_by_label("ชื่อไอเดีย").fill(IDEA_TITLE)
    page.get_by_label("รายละเอียด").fill(IDEA_BODY)
    page.get_by_label("โจทย์").select_option(label=theme_title)
    with page.expect_navigation(url=re.compile(r"/ideas/\d+$"), timeout=30_000):  # the first Thai tokenizing is slow
        page.get_by_role("button", name="ส่งไอเดีย").click(no_wait_after=True)
    expect(page.locator(".flash-success")).to_contain_text("ส่งไอเดียเรียบร้อยแล้ว")
    return int(page.url.rsplit("/", 1)[1])


def see_the_receipt(page) -> str:
    """The idea page (and the thank-you) show the reference number; it looks the idea up again."""
    from playwright.sync_api import expect

    reference = page.get_by_test_id("reference").inner_text().strip()
    assert re.fullmatch(r"[A-Z]{2,6}-\d{4}-\d{5}", reference), reference
    expect(page.locator(".flash-success")).to_contain_text(reference)
    idea_url = page.url
    page.goto(f"/ideas/lookup?ref={reference.lower().replace('-', ' ')}")
    assert page.url == idea_url
    return reference


def programme_counts_the_idea(page, slug: str) -> None:
    """An admin's programme page for this fiscal year counts the area's one idea."""
    from playwright.sync_api import expect

    from idea4gov.programme import fiscal

    page.goto(f"/programme?fy={fiscal.current().be}")
    row = page.get_by_test_id(f"area-{slug}")
    expect(row).to_be_visible()
    expect(row.locator("td").first).to_have_text("1")


def test_admin_builds_a_province_and_municipality_and_a_resident_posts_under_the_promise(
        phone, make_staff, make_user):  # noqa: F811
    page, log = phone
    make_staff("admin", email="admin@example.org", display_name="ผู้ดูแลระบบ")
    make_user(email="malee@example.org", display_name="มาลี ศรีสุข")
    db.session.remove()

    log_in(page, "admin@example.org", PASSWORD)
    create_area(page, "chonburi", "จังหวัดชลบุรี", "Chonburi Province")
    create_area(page, "saensuk", "เทศบาลเมืองแสนสุข", "Saensuk Town Municipality", parent_link=True,
                promise=(PROMISE_TH, PROMISE_EN))
    add_theme_and_open_round(page, "ขยะชายหาด", "Beach litter")
    log_out(page)

    log_in(page, "malee@example.org", PASSWORD)
    idea_id = post_idea_seeing_the_promise(page, "saensuk", "ขยะชายหาด")
    reference = see_the_receipt(page)
    log_out(page)

    log_in(page, "admin@example.org", PASSWORD)
    programme_counts_the_idea(page, "saensuk")

    db.session.expire_all()
    town = db.session.scalar(sa.select(Area).where(Area.slug == "saensuk"))
    assert town.parent.slug == "chonburi" and town.iap2_level == IAP2Level.consult
    assert (town.promise_th, town.promise_en) == (PROMISE_TH, PROMISE_EN)
    round_ = db.session.scalar(sa.select(Round).where(Round.area_id == town.id))
    assert [theme.slug for theme in round_.themes] == ["beach-litter"]
    idea = db.session.get(Idea, idea_id)
    assert (idea.area_id, idea.theme.slug, idea.title) == (town.id, "beach-litter", IDEA_TITLE)
    assert idea.reference == reference
    assert log.js_errors == [] and log.outside_requests == []
    assert [r for r in log.error_responses if r[2] >= 500] == []
