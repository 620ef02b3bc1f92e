"""The Content-Security-Policy breaks nothing: Chromium loads the main pages, with the
similar-ideas script running, and reports no violation (event or console)."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from idea4gov.extensions import db
from tests.browser_support import CHROMIUM_ARGS, PHONE, require_chromium
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser]

WATCH_JS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
"""


def test_main_pages_load_without_a_csp_violation(live_server, make_area, make_idea, make_staff, make_user):
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    area = make_area(slug="saensuk")
    idea = make_idea(area=area, title="เพิ่มถังขยะแยกประเภทริมหาดบางแสน")
    officer = make_staff("officer", area)
    db.session.commit()
    pages = ["/", f"/areas/{area.slug}", f"/areas/{area.slug}?q=ขยะ", f"/ideas/{idea.id}", "/auth/login",
             "/auth/register", "/privacy", "/no-such-page", f"/areas/{area.slug}/groups", "/?lang=en",
             f"/areas/{area.slug}/results"]
    signed_in = ["/account/", f"/areas/{area.slug}/ideas/new", "/notifications/", f"/areas/{area.slug}/groups"]
    violations: list[str] = []
    console: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server, **PHONE)
        context.set_default_timeout(10_000)
        server = urlsplit(live_server).netloc
        context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).netloc == server
                      else route.abort())
        context.add_init_script(WATCH_JS)
        page = context.new_page()
        page.on("console", lambda m: "Content Security Policy" in m.text and console.append(m.text))

        def check(url: str) -> None:
            page.wait_for_load_state("load")
            page.evaluate("document.fonts.ready.then(() => true)")  # no font left mid-download
            page.wait_for_timeout(50)
            violations.extend(f"{url}: {v}" for v in page.evaluate("window.__csp"))

        try:
            for url in pages:
                page.goto(url)
                check(url)
                assert page.locator("link[rel=stylesheet]").count() >= 1
                # The stylesheet applied: the header has its brand colour, not the default.
                assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == "flex"
            page.goto("/auth/login")
            page.fill("#email", officer.email)
            page.fill("#password", PASSWORD)
            page.click("form.stacked button[type=submit]")
            page.wait_for_url("**/")
            for url in signed_in:
                page.goto(url)
                check(url)
            # The similar-ideas script (static/js/app.js) runs and fetches under the policy.
            page.goto(f"/areas/{area.slug}/ideas/new")
            with page.expect_response(lambda r: "/similar" in r.url):
                page.fill("#title", "อยากได้ถังขยะแยกประเภทบนชายหาด")
            page.locator("#similar-ideas li").first.wait_for()
            check("new idea, similar ideas shown")
        finally:
            context.close()
            browser.close()
    assert violations == [] and console == []
