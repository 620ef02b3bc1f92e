"""Triage where officers got stuck: weak suggestions, answered ideas, the answer-time chart, merges."""
from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
from triage_support import world  # noqa: F401  (fixture)

from idea4gov.extensions import db
from idea4gov.groups.models import IdeaGroup
from idea4gov.ideas.models import Idea, IdeaStatus
from idea4gov.triage.services import routing, statuses

ANSWER = "เทศบาลรับเรื่องแล้ว จะดำเนินการภายในเดือนหน้า"


def _row(html: str, marker: str) -> str:
    rows = re.findall(r'<li class="card board-row".*?</form>\s*</li>', html, re.S)
    return next(row for row in rows if marker in row)


def _selected(row: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)" selected>', row)


def _group(world, ideas):  # noqa: F811
    group = IdeaGroup(area_id=world["area"].id, keywords="ถังขยะ ชายหาด")
    db.session.add(group)
    db.session.flush()
    for idea in ideas:
        idea.group_id = group.id
    db.session.commit()
    return group


def _suggest(monkeypatch, agency, confidence: float):
    def fake(ideas):
        return {idea.id: routing.Suggestion(agency, confidence, 3) for idea in ideas}
    monkeypatch.setattr(routing, "suggest_many", fake)


def test_a_weak_suggestion_is_shown_beside_an_empty_choice(client, world, monkeypatch):  # noqa: F811
    beach1, beach2, _light = world["ideas"]
    group = _group(world, [beach1, beach2])
    _suggest(monkeypatch, world["cleaning"], 0.12)
    client.login(world["officer"])
    row = _row(client.get("/triage/saensuk").get_data(as_text=True), f'data-group="{group.id}"')
    assert "ความมั่นใจ 12%" in row and "แนะนำ: กองสาธารณสุขและสิ่งแวดล้อม" in row
    assert _selected(row) == [""]  # "— เลือกหน่วยงาน —" is what one click would send
    assert f'<option value="{world["cleaning"].id}" selected>' not in row


def test_a_confident_suggestion_is_pre_selected(client, world, monkeypatch):  # noqa: F811
    beach1, beach2, _light = world["ideas"]
    group = _group(world, [beach1, beach2])
    _suggest(monkeypatch, world["cleaning"], routing.PRESELECT_CONFIDENCE)
    client.login(world["officer"])
    row = _row(client.get("/triage/saensuk").get_data(as_text=True), f'data-group="{group.id}"')
    assert _selected(row) == [str(world["cleaning"].id)]


def test_routing_with_the_empty_choice_routes_nothing_and_says_why(client, world):  # noqa: F811
    beach1, beach2, _light = world["ideas"]
    group = _group(world, [beach1, beach2])
    client.login(world["officer"])
    response = client.post(f"/triage/groups/{group.id}/route", {"agency_id": "", "next": "/triage/saensuk"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/triage/saensuk")
    assert "กรุณาเลือกหน่วยงานก่อนกดส่งต่อ" in client.get("/triage/saensuk").get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea).where(Idea.agency_id.is_not(None))) == 0
    response = client.post(f"/triage/ideas/{beach1.id}/route", {"agency_id": ""})
    assert response.status_code == 303 and db.session.get(Idea, beach1.id).agency_id is None


def test_answered_ideas_are_not_counted_or_shown_as_not_yet_routed(client, world):  # noqa: F811
    beach1, beach2, light = world["ideas"]
    statuses.set_status(light, IdeaStatus.implemented, ANSWER, world["officer"])
    db.session.commit()
    client.login(world["officer"])
    board = client.get("/triage/saensuk").get_data(as_text=True)
    assert "ยังไม่ส่งต่อ 2" in board
    light_row = _row(board, f"#{light.id} ")
    assert "ยังไม่ส่งต่อ</em>" not in light_row and "ตอบแล้ว ไม่ได้ระบุหน่วยงาน" in light_row
    unrouted = client.get("/triage/saensuk?unrouted=1").get_data(as_text=True)
    assert f"#{light.id} " not in unrouted and f"#{beach1.id} " in unrouted
    assert "ยังไม่ส่งต่อ 2" in client.get("/triage/").get_data(as_text=True)
    page = client.get(f"/triage/ideas/{light.id}").get_data(as_text=True)
    assert 'data-testid="agency">ตอบแล้ว ไม่ได้ระบุหน่วยงาน<' in page


def test_routing_a_group_leaves_ideas_already_answered_with_their_agency(client, world):  # noqa: F811
    beach1, beach2, _light = world["ideas"]
    group = _group(world, [beach1, beach2])
    beach1.agency_id = world["works"].id
    db.session.commit()
    statuses.set_status(beach1, IdeaStatus.accepted, ANSWER, world["officer"])
    db.session.commit()
    client.login(world["officer"])
    response = client.post(f"/triage/groups/{group.id}/route", {"agency_id": world["cleaning"].id})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Idea, beach1.id).agency_id == world["works"].id
    assert db.session.get(Idea, beach2.id).agency_id == world["cleaning"].id


def test_weeks_without_an_answer_are_drawn_as_no_answer_yet_not_zero(client, world):  # noqa: F811
    idea = world["ideas"][0]
    idea.created_at = idea.created_at - timedelta(days=3)
    statuses.set_status(idea, IdeaStatus.under_review, "เจ้าหน้าที่กำลังสำรวจจุดที่เสนอ จะแจ้งผลภายในเดือนนี้",
                        world["officer"])
    db.session.commit()
    from idea4gov.deadlines.services import calendar

    working_days = calendar().working_days_to_answer(idea.created_at, idea.first_answered_at)
    client.login(world["officer"])
    html = client.get("/triage/saensuk/stats").get_data(as_text=True)
    chart = re.search(r'<section class="card chart-card" id="chart-first-answer">.*?</section>', html, re.S).group(0)
    picture, table = chart.split("<table", 1)  # the chart, then its numbers as a (visually hidden) table
    assert picture.count("ยังไม่มีคำตอบ") == 11 and table.count("ยังไม่มีคำตอบ") == 11
    values = re.findall(r'class="chart-value"[^>]*>([^<]*)<', chart)
    assert values == [str(working_days)]  # only the week with an answer has a bar (0 working days is a real 0)
    csv_rows = client.get("/triage/saensuk/stats/first-answer.csv").data.decode("utf-8-sig").splitlines()[1:]
    assert sum(1 for line in csv_rows if ",," in line) == 11  # the CSV leaves them empty, as before
    # Other charts still draw real zeros.
    weekly = re.search(r'id="chart-weekly">.*?</section>', html, re.S).group(0)
    assert ">0<" in weekly and "ยังไม่มีคำตอบ" not in weekly


def test_merged_ideas_are_listed_on_the_target_with_unmerge_for_officers(client, world, make_user):  # noqa: F811
    x, y, _light = world["ideas"]
    client.login(world["officer"])
    assert client.post(f"/triage/ideas/{x.id}/merge", {"target_id": y.id}).status_code == 302
    for path in (f"/ideas/{y.id}", f"/triage/ideas/{y.id}"):
        html = client.get(path).get_data(as_text=True)
        listed = re.search(r'data-testid="merged-sources".*?</section>', html, re.S).group(0)
        assert f"#{x.id} {x.title}" in listed, path
        assert f'action="/triage/ideas/{x.id}/unmerge"' in listed, path
    # Unmerging from Y's public page brings the officer back to it.
    response = client.post(f"/triage/ideas/{x.id}/unmerge", {"next": f"/ideas/{y.id}"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/ideas/{y.id}")
    assert db.session.get(Idea, x.id).merged_into_id is None
    assert 'data-testid="merged-sources"' not in client.get(f"/ideas/{y.id}").get_data(as_text=True)


def test_residents_see_merged_ideas_without_the_unmerge_action(client, world):  # noqa: F811
    x, y, _light = world["ideas"]
    client.login(world["officer"])
    client.post(f"/triage/ideas/{x.id}/merge", {"target_id": y.id})
    client.logout()
    client.login(world["resident"])
    html = client.get(f"/ideas/{y.id}").get_data(as_text=True)
    listed = re.search(r'data-testid="merged-sources".*?</section>', html, re.S).group(0)
    assert f'href="/ideas/{x.id}"' in listed and "unmerge" not in listed
    # An officer of another area gets no unmerge button either, and cannot unmerge.
    client.logout()
    client.login(world["stranger"])
    assert "unmerge" not in client.get(f"/ideas/{y.id}").get_data(as_text=True)
    assert client.post(f"/triage/ideas/{x.id}/unmerge", {"next": f"/ideas/{y.id}"}).status_code == 403
