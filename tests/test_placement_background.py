"""Issue 18 point 7: publishing an idea never searches a similarity index in the request. Posting
(and a moderator's approval) stores the idea and marks it awaiting placement; the background
worker (without Redis: this process, after the response) decides its group and its issue as
they were decided at posting time, against the ideas published before it, and joins them."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from issue_support import BINS, BINS_AGAIN, SOI_14_AGAIN, issue_of, issues_world, refresh  # noqa: F401

from idea4gov.extensions import db
from idea4gov.grouping import SimilarityIndex
from idea4gov.groups import services as group_services
from idea4gov.groups.models import IdeaIssue
from idea4gov.ideas.models import Idea, Visibility
from tests.api_support import token_for


@pytest.fixture()
def engine_calls(monkeypatch):
    """Every search, append or build of a similarity index, with whether it ran inside a request."""
    from flask import has_request_context

    calls = []
    for name in ("matches_tokens", "add"):
        original = getattr(SimilarityIndex, name)

        def counting(self, *args, _original=original, _name=name, **kwargs):
            calls.append((_name, has_request_context()))
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(SimilarityIndex, name, counting)
    return calls


@pytest.fixture()
def held_jobs(monkeypatch):
    """Placement jobs kept back (a busy worker): [(idea id, before id)]; `run()` runs them."""
    held = []
    monkeypatch.setattr(group_services, "place_published_job", lambda *args: held.append(args))
    return held


def _post_api(client, area, spec, user):
    return client.api("POST", f"/api/v1/areas/{area.slug}/ideas", token=token_for(user),
                      json={"title": spec[0], "body": spec[1], "theme": area.themes[0].slug})


def test_posting_leaves_the_search_to_after_the_answer(app, client, issues_world, make_user,  # noqa: F811
                                                       engine_calls):
    w = issues_world
    issue = issue_of(w.bins[0])
    group_services.place_new_idea(w.area, ["ขยะ"])  # this process's index exists (warmed at start-up)
    engine_calls.clear()
    app.config["BACKGROUND_AFTER_RESPONSE"] = True
    try:
        response = _post_api(client, w.area, BINS_AGAIN, make_user())
        assert response.status_code == 201, response.get_json()
        new_id = response.get_json()["id"]
        assert engine_calls == []  # no search, no append while the resident waited
        db.session.expire_all()
        stored = db.session.get(Idea, new_id)
        assert stored.awaiting_placement and stored.issue_id is None and stored.group_id is None
        response.close()  # the answer is sent: now its placement, and this process's append
    finally:
        app.config["BACKGROUND_AFTER_RESPONSE"] = False
    assert engine_calls and not any(in_request for _name, in_request in engine_calls)
    db.session.expire_all()
    stored = db.session.get(Idea, new_id)
    assert not stored.awaiting_placement
    assert (stored.issue_id, stored.group_id) == (issue.id, issue.group_id)
    assert db.session.get(IdeaIssue, issue.id).size == 4
    # Right after: the idea page says how many others reported it, the similar box finds it.
    assert "มีผู้แจ้งเรื่องเดียวกันอีก 3 คน" in client.get(f"/ideas/{new_id}").get_data(as_text=True)
    found = client.get(f"/api/v1/areas/{w.area.slug}/similar", query_string={"text": BINS_AGAIN[0]}).get_json()
    assert new_id in [item["id"] for item in found["items"]]


def test_the_web_form_never_places_in_the_request(app, client, issues_world, make_user, monkeypatch):  # noqa: F811
    from flask import has_request_context

    w = issues_world
    placed = []
    original = group_services.place_new_idea
    monkeypatch.setattr(group_services, "place_new_idea",
                        lambda *args, **kwargs: placed.append(has_request_context()) or original(*args, **kwargs))
    client.login(make_user())
    app.config["BACKGROUND_AFTER_RESPONSE"] = True
    try:
        response = client.post(f"/areas/{w.area.slug}/ideas/new", data={
            "title": BINS_AGAIN[0], "body": BINS_AGAIN[1], "theme": w.beach.slug, "confirm_new": "1"})
        assert response.status_code == 302 and placed == []
        response.close()
    finally:
        app.config["BACKGROUND_AFTER_RESPONSE"] = False
    assert placed == [False]
    new = db.session.scalar(sa.select(Idea).where(Idea.title == BINS_AGAIN[0]))
    assert new.issue_id == w.bins[0].issue_id


@pytest.mark.parametrize("spec", [BINS_AGAIN, SOI_14_AGAIN, BINS[0]], ids=["joins-issue", "pairs-lone", "a-copy"])
def test_the_worker_decides_what_the_request_decided_at_posting(issues_world, held_jobs, monkeypatch,  # noqa: F811
                                                                spec):
    """The placement is the one the request made before this change (`place_new_idea` before the
    idea was stored), even when a twin was posted after it and is indexed by the time the job runs."""
    from idea4gov.search import tokens_for_storage

    w = issues_world
    title, body = spec[0], spec[1] + " ครั้งแรก"
    tokens = tokens_for_storage(f"{title}\n{body}")
    expected = group_services.place_new_idea(w.area, tokens.split())  # what the request decided before
    assert expected != group_services.Placement()
    first = w.post((title, body), w.beach)
    twin = w.post((spec[0], spec[1] + " อีกครั้ง"), w.beach)  # posted after it, before its job ran
    assert first.search_tokens == tokens and [args[0] for args in held_jobs] == [first.id, twin.id]
    decided = []
    original = group_services.place_new_idea
    monkeypatch.setattr(group_services, "place_new_idea",
                        lambda *args, **kwargs: decided.append(original(*args, **kwargs)) or decided[-1])
    assert group_services.place_published(*held_jobs[0]) is True
    assert decided == [expected]  # the twin, indexed now, did not count
    db.session.commit()
    first = db.session.get(Idea, first.id)
    if expected.issue_id is not None:
        assert first.issue_id == expected.issue_id
    else:
        assert first.issue_id is not None and first.issue_id == db.session.get(Idea, expected.issue_partner).issue_id


def test_placing_runs_once(issues_world, held_jobs):  # noqa: F811
    w = issues_world
    again = w.post(BINS_AGAIN, w.beach)
    assert again.awaiting_placement and again.issue_id is None
    from idea4gov.groups.services import place_published

    assert place_published(*held_jobs[0]) is True
    db.session.commit()
    issue = issue_of(db.session.get(Idea, again.id))
    state = (again.issue_id, again.group_id, issue.size, issue.supporter_count)
    assert place_published(*held_jobs[0]) is False  # run twice (a retried job): nothing more
    db.session.commit()
    db.session.expire_all()
    again = db.session.get(Idea, again.id)
    assert (again.issue_id, again.group_id, issue_of(again).size, issue_of(again).supporter_count) == state


def test_a_regrouping_or_an_officer_first_wins_over_a_late_job(issues_world, held_jobs):  # noqa: F811
    from idea4gov.groups.services import place_published, recompute_area
    from idea4gov.triage.services import issues as officer

    w = issues_world
    # A regrouping ran before the worker got to the idea: it decided the idea; the job does nothing,
    # even where the regrouping left it alone (stored here as such a regrouping would store it).
    again = w.post(BINS_AGAIN, w.beach)
    recompute_area(w.area)
    db.session.commit()
    decided = db.session.get(Idea, again.id)
    assert not decided.awaiting_placement and decided.issue_id is not None
    db.session.execute(sa.update(Idea).where(Idea.id == again.id).values(group_id=None, issue_id=None))
    group_services.recount(IdeaIssue, [decided.issue_id])
    db.session.commit()
    assert place_published(*held_jobs[-1]) is False
    db.session.commit()
    db.session.expire_all()
    assert (db.session.get(Idea, again.id).group_id, db.session.get(Idea, again.id).issue_id) == (None, None)
    # An officer moved a new report into another issue before the worker placed it: it stays there.
    second = w.post(SOI_14_AGAIN, w.light)
    officer.move(db.session.get(Idea, second.id), db.session.get(Idea, w.lights[0].id), w.officer)
    db.session.commit()
    moved_to = db.session.get(Idea, second.id).issue_id
    assert moved_to == db.session.get(Idea, w.lights[0].id).issue_id
    assert place_published(*held_jobs[-1]) is False
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Idea, second.id).issue_id == moved_to and db.session.get(Idea, second.id).issue_pinned
    # A report hidden before its job ran is not placed.
    third = w.post((BINS_AGAIN[0] + " อีกที", BINS_AGAIN[1] + " อีกที"), w.beach)
    from idea4gov.moderation import services as moderation

    moderation.decide(db.session.get(Idea, third.id), moderation.Action.hide, w.officer, "ทดสอบ")
    db.session.commit()
    assert place_published(*held_jobs[-1]) is False
    assert db.session.get(Idea, third.id).issue_id is None


def test_an_approved_idea_is_placed_by_the_worker_after_the_commit(app, client, issues_world, make_user,  # noqa: F811
                                                                    make_staff, engine_calls):
    from idea4gov.areas.models import ModerationMode
    from idea4gov.areas.settings import settings_of

    w = issues_world
    settings_of(w.area).moderation_mode = ModerationMode.pre
    db.session.commit()
    held = w.post(BINS_AGAIN, w.beach)
    assert held.visibility == Visibility.pending and not held.awaiting_placement and held.issue_id is None
    issue = issue_of(w.bins[0])
    group_services.place_new_idea(w.area, ["ขยะ"])  # this process's index exists
    engine_calls.clear()
    client.login(make_staff("moderator", w.area))
    app.config["BACKGROUND_AFTER_RESPONSE"] = True
    try:
        response = client.post(f"/moderation/idea/{held.id}/approve")
        assert response.status_code == 302
        assert not any(name == "matches_tokens" and in_request for name, in_request in engine_calls)
        db.session.expire_all()
        assert db.session.get(Idea, held.id).awaiting_placement
        response.close()
    finally:
        app.config["BACKGROUND_AFTER_RESPONSE"] = False
    db.session.expire_all()
    approved = db.session.get(Idea, held.id)
    assert approved.visibility == Visibility.published and not approved.awaiting_placement
    assert (approved.issue_id, approved.group_id) == (issue.id, issue.group_id)
    assert db.session.get(IdeaIssue, issue.id).size == 4
    refresh(w)


def test_ideas_left_waiting_are_placed_from_the_command_line(runner, issues_world, held_jobs,  # noqa: F811
                                                            monkeypatch):
    """The worker was down and its queue lost: `flask grouping place` does what it would have done."""
    w = issues_world
    again, hidden = w.post(BINS_AGAIN, w.beach), w.post(SOI_14_AGAIN, w.light)
    from idea4gov.moderation import services as moderation

    moderation.decide(hidden, moderation.Action.hide, w.officer, "ทดสอบ")
    db.session.commit()
    monkeypatch.undo()  # the jobs were lost with the queue; the command runs the real placement
    assert runner.invoke(args=["grouping", "place", "--area", "nowhere"]).exit_code == 1
    result = runner.invoke(args=["grouping", "place", "--area", w.area.slug])
    assert result.exit_code == 0 and "2 ideas were waiting: 1 placed, 1 left" in result.output, result.output
    db.session.expire_all()
    placed = db.session.get(Idea, again.id)
    assert placed.issue_id == w.bins[0].issue_id and not placed.awaiting_placement
    assert db.session.get(Idea, hidden.id).issue_id is None
    assert "0 ideas were waiting" in runner.invoke(args=["grouping", "place"]).output


def test_an_idea_like_no_other_stays_alone_never_paired_with_itself(issues_world, make_user):  # noqa: F811
    w = issues_world
    lone = w.post(("ขอให้ห้องสมุดประชาชนเปิดถึงสามทุ่มวันธรรมดา",
                   "นักเรียนและคนทำงานเลิกเย็น อยากยืมหนังสือและนั่งอ่านหนังสือหลังเลิกงาน ขอขยายเวลาเปิดห้องสมุด"), w.beach)
    db.session.expire_all()
    lone = db.session.get(Idea, lone.id)
    assert (lone.group_id, lone.issue_id, lone.awaiting_placement) == (None, None, False)
