"""axe-core on every page of every role, in Thai and English, at phone and desktop sizes: 0 violations
of the WCAG 2.1 A and AA rules.

The pages come from the app's URL map: every GET route is either a page or a download named in
NOT_PAGES. A page whose roles and URL arguments have samples here is walked by those roles; any
other page (one added later by another feature) is found by the links of the pages walked — the
first role that sees a link to it walks it — so a new page is checked as soon as something links
to it. A page neither planned nor linked fails the walk by name, saying what to add. Each page that
also takes a POST is sent back blank once, and so is each other form with a required field, so
their validation errors are checked too; error pages (400, 403, 404, 405, 429) and empty states are
walked as well.

One Chromium, one context per role (signed in once), one load per page and language: axe runs at
the phone size, then the window is widened and it runs again.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import url_for
from oidc_support import configure_provider, forget_providers, thaid_server  # noqa: F401  (fixture)
from playwright.sync_api import Error as PlaywrightError

from idea4gov.extensions import db
from tests.a11y_support import axe_violations
from tests.browser_support import CHROMIUM_ARGS, require_chromium
from tests.conftest import PASSWORD

#: Blueprint -> the roles whose pages these are (each walks them signed in as that role).
BLUEPRINT_ROLES = {
    "areas": ["anonymous", "resident"],
    "ideas": ["anonymous", "resident"],
    "auth": ["anonymous"],
    "account": ["resident"],
    "groups": ["anonymous"],
    "notifications": ["resident"],
    "moderation": ["moderator"],
    "admin": ["admin"],
    "triage": ["officer"],
    "shortlists": ["organiser"],
    "deadlines": ["admin"],
    "programme": ["programme"],
    "joincodes": ["organiser"],
    "receipts": ["anonymous"],
    "pages": ["anonymous"],
    "mail": ["anonymous"],
    "outbox": ["admin"],
    "events": ["anonymous"],
    "eventadmin": ["organiser"],
}
#: Endpoints seen differently by other roles (staff controls, a judge's page, the admin's forms).
ENDPOINT_ROLES = {
    "areas.index": ["anonymous", "resident", "moderator", "officer", "organiser", "judge", "admin", "programme"],
    "areas.show": ["anonymous", "resident", "admin"],
    "ideas.show": ["anonymous", "resident", "moderator", "officer", "admin"],
    "ideas.create": ["resident"],
    "groups.show": ["anonymous", "officer"],
    "groups.area_groups": ["anonymous", "officer"],
    "notifications.index": ["resident", "judge"],
    "shortlists.index": ["organiser", "judge"],
    "shortlists.score": ["judge"],
    "triage.agency": ["officer", "admin"],
    "triage.agencies": ["officer", "admin"],
    "triage.settings": ["admin"],
    "programme.public_results": ["anonymous"],
    "programme.index": ["programme", "admin"],
    "joincodes.join": ["anonymous"],
    "joincodes.index": ["organiser", "admin"],
    "events.show": ["anonymous", "resident"],
    "events.report": ["anonymous", "organiser"],
    "events.register": ["resident"],
    "events.answer_survey": ["resident"],
    "events.certificate": ["resident"],
    "events.edit_proposal": ["resident"],
    "events.join_team": ["resident"],
    "eventadmin.score": ["officer"],
    "line.stop": ["anonymous"],
}
#: GET routes that are downloads, not pages (file formats, images, JSON).
NOT_PAGES = {"static", "text_size", "account.download", "opendata.area_csv", "opendata.area_json", "joincodes.qr",
             "evidence.photo", "programme.export", "shortlists.export", "triage.stats_csv", "triage.ratings_csv",
             "projects.export", "projects.photo", "verification.photo", "events.report_xlsx", "events.verify_qr",
             "events.attachment",
             # Redirects, not pages: old links to the results page, and sign-in with a provider (to it and back).
             "projects.area_projects", "oidc.login", "oidc.callback"}
NOT_PAGE_BLUEPRINTS = {"api"}
#: Pages taking a POST whose blank form is not a validation error (it confirms: a registration).
NO_BLANK_POST = {"auth.register_confirm", "events.register"}

#: URL argument -> the world's sample for it (per endpoint where one name means different things).
ENDPOINT_VALUES = {"auth.register_confirm": {"token": "confirm_token"}, "mail.unsubscribe": {"token": "unsubscribe"},
                   "events.join_team": {"token": "invite_token"}, "events.verify": {"token": "certificate_token"},
                   "line.stop": {"token": "line_stop"}}
ARG_VALUES = {"slug": "slug", "idea_id": "idea_id", "group_id": "group_id", "agency_id": "agency_id",
              "shortlist_id": "shortlist_id", "user_id": "user_id", "round_id": "round_id", "code_id": "code_id",
              "code": "code", "event_id": "event_id", "proposal_id": "proposal_id", "team_id": "team_id"}


def page_rules(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in (rule.methods or set()):
            continue
        if rule.endpoint in NOT_PAGES or rule.endpoint.split(".")[0] in NOT_PAGE_BLUEPRINTS:
            continue
        yield rule


def roles_of(endpoint: str) -> list[str] | None:
    return ENDPOINT_ROLES.get(endpoint) or BLUEPRINT_ROLES.get(endpoint.split(".")[0])


def planned(rule) -> bool:
    """A page the walk visits by plan: its roles and every URL argument have a sample here."""
    names = {**ARG_VALUES, **ENDPOINT_VALUES.get(rule.endpoint, {})}
    return roles_of(rule.endpoint) is not None and rule.arguments <= set(names)


def stale_entries(app) -> list[str]:
    """Names in this file's tables that the app no longer has (a page renamed or removed)."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    named = [*NOT_PAGES, *ENDPOINT_ROLES, *ENDPOINT_VALUES, *NO_BLANK_POST]
    return ([f"{name}: no such endpoint" for name in named if name not in endpoints]
            + [f"{name}: no such blueprint" for name in BLUEPRINT_ROLES if name not in app.blueprints])


def test_the_walks_tables_name_only_what_the_app_has(app):
    """Runs without a browser (on PostgreSQL too). Pages without a sample here are not an error:
    the walk finds them by their links (and fails, by name, on a page nothing links to)."""
    assert len([rule for rule in page_rules(app) if planned(rule)]) >= 40, "the URL map lost its pages?"
    assert stale_entries(app) == []


def test_links_lead_the_walk_to_pages_it_has_no_plan_for(app):
    """A page added later (here: one the plan is told nothing about) is walked once, by the first
    role that sees a link to it; downloads, other sites and planned pages are not followed."""
    unplanned = {"groups.show", "ideas.show"}
    page_endpoints = {rule.endpoint for rule in page_rules(app)}
    walk = Walk(app, page_endpoints, page_endpoints - unplanned)

    class Page:  # what LINKS_JS returns on a page
        links = ["https://example.org/ideas/5", "/groups/7?lang=en&page=2", "/ideas/3", "/ideas/4",
                 "/areas/x/export.csv", "/photos/1", "/static/app.css", "/areas/x", "/no-such-page"]

        def evaluate(self, _script):
            return self.links

    found = walk.found_pages(Page(), "resident")
    assert [(v.role, v.url, v.linked) for v in found] == [("resident", "/groups/7?page=2", "groups.show"),
                                                           ("resident", "/ideas/3", "ideas.show")]
    assert walk.found_pages(Page(), "officer") == []  # once, whoever sees it next


# --- the world ---------------------------------------------------------------------------------

@dataclass
class World:
    accounts: dict[str, tuple[str, str]]  # role -> (e-mail, password)
    values: dict[str, object]
    extra: dict[str, object] = field(default_factory=dict)


@pytest.fixture()
def world(app, runner, make_area, make_staff, make_user, mails) -> World:
    """The demo (three pilots, their staff, answers, reports, a join code), plus an organiser's
    shortlist with a judge, an evidence photo, an empty area and a pending registration."""
    from idea4gov.areas.models import Area, Round
    from idea4gov.auth import services as auth_services
    from idea4gov.groups.models import IdeaGroup
    from idea4gov.ideas.models import Idea
    from idea4gov.joincodes.models import JoinCode
    from idea4gov.line import services as line_services
    from idea4gov.mail.tokens import unsubscribe_token, user_token
    from idea4gov.seed import DEMO_PASSWORD
    from idea4gov.shortlists import services as shortlists
    from idea4gov.triage.models import Agency

    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    area = db.session.scalar(sa.select(Area).where(Area.slug == "saensuk"))
    organiser = make_staff("organiser", area, display_name="ผู้จัด แฮกกาธอน")
    judge = make_user(display_name="กรรมการ ตัดสิน")
    ideas = db.session.scalars(sa.select(Idea).where(Idea.area_id == area.id).order_by(Idea.vote_count.desc())).all()
    shortlist = shortlists.create_shortlist(organiser, shortlists.ShortlistInput(
        "MY BETTER COUNTRY HACKATHON แสนสุข", None, "คัดไอเดียเข้ารอบ", [area]))
    shortlists.add_ideas(shortlist, [idea.id for idea in ideas[:3]], organiser)
    shortlists.add_criterion(shortlist, "ผลกระทบต่อชุมชน", 2, organiser)
    shortlists.add_judge(shortlist, judge, organiser)
    make_area(slug="empty-area")
    db.session.commit()
    answered = _answered_with_photo(app, area)
    auth_services.request_registration("newcomer@example.org", "ผู้มาใหม่ ทดลอง", PASSWORD)
    db.session.commit()
    confirm = mails.link("newcomer@example.org", "/auth/register/confirm/").rsplit("/", 1)[1]
    resident = auth_services.find_by_email("somchai@example.org")
    group = db.session.scalar(sa.select(IdeaGroup).where(IdeaGroup.area_id == area.id))
    values = {
        "slug": area.slug, "idea_id": answered.id, "group_id": group.id,
        "agency_id": db.session.scalar(sa.select(Agency.id).where(Agency.area_id == area.id).order_by(Agency.id)),
        "shortlist_id": shortlist.id, "user_id": resident.id,
        "round_id": db.session.scalar(sa.select(Round.id).where(Round.area_id == area.id).order_by(Round.id)),
        "code_id": db.session.scalar(sa.select(JoinCode.id).order_by(JoinCode.id.desc())),
        "code": db.session.scalar(sa.select(JoinCode.code).order_by(JoinCode.id.desc())),
        "confirm_token": confirm, "unsubscribe": unsubscribe_token(resident.id),
        "line_stop": user_token(resident.id, line_services.SALT), **_event_values(area, resident),
    }
    accounts = {"resident": ("somchai@example.org", DEMO_PASSWORD),
                "moderator": ("moderator-saensuk@example.org", DEMO_PASSWORD),
                "officer": ("officer-saensuk@example.org", DEMO_PASSWORD),
                "organiser": (organiser.email, PASSWORD), "judge": (judge.email, PASSWORD),
                "admin": ("admin@example.org", DEMO_PASSWORD), "programme": ("programme@example.org", DEMO_PASSWORD)}
    return World(accounts, values)


def _event_values(area, resident) -> dict:
    """The demo's hackathon in the area: a proposal, the resident's team (its invite) and certificate."""
    from idea4gov.events.models import Event, EventKind, Proposal, Registration, Team, TeamMember
    from idea4gov.events.services.certificates import token_for

    event = db.session.scalar(sa.select(Event).where(Event.areas.any(id=area.id), Event.kind == EventKind.hackathon)
                              .order_by(Event.id))
    member = db.session.scalar(sa.select(TeamMember).where(TeamMember.event_id == event.id,
                                                           TeamMember.user_id == resident.id))
    registration = db.session.scalar(sa.select(Registration).where(Registration.event_id == event.id,
                                                                   Registration.user_id == resident.id))
    return {"event_id": event.id, "team_id": member.team_id, "invite_token": db.session.get(Team, member.team_id).invite_token,
            "proposal_id": db.session.scalar(sa.select(Proposal.id).where(Proposal.event_id == event.id)
                                             .order_by(Proposal.id)),
            "certificate_token": token_for(registration)}


def _answered_with_photo(app, area):
    """The officer marks the demo's most supported answered idea implemented, with an evidence photo
    (through the real form, and the worker's re-encoding in this process)."""
    import io

    from PIL import Image
    from werkzeug.datastructures import FileStorage, MultiDict
    from werkzeug.test import encode_multipart

    from idea4gov.ideas.models import Idea, IdeaStatus
    from idea4gov.seed import DEMO_PASSWORD
    from tests.conftest import Client

    idea = db.session.scalar(sa.select(Idea).where(Idea.area_id == area.id, Idea.status == IdeaStatus.accepted)
                             .order_by(Idea.id))
    client = Client(app)
    client.post("/auth/login", {"email": "officer-saensuk@example.org", "password": DEMO_PASSWORD})
    client._token = None
    image = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 120, 200)).save(image, "JPEG")
    data = MultiDict({"status": "implemented", "answer": "ติดตั้งถังขยะแยกประเภทครบ 40 จุดแล้ว ขอบคุณที่เสนอ",
                      "csrf_token": client.csrf_token()})
    data.add("photos", FileStorage(io.BytesIO(image.getvalue()), filename="bins.jpg", content_type="image/jpeg"))
    boundary, body = encode_multipart(data)
    response = client.raw.post(f"/triage/ideas/{idea.id}/status", data=body,
                               content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return idea


# --- the walk ----------------------------------------------------------------------------------

@dataclass
class Visit:
    role: str
    label: str
    url: str  # without ?lang=
    status: int = 200
    blank_post: bool = False  # send the page's own form back blank: its validation errors
    action: object = None  # or a function(page) that brings the page into the state to check
    linked: str = ""  # the endpoint, for a page found by a link (not planned)


def planned_visits(app, world: World) -> list[Visit]:
    visits = []
    for rule in filter(planned, page_rules(app)):
        names = {**ARG_VALUES, **ENDPOINT_VALUES.get(rule.endpoint, {})}
        with app.test_request_context():
            url = url_for(rule.endpoint, **{arg: world.values[names[arg]] for arg in rule.arguments})
        blank = "POST" in (rule.methods or set()) and rule.endpoint not in NO_BLANK_POST
        for role in roles_of(rule.endpoint):
            visits.append(Visit(role, rule.endpoint, url, blank_post=blank))
    slug = world.values["slug"]
    idea = world.values["idea_id"]
    visits += [
        # Error pages.
        Visit("anonymous", "404", "/no-such-page", 404),
        Visit("anonymous", "405 (a form's target opened)", f"/ideas/{idea}/vote", 405),
        Visit("resident", "403", "/admin/", 403),
        Visit("anonymous", "400 (NUL in the query)", f"/areas/{slug}?q=%00", 400),
        Visit("admin", "400 (a date out of range)", "/admin/audit?until=9999-12-31", 400),
        # Empty states.
        Visit("anonymous", "empty area", "/areas/empty-area"),
        Visit("anonymous", "search without results", f"/areas/{slug}?q=ไม่มีคำนี้ในไอเดียใดเลย"),
        Visit("anonymous", "page past the last", f"/areas/{slug}?page=999"),
        Visit("anonymous", "unknown reference", "/ideas/lookup?ref=SSK-2569-99999", 404),
        Visit("anonymous", "reference lookup form", "/ideas/lookup"),
        # Forms re-rendered with errors that post elsewhere than their page.
        Visit("resident", "new idea: did you mean", f"/areas/{slug}/ideas/new", action=_duplicate_idea),
        Visit("resident", "account: wrong current password", "/account/", action=_bad_password_change),
        Visit("officer", "answer without a status", f"/triage/ideas/{idea}", action=_blank_answer),
    ]
    return visits


def _oidc_welcome_visit(app, live_server, provider) -> Visit:
    """The first sign-in form after a provider (oidc.welcome): only a real sign-in there leads to it,
    so the anonymous visitor signs in at a loopback ThaiD-like provider and the page is checked."""
    def _first_sign_in_with_a_provider(page) -> int:
        import re

        provider.allow_redirect_uri(f"{live_server}/auth/oidc/{provider.name}/callback")
        saved = app.config["PUBLIC_BASE_URL"]
        app.config["PUBLIC_BASE_URL"] = live_server  # the redirect URI is built from it
        keys = configure_provider(app, provider)
        try:
            page.goto(f"/auth/oidc/{provider.name}/login")
            with page.expect_navigation(url=re.compile(r"/auth/oidc/\w+/welcome")) as navigation:
                page.locator("button[value=allow]").click()
            page.wait_for_load_state()
            return navigation.value.status if navigation.value else 0
        finally:
            app.config["PUBLIC_BASE_URL"] = saved
            forget_providers(app, keys)

    return Visit("anonymous", "oidc.welcome (after a provider's consent)", "/auth/login",
                 action=_first_sign_in_with_a_provider)


def _submit(page, form) -> int:
    form.evaluate("f => { f.noValidate = true; }")
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit], input[type=submit]").first.click()
    return navigation.value.status if navigation.value else 0


#: A form's target (`form.action` would be its control named "action", if it has one).
FORM_ACTION_JS = "f => new URL(f.getAttribute('action') || location.href, location.href).href"


def _blank_own_form(page) -> int | None:
    """Send back blank the page's form that posts to the page itself (text fields emptied)."""
    path = urlsplit(page.url).path
    for form in page.locator("main form[method=post]").all():
        if urlsplit(form.evaluate(FORM_ACTION_JS)).path != path:
            continue
        form.evaluate("""f => { for (const el of f.querySelectorAll('input, textarea')) {
            if (['text', 'email', 'password', 'search', 'url', 'number', 'date', 'datetime-local'].includes(el.type)
                || el.tagName === 'TEXTAREA') el.value = ''; } }""")
        return _submit(page, form)
    return None


#: Forms with a required text field that posts elsewhere than its page: sent blank, the server
#: refuses them (nothing changes) and the page that comes back shows the errors.
OTHER_FORMS_JS = """
() => [...document.querySelectorAll('main form[method=post]')].map((f, index) => ({index,
    action: new URL(f.getAttribute('action') || location.href, location.href).pathname,
    required: !!f.querySelector('input[required]:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]), textarea[required]')}))
  .filter(f => f.required && f.action !== location.pathname)
"""


def _blank_other_forms(page, url: str, seen: set, lang: str):
    """Each form of this kind (its action with the numbers taken out) once per language."""
    import re

    for form in page.evaluate(OTHER_FORMS_JS):
        kind = (re.sub(r"/\d+", "/N", form["action"]), lang)
        if kind in seen:
            continue
        seen.add(kind)
        if urlsplit(page.url).path + ("?" + urlsplit(page.url).query if urlsplit(page.url).query else "") != url:
            page.goto(url)
        target = page.locator("main form[method=post]").nth(form["index"])
        if not target.locator("button[type=submit], input[type=submit]").first.is_visible():
            page.evaluate("() => { for (const d of document.querySelectorAll('details')) d.open = true; }")
        if not target.locator("button[type=submit], input[type=submit]").first.is_visible():
            continue
        target.evaluate("""f => { for (const d of document.querySelectorAll('details')) d.open = true;
            for (const el of f.querySelectorAll('input, textarea')) {
              if (['text', 'email', 'password', 'search', 'url', 'number'].includes(el.type) || el.tagName === 'TEXTAREA')
                el.value = ''; } }""")
        yield form["action"], _submit(page, target)


def _duplicate_idea(page) -> int:
    page.fill("#title", "เพิ่มถังขยะแยกประเภทริมหาดบางแสน")
    page.fill("#body", "ขยะบนชายหาดเยอะมาก อยากให้เทศบาลเพิ่มถังขยะแยกประเภทริมหาดทุก 100 เมตร ช่วยกันแยกขยะ")
    return _submit(page, page.locator("#idea-form"))


def _bad_password_change(page) -> int:
    page.locator("details:has(input[name=current]) > summary").click()
    form = page.locator("form:has(input[name=current])").first
    form.locator("input[name=current]").fill("not-my-password-at-all")
    form.locator("input[type=password]").nth(1).fill("short")
    return _submit(page, form)


def _blank_answer(page) -> int:
    form = page.locator("form:has(textarea[name=answer])").first
    form.locator("textarea[name=answer]").fill("")
    return _submit(page, form)


def _sign_in(page, email: str, password: str) -> None:
    page.goto("/auth/login")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/auth/login" not in page.url, f"could not sign in as {email}"


def _with_lang(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"


#: Same-site links of the page (paths with their query), for finding pages the plan does not name.
LINKS_JS = """
() => [...new Set([...document.querySelectorAll('a[href]')].map(a => new URL(a.href, location.href))
  .filter(u => u.origin === location.origin).map(u => u.pathname + u.search))]
"""


class Walk:
    """The visits of one role's browser context: each page state checked, links followed to pages
    the plan does not name."""

    def __init__(self, app, page_endpoints: set[str], planned_endpoints: set[str]) -> None:
        self.adapter = app.url_map.bind("localhost")
        self.page_endpoints = page_endpoints
        self.reached = set(planned_endpoints)  # endpoints walked, or planned to be
        self.problems: list[str] = []
        self.checked = 0
        self.seen_forms: set[tuple[str, str]] = set()
        self.tried: set[tuple[str, str]] = set()  # (role, endpoint) followed from a link

    def found_pages(self, page, role: str) -> list[Visit]:
        """Visits to pages linked from this one whose endpoint nobody walks yet."""
        from werkzeug.exceptions import HTTPException
        from werkzeug.routing import RequestRedirect

        visits = []
        for link in page.evaluate(LINKS_JS):
            parts = urlsplit(link)
            if parts.netloc:  # LINKS_JS gives this site's paths only
                continue
            try:
                endpoint, _args = self.adapter.match(parts.path, method="GET")
            except (HTTPException, RequestRedirect):
                continue
            if endpoint in self.page_endpoints and endpoint not in self.reached and (role, endpoint) not in self.tried:
                self.reached.add(endpoint)
                self.tried.add((role, endpoint))
                # The link's query without its language: the walk adds each language itself.
                query = "&".join(p for p in parts.query.split("&") if p and not p.startswith("lang="))
                url = parts.path + (f"?{query}" if query else "")
                visits.append(Visit(role, f"{endpoint} (linked)", url, blank_post=True, linked=endpoint))
        return visits

    def visit(self, page, visit: Visit) -> list[Visit]:
        """Both languages of one visit; returns the unplanned pages its links lead to."""
        linked = []
        for lang in ("th", "en"):
            label = f"{visit.label} {visit.url} as {visit.role}, {lang}"
            try:
                response = page.goto(_with_lang(visit.url, lang))
            except PlaywrightError:
                if not visit.linked:
                    raise
                response = None  # a link that leaves the site (a sign-in provider): not a page here
            status = response.status if response else 0
            if visit.linked and (status != 200 or urlsplit(page.url).path != urlsplit(visit.url).path):
                # Not this role's page (refused, or sent to log in): another role's link may reach it.
                self.reached.discard(visit.linked)
                return linked
            if status != visit.status:
                self.problems.append(f"{label}: HTTP {status}, expected {visit.status}")
                continue
            found = axe_violations(page, label)
            self.checked += 1
            if lang == "th":
                linked += self.found_pages(page, visit.role)
            if visit.action is not None:
                visit.action(page)
                found += axe_violations(page, f"{label}, after: {visit.action.__name__}")
                self.checked += 1
            if visit.blank_post:
                sent = _blank_own_form(page)
                if sent is not None:
                    found += axe_violations(page, f"{label}, sent back blank (HTTP {sent})")
                    self.checked += 1
            for action, sent in _blank_other_forms(page, _with_lang(visit.url, lang), self.seen_forms, lang):
                found += axe_violations(page, f"{label}, form {action} sent blank (HTTP {sent})")
                self.checked += 1
            self.problems += [str(violation) for violation in found]
        return linked


@pytest.mark.browser
def test_axe_finds_no_wcag_violation_on_any_page_of_any_role(app, live_server, world, monkeypatch,
                                                              thaid_server):  # noqa: F811
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    visits = [*planned_visits(app, world), _oidc_welcome_visit(app, live_server, thaid_server)]
    page_endpoints = {rule.endpoint for rule in page_rules(app)}
    walk = Walk(app, page_endpoints, {rule.endpoint for rule in page_rules(app) if planned(rule)} | {"oidc.welcome"})
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            for role in dict.fromkeys(visit.role for visit in visits):
                context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844},
                                              locale="th-TH", timezone_id="Asia/Bangkok")
                context.set_default_timeout(15_000)
                # No request routing (it would turn off the browser's cache); the site's CSP keeps
                # every load on the live server.
                page = context.new_page()
                if role != "anonymous":
                    _sign_in(page, *world.accounts[role])
                queue = [visit for visit in visits if visit.role == role]
                while queue:  # the plan, then the pages its links lead to (and theirs)
                    queue += walk.visit(page, queue.pop(0))
                if role == "anonymous":
                    walk.problems += _rate_limited(page, app, monkeypatch)
                    walk.checked += 2
                context.close()
        finally:
            browser.close()
    seconds = time.monotonic() - started
    print(f"\naxe walk: {walk.checked} page states × 2 sizes in {seconds:.0f} s")  # noqa: T201 (the walk's cost, in -s runs)
    if os.environ.get("IDEA4GOV_A11Y_TIMING"):
        with open(os.environ["IDEA4GOV_A11Y_TIMING"], "a", encoding="utf-8") as handle:
            handle.write(f"{walk.checked} page states x 2 sizes in {seconds:.1f} s\n")
    never = sorted(page_endpoints - walk.reached)
    walk.problems += [f"{endpoint}: never walked: no page links to it and the plan has no sample for it; add "
                      f"its roles to BLUEPRINT_ROLES or ENDPOINT_ROLES and its URL arguments to ARG_VALUES (and "
                      f"the world fixture) in tests/test_accessibility.py, or name it in NOT_PAGES if it is a "
                      f"download" for endpoint in never]
    assert walk.problems == [], "\n".join(walk.problems)
    assert walk.checked >= 100


def _rate_limited(page, app, monkeypatch) -> list[str]:
    """The 429 page, in both languages: log-in attempts past a low limit."""
    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN", "2 per minute")
    found = []
    for lang in ("th", "en"):
        status = 0
        for _attempt in range(4):
            page.goto(_with_lang("/auth/login", lang))
            page.fill("#email", "nobody@example.org")
            page.fill("#password", "wrong-password-123")
            status = _submit(page, page.locator("main form").first)
            if status == 429:
                break
        if status != 429:
            found.append(f"429 page ({lang}): never reached, last HTTP {status}")
            continue
        found += [str(v) for v in axe_violations(page, f"429 /auth/login as anonymous, {lang}")]
        from idea4gov.extensions import limiter

        limiter.reset()
    return found
