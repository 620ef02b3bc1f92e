"""Helpers for the real-browser tests: Debian's Chromium driven by Playwright's sync API.

`playwright install` cannot download browsers here, so the tests launch the system
Chromium (`apt-get install chromium`). Without it a test skips locally with a clear
reason; under CI=true conftest turns that skip into a failure, so CI never passes
without having driven a browser.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("IDEA4GOV_CHROMIUM", "/usr/bin/chromium"))

#: Keep Chromium off the network (only 127.0.0.1 is allowed in tests) and quiet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

#: An ordinary phone: 390×844 CSS pixels (iPhone 12–14 class), touch, mobile viewport meta honoured.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "th-TH",
    "timezone_id": "Asia/Bangkok",
}


def require_chromium() -> str:
    """The Chromium executable, or a skip (a failure under CI=true) that says how to get it."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        message = f"Chromium not found at {CHROMIUM}: run `apt-get install chromium` (or set IDEA4GOV_CHROMIUM)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return str(CHROMIUM)


def rendered_font_families(page, selector: str) -> set[str]:
    """The fonts Chromium actually drew the element's text with (DevTools `CSS.getPlatformFontsForNode`)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"no element matches {selector!r}"
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()
    return {font["familyName"] for font in fonts}


#: Every FontFace whose range covers Thai, with its load status (run after document.fonts.ready).
THAI_FONT_FACES_JS = """
async () => {
  await document.fonts.ready;
  return [...document.fonts]
    .filter(face => face.unicodeRange.toUpperCase().includes("U+E01"))
    .map(face => ({family: face.family.replaceAll('"', ''), weight: face.weight, status: face.status}));
}
"""


def log_in(page, email: str, password: str) -> None:
    """Sign in through the log-in form (the page lands where the form sends it)."""
    page.goto("/auth/login")
    page.get_by_label("อีเมล").fill(email)
    page.get_by_label("รหัสผ่าน").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="ออกจากระบบ").click()


@contextmanager
def chromium_page(base_url: str, also_allow: tuple[str, ...] = ()):
    """A phone-sized page in Debian's Chromium at `base_url` that may reach only that server and the
    `also_allow` origins (other servers on loopback, such as a sign-in provider the test started);
    yields (page, errors): JavaScript errors and requests that tried to go elsewhere."""
    from urllib.parse import urlsplit

    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    allowed = {urlsplit(base_url).netloc, *(urlsplit(origin).netloc for origin in also_allow)}
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=base_url, **PHONE)
        context.set_default_timeout(10_000)

        def only_loopback(route):  # noqa: ANN001, ANN202
            if urlsplit(route.request.url).netloc in allowed:
                route.continue_()
            else:
                errors.append(f"blocked {route.request.url}")
                route.abort()

        context.route("**/*", only_loopback)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        try:
            yield page, errors
        finally:
            context.close()
            browser.close()
