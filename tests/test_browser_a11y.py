"""Keyboard only, focus always visible, errors that take the focus; text size, 200 % zoom and a
320 px screen (issue 18, points 2 and 4), in Debian's Chromium.

The keyboard test never clicks or fills: it presses Tab, Shift+Tab, Enter, arrows and types, and
after every Tab checks that the focused element shows a focus ring of at least 2 px whose colour
has 3:1 contrast with what is behind it (WCAG 2.4.7 and 1.4.11).
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from idea4gov.extensions import db
from tests.a11y_support import axe_violations
from tests.browser_support import CHROMIUM_ARGS, require_chromium
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

#: What the focused element looks like: its focus ring and the contrast of the ring's colour with
#: the first opaque background behind it.
FOCUS_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: 'body'};
  const style = getComputedStyle(el);
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let back = [255, 255, 255];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) { back = c.slice(0, 3); break; }
  }
  const ring = rgb(style.outlineColor).slice(0, 3);
  const [a, b] = [lum(ring), lum(back)].sort((x, y) => y - x);
  const box = el.getBoundingClientRect();
  return {tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent || el.value || '').trim().slice(0, 40),
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth) || 0,
          contrast: (a + 0.05) / (b + 0.05), visible: box.width > 0 && box.height > 0};
}
"""


class Keyboard:
    """Drives a page with the keyboard only, checking the focus ring at every step."""

    def __init__(self, page) -> None:
        self.page = page
        self.steps = 0
        self.problems: list[str] = []

    def check_focus(self) -> dict:
        focus = self.page.evaluate(FOCUS_JS)
        if focus["tag"] != "body":
            if focus["outline"] == "none" or focus["width"] < 2 or focus["contrast"] < 3 or not focus["visible"]:
                self.problems.append(f"{self.page.url}: focus not visible on {focus}")
        return focus

    def tab_to(self, selector: str, limit: int = 120, back: bool = False) -> None:
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
            self.steps += 1
            self.check_focus()
            if self.page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"{self.page.url}: Tab never reached {selector}")

    def activate(self, selector: str, **kwargs) -> None:
        """Tab to a link or button and press Enter; wait for the page it opens."""
        self.tab_to(selector, **kwargs)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def type_into(self, selector: str, text: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.type(text)

    def focused(self) -> dict:
        return self.page.evaluate(FOCUS_JS)


@pytest.fixture()
def browser(live_server):
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium, live_server
        finally:
            chromium.close()


def _context(browser, **options):
    chromium, live_server = browser
    context = chromium.new_context(base_url=live_server, locale="th-TH", timezone_id="Asia/Bangkok", **options)
    context.set_default_timeout(15_000)
    return context


def test_resident_and_officer_paths_with_the_keyboard_only(browser, make_area, make_user, make_staff, make_idea):
    from idea4gov.ideas.models import Comment, Idea, Vote
    from idea4gov.triage.models import Agency

    area = make_area(slug="saensuk")
    other = make_idea(area=area, title="ซ่อมไฟถนนในซอยวัดให้สว่าง",
                      body="ไฟถนนในซอยวัดดับหลายดวง ตอนกลางคืนมืดมากและอันตรายต่อคนเดินเท้า")
    resident = make_user(email="somchai@example.org", display_name="สมชาย ใจดี")
    officer = make_staff("officer", area, email="officer@example.org")
    agency = Agency(area_id=area.id, name_th="กองช่าง", name_en="Public works")
    db.session.add(agency)
    db.session.commit()
    area_id, other_id, agency_id = area.id, other.id, agency.id

    context = _context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    keys = Keyboard(page)
    try:
        # Resident: sign in (a wrong password first: the error summary takes the focus).
        page.goto("/")
        keys.tab_to("a.skip")  # the first stop is the skip link, visible when focused
        keys.activate("header a[href^='/auth/login']")
        keys.type_into("#email", resident.email)
        keys.type_into("#password", "not-my-password-1")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert keys.focused()["id"] == "error-summary", keys.focused()
        keys.check_focus()
        keys.tab_to("#password")
        page.keyboard.type(PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        # Find the area, open the form, post an idea.
        keys.activate(f"main a[href='/areas/{area.slug}']")
        keys.activate(f"main a[href^='/areas/{area.slug}/ideas/new']")
        keys.type_into("#title", "ตั้งจุดเติมน้ำดื่มฟรีริมหาดบางแสน")
        keys.type_into("#body", "อยากให้มีจุดเติมน้ำดื่มฟรีทุก 500 เมตร คนจะได้พกขวดมาเติมแทนซื้อขวดพลาสติกใหม่")
        keys.tab_to("#idea-form button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        posted = db.session.scalar(sa.select(Idea).where(Idea.title == "ตั้งจุดเติมน้ำดื่มฟรีริมหาดบางแสน"))
        assert posted is not None and page.url.endswith(f"/ideas/{posted.id}")
        # Back to the area, open another idea, support it and comment.
        keys.activate(f"main a[href='/areas/{area.slug}']")
        keys.activate(f"main a[href='/ideas/{other_id}']")
        keys.activate(f"form[action='/ideas/{other_id}/vote'] button")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote).where(
            Vote.idea_id == other_id, Vote.user_id == resident.id)) == 1
        keys.type_into("#comment-form textarea", "เห็นด้วยครับ ซอยนี้มืดมากตอนกลางคืน")
        keys.tab_to("#comment-form button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert db.session.scalar(sa.select(Comment.body).where(Comment.idea_id == other_id)).startswith("เห็นด้วยครับ")
        keys.activate("header form[action='/auth/logout'] button")

        # Officer: sign in, open the triage board, route an idea, answer it.
        keys.activate("header a[href^='/auth/login']")
        keys.type_into("#email", officer.email)
        keys.type_into("#password", PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        keys.activate("header a[href='/triage/']")
        keys.activate(f"main a[href='/triage/{area.slug}']")
        keys.activate(f"main a[href='/triage/ideas/{other_id}']")
        keys.tab_to("#route-idea")
        page.keyboard.press("ArrowDown")  # a closed select moves to the next choice: the agency
        assert page.evaluate("document.querySelector('#route-idea').value") == str(agency_id)
        keys.tab_to("#route form.route-form button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        keys.tab_to("#status")
        for _ in range(8):  # to "รับไปดำเนินการ" (accepted), whatever its position
            if page.evaluate("document.querySelector('#status').value") == "accepted":
                break
            page.keyboard.press("ArrowDown")
        assert page.evaluate("document.querySelector('#status').value") == "accepted"
        keys.type_into("#answer", "กองช่างรับเรื่องแล้ว จะเปลี่ยนหลอดไฟภายในสัปดาห์นี้")
        keys.tab_to("#set-status button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    finally:
        context.close()
    db.session.expire_all()
    idea = db.session.get(Idea, other_id)
    assert idea.agency_id == agency_id and idea.status.value == "accepted"
    assert idea.area_id == area_id
    assert keys.problems == [], "\n".join(keys.problems)
    assert keys.steps > 20


def test_text_sizes_zoom_and_a_320px_screen_never_scroll_sideways(browser, make_area, make_idea, make_user,
                                                                  make_staff, tmp_path):
    """Main pages at 320 px, at 200 % zoom of a 1280 px window (640 CSS px), and with the larger text
    size: no horizontal scrolling; contrast (axe) holds at the large sizes; the control works and
    is remembered."""
    area = make_area(slug="saensuk")
    idea = make_idea(area=area, title="อาสาพี่เลี้ยงชายหาด (beach ranger) ช่วงเย็นวันหยุดเพื่อเก็บขยะและให้ความรู้นักท่องเที่ยว")
    resident = make_user()
    officer = make_staff("officer", area)
    db.session.commit()
    pages = ["/", f"/areas/{area.slug}", f"/ideas/{idea.id}", "/auth/login", "/auth/register", "/privacy",
             f"/areas/{area.slug}?lang=en"]
    signed_in = {resident: [f"/areas/{area.slug}/ideas/new", "/account/"],
                 officer: [f"/triage/{area.slug}", f"/triage/ideas/{idea.id}", f"/triage/{area.slug}/stats"]}
    screens = {"320px": {"viewport": {"width": 320, "height": 640}},
               "zoom200": {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2}}
    problems: list[str] = []
    for screen, options in screens.items():
        for size in ("normal", "larger"):
            context = _context(browser, **options)
            page = context.new_page()
            try:
                if size != "normal":
                    # The control itself, as a reader uses it: a link that remembers the choice.
                    page.goto("/")
                    with page.expect_navigation():
                        page.locator(f"nav.text-size a[data-size={size}]").click()
                    assert page.evaluate("document.documentElement.dataset.textSize") == size
                for who, urls in [(None, pages), *signed_in.items()]:
                    if who is not None:
                        page.goto("/auth/login")
                        page.fill("#email", who.email)
                        page.fill("#password", PASSWORD)
                        with page.expect_navigation():
                            page.locator("main form button[type=submit]").click()
                    for url in urls:
                        page.goto(url)
                        name = f"{screen}-{size}-{url.strip('/').replace('/', '_').replace('?', '_') or 'home'}"
                        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
                        if size != "normal" and page.evaluate("document.documentElement.dataset.textSize") != size:
                            problems.append(f"{name}: text size not applied")
                        wide = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                        if wide[0] > wide[1]:
                            problems.append(f"{name}: scrolls sideways ({wide[0]} > {wide[1]} px)")
                        if size != "normal" and screen == "320px":
                            # Every WCAG A/AA rule, colour contrast included, at the larger size.
                            problems += [str(v) for v in axe_violations(page, name, sizes=())]
                    if who is not None:
                        page.locator("header form[action='/auth/logout'] button").click()
                        page.wait_for_load_state()
            finally:
                context.close()
    assert problems == [], "\n".join(problems)
    assert len(list(tmp_path.glob("*.png"))) >= 4 * (len(pages) + 5)

