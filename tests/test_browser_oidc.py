"""The full browser redirect flow of signing in with ThaiD, in Debian's Chromium: the log-in page's
button, the provider's own consent page on another loopback origin, back to the first sign-in form,
the account with its verified badge (one short test; fixtures in tests/browser_support.py)."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from oidc_support import configure_provider, forget_providers, thaid_server  # noqa: F401  (fixture)

from idea4gov.extensions import db
from idea4gov.oidc.models import LinkedIdentity
from tests.browser_support import chromium_page

pytestmark = pytest.mark.browser


def test_a_resident_signs_in_with_thaid_in_a_real_browser(app, live_server, thaid_server):  # noqa: F811
    from playwright.sync_api import expect

    thaid_server.person.name = "สมศรี มีสุข"
    thaid_server.allow_redirect_uri(f"{live_server}/auth/oidc/thaid/callback")
    saved_base = app.config["PUBLIC_BASE_URL"]
    app.config["PUBLIC_BASE_URL"] = live_server  # the redirect URI is built from it
    keys = configure_provider(app, thaid_server)
    try:
        with chromium_page(live_server, also_allow=(thaid_server.url,)) as (page, errors):
            page.goto("/auth/login")
            page.get_by_role("link", name="เข้าสู่ระบบด้วย ThaiD (ไทยดี)").click()
            expect(page).to_have_url(re.compile(re.escape(thaid_server.url) + "/authorize"))
            page.get_by_role("button", name="อนุญาต").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("สร้างบัญชีด้วย ThaiD")
            expect(page.get_by_label("ชื่อที่แสดง")).to_have_value("สมศรี มีสุข")
            page.get_by_label(re.compile("ฉันยอมรับประกาศความเป็นส่วนตัว")).check()
            page.get_by_role("button", name="สร้างบัญชีและเข้าสู่ระบบ").click()
            expect(page.locator(".flash-success")).to_contain_text("ยินดีต้อนรับ สมศรี มีสุข")
            page.goto("/account/")
            expect(page.get_by_test_id("verified-badge")).to_be_visible()
            expect(page.get_by_test_id("linked-thaid")).to_contain_text("ThaiD")
            assert errors == []
    finally:
        app.config["PUBLIC_BASE_URL"] = saved_base
        forget_providers(app, keys)
    assert db.session.scalar(sa.select(LinkedIdentity.provider)) == "thaid"
