"""Projects (โครงการ): made by the area's officers from one idea, several, or a whole group; budget in
baht, plan, fiscal year, agency, dates, milestones, place; linked ideas say "became project X";
followers are told; every change audited and shown as a public history; lists, API, open data and
the plan-shaped export."""
from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openapi_schema_validator import OAS31Validator, validate
from project_support import make_project
from triage_support import world  # noqa: F401  (fixture)

from idea4gov.audit.labels import ACTION_LABELS
from idea4gov.audit.models import AuditEntry
from idea4gov.extensions import db
from idea4gov.groups.models import IdeaGroup
from idea4gov.ideas import services as idea_services
from idea4gov.notifications.models import Notification
from idea4gov.projects.models import Milestone, PlanType, Project, ProjectChange, ProjectIdea, ProjectStatus
from idea4gov.projects.values import parse_budget
from idea4gov.service_errors import ServiceError
from tests.test_triage_mail import smtp  # noqa: F401  (fixture: aiosmtpd on loopback)


def _form(**values) -> dict:
    base = {"title": "ถังขยะแยกประเภทริมหาดบางแสน 40 จุด", "description": "วางถังขยะแยกประเภททุก 100 เมตร",
            "plan_type": "local_development_plan", "fiscal_year": "2569", "budget": "1,250,000",
            "budget_source": "งบประมาณเทศบาล", "agency_id": "", "starts_on": "2569-10-01", "ends_on": "2570-03-31",
            "place_name": "หาดบางแสน", "lat": "13.2843", "lng": "100.9151", "polygon": "", "idea_ids": ""}
    base.update(values)
    return base


def test_officer_makes_a_project_from_a_whole_group_and_followers_are_told(client, world, make_user, smtp):  # noqa: F811
    beach1, beach2, light = world["ideas"]
    group = IdeaGroup(area_id=world["area"].id, keywords="ถังขยะ ชายหาด")
    db.session.add(group)
    db.session.flush()
    beach1.group_id = beach2.group_id = group.id
    supporter = make_user(email="fan@example.org")
    idea_services.vote(beach1, supporter)
    idea_services.vote(beach2, supporter)
    db.session.commit()
    client.login(world["officer"])
    form = client.get(f"/triage/saensuk/projects/new?group={group.id}").get_data(as_text=True)
    assert f'value="{beach1.id}, {beach2.id}"' in form and "แผนพัฒนาท้องถิ่น" in form and "แผนชุมชน" in form
    response = client.post("/triage/saensuk/projects/new", _form(idea_ids=f"{beach1.id}, {beach2.id}",
                                                                 group_id=str(group.id),
                                                                 agency_id=str(world["cleaning"].id)))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    project = db.session.scalars(sa.select(Project)).one()
    assert (project.budget, project.fiscal_year, project.plan_type, project.source_group_id) == (
        Decimal("1250000.00"), 2569, PlanType.local_development_plan, group.id)
    assert (project.starts_on.isoformat(), project.ends_on.isoformat()) == ("2026-10-01", "2027-03-31")
    assert (project.lat, project.lng, project.agency_id) == (13.2843, 100.9151, world["cleaning"].id)
    assert sorted(db.session.scalars(sa.select(ProjectIdea.idea_id))) == [beach1.id, beach2.id]
    # The ideas' pages say what they became, with a link.
    page = client.get(f"/ideas/{beach1.id}").get_data(as_text=True)
    assert 'data-testid="became-project"' in page and f'href="/projects/{project.id}"' in page
    assert "ไอเดียนี้กลายเป็นโครงการ" in page
    assert 'data-testid="became-project"' not in client.get(f"/ideas/{light.id}").get_data(as_text=True)
    # Followers are told once each, in-app and by e-mail.
    notes = db.session.scalars(sa.select(Notification).where(Notification.kind == "idea_project")).all()
    told = sorted(n.user_id for n in notes)
    assert told == sorted({beach1.author_id, beach2.author_id, supporter.id})
    assert len(smtp.to("fan@example.org")) == 1
    assert f"/projects/{project.id}" in smtp.to("fan@example.org")[0].get_content()
    # …written to the outbox with the project (and sent from there by the worker).
    from idea4gov.outbox.models import OutboxMessage, OutboxStatus

    [queued] = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == "fan@example.org"))
    assert queued.channel == "email" and queued.status == OutboxStatus.sent
    # Audited, with labels, and the public history shows it.
    actions = set(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.target_type == "project")))
    assert actions == {"project_create", "project_link_ideas"} and actions <= set(ACTION_LABELS)
    public = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "1,250,000.00" in public and "สร้างโครงการ" in public and f"เชื่อมไอเดีย #{beach1.id}, #{beach2.id}" in public


def test_from_one_idea_the_form_is_filled_and_bad_values_come_back_with_thai_messages(client, world):  # noqa: F811
    beach1 = world["ideas"][0]
    client.login(world["officer"])
    page = client.get(f"/triage/saensuk/projects/new?idea={beach1.id}").get_data(as_text=True)
    assert f'value="{beach1.id}"' in page and beach1.title in page
    bad = client.post("/triage/saensuk/projects/new", _form(
        budget="-5,000", fiscal_year="abc", starts_on="2569-02-31", ends_on="2568-01-01", lat="NaN", lng="1e309",
        idea_ids=f"{beach1.id}, x"))
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400
    for message in ("งบประมาณต้องไม่ติดลบ", "ปีงบประมาณต้องเป็นปี พ.ศ. 4 หลัก", "วันที่ไม่ถูกต้อง", "พิกัดต้องเป็นตัวเลขทศนิยม"):
        assert message in html, message
    assert "ถังขยะแยกประเภทริมหาดบางแสน 40 จุด" in html  # what was typed stays
    outside = client.post("/triage/saensuk/projects/new", _form(lat="51.5", lng="-0.12", idea_ids=str(beach1.id)))
    assert outside.status_code == 400 and "นอกประเทศไทย" in outside.get_data(as_text=True)
    backwards = client.post("/triage/saensuk/projects/new", _form(starts_on="2570-01-01", ends_on="2569-12-01"))
    assert backwards.status_code == 400 and "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม" in backwards.get_data(as_text=True)
    far = client.post("/triage/saensuk/projects/new", _form(agency_id=str(world["far"].id)))
    assert far.status_code == 400 and "กรุณาเลือกหน่วยงานของพื้นที่นี้" in far.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Project)) == 0


@pytest.mark.parametrize("text, amount", [("1,250,000", "1250000.00"), ("1250000.5", "1250000.50"),
                                          ("๑,๒๐๐ บาท", "1200.00"), ("฿900", "900.00"), ("", None)])
def test_budgets_are_read_as_exact_baht(text, amount):
    assert parse_budget(text) == (Decimal(amount) if amount else None)


@pytest.mark.parametrize("text, code", [("-1", "budget_negative"), ("1,25,0", "budget_invalid"), ("NaN", "budget_invalid"),
                                        ("1e309", "budget_invalid"), ("12.345", "budget_decimals"),
                                        ("99999999999999", "budget_too_large"), ("Infinity", "budget_invalid")])
def test_bad_budgets_are_refused(text, code):
    with pytest.raises(ServiceError) as refused:
        parse_budget(text)
    assert refused.value.message == code


def test_an_idea_belongs_to_one_project_and_only_ideas_of_the_area(app, world):  # noqa: F811
    beach1, beach2, _light = world["ideas"]
    first = make_project(world["area"], world["officer"], [beach1])
    with pytest.raises(ServiceError) as taken:
        make_project(world["area"], world["officer"], [beach1, beach2], title="อีกโครงการหนึ่ง")
    assert taken.value.message == "idea_in_project"
    db.session.rollback()
    from idea4gov.ideas.services import IdeaInput, create_idea

    far_idea = create_idea(world["other"], world["resident"], IdeaInput("ไอเดียของพื้นที่อื่นนะครับ",
                           "รายละเอียดของไอเดียในพื้นที่หัวเวียง ทดสอบการเชื่อมโครงการ", world["other"].themes[0]))
    db.session.commit()
    with pytest.raises(ServiceError) as elsewhere:
        make_project(world["area"], world["officer"], [far_idea], title="โครงการข้ามพื้นที่")
    assert elsewhere.value.message == "idea_not_in_area"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Project)) == 1
    assert db.session.get(Project, first.id).links[0].idea_id == beach1.id


def test_every_change_is_audited_and_shown_as_a_public_history(client, world):  # noqa: F811
    beach1 = world["ideas"][0]
    project = make_project(world["area"], world["officer"], [beach1])
    client.login(world["officer"])
    edit = client.post(f"/triage/projects/{project.id}", _form(title=project.title, budget="500,000.50",
                                                               plan_type="community_plan"))
    assert edit.status_code == 302
    assert client.post(f"/triage/projects/{project.id}/milestones",
                       {"title": "จัดซื้อถังขยะ", "due_on": "2569-12-15"}).status_code == 302
    milestone = db.session.scalars(sa.select(Milestone)).one()
    assert client.post(f"/triage/projects/{project.id}/milestones/{milestone.id}",
                       {f"m{milestone.id}-status": "done", f"m{milestone.id}-due_on": "2026-12-15"}).status_code == 302
    assert client.post(f"/triage/projects/{project.id}/status", {"status": "in_progress", "note": ""}).status_code == 302
    refused = client.post(f"/triage/projects/{project.id}/status", {"status": "done", "note": "เสร็จ"})
    assert refused.status_code == 400 and "รายงานผลถึงประชาชนอย่างน้อย 10 ตัวอักษร" in refused.get_data(as_text=True)
    db.session.expire_all()
    project = db.session.get(Project, project.id)
    assert (project.budget, project.plan_type, project.status) == (Decimal("500000.50"), PlanType.community_plan,
                                                                   ProjectStatus.in_progress)
    kinds = [c.kind for c in db.session.scalars(sa.select(ProjectChange).order_by(ProjectChange.id))]
    assert kinds[:2] == ["created", "ideas_linked"] and "milestone_added" in kinds and "milestone" in kinds
    actions = set(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.target_type == "project")))
    assert {"project_update", "milestone_add", "milestone_update", "project_status"} <= actions <= set(ACTION_LABELS)
    client.logout()
    public = client.get(f"/projects/{project.id}").get_data(as_text=True)
    for text in ("แก้ไขงบประมาณ (บาท): 480,000.00 → 500,000.50", "แก้ไขแผน: แผนพัฒนาท้องถิ่น → แผนชุมชน",
                 "เพิ่มขั้นตอน “จัดซื้อถังขยะ”", "สถานะ: วางแผนแล้ว → กำลังดำเนินการ", "เสร็จแล้ว"):
        assert text in public, text
    english = client.get(f"/projects/{project.id}?lang=en").get_data(as_text=True)
    assert "Status: Planned → In progress" in english and "Community plan" in english


def test_only_officers_of_the_area_manage_its_projects(client, world, make_staff):  # noqa: F811
    project = make_project(world["area"], world["officer"], [world["ideas"][0]])
    for who, expected in ((world["stranger"], 403), (world["resident"], 403), (make_staff("moderator", world["area"]), 403)):
        client.login(who)
        assert client.get(f"/triage/projects/{project.id}").status_code == expected
        assert client.post(f"/triage/projects/{project.id}/status", {"status": "cancelled"}).status_code == expected
        assert client.post("/triage/saensuk/projects/new", _form()).status_code == expected
        client.logout()
    assert db.session.get(Project, project.id).status == ProjectStatus.planned
    assert client.get(f"/projects/{project.id}").status_code == 200  # public page: anyone
    assert client.get("/projects/999999").status_code == 404
    assert client.get("/projects/99999999999999999999").status_code == 404


def test_area_results_list_budget_totals_per_fiscal_year(client, world):  # noqa: F811
    area, officer = world["area"], world["officer"]
    make_project(area, officer, title="โครงการปี 2569 ที่หนึ่ง", budget="100,000.25")
    done = make_project(area, officer, title="โครงการปี 2569 ที่สอง", budget="50,000")
    make_project(area, officer, title="โครงการปี 2570 ครับ", budget="7,000", fiscal_year=2570)
    make_project(area, officer, title="โครงการที่ยังไม่มีงบ", budget="")
    from idea4gov.projects import services

    services.set_status(done, ProjectStatus.done, officer, "ดำเนินการเสร็จเรียบร้อยแล้วครับ")
    db.session.commit()
    # The list is part of the area's results page (issue 13's), not a second page.
    html = client.get("/areas/saensuk/results?fy=2569").get_data(as_text=True)
    rows = dict(re.findall(r'<tr data-fy="(\d+)">(.*?)</tr>', html, re.S))
    assert "150,000.25" in rows["2569"] and "7,000.00" in rows["2570"]
    assert "50,000.00" in rows["2569"].split("</td>")[2]  # the done column
    assert 'data-testid="key-figures"' in html and "โครงการปี 2569 ที่หนึ่ง" in html
    only = client.get("/areas/saensuk/results?fy=2570").get_data(as_text=True)
    assert "โครงการปี 2570 ครับ" in only and "โครงการปี 2569 ที่หนึ่ง" not in only
    done_only = client.get("/areas/saensuk/results?fy=2569&status=done").get_data(as_text=True)
    assert "โครงการปี 2569 ที่สอง" in done_only and "โครงการปี 2569 ที่หนึ่ง" not in done_only
    old = client.get("/areas/saensuk/projects?fy=2570&status=done")  # the earlier address lands there
    assert old.status_code == 301
    assert old.headers["Location"].endswith("/areas/saensuk/results?fy=2570&status=done#projects")
    ce = client.get("/areas/saensuk/results?fy=2026")  # a CE year: the same page for 2569
    assert ce.status_code == 302 and ce.headers["Location"].endswith("/areas/saensuk/results?fy=2569")
    for bad in ("/areas/saensuk/results?fy=abc", "/areas/saensuk/results?status=nope"):
        assert client.get(bad).status_code == 400
    assert client.get("/areas/saensuk/results?fy=2569&page=99999999999999999").status_code == 200
    assert "Budget totals by fiscal year" in client.get("/areas/saensuk/results?lang=en").get_data(as_text=True)
    api = client.get("/api/v1/areas/saensuk/projects?fy=2569").get_json()
    assert {p["title"] for p in api["items"]} == {"โครงการปี 2569 ที่หนึ่ง", "โครงการปี 2569 ที่สอง", "โครงการที่ยังไม่มีงบ"}
    totals = {t["fiscal_year"]: t for t in api["totals"]}
    assert totals[2569]["budget"] == "150000.25" and totals[2569]["by_status"]["done"]["budget"] == "50000.00"
    assert client.get("/api/v1/areas/saensuk/projects?fy=abc").status_code == 400


def test_api_gives_projects_and_each_ideas_project_id_as_documented(client, world):  # noqa: F811
    beach1, beach2, light = world["ideas"]
    project = make_project(world["area"], world["officer"], [beach1, beach2], agency_id=world["cleaning"].id)
    document = client.get("/api/v1/openapi.json").get_json()
    from openapi_spec_validator import validate as validate_spec

    validate_spec(document)
    body = client.get(f"/api/v1/projects/{project.id}").get_json()
    validate(body, {**document, "$ref": "#/components/schemas/Project"}, cls=OAS31Validator)
    assert (body["budget"], body["plan_type"], body["idea_ids"], body["agency"]["id"]) == (
        "480000.00", "local_development_plan", [beach1.id, beach2.id], world["cleaning"].id)
    idea_schema = {**document, "$ref": "#/components/schemas/Idea"}
    linked = client.get(f"/api/v1/ideas/{beach1.id}").get_json()
    validate(linked, idea_schema, cls=OAS31Validator)
    assert linked["project_id"] == project.id
    assert client.get(f"/api/v1/ideas/{light.id}").get_json()["project_id"] is None
    listed = {i["id"]: i["project_id"] for i in client.get("/api/v1/areas/saensuk/ideas").get_json()["items"]}
    assert listed == {beach1.id: project.id, beach2.id: project.id, light.id: None}
    assert client.get("/api/v1/projects/0").status_code == 404
    assert client.get("/api/v1/projects/99999999999").status_code == 404


def test_plan_shaped_export_per_area_and_year_is_formula_safe_with_thai_intact(client, world, make_user):  # noqa: F811
    beach1, beach2, _light = world["ideas"]
    voter = make_user()
    idea_services.vote(beach1, voter)
    idea_services.vote(beach2, voter)
    db.session.commit()
    make_project(world["area"], world["officer"], [beach1, beach2], title="=HYPERLINK(\"http://x\")โครงการ",
                 budget_source="+งบเทศบาล", agency_id=world["cleaning"].id)
    make_project(world["area"], world["officer"], title="โครงการปีอื่นไม่ควรอยู่", fiscal_year=2570)
    response = client.get("/areas/saensuk/projects/export.csv?fy=2569")
    assert response.status_code == 200 and response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][0] == "แผน (plan)" and len(rows) == 2
    row = dict(zip([h.split(" (")[-1].rstrip(")") for h in rows[0]], rows[1], strict=True))
    assert row["plan"] == "แผนพัฒนาท้องถิ่น" and row["project"].startswith("'=HYPERLINK")
    assert row["budget_source"] == "'+งบเทศบาล" and row["budget"] == "480000.00"
    assert (row["idea_count"], row["supporters"]) == ("2", "1")  # one person supporting both counts once
    assert beach1.reference in row["source_ideas"] and row["agency"] == "กองสาธารณสุขและสิ่งแวดล้อม"
    xlsx = client.get("/areas/saensuk/projects/export.xlsx?fy=2569")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.cell(row=2, column=3).value.startswith("=HYPERLINK") and sheet.cell(row=2, column=3).data_type == "s"
    assert client.get("/areas/saensuk/projects/export.pdf").status_code == 404
    assert client.get("/areas/saensuk/projects/export.csv?fy=x").status_code == 400


def test_open_data_carries_the_project_of_each_idea(client, world):  # noqa: F811
    beach1 = world["ideas"][0]
    project = make_project(world["area"], world["officer"], [beach1])
    document = client.get("/areas/saensuk/export.json").get_json()
    by_id = {row["id"]: row for row in document["ideas"]}
    assert by_id[beach1.id]["project"] == project.id and "project" in document["columns"]
    # The area's open-data section links the plan-shaped table of the current fiscal year and the API.
    from idea4gov.programme import fiscal

    now = make_project(world["area"], world["officer"], title="โครงการของปีงบประมาณนี้", fiscal_year=fiscal.current().be)
    area_page = client.get("/areas/saensuk").get_data(as_text=True)
    link = re.search(r'href="([^"]+)" download data-testid="open-data-projects-csv"', area_page).group(1)
    assert link == "/areas/saensuk/projects/export.csv" and 'href="/api/v1/areas/saensuk/projects"' in area_page
    table = client.get(link).get_data(as_text=True)
    assert now.title in table and project.title not in table  # the other year's project is on its own table


def test_a_done_project_carries_checked_photos_without_exif(client, world, app):  # noqa: F811
    import os

    from triage_support import png_bytes

    from idea4gov.projects.models import ProjectPhoto

    project = make_project(world["area"], world["officer"], [world["ideas"][0]])
    client.login(world["officer"])
    report = "ติดตั้งถังขยะครบ 40 จุดแล้ว ใช้งบ 450,000 บาท"
    folder = app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    before = set(os.listdir(folder))
    # Not an image: refused with the reason, nothing recorded and no file left.
    bad = client.post(f"/triage/projects/{project.id}/status", {
        "status": "done", "note": report, "photos": [(io.BytesIO(png_bytes()), "a.jpg"), (io.BytesIO(b"%PDF-1.4"), "b.jpg")]},
        content_type="multipart/form-data")
    assert bad.status_code == 415 and "ไม่ใช่ภาพ" in bad.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Project, project.id).status == ProjectStatus.planned
    assert set(os.listdir(folder)) == before and db.session.scalar(sa.select(sa.func.count()).select_from(ProjectPhoto)) == 0
    done = client.post(f"/triage/projects/{project.id}/status", {
        "status": "done", "note": report, "photos": [(io.BytesIO(png_bytes(exif=True)), "proof.jpg")]},
        content_type="multipart/form-data")
    assert done.status_code == 302
    [photo] = db.session.scalars(sa.select(ProjectPhoto)).all()
    assert photo.content_type == "image/jpeg" and photo.filename != "proof.jpg"
    client.logout()
    served = client.get(f"/project-photos/{photo.id}")
    assert served.status_code == 200 and b"SecretCam" not in served.data and served.data[:2] == b"\xff\xd8"
    served.close()
    assert f"/project-photos/{photo.id}" in client.get(f"/projects/{project.id}").get_data(as_text=True)
