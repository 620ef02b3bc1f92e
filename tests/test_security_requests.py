"""Request-level attacks: CSRF on every POST in the URL map (endpoints added later are covered
too), cookie-authenticated API writes without the header, bodies over 1 MB on every POST,
open redirects through `next`, and SQL/FTS syntax in search on both databases."""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa

from idea4gov.extensions import db
from idea4gov.ideas.models import Comment, Vote

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture()
def world(app, make_area, make_idea, make_user, make_staff):
    """One of everything a URL can point at, and an admin logged in (so nothing stops at a login wall)."""
    from idea4gov.account import tokens
    from idea4gov.ideas import services

    area = make_area(slug="saensuk")
    idea = make_idea(area=area)
    admin = make_staff("admin")
    comment = services.add_comment(idea, admin, "เห็นด้วยครับ ทดสอบ")
    token, secret = tokens.create_token(admin, "ทดสอบ")
    from idea4gov.projects import services as projects
    from idea4gov.projects.models import PlanType

    project = projects.create_project(area, admin, projects.ProjectInput("โครงการถังขยะแยกประเภท", PlanType.other, 2569),
                                      [idea])
    db.session.commit()
    return {"slug": area.slug, "idea_id": idea.id, "comment_id": comment.id, "token_id": token.id,
            "admin": admin, "secret": secret, "project_id": project.id}


def _unsafe_rules(app, api: bool):
    rules = []
    for rule in app.url_map.iter_rules():
        methods = sorted((rule.methods or set()) & UNSAFE)
        if methods and rule.endpoint.startswith("api.") == api and rule.endpoint != "static":
            rules.extend((rule, method) for method in methods)
    return rules


def _url(app, rule, world) -> str:
    values = {name: world.get(name, 1) for name in rule.arguments}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def test_every_form_post_needs_a_valid_csrf_token(app, client, world):
    rules = _unsafe_rules(app, api=False)
    assert len(rules) >= 14, "the URL map lost its forms?"
    client.login(world["admin"])
    failures = []
    for rule, method in rules:
        url = _url(app, rule, world)
        missing = client.raw.open(url, method=method, data={"body": "x"})
        wrong = client.raw.open(url, method=method, data={"csrf_token": "forged.token.value", "body": "x"})
        for label, response in (("missing", missing), ("wrong", wrong)):
            if response.status_code != 400 or "CSRF" not in response.get_data(as_text=True):
                failures.append((rule.endpoint, label, response.status_code))
    assert failures == []
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 1
    assert client.get("/account/").status_code == 200  # still logged in: logout was refused too


def test_api_writes_with_the_session_cookie_need_the_csrf_header(app, client, world):
    rules = _unsafe_rules(app, api=True)
    assert rules
    client.login(world["admin"])
    failures = []
    for rule, method in rules:
        url = _url(app, rule, world)
        body = {"title": "เพิ่มถังขยะริมหาดให้มากขึ้น", "body": "ขยะบนชายหาดเยอะมาก อยากให้เทศบาลเพิ่มถังขยะ"}
        for headers in ({}, {"X-CSRFToken": "forged.token.value"}):
            response = client.raw.open(url, method=method, json=body, headers=headers)
            if response.status_code != 400 or response.get_json()["error"]["code"] != "csrf_failed":
                failures.append((rule.endpoint, method, headers, response.status_code))
    assert failures == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vote)) == 0
    # A personal token is not a cookie: the browser never sends it on its own, so no CSRF header.
    vote = client.api("PUT", f"/api/v1/ideas/{world['idea_id']}/vote", token=world["secret"])
    assert vote.status_code == 200


#: Endpoints allowed a larger body than MAX_CONTENT_LENGTH (an answer may carry evidence photos).
LARGER_LIMITS = {
    "triage.set_status": lambda config: config["PHOTO_MAX_BYTES"] * config["PHOTOS_PER_ANSWER"] + 256 * 1024,
    "project_manage.set_status": lambda config: config["PHOTO_MAX_BYTES"] * config["PHOTOS_PER_ANSWER"] + 256 * 1024,
    "verification.confirm_idea": lambda config: config["PHOTO_MAX_BYTES"] + 256 * 1024,
    "verification.confirm_project": lambda config: config["PHOTO_MAX_BYTES"] + 256 * 1024,
    # An event proposal's attachment: one image at a time.
    "events.upload": lambda config: config["PHOTO_MAX_BYTES"] + 256 * 1024,
}


def test_every_post_over_one_megabyte_is_413(app, client, world):
    client.login(world["admin"])
    failures = []
    for rule, method in _unsafe_rules(app, api=False) + _unsafe_rules(app, api=True):
        url = _url(app, rule, world)
        limit = LARGER_LIMITS.get(rule.endpoint, lambda config: config["MAX_CONTENT_LENGTH"])(app.config)
        assert limit >= 1024 * 1024
        big = "x" * (limit + 1)
        if rule.endpoint.startswith("api."):
            response = client.raw.open(url, method=method, data=big, content_type="application/json",
                                       headers={"X-CSRFToken": client.csrf_token()})
            ok = response.status_code == 413 and response.get_json()["error"]["code"] == "payload_too_large"
        else:
            response = client.raw.open(url, method=method, data={"csrf_token": client.csrf_token(), "body": big})
            ok = response.status_code == 413 and "ข้อมูลที่ส่งมามีขนาดใหญ่เกินไป" in response.get_data(as_text=True)
        response.request.environ["wsgi.input"].close()
        if not ok:
            failures.append((rule.endpoint, method, response.status_code))
    assert failures == []


REDIRECT_ATTACKS = [
    "//evil.example", "/\\evil.example", "\\\\evil.example", "https:evil.example", "https://evil.example",
    "%2F%2Fevil.example", "/%2F/evil.example", "javascript:alert(1)", "java%0Ascript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "///evil.example", "/\t/evil.example", " //evil.example",
    "http://127.0.0.1@evil.example", "//evil.example/%2F..", "/.evil.example", "@evil.example",
]


@pytest.mark.parametrize("attack", REDIRECT_ATTACKS)
@pytest.mark.parametrize("form", ["login", "register"])
def test_next_never_leads_off_site(client, make_user, attack, form):
    if form == "login":
        user = make_user()
        response = client.post(f"/auth/login?next={attack}", {"email": user.email, "password": "correct-horse-battery-9",
                                                              "next": attack})
    else:
        response = client.post(f"/auth/register?next={attack}", {
            "email": "new@example.org", "display_name": "ชาวบ้าน", "password": "correct-horse-battery-9",
            "confirm": "correct-horse-battery-9", "consent": "y"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location
    # Resolved as a browser would, against this site: it stays on this site.
    assert urlsplit(urljoin("https://idea4gov.test/auth/login", location)).netloc == "idea4gov.test"
    assert all(ord(ch) > 32 for ch in location)


SEARCHES = ["%", "_", "%%", "ขยะ%", "'", "''", '"', '""', "' OR '1'='1", "'; DROP TABLE ideas; --", "--", ";",
            "\\", "\\'", "ขยะ NEAR ไฟ", "NEAR(ขยะ ไฟ)", "ขยะ*", "*", "^ขยะ", "ขยะ AND ไฟ", "ขยะ OR ไฟ", "NOT ขยะ",
            "ขยะ -ไฟ", '"ขยะ', 'ขยะ"', "(ขยะ", "ขยะ)", "title:ขยะ", "{ขยะ}", "ขยะ:*", "!ขยะ", "ขยะ & ไฟ", "ขยะ | ไฟ",
            "ขยะ <-> ไฟ", "[", "]", "$1", "%s", "\x7f", "ｗｉｄｅ"]


@pytest.mark.parametrize("query", SEARCHES)
def test_search_syntax_is_just_text(client, make_area, make_idea, query):
    area = make_area(slug="saensuk")
    bins = make_idea(area=area, title="เพิ่มถังขยะริมหาดบางแสนให้มากขึ้น")
    lights = make_idea(area=area, title="ซ่อมไฟถนนซอยวัดที่ดับมานาน",
                       body="ไฟถนนในซอยวัดดับหลายดวง ตอนกลางคืนมืดมากและอันตรายต่อคนเดินเท้า")
    page = client.get("/areas/saensuk", query_string={"q": query})
    assert page.status_code == 200
    api = client.get("/api/v1/areas/saensuk/ideas", query_string={"q": query})
    assert api.status_code == 200
    found = {item["id"] for item in api.get_json()["items"]}
    assert found <= {bins.id, lights.id}
    # Operators are not obeyed: "ขยะ OR ไฟ" is not a union, "NOT ขยะ" is not the complement.
    if query in ("ขยะ OR ไฟ", "ขยะ | ไฟ", "NOT ขยะ", "ขยะ -ไฟ"):
        assert found != {bins.id, lights.id}
    if query in ("ขยะ%", "ขยะ*", "^ขยะ", '"ขยะ', "(ขยะ", "ขยะ:*"):
        assert found == {bins.id}, "the symbol is dropped, the word is searched"
    # A query with no words at all (only symbols) is no filter, exactly like an empty box.
    if query in ("%", "_", "%%", "*", "'", '"', "--", ";", "\\"):
        assert found == {bins.id, lights.id}
        assert page.get_data(as_text=True).count('class="idea-card') == 2
    assert db.session.scalar(sa.text("SELECT count(*) FROM ideas")) == 2
