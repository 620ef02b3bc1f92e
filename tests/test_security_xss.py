"""XSS: every payload in tests/xss_payloads.py goes into every text field a resident fills in
(idea title, description and place, comment, report details, display name, token name, search
query), through the real forms; the pages that show them are checked for anything executable,
through the Flask client (DOM check) and in real Chromium with the CSP switched off (so the
test proves the escaping itself, not just the policy): no dialog opens, window.__xss stays unset.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import pytest
import sqlalchemy as sa

from idea4gov.extensions import db
from idea4gov.ideas.models import Comment, Idea, Report
from tests.conftest import PASSWORD, Client
from tests.xss_payloads import PAYLOADS, dangers

PAD = "รายละเอียดทดสอบความปลอดภัยของระบบ ขยะริมหาด ข้อที่"


@dataclass
class Planted:
    area_slug: str
    token_owner_email: str
    #: Pages to check after planting: idea pages, area pages, the token owner's account.
    urls: list[str] = field(default_factory=list)
    #: Form pages re-rendered with a refused payload (checked as they came back).
    refused_pages: list[tuple[str, str]] = field(default_factory=list)


def _post_checked(client: Client, url: str, data: dict, planted: Planted):
    response = client.post(url, data)
    assert response.status_code in (200, 302, 303, 400), (url, response.status_code)
    if response.status_code in (200, 400):
        planted.refused_pages.append((url, response.get_data(as_text=True)))
    return response


def _register(client: Client, data: dict, planted: Planted, mails) -> int:
    """Register through the form and the e-mailed link; the confirmation page shows the name typed."""
    response = _post_checked(client, "/auth/register", data, planted)
    if response.status_code != 302:
        return response.status_code
    link = mails.link(data["email"], "/auth/register/confirm/")
    page = client.get(link)
    assert page.status_code == 200
    planted.refused_pages.append((link, page.get_data(as_text=True)))
    return client.post(link).status_code


def plant_everywhere(app, make_area, mails) -> Planted:
    """Register one resident per payload (display name = payload) who posts an idea, a comment
    and a report with it; one more resident names an API token after every payload."""
    area = make_area(slug="xss-area")
    planted = Planted(area.slug, "tokens@example.org")
    for number, payload in enumerate(PAYLOADS):
        client = Client(app)
        email = f"xss{number}@example.org"
        data = {"email": email, "display_name": payload[:80], "password": PASSWORD, "confirm": PASSWORD,
                "consent": "y"}
        if _register(client, data, planted, mails) != 302:
            data["display_name"] = f"ชื่อ {number}"  # refused (e.g. nothing visible left): page checked above
            assert _register(client, data, planted, mails) == 302
        client._token = None
        idea_form = {"title": f"{payload[:120]} หัวข้อ {number}", "body": f"{payload}\n{PAD} {number}",
                     "theme": "beach", "place_name": payload[:200], "confirm_new": "1"}
        response = _post_checked(client, f"/areas/{area.slug}/ideas/new", idea_form, planted)
        if response.status_code != 302:
            idea_form["title"] = f"หัวข้อทดสอบที่ {number} {payload[:100]}"
            response = _post_checked(client, f"/areas/{area.slug}/ideas/new", idea_form, planted)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        idea_url = urlsplit(response.headers["Location"]).path
        _post_checked(client, f"{idea_url}/comments", {"body": f"{payload} ความเห็นที่ {number}"}, planted)
        _post_checked(client, f"{idea_url}/report", {"reason": "spam", "details": payload}, planted)
        # Refused on purpose (no description): the form comes back with the payload typed in.
        _post_checked(client, f"/areas/{area.slug}/ideas/new", {"title": payload, "body": "", "theme": "beach",
                                                                 "place_name": payload}, planted)
        planted.urls.append(idea_url)
    owner = Client(app)
    assert _register(owner, {"email": planted.token_owner_email, "display_name": "เจ้าของโทเคน",
                             "password": PASSWORD, "confirm": PASSWORD, "consent": "y"}, planted, mails) == 302
    owner._token = None
    for payload in PAYLOADS:
        _post_checked(owner, "/account/tokens", {"name": payload[:80]}, planted)
    pages = -(-len(PAYLOADS) // app.config["IDEAS_PER_PAGE"])
    planted.urls += [f"/areas/{area.slug}?page={n}" for n in range(1, pages + 1)]
    planted.urls += [f"/areas/{area.slug}?sort=new", f"/areas/{area.slug}/groups"]
    planted.urls += [f"/areas/{area.slug}?q={quote(payload)}" for payload in PAYLOADS]
    return planted


def _stored_counts() -> tuple[int, int, int]:
    count = lambda model: db.session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
    return count(Idea), count(Comment), count(Report)


def test_there_are_at_least_fifty_payloads():
    assert len(PAYLOADS) >= 50 and len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.slow
def test_payloads_in_every_field_render_escaped(app, make_area, make_staff, mails):
    planted = plant_everywhere(app, make_area, mails)
    assert _stored_counts() == (len(PAYLOADS),) * 3
    problems = []
    for url, html in planted.refused_pages:
        problems += [(f"re-rendered {url}", p) for p in dangers(html)]
    reader = Client(app)
    for url in planted.urls:
        response = reader.get(url)
        assert response.status_code == 200, url
        problems += [(url, p) for p in dangers(response.get_data(as_text=True))]
    owner = Client(app)
    owner.login(type("U", (), {"email": planted.token_owner_email})())
    account = owner.get("/account/").get_data(as_text=True)
    problems += [("/account/", p) for p in dangers(account)]
    # Staff pages show the same text (report details, names, reasons): an admin opens them all.
    admin = make_staff("admin")
    staff_client = Client(app)
    staff_client.login(admin)
    queue_pages = -(-len(PAYLOADS) * 2 // 25) + 1
    staff_urls = [f"/moderation/?page={n}" for n in range(1, queue_pages + 1)]
    staff_urls += [f"/admin/users?page={n}" for n in range(1, -(-len(PAYLOADS) // 30) + 2)]
    staff_urls += ["/admin/audit", f"/triage/{planted.area_slug}"]
    # Moderators' reasons reach the author's notifications and idea page.
    for number, payload in enumerate(PAYLOADS[:12]):
        idea_id = int(planted.urls[number].rsplit("/", 1)[1])
        staff_client.post(f"/moderation/idea/{idea_id}/hide", {"reason": f"{payload} เหตุผล"})
        author = Client(app)
        author.login(type("U", (), {"email": f"xss{number}@example.org"})())
        for url in ("/notifications/", planted.urls[number]):
            response = author.get(url)
            assert response.status_code == 200, url
            problems += [(f"author {number} {url}", p) for p in dangers(response.get_data(as_text=True))]
    for url in staff_urls:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        problems += [(url, p) for p in dangers(response.get_data(as_text=True))]
    assert problems == []
    # The API and the data download are JSON: text comes back as typed (cleaned), never as HTML.
    api = reader.get(f"/api/v1/areas/{planted.area_slug}/ideas?per_page=100")
    assert api.mimetype == "application/json" and api.headers["X-Content-Type-Options"] == "nosniff"
    author = Client(app)
    author.login(type("U", (), {"email": "xss0@example.org"})())
    download = author.get("/account/data.json")
    assert download.mimetype == "application/json"
    assert json.loads(download.get_data(as_text=True))["reports"]


# --- real Chromium -----------------------------------------------------------------------------

WATCH_JS = """
window.__xss_dialogs = 0;
document.addEventListener('securitypolicyviolation', () => { window.__csp_violations = (window.__csp_violations || 0) + 1; });
"""


@pytest.mark.browser
@pytest.mark.slow
def test_no_payload_runs_in_chromium(app, make_area, live_server, mails):
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM_ARGS, require_chromium

    executable = require_chromium()
    planted = plant_everywhere(app, make_area, mails)
    dialogs: list[str] = []
    ran: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        # bypass_csp: the escaping must hold on its own, without the policy's help.
        context = browser.new_context(base_url=live_server, bypass_csp=True)
        context.set_default_timeout(10_000)
        server = urlsplit(live_server).netloc
        # Fonts are not needed here (and a page left mid-download leaves the server's file open).
        context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).netloc == server
                      and route.request.resource_type != "font" else route.abort())
        context.add_init_script(WATCH_JS)
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))

        def visit(url: str) -> None:
            page.goto(url, wait_until="load")
            page.wait_for_timeout(30)  # let onerror/onfocus/ontoggle handlers fire
            if page.evaluate("typeof window.__xss !== 'undefined'"):
                ran.append(url)

        try:
            for url in planted.urls:
                visit(url)
            page.goto("/auth/login")
            page.fill("#email", planted.token_owner_email)
            page.fill("#password", PASSWORD)
            page.click("form.stacked button[type=submit]")
            page.wait_for_url("**/")
            visit("/account/")
            # A refused form comes back with the payload in its fields (served by the live server).
            for payload in PAYLOADS[:: 5]:
                page.goto(f"/areas/{planted.area_slug}/ideas/new")
                page.fill("#title", payload)
                page.fill("#place_name", payload)
                page.click("#idea-form button[type=submit]")
                page.wait_for_timeout(30)
                if page.evaluate("typeof window.__xss !== 'undefined'"):
                    ran.append(f"re-rendered form: {payload}")
        finally:
            context.close()
            browser.close()
    assert dialogs == [] and ran == []
