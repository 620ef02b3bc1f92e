"""Officers acting on issues (the same problem reported again): the board lists issues inside topics,
one answer or route reaches every report, splits and moves survive the next regrouping, and counts
stay exact through merges and regroupings."""
from __future__ import annotations

import sqlalchemy as sa
from issue_support import (  # noqa: F401  (fixture)
    BINS_AGAIN,
    assert_counts_match_rows,
    issue_of,
    issues_world,
    refresh,
)

from idea4gov.audit.models import AuditEntry
from idea4gov.extensions import db
from idea4gov.groups.models import IdeaGroup, IdeaIssue, IssueSeparation
from idea4gov.groups.services import recompute_area
from idea4gov.ideas import services
from idea4gov.ideas.models import Idea, IdeaStatus
from idea4gov.notifications.models import Notification
from idea4gov.triage.models import StatusChange

ANSWER = "เทศบาลเพิ่มรอบเก็บขยะที่ศาลาชมวิวแหลมแท่นทุกเย็นวันเสาร์และอาทิตย์แล้ว"


def _regroup(w):
    recompute_area(w.area)
    db.session.commit()
    return refresh(w)


def test_board_lists_issues_inside_topics_named_by_a_report_with_distinct_supporters(client, issues_world, make_user):  # noqa: F811
    w = issues_world
    fan = make_user()
    for idea in (w.bins[0], w.bins[1]):
        services.vote(idea, fan)  # one resident supporting two reports of one problem counts once
    services.vote(w.bins[2], make_user())
    db.session.commit()
    issue = issue_of(w.bins[0])
    named = db.session.get(Idea, issue.representative_id)
    client.login(w.officer)
    html = client.get("/triage/saensuk").get_data(as_text=True)
    assert html.count('data-testid="board-issue"') >= 2
    start = html.index(f'id="issue-{issue.id}-name"')
    section = html[start:html.index("</section>", start)]
    assert named.title in section and f'href="/triage/issues/{issue.id}"' in section
    assert f"#{issue.group_id}" not in section.split("</h", 1)[0]  # named by a report, not by a number
    assert "<strong>2</strong>" in section and all(f"#{idea.id} " in section for idea in w.bins)
    assert issue.supporter_count == 2 and issue.size == 3
    # The issue sits inside its topic's row on the board.
    row_start = html.rindex('data-testid="board-row"', 0, start)
    assert f'href="/groups/{issue.group_id}"' in html[row_start:start]
    # The topic is named by its key words, not by its number.
    topic_heading = html[row_start:start].split("</h2>", 1)[0]
    group = db.session.get(IdeaGroup, issue.group_id)
    assert f"#{issue.group_id}" not in topic_heading
    assert group.keyword_list and all(word in topic_heading for word in group.keyword_list[:4])
    # A lone report in no issue is still listed, as a report.
    assert f"#{w.footpath.id} {w.footpath.title}" in html
    # The officer's page of the issue, in English too.
    page = client.get(f"/triage/issues/{issue.id}?lang=en").get_data(as_text=True)
    assert named.title in page and page.count('data-testid="issue-report"') == 3
    assert client.get("/triage/issues/999999").status_code == 404


def test_one_answer_reaches_every_report_and_each_follower_once(client, issues_world, make_user):  # noqa: F811
    w = issues_world
    fan = make_user()
    for idea in w.bins:
        services.vote(idea, fan)
    db.session.commit()
    issue = issue_of(w.bins[0])
    client.login(w.officer)
    short = client.post(f"/triage/issues/{issue.id}/status", {"status": "accepted", "answer": "สั้นไป"})
    assert short.status_code == 400 and "สั้นไป" in short.get_data(as_text=True)  # what was typed stays
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StatusChange)) == 0
    assert client.post(f"/triage/issues/{issue.id}/status", {"status": "nonsense"}).status_code == 400
    ok = client.post(f"/triage/issues/{issue.id}/status", {"status": "accepted", "answer": ANSWER})
    assert ok.status_code == 302
    db.session.expire_all()
    for idea in w.bins:
        stored = db.session.get(Idea, idea.id)
        assert stored.status == IdeaStatus.accepted and stored.first_answered_at is not None and stored.issue_pinned
        change = db.session.scalar(sa.select(StatusChange).where(StatusChange.idea_id == idea.id))
        assert (change.after, change.answer) == (IdeaStatus.accepted, ANSWER)
        assert ANSWER in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    told = list(db.session.scalars(sa.select(Notification.user_id).where(Notification.kind == "idea_status")))
    assert sorted(told) == sorted({fan.id, *(idea.author_id for idea in w.bins)})  # the fan once, not three times
    assert db.session.get(Idea, w.lights[0].id).status == IdeaStatus.received  # other issues untouched
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "issue_status")).target_id == issue.id
    # The same status again with no answer changes nothing: a clear 400, not a second notice.
    again = client.post(f"/triage/issues/{issue.id}/status", {"status": "accepted", "answer": ""})
    assert again.status_code == 400


def test_route_an_issue_at_once_leaves_answered_reports_with_their_agency(client, issues_world):  # noqa: F811
    w = issues_world
    issue = issue_of(w.bins[0])
    answered = w.bins[2]
    client.login(w.officer)
    assert client.post(f"/triage/ideas/{answered.id}/route", {"agency_id": w.works.id}).status_code == 302
    assert client.post(f"/triage/ideas/{answered.id}/status",
                       {"status": "accepted", "answer": ANSWER}).status_code == 302
    none = client.post(f"/triage/issues/{issue.id}/route", {"agency_id": ""})
    assert none.status_code == 303
    assert client.post(f"/triage/issues/{issue.id}/route", {"agency_id": "99999"}).status_code == 400
    ok = client.post(f"/triage/issues/{issue.id}/route", {"agency_id": w.cleaning.id})
    assert ok.status_code == 302
    db.session.expire_all()
    assert [db.session.get(Idea, idea.id).agency_id for idea in w.bins] == [w.cleaning.id, w.cleaning.id, w.works.id]
    assert db.session.get(Idea, w.lights[0].id).agency_id is None


def test_a_split_survives_the_next_regrouping(client, issues_world):  # noqa: F811
    w = issues_world
    issue = issue_of(w.bins[0])
    wrong = w.bins[2]
    assert "มีผู้แจ้งเรื่องเดียวกันอีก 2 คน" in client.get(f"/ideas/{w.bins[0].id}").get_data(as_text=True)
    client.login(w.officer)
    assert client.post(f"/triage/issues/{issue.id}/split", {}).status_code == 400
    everything = client.post(f"/triage/issues/{issue.id}/split", {"ideas": [i.id for i in w.bins]})
    assert everything.status_code == 400 and "ต้องเหลือรายงาน" in everything.get_data(as_text=True)
    assert client.post(f"/triage/issues/{issue.id}/split", {"ideas": [w.lights[0].id]}).status_code == 400
    ok = client.post(f"/triage/issues/{issue.id}/split", {"ideas": [wrong.id]})
    assert ok.status_code == 302
    refresh(w)
    assert wrong.issue_id is None and w.bins[0].issue_id == w.bins[1].issue_id == issue.id
    assert issue_of(w.bins[0]).size == 2 and w.bins[0].issue_pinned
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IssueSeparation)) == 2
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "issue_split")).target_id == issue.id
    assert_counts_match_rows(w.area.id)
    # Residents see the split at once (cached page parts are renewed).
    client.logout()
    assert "มีผู้แจ้งเรื่องเดียวกันอีก 1 คน" in client.get(f"/ideas/{w.bins[0].id}").get_data(as_text=True)
    assert 'data-testid="same-issue"' not in client.get(f"/ideas/{wrong.id}").get_data(as_text=True)
    _regroup(w)
    assert w.bins[2].issue_id != w.bins[0].issue_id and w.bins[0].issue_id == w.bins[1].issue_id == issue.id
    assert_counts_match_rows(w.area.id)
    # A new report of the problem still joins the issue the officer kept.
    again = w.post(BINS_AGAIN, w.beach)
    db.session.expire_all()
    assert db.session.get(Idea, again.id).issue_id == issue.id
    _regroup(w)
    assert w.bins[2].issue_id != w.bins[0].issue_id
    assert_counts_match_rows(w.area.id)


def test_splitting_two_reports_off_makes_a_new_issue_that_survives_regrouping(client, issues_world):  # noqa: F811
    w = issues_world
    # Four reports: two of them split off together become an issue of their own.
    again = w.post(BINS_AGAIN, w.beach)
    db.session.expire_all()
    issue = issue_of(w.bins[0])
    assert db.session.get(Idea, again.id).issue_id == issue.id
    client.login(w.officer)
    moved = [w.bins[2].id, again.id]
    response = client.post(f"/triage/issues/{issue.id}/split", {"ideas": moved})
    made = db.session.scalar(sa.select(IdeaIssue).where(IdeaIssue.id != issue.id,
                                                        IdeaIssue.id == db.session.get(Idea, again.id).issue_id))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/triage/issues/{made.id}")
    _regroup(w)
    stays = {idea_id: db.session.get(Idea, idea_id).issue_id for idea_id in moved}
    assert set(stays.values()) == {made.id}
    assert w.bins[0].issue_id == w.bins[1].issue_id == issue.id
    assert_counts_match_rows(w.area.id)


def test_a_move_survives_the_next_regrouping_and_counts_follow(client, issues_world, make_user):  # noqa: F811
    w = issues_world
    fan = make_user()
    services.vote(w.soi14, fan)
    services.vote(w.lights[0], fan)
    db.session.commit()
    lights = issue_of(w.lights[0])
    client.login(w.officer)
    bad = client.post(f"/triage/ideas/{w.soi14.id}/move", {"target_id": "abc"})
    assert bad.status_code == 400
    assert client.post(f"/triage/ideas/{w.soi14.id}/move", {"target_id": w.soi14.id}).status_code == 400
    assert client.post(f"/triage/ideas/{w.soi14.id}/move", {"target_id": 999999}).status_code == 400
    same = client.post(f"/triage/ideas/{w.lights[1].id}/move", {"target_id": w.lights[0].id})
    assert same.status_code == 409
    ok = client.post(f"/triage/ideas/{w.soi14.id}/move", {"target_id": w.lights[1].id})
    assert ok.status_code == 302 and ok.headers["Location"].endswith(f"/triage/issues/{lights.id}")
    refresh(w)
    assert w.soi14.issue_id == lights.id and w.soi14.issue_pinned and w.soi14.group_id == lights.group_id
    assert issue_of(w.soi14).size == 3 and issue_of(w.soi14).supporter_count == 1  # the fan, once
    assert_counts_match_rows(w.area.id)
    _regroup(w)
    assert w.soi14.issue_id == w.lights[0].issue_id == w.lights[1].issue_id == lights.id
    assert_counts_match_rows(w.area.id)
    # A report in no issue moved next to another lone one: a new issue of the two, kept too.
    ok = client.post(f"/triage/ideas/{w.footpath.id}/move", {"target_id": w.bins[0].id})
    assert ok.status_code == 302
    refresh(w)
    assert w.footpath.issue_id == w.bins[0].issue_id
    _regroup(w)
    assert w.footpath.issue_id == w.bins[0].issue_id and w.footpath.group_id == w.bins[0].group_id
    # Moving back out of it: the officer's latest word holds.
    ok = client.post(f"/triage/issues/{w.footpath.issue_id}/split", {"ideas": [w.footpath.id]})
    assert ok.status_code == 302
    _regroup(w)
    assert w.footpath.issue_id is None or w.footpath.issue_id != w.bins[0].issue_id
    assert_counts_match_rows(w.area.id)


def test_counts_stay_exact_through_merges_and_regroupings(client, issues_world, make_user):  # noqa: F811
    w = issues_world
    both, only_source, only_target = make_user(), make_user(), make_user()
    source, target = w.bins[1], w.bins[0]
    for user in (both, only_source):
        services.vote(source, user)
    for user in (both, only_target):
        services.vote(target, user)
    services.vote(w.bins[2], both)
    db.session.commit()
    issue = issue_of(target)
    assert (issue.size, issue.supporter_count) == (3, 3)
    client.login(w.officer)
    merged = client.post(f"/triage/ideas/{source.id}/merge", {"target_id": target.id})
    assert merged.status_code == 302
    db.session.expire_all()
    issue = issue_of(db.session.get(Idea, target.id))
    assert (issue.size, issue.supporter_count) == (2, 3)  # the duplicate leaves, its supporters do not
    assert db.session.get(Idea, target.id).vote_count == 3
    assert_counts_match_rows(w.area.id)
    _regroup(w)
    assert w.bins[1].issue_id is None and w.bins[0].issue_id == w.bins[2].issue_id == issue.id
    assert (issue_of(w.bins[0]).size, issue_of(w.bins[0]).supporter_count) == (2, 3)
    assert_counts_match_rows(w.area.id)
    assert client.post(f"/triage/ideas/{source.id}/unmerge", {}).status_code == 302
    refresh(w)
    assert w.bins[1].issue_id == issue.id
    assert (issue_of(w.bins[0]).size, issue_of(w.bins[0]).supporter_count) == (3, 3)
    assert_counts_match_rows(w.area.id)
    _regroup(w)
    assert {idea.issue_id for idea in w.bins} == {issue.id}
    assert_counts_match_rows(w.area.id)
