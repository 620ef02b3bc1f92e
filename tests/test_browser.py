"""A resident's main flow in a real browser, on a phone: register (with the e-mailed link), post, vote,
comment, search."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from idea4gov.auth.models import Role, User
from idea4gov.extensions import db
from idea4gov.ideas.models import Comment, Idea, Vote
from tests.browser_support import CHROMIUM_ARGS, PHONE, THAI_FONT_FACES_JS, rendered_font_families, require_chromium

pytestmark = pytest.mark.browser

EMAIL = "somchai@example.org"
DISPLAY_NAME = "สมชาย ใจดี"
PASSWORD = "Bangsaen-beach-2567"
TITLE = "เพิ่มถังขยะแยกประเภทริมหาดบางแสน"
BODY = "ขยะบนชายหาดเยอะมาก อยากให้เทศบาลเพิ่มถังขยะแยกประเภททุก 100 เมตร\nและมีป้ายบอกวิธีแยกขยะเป็นภาษาไทยและอังกฤษ"
COMMENT = "เห็นด้วยค่ะ ช่วงวันหยุดขยะล้นถังทุกสัปดาห์"


@dataclass
class BrowserLog:
    """What went wrong in the page that no assertion on the DOM would notice."""

    js_errors: list[str] = field(default_factory=list)
    #: (method, path, status) of every response >= 400, the page's own and its assets'.
    error_responses: list[tuple[str, str, int]] = field(default_factory=list)
    #: Requests to anywhere but the live server (a CDN font, analytics...): blocked and listed.
    outside_requests: list[str] = field(default_factory=list)


@pytest.fixture()
def phone(live_server):
    """A page in Debian's Chromium with a phone's viewport and touch, pointed at the live server."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    log = BrowserLog()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server, **PHONE)
        context.set_default_timeout(10_000)
        server = urlsplit(live_server).netloc

        def only_loopback(route):
            if urlsplit(route.request.url).netloc == server:
                route.continue_()
            else:
                log.outside_requests.append(route.request.url)
                route.abort()

        context.route("**/*", only_loopback)
        page = context.new_page()
        page.on("pageerror", lambda error: log.js_errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and not message.text.startswith(
            "Failed to load resource") and log.js_errors.append(message.text))
        page.on("response", lambda response: response.status >= 400 and log.error_responses.append(
            (response.request.method, urlsplit(response.url).path, response.status)))
        try:
            yield page, log
        finally:
            context.close()
            browser.close()


def test_resident_registers_posts_votes_comments_and_finds_the_idea_on_a_phone(phone, make_area, make_idea, tmp_path,
                                                                                mails):
    from playwright.sync_api import expect

    page, log = phone
    area = make_area(slug="saensuk")
    other = make_idea(area=area, title="ซ่อมไฟถนนในซอยวัดให้สว่าง",
                      body="ไฟถนนในซอยวัดดับหลายดวง ตอนกลางคืนมืดมากและอันตรายต่อคนเดินเท้า")
    slug, other_title = area.slug, other.title

    # Register through the form, with the PDPA consent.
    page.goto("/auth/register")
    page.get_by_label("อีเมล").fill(EMAIL)
    page.get_by_label("ชื่อที่แสดง").fill(DISPLAY_NAME)
    page.get_by_label("รหัสผ่าน", exact=True).fill(PASSWORD)
    page.get_by_label("ยืนยันรหัสผ่าน").fill(PASSWORD)
    page.get_by_label(re.compile("ฉันยอมรับประกาศความเป็นส่วนตัว")).check()
    page.get_by_role("button", name="สมัครสมาชิก").click()
    expect(page.get_by_role("heading", name="ตรวจสอบอีเมลของคุณ")).to_be_visible()
    # The link from the e-mail (MAIL_BACKEND=log, as in development), then the button on its page.
    page.goto(mails.link(EMAIL, "/auth/register/confirm/"))
    page.get_by_role("button", name="เปิดใช้บัญชีและเข้าสู่ระบบ").click()
    expect(page.locator(".flash-success")).to_contain_text(f"ยินดีต้อนรับ {DISPLAY_NAME}")
    expect(page.get_by_role("link", name="บัญชีของฉัน")).to_be_visible()

    # A title that is too short: the page comes back with the body kept and the error by the title.
    page.goto(f"/areas/{slug}")
    page.get_by_role("link", name="+ เสนอไอเดียใหม่").click()
    expect(page.get_by_role("heading", name="เสนอไอเดียใหม่")).to_be_visible()
    page.get_by_label("ชื่อไอเดีย").fill("ขยะ")
    page.get_by_label("รายละเอียด").fill(BODY)
    with page.expect_response(lambda response: response.request.method == "POST") as failed:
        page.get_by_role("button", name="ส่งไอเดีย").click()
    assert failed.value.status == 400
    page.wait_for_load_state()
    expect(page.get_by_label("รายละเอียด")).to_have_value(BODY)
    expect(page.get_by_label("ชื่อไอเดีย")).to_have_value("ขยะ")
    title_field = page.locator(".field.has-error").filter(has=page.locator("#title"))
    expect(title_field.locator(".errors")).to_have_text("ชื่อไอเดียต้องยาว 10–150 ตัวอักษร")
    expect(page.locator("#title")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#title")).to_have_attribute("aria-describedby", "title-errors title-hint")
    expect(page.locator(".field.has-error")).to_have_count(1)
    page.screenshot(path=tmp_path / "failed-form-on-phone.png", full_page=True)

    # Fix the title only; the kept body goes through.
    page.get_by_label("ชื่อไอเดีย").fill(TITLE)
    page.get_by_role("button", name="ส่งไอเดีย").click()
    expect(page).to_have_url(re.compile(r"/ideas/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".flash-success")).to_contain_text("ส่งไอเดียเรียบร้อยแล้ว")
    idea_id = int(page.url.rsplit("/", 1)[1])

    # Vote (a tap, as on a phone).
    expect(page.get_by_test_id("vote-count")).to_have_text("0")
    page.get_by_role("button", name="สนับสนุนไอเดียนี้").tap()
    expect(page.get_by_test_id("vote-count")).to_have_text("1")
    expect(page.get_by_role("button", name="ถอนการสนับสนุน")).to_be_visible()

    # Comment.
    page.get_by_label("ความคิดเห็น", exact=True).fill(COMMENT)
    page.get_by_role("button", name="ส่งความคิดเห็น").click()
    expect(page.locator(".comment-list .comment .body")).to_have_text(COMMENT)
    expect(page.get_by_role("heading", name="ความคิดเห็น (1)")).to_be_visible()
    expect(page.get_by_test_id("vote-count")).to_have_text("1")

    # Thai is drawn with the bundled Sarabun (there is no Thai system font here), and nothing overflows sideways.
    assert page.evaluate("async () => { await document.fonts.ready; return document.fonts.check('16px Sarabun', 'ทดสอบภาษาไทย'); }")
    loaded = [face for face in page.evaluate(THAI_FONT_FACES_JS) if face["status"] == "loaded"]
    assert {face["family"] for face in loaded} == {"Sarabun"}, loaded
    assert rendered_font_families(page, "article.idea h1") == {"Sarabun"}
    assert rendered_font_families(page, ".comment-list .comment .body") == {"Sarabun"}
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=tmp_path / "idea-on-phone.png", full_page=True)

    # Back to the area and search with a Thai word from the body, written without spaces.
    page.get_by_role("link", name=f"← {area.name_th}").click()
    page.get_by_label("ค้นหาไอเดีย").fill("ชายหาด")
    page.get_by_role("button", name="แสดง").click()
    expect(page).to_have_url(re.compile(r"[?&]q=%E0%B8%8A%E0%B8%B2%E0%B8%A2%E0%B8%AB%E0%B8%B2%E0%B8%94"))
    expect(page.get_by_label("ค้นหาไอเดีย")).to_have_value("ชายหาด")
    cards = page.locator(".ideas .idea-card")
    expect(cards).to_have_count(1)
    expect(cards.get_by_role("link", name=TITLE)).to_have_attribute("href", f"/ideas/{idea_id}")
    expect(cards.locator(".votes strong")).to_have_text("1")
    expect(cards).to_contain_text("1 ความคิดเห็น")
    expect(page.get_by_text(other_title)).to_have_count(0)
    assert rendered_font_families(page, ".ideas .idea-card .card-title a") == {"Sarabun"}
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=tmp_path / "search-on-phone.png", full_page=True)

    # The only failed response was the deliberately short title; no JS error, nothing fetched from outside.
    assert log == BrowserLog(error_responses=[("POST", f"/areas/{slug}/ideas/new", 400)])

    # What the browser did is in the database: one account, one idea, one vote, one comment.
    db.session.expire_all()
    user = db.session.scalars(sa.select(User).where(User.email == EMAIL)).one()
    assert (user.display_name, user.role) == (DISPLAY_NAME, Role.resident)
    assert user.pdpa_consent_at is not None
    idea = db.session.scalars(sa.select(Idea).where(Idea.author_id == user.id)).one()
    assert (idea.id, idea.title, idea.body, idea.area_id) == (idea_id, TITLE, BODY, area.id)
    assert (idea.vote_count, idea.comment_count) == (1, 1)
    assert db.session.scalars(sa.select(Vote.user_id).where(Vote.idea_id == idea_id)).all() == [user.id]
    comment = db.session.scalars(sa.select(Comment).where(Comment.idea_id == idea_id)).one()
    assert (comment.author_id, comment.body) == (user.id, COMMENT)


@pytest.mark.browser
def test_similar_ideas_show_while_typing_and_can_be_supported_instead(phone, make_area, make_user, make_idea):
    page, log = phone
    area = make_area(slug="saensuk")
    existing = make_idea(area=area, title="เพิ่มถังขยะแยกประเภทริมหาดบางแสน",
                         body="ขยะบนชายหาดเยอะมาก อยากให้วางถังขยะแยกประเภททุก 100 เมตรริมหาด")
    resident = make_user(email="typing@example.org")
    page.goto("/auth/login")
    page.fill("#email", resident.email)
    page.fill("#password", "correct-horse-battery-9")
    page.click("form.stacked button[type=submit]")
    page.goto(f"/areas/{area.slug}/ideas/new")

    page.fill("#title", "อยากได้ถังขยะแยกประเภทบนชายหาด")
    page.locator("#body").press_sequentially("ขยะเยอะ", delay=20)
    box = page.locator("#similar-ideas")
    box.wait_for(state="visible")
    item = box.locator(f'li[data-idea-id="{existing.id}"]')
    assert "เพิ่มถังขยะแยกประเภทริมหาดบางแสน" in item.inner_text()
    # Each match says whether it is probably the same problem or only a related one.
    same = item.get_attribute("data-same-issue")
    assert same in ("yes", "no")
    assert item.locator(".match-label").inner_text().startswith(
        "อาจเป็นเรื่องเดียวกัน" if same == "yes" else "เรื่องใกล้เคียง")

    item.locator("button[type=submit]").click()
    page.wait_for_url(f"**/ideas/{existing.id}**")
    assert page.locator('[data-testid="vote-count"]').inner_text() == "1"
    assert not log.js_errors, log.js_errors
