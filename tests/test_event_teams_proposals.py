"""Teams (invite by link, leave, organisers rearrange), proposals (draft, final, deadline, nothing typed lost,
image attachments checked like evidence photos) and judging with the shortlists' rubric."""
from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from idea4gov.audit.models import AuditEntry
from idea4gov.events.models import Event, Proposal, ProposalFile, ProposalStatus, Team, TeamMember
from idea4gov.events.services import judging, proposals, teams
from idea4gov.extensions import db
from idea4gov.shortlists.models import Score
from idea4gov.timeutil import utcnow
from tests.event_support import event_world, png_bytes, seat  # noqa: F401  (fixture)

PROPOSAL = {
    "title": "ถังขยะอัจฉริยะแจ้งเตือนเมื่อเต็ม", "problem": "ถังขยะริมหาดล้นทุกวันหยุด เพราะรถเก็บขยะไม่รู้ว่าถังไหนเต็ม",
    "solution": "ติดเซนเซอร์วัดระดับขยะ ส่งข้อมูลให้รถเก็บขยะวางเส้นทางตามถังที่เต็ม",
    "beneficiaries": "นักท่องเที่ยว ผู้ค้าริมหาด และพนักงานเก็บขยะของเทศบาล", "cost_baht": "250000",
    "cost_note": "เซนเซอร์ 50 ชุด ชุดละ 5,000 บาท", "ideas": "", "groups": "",
}


def _team(client, event, name="ทีมหาดสะอาด"):
    assert client.post(f"/events/{event.id}/teams", {"name": name}).status_code == 302
    return db.session.scalar(sa.select(Team).where(Team.event_id == event.id, Team.name == name))


def test_participants_form_a_team_invite_by_link_and_leave(client, ew, make_user):
    lead, friend, stranger, outsider = (make_user(display_name=n) for n in ("หัวหน้าทีม", "เพื่อน", "คนแปลกหน้า", "คนนอก"))
    for person in (lead, friend, stranger):
        seat(ew.event, person, checked_in=True)
    client.login(outsider)  # no seat: no team, and the name typed comes back with the reason
    refused = client.post(f"/events/{ew.event.id}/teams", {"name": "ทีมคนนอก"})
    assert refused.status_code == 400 and 'value="ทีมคนนอก"' in refused.get_data(as_text=True)
    assert "เฉพาะผู้ที่ได้ที่นั่ง" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Team)) == 0

    client.login(lead)
    assert client.post(f"/events/{ew.event.id}/teams", {"name": ""}).status_code == 400
    team = _team(client, ew.event)
    assert team.member_count == 1
    taken = client.post(f"/events/{ew.event.id}/teams/{team.id}/rename", {"name": "x" * 81})
    assert taken.status_code == 400 and "ยาวเกิน 80 ตัวอักษร" in taken.get_data(as_text=True)
    page = client.get(f"/events/{ew.event.id}").get_data(as_text=True)
    link = re.search(r'data-testid="invite-link"\s+value="([^"]+)"', page).group(1)
    assert link.startswith("http://localhost/events/") and team.invite_token in link
    path = link.removeprefix("http://localhost")

    client.login(friend)
    assert "เข้าร่วมทีมนี้" in client.get(path).get_data(as_text=True)
    assert client.post(path).status_code == 302
    db.session.refresh(team)
    assert team.member_count == 2
    # A wrong or replaced token is a 404 page; a second team is refused.
    assert client.get(path[:-3] + "xyz").status_code == 404
    assert client.post(f"/events/{ew.event.id}/teams", {"name": "ทีมที่สอง"}).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Team)) == 1
    client.post(f"/events/{ew.event.id}/teams/{team.id}/invite")
    db.session.refresh(team)
    assert team.invite_token not in path
    client.login(stranger)
    assert client.post(path).status_code == 404
    # Leaving.
    client.login(friend)
    assert client.post(f"/events/{ew.event.id}/teams/{team.id}/leave").status_code == 302
    db.session.refresh(team)
    assert team.member_count == 1
    assert client.post(f"/events/{ew.event.id}/teams/{team.id}/leave").status_code == 302  # not in it: a message


def test_a_team_never_overfills_and_names_are_unique(client, ew, make_user):
    from idea4gov.events.services import events as event_services
    from idea4gov.service_errors import ServiceError

    ew.event.team_size_max = 2
    db.session.commit()
    people = [make_user() for _ in range(3)]
    for person in people:
        seat(ew.event, person)
    team = teams.create_team(ew.event, people[0], "ทีมสองคน")
    teams.join(team, people[1], team.invite_token)
    db.session.commit()
    try:
        teams.join(team, people[2], team.invite_token)
    except ServiceError as error:
        assert error.message == "team_full"
    else:
        raise AssertionError("a third member joined a team of two")
    db.session.rollback()
    try:
        teams.create_team(ew.event, people[2], "  ทีมสองคน ")
    except ServiceError as error:
        assert error.message == "team_name_taken"
    db.session.rollback()
    assert event_services  # the module is importable alongside


def test_organisers_rearrange_teams_and_each_move_is_audited(client, ew, make_user):
    a, b, c = make_user(display_name="เอ"), make_user(display_name="บี"), make_user(display_name="ซี")
    for person in (a, b, c):
        seat(ew.event, person)
    red = teams.create_team(ew.event, a, "ทีมแดง")
    blue = teams.create_team(ew.event, b, "ทีมน้ำเงิน")
    db.session.commit()
    client.login(ew.organiser)
    page = client.get(f"/events/{ew.event.id}/manage/teams").get_data(as_text=True)
    assert "ทีมแดง" in page and "ซี" in page  # C has no team yet
    member_a = db.session.scalar(sa.select(TeamMember).where(TeamMember.user_id == a.id))
    assert client.post(f"/events/{ew.event.id}/manage/members/{member_a.id}/move", {"team_id": blue.id}).status_code == 302
    assert client.post(f"/events/{ew.event.id}/manage/teams/{red.id}/add", {"user_id": c.id}).status_code == 302
    assert client.post(f"/events/{ew.event.id}/manage/teams/{blue.id}/rename", {"name": "ทีมฟ้า"}).status_code == 302
    db.session.expire_all()
    assert {m.user_id for m in db.session.get(Team, blue.id).members} == {a.id, b.id}
    assert db.session.get(Team, red.id).member_count == 1 and db.session.get(Team, blue.id).name == "ทีมฟ้า"
    # Moving to a team of another event is a 404; junk is a 400.
    assert client.post(f"/events/{ew.event.id}/manage/members/{member_a.id}/move", {"team_id": "abc"}).status_code == 400
    member_c = db.session.scalar(sa.select(TeamMember).where(TeamMember.user_id == c.id))
    client.post(f"/events/{ew.event.id}/manage/members/{member_c.id}/remove")
    assert client.post(f"/events/{ew.event.id}/manage/teams/{red.id}/delete").status_code == 302
    assert db.session.get(Team, red.id) is None
    actions = set(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.target_type == "team")))
    assert actions == {"event_team_move", "event_team_add_member", "event_team_rename", "event_team_remove_member",
                       "event_team_delete"}


def test_a_proposal_goes_from_draft_to_final_and_a_failed_form_loses_nothing(client, ew, make_user):
    lead = make_user()
    seat(ew.event, lead, checked_in=True)
    client.login(lead)
    team = _team(client, ew.event)
    url = f"/events/{ew.event.id}/teams/{team.id}/proposal"
    # Too short a title: nothing saved, every field comes back as typed.
    failed = client.post(url, {**PROPOSAL, "title": "ถัง", "save": "1"})
    html = failed.get_data(as_text=True)
    assert failed.status_code == 400 and "ชื่อข้อเสนอต้องยาว" in html
    assert PROPOSAL["solution"] in html and PROPOSAL["beneficiaries"] in html and 'value="250000"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == 0
    # A draft needs only a title; "send as final" on an incomplete one keeps the draft and names what is missing.
    incomplete = client.post(url, {"title": PROPOSAL["title"], "problem": "สั้น", "final": "1"})
    assert incomplete.status_code == 400
    assert "ยังส่งเป็นฉบับสุดท้ายไม่ได้" in incomplete.get_data(as_text=True)
    proposal = db.session.scalars(sa.select(Proposal)).one()
    assert proposal.status == ProposalStatus.draft and proposal.problem == "สั้น"
    # Linking ideas by number and by reference number; unknown ones are named.
    bad_link = client.post(url, {**PROPOSAL, "ideas": "99999, XYZ-1", "save": "1"})
    assert bad_link.status_code == 400 and "99999" in bad_link.get_data(as_text=True)
    ideas = f"{ew.ideas[0].id}, {ew.ideas[1].reference}"
    assert client.post(url, {**PROPOSAL, "ideas": ideas, "final": "1"}).status_code == 302
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.final and proposal.submitted_at is not None
    assert {i.id for i in proposal.ideas} == {ew.ideas[0].id, ew.ideas[1].id} and proposal.cost_baht == 250000
    # Final: editing is refused until reopened.
    assert client.post(url, {**PROPOSAL, "save": "1"}).status_code == 409
    assert client.post(f"{url}/reopen").status_code == 302
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.draft
    # A draft is not public; the final one is.
    client.logout()
    assert client.get(f"/events/{ew.event.id}/proposals/{proposal.id}").status_code == 404


def test_after_the_deadline_proposals_are_closed(client, ew, make_user):
    lead = make_user()
    seat(ew.event, lead)
    team = teams.create_team(ew.event, lead, "ทีมช้า")
    proposal = proposals.save(team, lead, proposals.ProposalInput(PROPOSAL["title"]))
    ew.event.proposal_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    client.login(lead)
    url = f"/events/{ew.event.id}/teams/{team.id}/proposal"
    assert 'data-testid="proposal-closed"' in client.get(url).get_data(as_text=True)
    assert client.post(url, {**PROPOSAL, "final": "1"}).status_code == 409
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.draft and proposal.problem == ""


def _upload(client, url, content: bytes, name: str = "sketch.png", caption: str = ""):
    """A multipart POST encoded in memory (the test client's own encoder spools large bodies to temporary
    files it never closes)."""
    import io

    from werkzeug.datastructures import FileStorage, MultiDict
    from werkzeug.test import encode_multipart

    data = MultiDict({"caption": caption, "csrf_token": client.csrf_token()})
    data.add("file", FileStorage(io.BytesIO(content), filename=name, content_type="application/octet-stream"))
    boundary, body = encode_multipart(data)
    return client.raw.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_attachments_get_the_same_checks_as_evidence_photos(client, ew, make_user, tmp_path):
    saved = client.app.config["UPLOAD_FOLDER"]
    client.app.config["UPLOAD_FOLDER"] = str(tmp_path)
    try:
        _attachments(client, ew, make_user, tmp_path)
    finally:
        client.app.config["UPLOAD_FOLDER"] = saved


def _attachments(client, ew, make_user, tmp_path):
    lead, outsider = make_user(), make_user()
    seat(ew.event, lead)
    team = teams.create_team(ew.event, lead, "ทีมรูป")
    db.session.commit()
    client.login(lead)
    files = f"/events/{ew.event.id}/teams/{team.id}/proposal/files"
    # No proposal yet: a message, nothing stored.
    _upload(client, files, png_bytes())
    assert not list(tmp_path.iterdir())
    client.post(f"/events/{ew.event.id}/teams/{team.id}/proposal", {"title": PROPOSAL["title"], "save": "1"})
    ok = _upload(client, files, png_bytes(), "../../etc/passwd.png", "ภาพร่าง")
    assert ok.status_code == 302
    row = db.session.scalars(sa.select(ProposalFile)).one()
    assert row.caption == "ภาพร่าง" and "/" not in row.filename and row.content_type == "image/jpeg"
    for payload in (b"<?php system($_GET['x']); ?>", b"", b"GIF89a" + b"\x00" * 10):
        refused = _upload(client, files, payload, "evil.png")
        assert refused.status_code == 302
        page = client.get(refused.headers["Location"]).get_data(as_text=True)
        assert "ไม่ใช่ภาพที่รองรับ" in page or "ไฟล์ภาพว่างเปล่า" in page or "กรุณาเลือกไฟล์" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProposalFile)) == 1
    too_big = _upload(client, files, b"\xff" * (6 * 1024 * 1024), "huge.jpg")
    assert too_big.status_code == 413 and "ใหญ่เกินไป" in too_big.get_data(as_text=True)
    # A draft's image is not public; the team sees it.
    image = client.get(f"/events/files/{row.id}")
    assert image.status_code == 200 and image.get_data()[:2] == b"\xff\xd8"
    image.close()
    client.login(outsider)
    assert client.get(f"/events/files/{row.id}").status_code == 404
    assert _upload(client, files, png_bytes()).status_code == 403
    client.login(lead)
    client.post(f"{files}/{row.id}/remove")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProposalFile)) == 0
    assert not list(tmp_path.iterdir())


def _final(event, user, title):
    seat(event, user)
    team = teams.create_team(event, user, f"ทีม {title}")
    proposal = proposals.save(team, user, proposals.ProposalInput(title, "ปัญหาที่ชัดเจนพอสมควร", "ทางแก้ที่ทำได้จริง",
                                                                  "ชาวบ้านในชุมชนทั้งหมด"))
    proposals.submit(proposal, user)
    db.session.commit()
    return proposal


def test_judges_score_final_proposals_with_the_shortlists_rubric_and_the_ranking_shows(client, ew, make_user):
    judge_a, judge_b, resident = make_user(display_name="กรรมการเอ"), make_user(display_name="กรรมการบี"), make_user()
    first = _final(ew.event, make_user(), "ข้อเสนอที่หนึ่ง")
    second = _final(ew.event, make_user(), "ข้อเสนอที่สอง")
    seat(ew.event, resident)
    draft_team = teams.create_team(ew.event, resident, "ทีมร่าง")
    draft = proposals.save(draft_team, resident, proposals.ProposalInput("ข้อเสนอฉบับร่าง"))
    db.session.commit()

    client.login(ew.organiser)
    base = f"/events/{ew.event.id}/manage"
    assert client.post(f"{base}/criteria", {"name": "ผลกระทบ", "weight": "60"}).status_code == 302
    assert client.post(f"{base}/criteria", {"name": "ความเป็นไปได้", "weight": "40"}).status_code == 302
    bad = client.post(f"{base}/criteria", {"name": "ผลกระทบ", "weight": "500"})
    assert bad.status_code == 400 and "ตัวเลขต้องอยู่ระหว่าง" in bad.get_data(as_text=True)
    for judge in (judge_a, judge_b):
        assert client.post(f"{base}/judges", {"email": judge.email}).status_code == 302
    unknown = client.post(f"{base}/judges", {"email": "nobody@example.org"})
    assert unknown.status_code == 400 and "ไม่พบบัญชีผู้ใช้" in unknown.get_data(as_text=True)
    impact, feasible = ew.event.criteria
    db.session.refresh(ew.event)

    client.login(resident)
    assert client.get(f"{base}/score").status_code == 403
    client.login(judge_a)
    form = client.get(f"{base}/score").get_data(as_text=True)
    assert "ข้อเสนอที่หนึ่ง" in form and "ข้อเสนอฉบับร่าง" not in form  # drafts are not judged
    scores = {f"score-{first.id}-{impact.id}": "5", f"score-{first.id}-{feasible.id}": "4",
              f"score-{second.id}-{impact.id}": "2", f"score-{second.id}-{feasible.id}": "3"}
    assert client.post(f"{base}/score", scores).status_code == 302
    assert client.post(f"{base}/score", {f"score-{first.id}-{impact.id}": "9"}).status_code == 400
    assert client.post(f"{base}/score", {f"score-{draft.id}-{impact.id}": "5"}).status_code == 302  # ignored
    client.login(judge_b)
    client.post(f"{base}/score", {f"score-{first.id}-{impact.id}": "3", f"score-{first.id}-{feasible.id}": "4",
                                  f"score-{second.id}-{impact.id}": "2", f"score-{second.id}-{feasible.id}": "2"})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Score).where(Score.proposal_id == draft.id)) == 0

    # The shared rubric: impact mean (5+3)/2=4, feasibility 4 → 4.00; second: 2 and 2.5 → 2.20.
    ranking = judging.ranking(ew.event)
    assert [(row.item.id, row.rank, round(row.weighted, 2)) for row in ranking] == [(first.id, 1, 4.0),
                                                                                    (second.id, 2, 2.2)]
    client.login(ew.organiser)
    page = client.get(f"{base}/judging").get_data(as_text=True)
    assert page.index("ข้อเสนอที่หนึ่ง") < page.index("ข้อเสนอที่สอง") and "4.00" in page and "2.20" in page
    # After the event, the public page shows the ranking too.
    db.session.execute(sa.update(Event).where(Event.id == ew.event.id).values(
        ends_at=utcnow() - timedelta(minutes=5), starts_at=utcnow() - timedelta(hours=8), proposal_deadline=None))
    db.session.commit()
    client.logout()
    public = client.get(f"/events/{ew.event.id}").get_data(as_text=True)
    assert "อันดับ 1" in public and "คะแนน 4.00" in public
    actions = set(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("event_%"))))
    assert {"event_add_criterion", "event_add_judge", "event_score"} <= actions
    # Removing a judge removes their scores of this event only.
    from idea4gov.shortlists.models import ShortlistJudge

    client.login(ew.organiser)
    judge_row = db.session.scalar(sa.select(ShortlistJudge).where(ShortlistJudge.user_id == judge_b.id))
    client.post(f"{base}/judges/{judge_row.id}/remove")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Score).where(Score.judge_id == judge_b.id)) == 0
    assert round(judging.ranking(ew.event)[0].weighted, 2) == 4.6
