"""Regrouping as a background job: RQ on a real Redis, started by staff or the CLI, never in a request."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from idea4gov import jobs
from idea4gov.audit.models import AuditEntry
from idea4gov.extensions import db
from idea4gov.grouping import tokenize
from idea4gov.groups.models import IdeaGroup
from idea4gov.ideas.models import Idea
from tests.redis_support import redis_server, redis_url  # noqa: F401  (fixtures)


@pytest.fixture()
def jobs_on(app, redis_url, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    return redis_url


@pytest.fixture()
def ungrouped_area(make_area, make_user):
    """An area of 30 demo ideas bulk-inserted without groups, as after an import."""
    from idea4gov.seed.demo_huawiang import AREA

    area = make_area(slug="huawiang")
    author = make_user()
    db.session.execute(sa.insert(Idea), [
        {"area_id": area.id, "theme_id": area.themes[0].id, "author_id": author.id, "title": spec["title"],
         "body": spec["body"], "search_tokens": " ".join(tokenize(spec["title"] + "\n" + spec["body"]))}
        for spec in AREA["ideas"]
    ])
    db.session.commit()
    return area


def _groups(area) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(IdeaGroup).where(IdeaGroup.area_id == area.id))


def _queued(url: str) -> int:
    from redis import Redis
    from rq import Queue

    return Queue(jobs.QUEUE_NAME, connection=Redis.from_url(url)).count


def test_staff_button_queues_and_the_worker_regroups(app, client, jobs_on, ungrouped_area, make_staff):
    area = ungrouped_area
    officer = make_staff("officer", area)
    client.login(officer)
    page = client.get(f"/areas/{area.slug}/groups")
    assert page.status_code == 200 and f'action="/areas/{area.slug}/groups/regroup"' in page.get_data(as_text=True)

    response = client.post(f"/areas/{area.slug}/groups/regroup")
    assert response.status_code == 302
    assert _groups(area) == 0, "the request itself must not regroup"
    assert _queued(jobs_on) == 1
    audit = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "enqueue_regroup"))
    assert audit.actor_id == officer.id and audit.area_id == area.id

    client.post(f"/areas/{area.slug}/groups/regroup")  # a second click while it waits: still one job
    assert _queued(jobs_on) == 1

    jobs.run_worker(app, burst=True)
    assert _queued(jobs_on) == 0
    assert _groups(area) > 0
    grouped = db.session.scalar(sa.select(sa.func.count()).select_from(Idea).where(
        Idea.area_id == area.id, Idea.group_id.is_not(None)))
    assert grouped >= 2
    listing = client.get(f"/areas/{area.slug}/groups").get_data(as_text=True)
    assert "/groups/" in listing


def test_cli_enqueue_and_worker_command(app, runner, jobs_on, ungrouped_area):
    result = runner.invoke(args=["grouping", "enqueue", "--area", ungrouped_area.slug])
    assert result.exit_code == 0, result.output
    assert "queued 1 regroups" in result.output
    assert _groups(ungrouped_area) == 0
    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert _groups(ungrouped_area) > 0


def test_without_redis_the_page_says_jobs_are_off(app, client, ungrouped_area, make_staff, runner):
    assert app.config["REDIS_URL"] is None
    client.login(make_staff("moderator", ungrouped_area))
    page = client.get(f"/areas/{ungrouped_area.slug}/groups").get_data(as_text=True)
    assert "REDIS_URL" in page and "/groups/regroup" not in page
    response = client.post(f"/areas/{ungrouped_area.slug}/groups/regroup")
    assert response.status_code == 303
    assert _groups(ungrouped_area) == 0
    result = runner.invoke(args=["grouping", "enqueue"])
    assert result.exit_code == 1 and "REDIS_URL is not set" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "enqueue_regroup")) == 0


@pytest.mark.parametrize("who", ["anonymous", "resident", "officer_elsewhere", "organiser_here"])
def test_regroup_is_for_officers_and_moderators_of_the_area(app, client, jobs_on, make_area, make_user,
                                                           make_staff, who):
    area, other = make_area(), make_area()
    if who == "resident":
        client.login(make_user())
    elif who == "officer_elsewhere":
        client.login(make_staff("officer", other))
    elif who == "organiser_here":
        client.login(make_staff("organiser", area))
    response = client.post(f"/areas/{area.slug}/groups/regroup")
    if who == "anonymous":
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code == 403
        assert "/groups/regroup" not in client.get(f"/areas/{area.slug}/groups").get_data(as_text=True)
    assert _queued(jobs_on) == 0


@pytest.mark.parametrize("redis", [True, False])
def test_area_groups_page_in_english_has_no_thai_left(app, client, ungrouped_area, make_staff, redis, request,
                                                      monkeypatch):
    from tests.test_i18n import thai_left

    if redis:
        request.getfixturevalue("jobs_on")
    client.login(make_staff("officer", ungrouped_area))
    client.get("/")  # shows (and clears) the Thai "logged in" message
    html = client.get(f"/areas/{ungrouped_area.slug}/groups?lang=en").get_data(as_text=True)
    assert ("Regroup the whole area" in html) == redis and ("Background jobs are off" in html) != redis
    assert thai_left(html) == []
