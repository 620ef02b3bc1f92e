"""In a real browser: a resident drops a pin and posts; the area's map shows the markers over tiles
from a tile server on loopback; an officer turns a group into a budgeted project; a supporter
disputes "implemented" and the idea is back on the officers' board."""
from __future__ import annotations

import http.server
import re
import threading
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from conftest import PASSWORD

from idea4gov.extensions import db
from idea4gov.places.models import IdeaLocation
from tests.browser_support import CHROMIUM_ARGS, PHONE, log_in, log_out, require_chromium

pytestmark = pytest.mark.browser

#: A 1×1 PNG: every tile the stand-in server hands out.
TILE = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                     "0000000d4944415478da63f8ffff3f0005fe02fe0def46b80000000049454e44ae426082")


class _Tiles(http.server.BaseHTTPRequestHandler):
    served: list[str] = []

    def do_GET(self):  # noqa: N802
        type(self).served.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(TILE)))
        self.end_headers()
        self.wfile.write(TILE)

    def log_message(self, *args) -> None:  # quiet
        pass


@pytest.fixture()
def tiles(app):
    """A tile server on loopback; the app's map and CSP point at it."""
    from idea4gov.security import content_security_policy

    _Tiles.served = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png"
    saved = {key: app.config[key] for key in ("MAP_TILE_URL", "CONTENT_SECURITY_POLICY")}
    app.config.update(MAP_TILE_URL=url, CONTENT_SECURITY_POLICY=content_security_policy(url))
    try:
        yield server
    finally:
        app.config.update(saved)
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture()
def browser_page(live_server, tiles):
    """Chromium on a phone, allowed to reach only the live server and the loopback tile server."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    allowed = {urlsplit(live_server).netloc, f"127.0.0.1:{tiles.server_port}"}
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server, **PHONE)
        context.set_default_timeout(10_000)
        context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).netloc in allowed
                      else (problems.append(route.request.url), route.abort()))
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("console", lambda m: m.type == "error" and "Failed to load resource" not in m.text
                and problems.append(m.text))
        try:
            yield page, problems
        finally:
            context.close()
            browser.close()


def test_a_resident_drops_a_pin_posts_and_the_map_shows_the_markers(browser_page, make_area, make_user, make_idea):
    from playwright.sync_api import expect

    page, problems = browser_page
    area = make_area(slug="saensuk")
    other = make_idea(area, title="ซ่อมไฟถนนในซอยวัดให้สว่าง", body="ไฟถนนในซอยวัดดับหลายดวง กลางคืนมืดมากและอันตราย")
    db.session.add(IdeaLocation(idea_id=other.id, lat=13.2843, lng=100.9151))
    db.session.commit()
    make_user(email="pin@example.org")
    db.session.remove()

    log_in(page, "pin@example.org", PASSWORD)
    page.goto("/areas/saensuk/ideas/new")
    picker = page.locator("[data-map-picker]")
    expect(picker).to_be_visible()
    page.get_by_label("ชื่อไอเดีย").fill("ท่อระบายน้ำอุดตันหน้าบ้านเลขที่ 12")
    page.get_by_label("รายละเอียด").fill("ฝนตกทีไรน้ำท่วมขังหน้าบ้าน ท่อระบายน้ำอุดตันมานานแล้ว ขอให้มาลอกท่อด้วยครับ")
    picker.click(position={"x": 120, "y": 90})
    expect(page.locator("#lat")).not_to_have_value("")
    lat, lng = float(page.locator("#lat").input_value()), float(page.locator("#lng").input_value())
    assert 5.5 <= lat <= 20.6 and 97.2 <= lng <= 105.8
    page.get_by_role("button", name="ส่งไอเดีย").click()
    expect(page).to_have_url(re.compile(r"/ideas/\d+$"))
    expect(page.get_by_test_id("idea-point")).to_contain_text("ปัดเศษประมาณ 100 เมตร")
    idea_id = int(page.url.rsplit("/", 1)[1])
    row = db.session.get(IdeaLocation, idea_id)
    assert row is not None and row.source.value == "map" and abs(row.lat - lat) < 1e-5

    # The area's map shows both ideas as markers (clustered when close), over tiles from loopback.
    page.goto("/areas/saensuk")
    page.locator("#q").scroll_into_view_if_needed()  # the map is fetched when it comes near the screen
    expect(page.get_by_test_id("map")).to_have_attribute("data-markers", "2")
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    expect(page.locator("img.leaflet-tile-loaded").first).to_be_attached()
    assert _Tiles.served, "no tile was fetched from the loopback tile server"
    assert page.locator(".leaflet-control-attribution").inner_text().find("OpenStreetMap") >= 0
    assert problems == []


def test_an_officer_makes_a_project_from_a_group_and_a_supporter_disputes_implemented(
        browser_page, make_area, make_staff, make_user, make_idea):
    from playwright.sync_api import expect

    from idea4gov.areas.settings import save_settings
    from idea4gov.groups.models import IdeaGroup
    from idea4gov.ideas import services
    from idea4gov.ideas.models import Idea, IdeaStatus
    from idea4gov.projects.models import Project
    from idea4gov.triage.models import Agency

    page, problems = browser_page
    area = make_area(slug="saensuk")
    make_staff("officer", area, email="officer@example.org")
    supporter = make_user(email="fan@example.org")
    beach1 = make_idea(area, title="เพิ่มถังขยะริมชายหาดบางแสน")
    beach2 = make_idea(area, title="ถังขยะริมหาดไม่พอช่วงวันหยุด",
                       body="วันหยุดคนมาเที่ยวหาดเยอะ ถังขยะริมหาดล้นทุกสัปดาห์ ขอเพิ่มถังขยะและเก็บบ่อยขึ้น")
    group = IdeaGroup(area_id=area.id, keywords="ถังขยะ ชายหาด")
    db.session.add_all([group, Agency(area_id=area.id, name_th="กองสาธารณสุขและสิ่งแวดล้อม")])
    db.session.flush()
    beach1.group_id = beach2.group_id = group.id
    services.vote(beach1, supporter)
    save_settings(area, None, dispute_min_responses=1)  # one answer decides, to keep the test short
    db.session.commit()
    idea_id, group_id = beach1.id, group.id
    db.session.remove()

    log_in(page, "officer@example.org", PASSWORD)
    page.goto("/triage/saensuk")
    row = page.get_by_test_id("board-row").filter(has=page.locator(f'[data-group="{group_id}"]'))
    row.get_by_role("link", name="สร้างโครงการจากกลุ่มนี้").click()
    expect(page.get_by_label("ไอเดียที่มาของโครงการ (หมายเลข)")).to_have_value(re.compile(rf"^{idea_id}, \d+$"))
    page.get_by_label("ชื่อโครงการ", exact=True).fill("ติดตั้งถังขยะแยกประเภทริมหาดบางแสน")
    page.get_by_label("งบประมาณ (บาท, ถ้ามี)").fill("1,250,000")
    page.get_by_label("แหล่งงบประมาณ").fill("งบประมาณเทศบาล")
    page.get_by_label("หน่วยงานรับผิดชอบ").select_option(label="กองสาธารณสุขและสิ่งแวดล้อม")
    page.get_by_role("button", name="บันทึกโครงการ").click()
    expect(page.locator(".flash-success")).to_contain_text("สร้างโครงการแล้ว")
    project = db.session.scalars(sa.select(Project)).one()
    assert project.budget == Decimal("1250000.00") and len(project.links) == 2
    # The officer marks the idea implemented from its triage page.
    page.goto(f"/triage/ideas/{idea_id}")
    page.get_by_label("สถานะ").select_option(label="ดำเนินการแล้ว")
    page.get_by_label("คำตอบถึงประชาชน (เผยแพร่บนหน้าไอเดีย)").fill("ติดตั้งถังขยะแยกประเภทครบทุกจุดแล้ว")
    page.get_by_role("button", name="บันทึกสถานะ").click()
    expect(page.get_by_test_id("triage-status")).to_have_text("ดำเนินการแล้ว")
    log_out(page)

    # The supporter says it is not done.
    log_in(page, "fan@example.org", PASSWORD)
    page.goto(f"/ideas/{idea_id}")
    expect(page.get_by_test_id("became-project")).to_contain_text("ติดตั้งถังขยะแยกประเภทริมหาดบางแสน")
    confirm = page.get_by_test_id("confirm")
    confirm.get_by_label("ยังไม่เสร็จ").check()
    confirm.get_by_label("เล่าเพิ่มเติม (ถ้ามี)").fill("ไปดูมาแล้ว ยังไม่มีถังขยะแยกประเภทเลย")
    confirm.get_by_role("button", name="ส่งคำตอบ").click()
    expect(page.locator(".flash-success")).to_contain_text("กลับไปให้เจ้าหน้าที่ตรวจสอบอีกครั้ง")
    expect(page.get_by_test_id("disputes")).to_contain_text("ไปดูมาแล้ว ยังไม่มีถังขยะแยกประเภทเลย")
    log_out(page)

    # Back on the officers' board, marked disputed.
    log_in(page, "officer@example.org", PASSWORD)
    page.goto("/triage/saensuk")
    page.get_by_test_id("disputed-count").click()
    expect(page.get_by_test_id("disputed-badge")).to_have_count(1)
    expect(page.get_by_test_id("board-row")).to_contain_text("เพิ่มถังขยะริมชายหาดบางแสน")
    db.session.expire_all()
    assert db.session.get(Idea, idea_id).status == IdeaStatus.in_progress
    assert problems == []
