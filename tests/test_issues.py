"""Issues (the same problem reported again) inside groups: regrouping both levels, a new report joining
its issue at once, distinct supporters, "N others reported this", the public list, the API, and
same-issue matches first while typing."""
from __future__ import annotations

import jsonschema
import pytest
import sqlalchemy as sa
from issue_support import (  # noqa: F401  (fixture)
    BINS,
    BINS_AGAIN,
    SOI_14_AGAIN,
    assert_counts_match_rows,
    issue_of,
    issues_world,
    refresh,
)

from idea4gov.extensions import db
from idea4gov.groups.models import IdeaIssue
from idea4gov.ideas import services
from idea4gov.ideas.models import Idea, Visibility
from tests.api_support import assert_api_error


def test_regrouping_stores_issues_inside_groups_named_by_a_report(runner, issues_world):  # noqa: F811
    w = issues_world
    bins = {issue_of(idea).id for idea in w.bins}
    assert len(bins) == 1 and None not in {idea.issue_id for idea in w.bins}
    issue = issue_of(w.bins[0])
    assert issue.size == 3 and issue.representative_id in {idea.id for idea in w.bins}
    # Inside one group, with its reports.
    assert issue.group_id is not None and {idea.group_id for idea in w.bins} == {issue.group_id}
    assert w.lights[0].issue_id == w.lights[1].issue_id is not None and w.lights[0].issue_id not in bins
    # Another street (another place number) is not the same problem; a footpath is no one's.
    assert w.soi14.issue_id != w.lights[0].issue_id and w.footpath.issue_id is None
    assert_counts_match_rows(w.area.id)
    ids = {idea.id: idea.issue_id for idea in (*w.bins, *w.lights)}
    result = runner.invoke(args=["grouping", "recompute", "--area", "saensuk"])
    assert result.exit_code == 0, result.output
    assert "issues" in result.output.splitlines()[-1]
    refresh(w)
    assert {idea.id: idea.issue_id for idea in (*w.bins, *w.lights)} == ids  # ids stay
    assert_counts_match_rows(w.area.id)


def test_a_new_report_joins_its_issue_at_once(issues_world):  # noqa: F811
    w = issues_world
    issue = issue_of(w.bins[0])
    again = w.post(BINS_AGAIN, w.beach)
    db.session.expire_all()
    again = db.session.get(Idea, again.id)
    assert again.issue_id == issue.id and again.group_id == issue.group_id
    assert db.session.get(IdeaIssue, issue.id).size == 4
    # A second report of the lone soi-14 light: the two become an issue, in one group.
    second = w.post(SOI_14_AGAIN, w.light)
    refresh(w)
    second = db.session.get(Idea, second.id)
    assert second.issue_id is not None and second.issue_id == w.soi14.issue_id
    pair = issue_of(second)
    assert pair.size == 2 and pair.representative_id == w.soi14.id  # the older report names it
    assert second.group_id == w.soi14.group_id == pair.group_id
    assert_counts_match_rows(w.area.id)


def test_supporters_of_an_issue_are_distinct_residents(issues_world, make_user):  # noqa: F811
    w = issues_world
    fan, other = make_user(), make_user()
    services.vote(w.bins[0], fan)
    services.vote(w.bins[1], fan)
    services.vote(w.bins[2], other)
    db.session.commit()
    assert issue_of(w.bins[0]).supporter_count == 2  # the fan counts once across the issue
    services.unvote(w.bins[1], fan)
    db.session.commit()
    db.session.expire_all()
    assert issue_of(w.bins[0]).supporter_count == 2
    services.unvote(w.bins[0], fan)
    db.session.commit()
    db.session.expire_all()
    assert issue_of(w.bins[0]).supporter_count == 1
    assert_counts_match_rows(w.area.id)


def test_the_idea_page_says_how_many_others_reported_it(client, issues_world, make_staff):  # noqa: F811
    w = issues_world
    issue = issue_of(w.bins[0])
    html = client.get(f"/ideas/{w.bins[0].id}").get_data(as_text=True)
    assert "มีผู้แจ้งเรื่องเดียวกันอีก 2 คน" in html and f'href="/issues/{issue.id}"' in html
    assert "2 others reported this" in client.get(f"/ideas/{w.bins[1].id}?lang=en").get_data(as_text=True)
    client.get("/?lang=th")  # the language is remembered: back to Thai
    assert 'data-testid="same-issue"' not in client.get(f"/ideas/{w.footpath.id}").get_data(as_text=True)
    # The issue's public list: its reports, each linked.
    page = client.get(f"/issues/{issue.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and all(f'href="/ideas/{idea.id}"' in text for idea in w.bins)
    assert "มีผู้แจ้งเรื่องนี้ 3 ครั้ง" in text and BINS[1][0] in text and w.footpath.title not in text
    # A report posted since is counted at once (the cached page part is renewed).
    w.post(BINS_AGAIN, w.beach)
    assert "มีผู้แจ้งเรื่องเดียวกันอีก 3 คน" in client.get(f"/ideas/{w.bins[0].id}").get_data(as_text=True)
    # A hidden report is not counted, nor listed.
    from idea4gov.moderation import services as moderation

    moderation.decide(w.bins[2], moderation.Action.hide, make_staff("moderator", w.area), "ข้อมูลส่วนตัว")
    db.session.commit()
    assert "มีผู้แจ้งเรื่องเดียวกันอีก 2 คน" in client.get(f"/ideas/{w.bins[0].id}").get_data(as_text=True)
    assert w.bins[2].title not in client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert client.get("/issues/999999").status_code == 404


def test_an_issue_with_no_public_report_is_not_found(client, issues_world, make_staff):  # noqa: F811
    w = issues_world
    from idea4gov.moderation import services as moderation

    moderator = make_staff("moderator", w.area)
    for idea in w.lights:
        moderation.decide(idea, moderation.Action.hide, moderator, "ข้อมูลส่วนตัว")
    db.session.commit()
    assert client.get(f"/issues/{w.lights[0].issue_id}").status_code == 404


def _issue_validator(client) -> jsonschema.Draft202012Validator:
    document = client.get("/api/v1/openapi.json").get_json()
    return jsonschema.Draft202012Validator({"$ref": "#/components/schemas/Issue", "components": document["components"]})


def test_api_gives_issue_ids_and_lists_issues(client, issues_world, make_user):  # noqa: F811
    w = issues_world
    services.vote(w.lights[0], make_user())
    services.vote(w.lights[1], make_user())
    db.session.commit()
    idea = client.get(f"/api/v1/ideas/{w.bins[0].id}").get_json()
    assert idea["issue_id"] == w.bins[0].issue_id and idea["group_id"] == w.bins[0].group_id
    assert client.get(f"/api/v1/ideas/{w.footpath.id}").get_json()["issue_id"] is None
    listed = {item["id"]: item for item in client.get("/api/v1/areas/saensuk/ideas?per_page=100").get_json()["items"]}
    assert listed[w.bins[1].id]["issue_id"] == w.bins[0].issue_id
    body = client.get("/api/v1/areas/saensuk/issues").get_json()
    items = body["items"]
    validator = _issue_validator(client)
    assert all(not list(validator.iter_errors(item)) for item in items)
    assert [item["supporter_count"] for item in items] == sorted((item["supporter_count"] for item in items),
                                                                 reverse=True)
    lights = next(item for item in items if item["id"] == w.lights[0].issue_id)
    assert lights["size"] == 2 and lights["supporter_count"] == 2 and set(lights["idea_ids"]) == {i.id for i in w.lights}
    assert lights["name"]["idea_id"] in lights["idea_ids"] and lights["url"] == f"/issues/{lights['id']}"
    bins = next(item for item in items if item["id"] == w.bins[0].issue_id)
    assert bins["size"] == 3 and bins["group_id"] == w.bins[0].group_id
    # Open data carries the issue too (an appended column).
    exported = {row["id"]: row for row in client.get("/areas/saensuk/export.json").get_json()["ideas"]}
    assert exported[w.bins[2].id]["issue"] == w.bins[0].issue_id and exported[w.footpath.id]["issue"] is None
    broken = dict(bins)
    del broken["name"]
    assert not validator.is_valid(broken)  # the check is not vacuous


@pytest.mark.parametrize("query", ["per_page=0", "per_page=101", "page=abc", "page=-1"])
def test_issues_api_bad_input_is_a_clear_400(client, issues_world, query):  # noqa: F811
    assert_api_error(client.get(f"/api/v1/areas/saensuk/issues?{query}"), 400)


def test_issues_api_of_an_unknown_area_is_404(client, app):
    assert_api_error(client.get("/api/v1/areas/nowhere/issues"), 404)


def test_similar_ideas_put_the_same_issue_first_and_say_so(client, issues_world):  # noqa: F811
    w = issues_world
    text = f"{BINS_AGAIN[0]}\n{BINS_AGAIN[1]}"
    items = client.get("/api/v1/areas/saensuk/similar", query_string={"text": text, "k": 8}).get_json()["items"]
    flags = [item["same_issue"] for item in items]
    assert flags[0] is True and flags == sorted(flags, reverse=True)  # same-issue matches first
    same = {item["id"] for item in items if item["same_issue"]}
    assert same <= {idea.id for idea in w.bins} and len(same) >= 2
    assert all(item["issue_id"] == w.bins[0].issue_id for item in items if item["same_issue"])
    # The form carries both labels for the script that shows them while typing.
    client.login(w.officer)
    form = client.get("/areas/saensuk/ideas/new").get_data(as_text=True)
    assert 'data-label-same-issue="อาจเป็นเรื่องเดียวกัน"' in form and 'data-label-related="เรื่องใกล้เคียง"' in form


def test_without_javascript_a_report_of_a_known_issue_asks_did_you_mean_first(client, issues_world, make_user):  # noqa: F811
    w = issues_world
    resident = make_user()
    client.login(resident)
    data = {"title": BINS_AGAIN[0], "body": BINS_AGAIN[1], "theme": "beach"}
    step = client.post("/areas/saensuk/ideas/new", data=data)
    html = step.get_data(as_text=True)
    assert step.status_code == 200 and 'id="did-you-mean"' in html
    assert "อาจมีผู้แจ้งเรื่องนี้ไว้แล้ว" in html and 'data-same-issue="yes"' in html
    assert html.index("อาจเป็นเรื่องเดียวกัน") < html.index(w.bins[0].title) or w.bins[0].title not in html
    assert BINS_AGAIN[0] in html  # what was typed stays in the form
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea).where(Idea.author_id == resident.id)) == 0
    # "My report is different" publishes it, and it joins the issue anyway (the engine says so).
    posted = client.post("/areas/saensuk/ideas/new", data={**data, "confirm_new": "1"})
    assert posted.status_code == 302
    idea = db.session.scalar(sa.select(Idea).where(Idea.author_id == resident.id))
    assert idea.visibility == Visibility.published and idea.issue_id == w.bins[0].issue_id
