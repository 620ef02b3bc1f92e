"""Status at a glance: status on idea cards, ?status= on area pages and in the API, official
answers in comments, and the API's new idea fields (reference, agency, merged_into_id)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from openapi_schema_validator import OAS31Validator, validate
from triage_support import world  # noqa: F401  (fixture)

from idea4gov.extensions import db
from idea4gov.ideas import services
from idea4gov.ideas.models import Comment, IdeaStatus
from idea4gov.triage.models import AgencyMember
from idea4gov.triage.services.merging import merge
from tests.db_support import count_queries


def _set(idea, status: IdeaStatus) -> None:  # noqa: ANN001
    idea.status = status
    db.session.commit()


def test_cards_show_each_ideas_status(client, world):  # noqa: F811
    beach1, _beach2, light = world["ideas"]
    _set(beach1, IdeaStatus.accepted)
    html = client.get("/areas/saensuk").get_data(as_text=True)
    assert html.count('data-testid="card-status"') == 3
    assert "status-accepted" in html and "รับไปดำเนินการ" in html and "ได้รับแล้ว" in html
    english = client.get("/areas/saensuk?lang=en").get_data(as_text=True)
    assert "Accepted" in english and "Received" in english


def test_area_page_filters_by_status(client, world):  # noqa: F811
    beach1, beach2, light = world["ideas"]
    _set(beach1, IdeaStatus.accepted)
    _set(light, IdeaStatus.implemented)
    accepted = client.get("/areas/saensuk?status=accepted")
    html = accepted.get_data(as_text=True)
    assert accepted.status_code == 200
    assert beach1.title in html and beach2.title not in html and light.title not in html
    assert '<option value="accepted" selected>' in html
    combined = client.get("/areas/saensuk?status=received&theme=beach").get_data(as_text=True)
    assert beach2.title in combined and beach1.title not in combined
    bad = client.get("/areas/saensuk?status=<script>")
    assert bad.status_code == 400 and "สถานะ" in bad.get_data(as_text=True) and "<script>" not in bad.get_data(
        as_text=True)
    assert client.get("/areas/saensuk?status=").status_code == 200


def test_api_filters_by_status_and_refuses_unknown_ones(client, world):  # noqa: F811
    beach1, beach2, light = world["ideas"]
    _set(beach1, IdeaStatus.in_progress)
    items = client.get("/api/v1/areas/saensuk/ideas?status=in_progress").get_json()["items"]
    assert [item["id"] for item in items] == [beach1.id]
    assert len(client.get("/api/v1/areas/saensuk/ideas?status=received").get_json()["items"]) == 2
    bad = client.get("/api/v1/areas/saensuk/ideas?status=done")
    assert bad.status_code == 400 and "status" in bad.get_json()["error"]["fields"]


def test_api_idea_has_reference_agency_and_merged_into(client, world):  # noqa: F811
    beach1, beach2, light = world["ideas"]
    beach1.agency_id = world["cleaning"].id
    db.session.commit()
    merge(beach2, beach1, world["officer"])
    db.session.commit()
    document = client.get("/api/v1/openapi.json").get_json()
    schema = {**document, "$ref": "#/components/schemas/Idea"}
    routed = client.get(f"/api/v1/ideas/{beach1.id}").get_json()
    assert routed["reference"] == beach1.reference
    assert routed["agency"] == {"id": world["cleaning"].id, "name_th": "กองสาธารณสุขและสิ่งแวดล้อม",
                                "name_en": "Public health and environment"}
    assert routed["merged_into_id"] is None
    duplicate = client.get(f"/api/v1/ideas/{beach2.id}").get_json()
    assert duplicate["merged_into_id"] == beach1.id and duplicate["status"] == "duplicate"
    assert client.get(f"/api/v1/ideas/{light.id}").get_json()["agency"] is None
    for body in (routed, duplicate, client.get(f"/api/v1/ideas/{light.id}").get_json()):
        validate(body, schema, cls=OAS31Validator)  # the response matches the documented schema
    listed = client.get("/api/v1/areas/saensuk/ideas?per_page=100").get_json()["items"]
    for body in listed:
        validate(body, schema, cls=OAS31Validator)
    parameters = {p["name"] for p in document["paths"]["/areas/{slug}/ideas"]["get"]["parameters"]}
    assert "status" in parameters
    for field in ("reference", "agency", "merged_into_id"):
        assert field in document["components"]["schemas"]["Idea"]["properties"]


def test_api_list_loads_agencies_in_a_fixed_number_of_queries(client, world, make_idea):  # noqa: F811
    for idea in world["ideas"]:
        idea.agency_id = world["works"].id
    db.session.commit()
    with count_queries() as few:
        assert client.get("/api/v1/areas/saensuk/ideas").status_code == 200
    for n in range(5):
        extra = make_idea(world["area"], title=f"ไอเดียเพิ่มเพื่อนับคำสั่งที่ {n}")
        extra.agency_id = world["cleaning"].id if n % 2 else world["works"].id
    db.session.commit()
    with count_queries() as many:
        assert len(client.get("/api/v1/areas/saensuk/ideas").get_json()["items"]) == 8
    assert len(many) == len(few)


def test_an_officer_of_the_area_in_an_agency_answers_officially(client, world, make_staff):  # noqa: F811
    beach1 = world["ideas"][0]
    officer = world["officer"]
    db.session.add_all([AgencyMember(agency_id=world["works"].id, user_id=officer.id),
                        AgencyMember(agency_id=world["cleaning"].id, user_id=officer.id)])
    beach1.agency_id = world["cleaning"].id
    db.session.commit()
    client.login(officer)
    assert client.post(f"/ideas/{beach1.id}/comments", {"body": "เทศบาลรับเรื่องแล้ว จะส่งทีมไปสำรวจสัปดาห์นี้"}
                       ).status_code == 302
    comment = db.session.scalar(sa.select(Comment))
    assert comment.agency_id == world["cleaning"].id  # the idea's own agency, among the officer's two
    html = client.get(f"/ideas/{beach1.id}").get_data(as_text=True)
    assert 'data-testid="official-answer"' in html and "ตอบโดยหน่วยงาน: กองสาธารณสุขและสิ่งแวดล้อม" in html
    english = client.get(f"/ideas/{beach1.id}?lang=en").get_data(as_text=True)
    assert "Answered by the agency: Public health and environment" in english
    # On an idea routed elsewhere, the officer answers for the first of their agencies by name.
    light = world["ideas"][2]
    other = services.add_comment(light, officer, "กองช่างจะซ่อมไฟภายในสองสัปดาห์")
    assert other.agency_id == world["works"].id  # "กองช่าง" sorts before "กองสาธารณสุข…"


@pytest.mark.parametrize("who", ["resident", "officer without agency", "officer of another area",
                                 "member without the officer role"])
def test_other_comments_are_not_official(app, world, make_user, make_staff, who):  # noqa: F811
    beach1 = world["ideas"][0]
    if who == "resident":
        author = world["resident"]
    elif who == "officer without agency":
        author = make_staff("officer", world["area"])
    elif who == "officer of another area":
        author = world["stranger"]
        db.session.add(AgencyMember(agency_id=world["far"].id, user_id=author.id))
    else:
        author = make_user()
        db.session.add(AgencyMember(agency_id=world["works"].id, user_id=author.id))
    db.session.commit()
    comment = services.add_comment(beach1, author, "ความคิดเห็นทั่วไปเกี่ยวกับไอเดียนี้")
    assert comment.agency_id is None


def test_idea_page_loads_official_answers_in_a_fixed_number_of_queries(client, world, make_staff):  # noqa: F811
    beach1 = world["ideas"][0]
    db.session.add(AgencyMember(agency_id=world["works"].id, user_id=world["officer"].id))
    db.session.commit()

    def add(count: int) -> None:
        for n in range(count):
            top = services.add_comment(beach1, world["officer"], f"คำตอบของหน่วยงานข้อที่ {n} {count}")
            services.add_comment(beach1, world["resident"], f"ขอบคุณครับ ข้อที่ {n} {count}", top.id)
        db.session.commit()

    add(1)
    db.session.expire_all()
    with count_queries() as few:
        assert client.get(f"/ideas/{beach1.id}").status_code == 200
    add(5)
    db.session.expire_all()
    with count_queries() as many:
        html = client.get(f"/ideas/{beach1.id}").get_data(as_text=True)
    assert html.count('data-testid="official-answer"') == 6
    assert len(many) == len(few)
