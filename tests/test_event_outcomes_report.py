"""Outcomes (taken forward with an agency and a project link, parked, declined; public reasons; "developed at
event X" on source ideas), the participants' survey, the report with OPDC's figures (page, A4 print, XLSX,
small counts suppressed) and certificates with a signed verification address."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from idea4gov.audit.models import AuditEntry
from idea4gov.events.models import AgeBand, Event, Outcome, Proposal, Sector, SurveyAnswer
from idea4gov.events.services import proposals, report, survey, teams
from idea4gov.events.services.registration import Demographics
from idea4gov.extensions import db
from idea4gov.timeutil import utcnow
from tests.event_support import event_world, seat  # noqa: F401  (fixture)


def _final(event, user, title, ideas=""):
    seat(event, user, checked_in=True)
    team = teams.create_team(event, user, f"ทีม {title}")
    proposal = proposals.save(team, user, proposals.ProposalInput(
        title, "ปัญหาที่ชัดเจนพอสมควร", "ทางแก้ที่ทำได้จริง", "ชาวบ้านในชุมชนทั้งหมด", ideas=ideas))
    proposals.submit(proposal, user)
    db.session.commit()
    return proposal


def test_outcomes_with_public_reasons_and_source_ideas_say_where_they_were_developed(client, ew, make_user,
                                                                                      make_staff):
    lead = make_user()
    taken = _final(ew.event, lead, "ถังขยะอัจฉริยะ", ideas=str(ew.ideas[0].id))
    parked = _final(ew.event, make_user(), "เรือเก็บขยะชายฝั่ง")
    officer = make_staff("officer", ew.area)
    client.login(officer)  # officers of the event's areas decide outcomes too
    url = f"/events/{ew.event.id}/manage/proposals/{taken.id}/outcome"
    assert client.get(url).status_code == 200
    no_agency = client.post(url, {"outcome": "taken_forward", "reason": "เทศบาลรับไปทำโครงการนำร่อง 10 จุด",
                                  "agency_id": ""})
    assert no_agency.status_code == 400 and "กรุณาเลือกหน่วยงาน" in no_agency.get_data(as_text=True)
    short = client.post(url, {"outcome": "declined", "reason": "ไม่", "agency_id": ""})
    assert short.status_code == 400 and "อย่างน้อย 10 ตัวอักษร" in short.get_data(as_text=True)
    ok = client.post(url, {"outcome": "taken_forward", "reason": "เทศบาลรับไปทำโครงการนำร่อง 10 จุด",
                           "agency_id": ew.agency.id, "project_id": ""})
    assert ok.status_code == 302
    db.session.refresh(taken)
    assert (taken.outcome, taken.outcome_agency_id, taken.outcome_project_url, taken.outcome_project_id) == (
        Outcome.taken_forward, ew.agency.id, "", None)
    client.post(f"/events/{ew.event.id}/manage/proposals/{parked.id}/outcome",
                {"outcome": "parked", "reason": "รองบประมาณปีหน้า ค่อยพิจารณาอีกครั้ง", "agency_id": ""})
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "event_outcome")).first()
    assert entry.target_type == "proposal" and entry.after == "taken_forward" and entry.actor_id == officer.id

    client.logout()
    proposal_page = client.get(f"/events/{ew.event.id}/proposals/{taken.id}").get_data(as_text=True)
    assert "นำไปดำเนินการต่อ" in proposal_page and "กองสาธารณสุขและสิ่งแวดล้อม" in proposal_page
    assert 'data-testid="outcome-project"' not in proposal_page and ew.ideas[0].title in proposal_page
    idea_page = client.get(f"/ideas/{ew.ideas[0].id}").get_data(as_text=True)
    developed = re.search(r'data-testid="developed-at".*?</section>', idea_page, re.S).group(0)
    assert "พัฒนาต่อในกิจกรรม" in developed and ew.event.title_th in developed and "ถังขยะอัจฉริยะ" in developed
    assert 'data-testid="developed-at"' not in client.get(f"/ideas/{ew.ideas[1].id}").get_data(as_text=True)
    english = client.get(f"/ideas/{ew.ideas[0].id}?lang=en").get_data(as_text=True)
    assert "Developed at the event" in english and "Taken forward" in english
    # The team was told; an officer of another area may not decide.
    from idea4gov.notifications.models import Notification

    assert db.session.scalar(sa.select(Notification.kind).where(Notification.user_id == lead.id)) == "event_outcome"


def test_taken_forward_links_a_project_of_the_events_areas_and_refuses_another_areas(client, ew, make_user,
                                                                                      make_area, make_staff):
    """Point 4: "taken forward" names a project (`idea4gov.projects`) of one of the event's areas, shown as a
    link to /projects/<id> on the proposal and event pages and in the report; another area's is refused."""
    from tests.project_support import make_project

    taken = _final(ew.event, make_user(), "ถังขยะอัจฉริยะ")
    ours = make_project(ew.area, make_staff("officer", ew.area), title="โครงการถังขยะอัจฉริยะริมหาดบางแสน")
    elsewhere = make_area(slug="nongmon")
    theirs = make_project(elsewhere, make_staff("officer", elsewhere), title="โครงการของหนองมน")
    client.login(ew.organiser)
    url = f"/events/{ew.event.id}/manage/proposals/{taken.id}/outcome"
    form_page = client.get(url).get_data(as_text=True)
    assert f'value="{ours.id}"' in form_page and f'value="{theirs.id}"' not in form_page  # only the area's
    reason = "เทศบาลรับไปทำเป็นโครงการนำร่องสิบจุดริมหาด"
    refused = client.post(url, {"outcome": "taken_forward", "reason": reason, "agency_id": ew.agency.id,
                                "project_id": theirs.id})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "เลือกได้เฉพาะโครงการของพื้นที่ที่จัดกิจกรรมนี้" in text
    assert reason in text and '<option selected value="taken_forward">' in text  # what was typed stays
    db.session.refresh(taken)
    assert taken.outcome is None and taken.outcome_project_id is None

    assert client.post(url, {"outcome": "taken_forward", "reason": reason, "agency_id": ew.agency.id,
                             "project_id": ours.id}).status_code == 302
    db.session.refresh(taken)
    assert (taken.outcome, taken.outcome_project_id, taken.outcome_project_url) == (
        Outcome.taken_forward, ours.id, "")
    link = f'href="/projects/{ours.id}" data-testid="outcome-project">{ours.title}</a>'
    assert link in client.get(f"/events/{ew.event.id}/report").get_data(as_text=True)
    assert link in client.get(f"/events/{ew.event.id}/report/print").get_data(as_text=True)
    book = load_workbook(io.BytesIO(client.get(f"/events/{ew.event.id}/report.xlsx").get_data()))
    assert [c.value for c in book["ข้อเสนอ"][2]][9] == f"{ours.title} · http://localhost/projects/{ours.id}"
    client.logout()
    assert link in client.get(f"/events/{ew.event.id}/proposals/{taken.id}").get_data(as_text=True)
    assert link in client.get(f"/events/{ew.event.id}").get_data(as_text=True)
    assert client.get(f"/projects/{ours.id}").status_code == 200
    # Parked: the project goes with "taken forward".
    client.login(ew.organiser)
    assert client.post(url, {"outcome": "parked", "reason": reason, "project_id": ours.id}).status_code == 302
    db.session.refresh(taken)
    assert (taken.outcome, taken.outcome_project_id) == (Outcome.parked, None)


def test_a_project_link_typed_before_projects_existed_is_still_shown(client, ew, make_user):
    """Outcomes stored before a project could be chosen keep their typed link (outcome_project_url) and show
    it while no project is chosen; saving the outcome again without a project keeps it."""
    from idea4gov.events.services import outcomes

    taken = _final(ew.event, make_user(), "เรือเก็บขยะชายฝั่ง")
    outcomes.set_outcome(taken, ew.organiser, Outcome.taken_forward, "เทศบาลรับไปทำโครงการนำร่อง", ew.agency.id)
    taken.outcome_project_url = "https://data.go.th/project/1"
    db.session.commit()
    link = 'href="https://data.go.th/project/1" rel="nofollow noopener" data-testid="outcome-project"'
    assert link in client.get(f"/events/{ew.event.id}/proposals/{taken.id}").get_data(as_text=True)
    assert outcomes.set_outcome(taken, ew.organiser, Outcome.taken_forward, "เทศบาลรับไปทำโครงการนำร่อง 10 จุด",
                                ew.agency.id)
    db.session.commit()
    assert taken.outcome_project_url == "https://data.go.th/project/1"
    assert link in client.get(f"/events/{ew.event.id}").get_data(as_text=True)


def test_an_outcome_only_for_a_final_proposal_and_the_database_insists_on_the_agency(client, ew, make_user):
    from sqlalchemy.exc import IntegrityError

    lead = make_user()
    seat(ew.event, lead)
    team = teams.create_team(ew.event, lead, "ทีมร่าง")
    draft = proposals.save(team, lead, proposals.ProposalInput("ข้อเสนอยังเป็นร่าง"))
    db.session.commit()
    client.login(ew.organiser)
    response = client.post(f"/events/{ew.event.id}/manage/proposals/{draft.id}/outcome",
                           {"outcome": "declined", "reason": "ยังไม่ได้ส่งฉบับสุดท้าย จึงยังตัดสินไม่ได้"})
    assert response.status_code == 400 and "เฉพาะข้อเสนอฉบับสุดท้าย" in response.get_data(as_text=True)
    final = _final(ew.event, make_user(), "ข้อเสนอสุดท้าย")
    with pytest.raises(IntegrityError):
        db.session.execute(sa.update(Proposal).where(Proposal.id == final.id).values(
            outcome=Outcome.taken_forward.name, outcome_reason="เหตุผลที่ยาวพอ"))
    db.session.rollback()


def _people(event, make_user, answers):
    """Checked-in participants: (sector, age band, satisfaction, would return) each; None = not given."""
    for sector, age, satisfaction, back in answers:
        demographics = Demographics(sector, age, consent=bool(sector or age))
        row = seat(event, make_user(), checked_in=True, demographics=demographics)
        if satisfaction is not None:
            survey.answer(event, row, satisfaction, back, "")
    db.session.commit()


def test_the_survey_is_once_per_checked_in_participant(client, ew, make_user):
    present, registered_only = make_user(), make_user()
    seat(ew.event, present, checked_in=True)
    seat(ew.event, registered_only)
    client.login(registered_only)
    assert client.get(f"/events/{ew.event.id}/survey").status_code == 403
    client.login(present)
    missing = client.post(f"/events/{ew.event.id}/survey", {"comment": "ชอบมาก"})
    html = missing.get_data(as_text=True)
    assert missing.status_code == 400 and "กรุณาเลือกระดับความพึงพอใจ" in html and "ชอบมาก" in html
    assert client.post(f"/events/{ew.event.id}/survey", {"satisfaction": "7", "would_return": "yes"}).status_code == 400
    ok = client.post(f"/events/{ew.event.id}/survey", {"satisfaction": "5", "would_return": "yes",
                                                       "comment": "ได้เพื่อนใหม่ <script>alert(1)</script>"})
    assert ok.status_code == 302
    again = client.post(f"/events/{ew.event.id}/survey", {"satisfaction": "1", "would_return": "no"})
    assert 'data-testid="survey-answered"' in again.get_data(as_text=True)
    answer = db.session.scalars(sa.select(SurveyAnswer)).one()
    assert (answer.satisfaction, answer.would_return) == (5, True) and "<script>" not in answer.comment
    # Closed a month after the end.
    db.session.execute(sa.update(Event).where(Event.id == ew.event.id).values(
        starts_at=utcnow() - timedelta(days=40), ends_at=utcnow() - timedelta(days=39)))
    db.session.commit()
    late = make_user()
    seat(ew.event, late, checked_in=True)
    client.login(late)
    assert client.get(f"/events/{ew.event.id}/survey").status_code == 409


def test_the_report_has_opdcs_figures_with_small_counts_suppressed(client, ew, make_user):
    _people(ew.event, make_user,
            [(Sector.citizen, AgeBand.age_25_34, 5, True)] * 6 + [(Sector.student, AgeBand.age_18_24, 4, True)] * 5
            + [(Sector.public, AgeBand.age_45_59, 3, False)] * 2 + [(None, None, None, None)])
    seat(ew.event, make_user())  # registered, never came: not a participant
    first = _final(ew.event, make_user(), "ข้อเสนอหนึ่ง")
    second = _final(ew.event, make_user(), "ข้อเสนอสอง")
    from idea4gov.events.services import outcomes

    outcomes.set_outcome(first, ew.organiser, Outcome.taken_forward, "รับไปทำโครงการนำร่อง", ew.agency.id)
    outcomes.set_outcome(second, ew.organiser, Outcome.declined, "ซ้ำกับโครงการที่มีอยู่แล้ว")
    db.session.commit()

    built = report.build(ew.event)
    assert built.participants == 16 and built.registered == 17 and built.proposals == 2 and built.taken_forward == 1
    assert built.respondents == 13 and built.satisfaction_pct == 84.6 and built.return_pct == 84.6
    sectors = {cell.key: (cell.state, cell.shown) for cell in built.sectors}
    # 6 citizens and 5 students shown; 2 public servants hidden (< 5); the proposers (not stated, 3) hidden too.
    assert sectors["citizen"] == ("shown", 6) and sectors["student"] == ("shown", 5)
    assert sectors["public"] == ("small", None) and sectors["not_stated"] == ("small", None)
    assert sectors["private"] == ("shown", 0)
    # One small cell alone would be worked out from the total: the next smallest is hidden too.
    cells = report.suppress([report.Cell("a", "a", 20), report.Cell("b", "b", 3), report.Cell("c", "c", 7)])
    assert [c.state for c in cells] == ["shown", "small", "hidden"]

    page = client.get(f"/events/{ew.event.id}/report")  # public, no log-in
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r'data-testid="fig-participants">16<', html) and re.search(r'data-testid="fig-proposals">2<', html)
    assert "1 จาก 2" in html and "84.6 %" in html and "&lt; 5" in html
    assert "ซ้ำกับโครงการที่มีอยู่แล้ว" in html and "ข้อเสนอแนะจากผู้เข้าร่วม" not in html
    printed = client.get(f"/events/{ew.event.id}/report/print").get_data(as_text=True)
    assert "print.css" in printed and 'data-testid="fig-satisfaction">84.6 %' in printed

    xlsx = client.get(f"/events/{ew.event.id}/report.xlsx")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(xlsx.get_data()))
    figures = {row[0].value: row[1].value for row in book["สรุป"].iter_rows(min_row=2)}
    assert figures["ผู้เข้าร่วม (เช็กอิน, คน)"] == 16 and figures["ความพึงพอใจ (%)"] == 84.6
    assert figures["นำไปดำเนินการต่อ (n จาก m)"] == "1 จาก 2" and figures["ต้องการเข้าร่วมอีก (%)"] == 84.6
    sector_rows = {row[0].value: row[1].value for row in book["ภาคส่วน"].iter_rows(min_row=2)}
    assert sector_rows["ภาครัฐ"] == "<5" and sector_rows["ประชาชนทั่วไป"] == 6
    assert [c.value for c in book["ข้อเสนอ"][2]][4] in ("นำไปดำเนินการต่อ", "ไม่นำไปดำเนินการ")
    english = load_workbook(io.BytesIO(client.get(f"/events/{ew.event.id}/report.xlsx?lang=en").get_data()))
    assert "Summary" in english.sheetnames


def test_organisers_read_the_free_text_without_names(client, ew, make_user):
    row = seat(ew.event, make_user(display_name="ชื่อที่ต้องไม่ปรากฏ"), checked_in=True)
    survey.answer(ew.event, row, 4, True, "อาหารกลางวันอร่อยมาก")
    db.session.commit()
    client.login(ew.organiser)
    html = client.get(f"/events/{ew.event.id}/report").get_data(as_text=True)
    assert "อาหารกลางวันอร่อยมาก" in html and "ชื่อที่ต้องไม่ปรากฏ" not in html
    book = load_workbook(io.BytesIO(client.get(f"/events/{ew.event.id}/report.xlsx").get_data()))
    assert book["ข้อเสนอแนะ"]["A2"].value == "อาหารกลางวันอร่อยมาก"


def test_a_certificate_per_checked_in_participant_with_a_signed_verification_address(client, ew, make_user, app,
                                                                                     monkeypatch):
    present, absent = make_user(display_name="สมหญิง ใจงาม"), make_user()
    row = seat(ew.event, present, checked_in=True)
    seat(ew.event, absent)
    with monkeypatch.context() as patched:
        patched.setitem(app.config, "PUBLIC_BASE_URL", "https://idea4gov.example.go.th")
        client.login(absent)
        assert client.get(f"/events/{ew.event.id}/certificate").status_code == 403
        client.login(present)
        page = client.get(f"/events/{ew.event.id}/certificate")
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and "สมหญิง ใจงาม" in html and "sarabun.css" in html
        assert "เกียรติบัตร" in html and "พ.ศ. 25" in html and ew.event.title_th in html
        url = re.search(r'data-testid="verify-url">([^<]+)<', html).group(1)
        assert url.startswith("https://idea4gov.example.go.th/events/certificates/") and "localhost" not in url
    path = url.removeprefix("https://idea4gov.example.go.th")
    client.logout()
    genuine = client.get(path)
    assert genuine.status_code == 200 and 'data-testid="certificate-valid"' in genuine.get_data(as_text=True)
    assert "สมหญิง ใจงาม" in genuine.get_data(as_text=True)
    qr = client.get(path + "/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    # Tampered tokens are not genuine; a withdrawn check-in is no longer valid.
    token = path.rsplit("/", 1)[1]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/events/certificates/{forged}").status_code == 404
    from idea4gov.events.services.certificates import _serializer

    with app.test_request_context():
        unknown = _serializer().dumps([row.id + 100, ew.event.id])
        wrong_event = _serializer().dumps([row.id, ew.event.id + 1])
    assert client.get(f"/events/certificates/{unknown}").status_code == 404
    assert client.get(f"/events/certificates/{wrong_event}").status_code == 404
    row.checked_in_at = None
    db.session.commit()
    assert client.get(path).status_code == 410
    # Organisers print every participant's certificate at once.
    row.checked_in_at = utcnow()
    db.session.commit()
    client.login(ew.organiser)
    everyone = client.get(f"/events/{ew.event.id}/manage/certificates").get_data(as_text=True)
    assert everyone.count('data-testid="certificate"') == 1


def test_the_certificate_date_is_written_in_the_buddhist_era():
    from datetime import UTC, datetime

    from idea4gov.events.services.certificates import thai_day_range

    start, end = datetime(2026, 12, 5, 2, 0, tzinfo=UTC), datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
    assert thai_day_range(start, end) == "วันที่ 5–6 ธันวาคม พ.ศ. 2569"
    assert thai_day_range(start, start) == "วันที่ 5 ธันวาคม พ.ศ. 2569"
    assert thai_day_range(datetime(2026, 11, 30, 2, tzinfo=UTC), end) == "วันที่ 30 พฤศจิกายน – 6 ธันวาคม พ.ศ. 2569"
    assert thai_day_range(datetime(2026, 12, 31, 2, tzinfo=UTC), datetime(2027, 1, 1, 2, tzinfo=UTC)) == (
        "วันที่ 31 ธันวาคม พ.ศ. 2569 – 1 มกราคม พ.ศ. 2570")
    # 23:30 UTC is the next day in Bangkok.
    assert thai_day_range(datetime(2026, 12, 4, 23, 30, tzinfo=UTC), end) == "วันที่ 5–6 ธันวาคม พ.ศ. 2569"


def test_a_persons_event_data_is_in_their_download_and_goes_with_their_account(client, ew, make_user):
    person = make_user()
    row = seat(ew.event, person, checked_in=True, demographics=Demographics(Sector.academic, AgeBand.age_35_44, True))
    survey.answer(ew.event, row, 4, True, "ข้อความส่วนตัว")
    db.session.commit()
    client.login(person)
    data = client.get("/account/data.json").get_json()
    assert data["event_registrations"][0]["sector"] == "academic"
    assert data["event_registrations"][0]["survey"]["comment"] == "ข้อความส่วนตัว"
    from idea4gov.account.services import erase_account

    erase_account(person)
    db.session.commit()
    db.session.refresh(row)
    assert row.sector is None and row.age_band is None and row.checked_in_at is not None
    assert db.session.scalar(sa.select(SurveyAnswer.comment)) == ""


def test_the_cached_public_idea_page_follows_its_event_proposal_but_not_drafts(app, ew, make_user):
    """An anonymous idea page is kept whole (idea4gov.pagecache) until its content changes: a final
    proposal developed from it, or its outcome, changes it at once; a team saving its draft does not."""
    from idea4gov import pagecache
    from idea4gov.events.models import Outcome

    visitor = app.test_client()
    url = f"/ideas/{ew.ideas[0].id}"
    first = visitor.get(url)
    assert first.headers["Cache-Control"].startswith("public") and 'data-testid="developed-at"' not in first.text
    lead = make_user()
    seat(ew.event, lead, checked_in=True)
    team = teams.create_team(ew.event, lead, "ทีมแคช")
    db.session.commit()
    versions = pagecache.versions(ew.area.id)
    draft = proposals.save(team, lead, proposals.ProposalInput(
        "ถังขยะแยกประเภทพร้อมป้ายสองภาษา", "ปัญหาที่ชัดเจนพอสมควร", "ทางแก้ที่ทำได้จริง", "ชาวบ้านในชุมชนทั้งหมด",
        ideas=str(ew.ideas[0].id)))
    db.session.commit()
    assert pagecache.versions(ew.area.id) == versions  # a draft shows nowhere public
    assert visitor.get(url).headers["ETag"] == first.headers["ETag"]
    proposals.submit(draft, lead)
    db.session.commit()
    final = visitor.get(url)
    assert 'data-testid="developed-at"' in final.text and "ถังขยะแยกประเภทพร้อมป้ายสองภาษา" in final.text
    from idea4gov.events.services import outcomes

    outcomes.set_outcome(draft, ew.organiser, Outcome.taken_forward, "เทศบาลรับไปทำโครงการนำร่อง 10 จุด",
                         agency_id=ew.agency.id)
    db.session.commit()
    assert "outcome-taken_forward" in visitor.get(url).text


def test_report_xlsx_stores_formula_like_text_as_text_in_every_sheet(client, ew, make_user):
    """What participants typed (proposal titles, team names, survey comments) may look like a formula:
    the report's XLSX keeps it as the exact text, never a formula (the shared `idea4gov.exports` writer)."""
    import zipfile

    title = '=HYPERLINK("http://evil.example","คลิก")'
    proposal = _final(ew.event, make_user(), title)
    proposal.team.name = "+66 ทีมสูตร"
    row = seat(ew.event, make_user(), checked_in=True)
    survey.answer(ew.event, row, 5, True, "@SUM(A1) ขอบคุณครับ")
    db.session.commit()
    client.login(ew.organiser)
    raw = client.get(f"/events/{ew.event.id}/report.xlsx").get_data()
    book = load_workbook(io.BytesIO(raw))
    cells = {cell.value: cell for sheet in book for row in sheet.iter_rows() for cell in row}
    for text in (title, "+66 ทีมสูตร", "@SUM(A1) ขอบคุณครับ"):
        assert cells[text].data_type == "s", text
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = archive.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, name


def test_event_links_come_from_the_public_address_not_the_host_header(client, ew, make_user):
    """Certificates, the report's print view and XLSX link to PUBLIC_BASE_URL (`idea4gov.links`), even
    when a request forges its Host: a printed certificate must verify on the real site."""
    forged = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    present = make_user()
    seat(ew.event, present, checked_in=True)
    _final(ew.event, make_user(), "ถังขยะอัจฉริยะ")
    client.login(present)
    client.carry_cookies_to("evil.example")
    certificate = client.get(f"/events/{ew.event.id}/certificate", headers=forged).get_data(as_text=True)
    url = re.search(r'data-testid="verify-url">([^<]+)<', certificate).group(1)
    assert url.startswith("http://localhost/events/certificates/") and "evil.example" not in certificate
    client.login(ew.organiser)
    client.carry_cookies_to("evil.example")
    printed = client.get(f"/events/{ew.event.id}/report/print", headers=forged)
    assert printed.status_code == 200 and "evil.example" not in printed.get_data(as_text=True)
    book = load_workbook(io.BytesIO(client.get(f"/events/{ew.event.id}/report.xlsx", headers=forged).get_data()))
    links = [cell.hyperlink.target for sheet in book for row in sheet.iter_rows() for cell in row if cell.hyperlink]
    assert links and all(link.startswith("http://localhost/events/") for link in links)
    values = [str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [value for value in values if "evil.example" in value]
