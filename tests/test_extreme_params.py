"""Every GET route of the URL map, with the numbers and dates an attacker sends: no 5xx, ever.

The routes come from `app.url_map` and the query parameters from what the views actually read
(`request.args` is recorded while the pages render), so a page or a filter added later is
walked too. Each parameter then gets huge, negative, malformed and far-off values, as an
anonymous visitor and as an admin who also holds every staff role of the area, with ids of
rows that exist.
"""
from __future__ import annotations

import pytest
from flask import url_for
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

from idea4gov.extensions import db

#: Parameter names walked even when no view read them in the first pass (filters that only
#: apply once another parameter is set).
KNOWN = {"page", "per_page", "q", "sort", "theme", "k", "text", "since", "until", "date_from", "date_to",
         "min_supporters", "status", "agency", "area", "group", "kind", "filter", "lang", "next", "unrouted",
         "overdue", "action", "actor", "target_type", "back", "fy", "ref"}

#: One value for every parameter at once, per probe.
PROBES = {
    "huge": "100000000000000000000",
    "int64+1": "9223372036854775808",
    "negative": "-1",
    "far future": "9999-12-31",
    "year one": "0001-01-01",
    "float": "1e309",
    "junk": "NaN",
    "long": "๙" * 300,
}
#: Date pairs that pass one field's check but not the range (from after to).
DATE_PAIRS = [{"date_from": "9999-12-31", "date_to": "9999-12-31", "since": "9999-12-31", "until": "9999-12-31"},
              {"date_from": "0001-01-01", "date_to": "0001-01-01", "since": "0001-01-01", "until": "0001-01-01"}]


class RecordingArgs(ImmutableMultiDict):
    """Query parameters that remember which names a view asked for."""

    asked: set[str] = set()

    def __getitem__(self, key):
        RecordingArgs.asked.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):  # noqa: A002 (MultiDict's name)
        RecordingArgs.asked.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        RecordingArgs.asked.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        RecordingArgs.asked.add(key)
        return super().__contains__(key)


@pytest.fixture()
def world(app, make_area, make_idea, make_user, make_staff):
    """One of every object a URL names, and an admin holding every staff role of the area."""
    from idea4gov.account import tokens
    from idea4gov.auth import staff
    from idea4gov.auth.models import Role
    from idea4gov.groups.models import IdeaGroup
    from idea4gov.ideas import services as idea_services
    from idea4gov.mail.tokens import unsubscribe_token
    from idea4gov.notifications.services import notify
    from idea4gov.shortlists import services as shortlists
    from idea4gov.triage.services import agencies

    area = make_area(slug="saensuk")
    idea = make_idea(area=area)
    admin = make_staff("admin")
    for role in ("moderator", "officer", "organiser"):
        staff.grant(admin, Role(role), area)
    comment = idea_services.add_comment(idea, make_user(), "ความคิดเห็นทดสอบ")
    group = IdeaGroup(area_id=area.id)
    db.session.add(group)
    db.session.flush()
    idea.group_id = group.id
    agency = agencies.save_agency(area, admin, "กองช่าง", "Public works", "")
    shortlist = shortlists.create_shortlist(admin, shortlists.ShortlistInput("แฮกกาธอน", None, "", [area]))
    shortlists.add_ideas(shortlist, [idea.id], admin)
    shortlists.add_criterion(shortlist, "ผลกระทบ", 2, admin)
    shortlists.add_judge(shortlist, admin, admin)
    token, _secret = tokens.create_token(admin, "ทดสอบ")
    notify({admin.id}, "idea_status", idea_id=idea.id, data={"title": idea.title, "status": "x"})
    db.session.commit()
    return {
        "admin": admin,
        "values": {"slug": area.slug, "idea_id": idea.id, "comment_id": comment.id, "group_id": group.id,
                   "agency_id": agency.id, "shortlist_id": shortlist.id, "user_id": admin.id, "token_id": token.id,
                   "token": unsubscribe_token(admin.id), "fmt": "csv", "name": "weekly", "filename": "css/app.css"},
    }


def get_rules(app):
    return [rule for rule in app.url_map.iter_rules() if "GET" in (rule.methods or set())]


def _url(app, rule, values: dict, query: dict) -> str:
    args = {}
    for name in rule.arguments:
        if name in values:
            args[name] = values[name]
        else:  # a route added later: any existing-looking value of the right kind
            args[name] = 1 if isinstance(rule._converters.get(name), IntegerConverter) else "x"
    with app.test_request_context():
        return url_for(rule.endpoint, **args, **query)


def _walk(app, client, world, queries) -> list:
    failures = []
    for rule in get_rules(app):
        for query in queries:
            response = client.get(_url(app, rule, world["values"], query))
            response.close()
            if response.status_code >= 500:
                failures.append((rule.rule, query, response.status_code))
    return failures


@pytest.fixture()
def recording(app, monkeypatch):
    RecordingArgs.asked = set()
    monkeypatch.setattr(app.request_class, "parameter_storage_class", RecordingArgs)
    return RecordingArgs


def _queries(names: set[str]) -> list[dict]:
    queries = [dict.fromkeys(names, value) for value in PROBES.values()]
    return queries + [dict(pair) for pair in DATE_PAIRS] + [{"page": PROBES["huge"]}]


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_every_get_route_survives_extreme_numbers_and_dates(app, client, world, recording, who):
    if who == "staff":
        client.login(world["admin"])
    assert len(get_rules(app)) >= 40, "the URL map lost its pages?"
    assert _walk(app, client, world, [{}]) == []
    names = (recording.asked | KNOWN) - {"lang"}  # ?lang= picks the language; junk is simply ignored
    assert {"page", "date_from", "until"} <= names
    assert _walk(app, client, world, _queries(names)) == []


def test_the_probed_urls_answer_with_page_one_or_a_clear_date_error(app, client, world):
    client.login(world["admin"])
    huge = PROBES["huge"]
    for url in ("/notifications/", "/admin/users", "/admin/audit", "/moderation/", "/areas/saensuk",
                "/triage/saensuk"):
        response = client.get(f"{url}?page={huge}")
        assert response.status_code == 200, url
    shortlist = world["values"]["shortlist_id"]
    for url in ("/admin/audit?until=9999-12-31", "/admin/audit?since=0001-01-01",
                f"/shortlists/{shortlist}/add?date_to=9999-12-31", f"/shortlists/{shortlist}/add?date_from=0001-01-01"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "วันที่ต้องอยู่ระหว่างปี ค.ศ. 1900 ถึง 2200 (พ.ศ. 2443–2743)" in response.get_data(as_text=True), url
    english = client.get("/admin/audit?until=9999-12-31&lang=en").get_data(as_text=True)
    assert "The date must be between the years 1900 and 2200" in english


#: Form fields walked even when no view read them when the form was empty.
KNOWN_FORM = {"reason", "items", "action", "area", "areas", "name", "idea_id", "parent_id", "comment_id", "body",
              "title", "theme", "place_name", "details", "agency_id", "target_id", "status", "answer", "weight",
              "direction", "note", "email", "password", "confirm", "current", "role", "days_to_first_answer",
              "auto_hide_reports", "moderation_mode", "is_open", "min_supporters", "date_from", "date_to",
              "event_date", "description", "show_name", "consent", "display_name", "remember", "next", "confirm_new",
              "name_th", "name_en", "theme_id", "group"}


def _post_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if "POST" in (rule.methods or set()) and not rule.endpoint.startswith("api.")
            and rule.endpoint not in {"auth.logout", "account.sign_out_everywhere", "account.delete"}]


def test_every_form_post_survives_extreme_numbers_and_dates(app, client, world, recording):
    """Every POST of the URL map, signed in as staff of the area with a valid CSRF token, with every
    field a view reads set to huge, negative, malformed and far-off values: a form error, never a 5xx."""
    client.login(world["admin"])
    rules = _post_rules(app)
    assert len(rules) >= 25
    for rule in rules:  # first pass: learn the field names each view reads
        client.post(_url(app, rule, world["values"], {}), {})
    names = (recording.asked | KNOWN_FORM) - {"csrf_token"}
    failures = []
    for value in PROBES.values():
        for rule in rules:
            response = client.post(_url(app, rule, world["values"], {}), dict.fromkeys(names, value))
            if response.status_code >= 500:
                failures.append((rule.rule, value[:20], response.status_code))
            if rule.endpoint in {"auth.login", "auth.register", "account.change_password"}:
                client.login(world["admin"])  # a probe may have signed us out or in as someone else
    assert failures == []


@pytest.mark.parametrize("value", [10**20, -1, 1e309, "9999-12-31", "๙" * 300, [1, 2], {"a": 1}, None, True])
def test_every_api_write_survives_extreme_values(app, client, world, value):
    from idea4gov.account import tokens

    _token, secret = tokens.create_token(world["admin"], "probe")
    db.session.commit()
    failures = []
    for rule in app.url_map.iter_rules():
        methods = (rule.methods or set()) & {"POST", "PUT", "DELETE", "PATCH"}
        if not rule.endpoint.startswith("api.") or not methods:
            continue
        url = _url(app, rule, world["values"], {})
        for method in methods:
            body = dict.fromkeys(("title", "body", "theme", "place_name", "text", "k"), value)
            response = client.api(method, url, json=body, token=secret)
            if response.status_code >= 500:
                failures.append((rule.rule, method, response.status_code))
    assert failures == []
