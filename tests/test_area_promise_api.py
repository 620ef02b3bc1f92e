"""The IAP2 promise (issue 13, point 3) on the area page, the new-idea form, the API and open data;
the API's areas with parent, promise and rounds, checked against the OpenAPI document (point 9);
archived areas read-only everywhere."""
from __future__ import annotations

import json

import jsonschema
import pytest
import sqlalchemy as sa

from idea4gov.areas import manage
from idea4gov.areas.models import IAP2Level
from idea4gov.extensions import db
from idea4gov.ideas import services
from idea4gov.ideas.models import Comment, Idea, Vote
from tests.api_support import token_for
from tests.db_support import count_queries

PROMISE_TH = "เทศบาลจะนำไอเดียที่มีผู้สนับสนุนมากที่สุดเข้าที่ประชุมจัดทำแผนพัฒนาท้องถิ่น และแจ้งผลให้ทราบภายใน 30 วัน"
PROMISE_EN = "The most supported ideas go to the meeting that drafts the local plan; we report back within 30 days."


@pytest.fixture()
def town(make_area):
    province = make_area(slug="chonburi", themes=())
    area = make_area(slug="saensuk", themes=(("beach", "ขยะชายหาด", "Beach litter"), ("market", "ตลาด", "Market")))
    manage.update_area(area, manage.AreaInput(parent="chonburi", iap2_level="consult", promise_th=PROMISE_TH,
                                              promise_en=PROMISE_EN), None)
    db.session.commit()
    assert area.parent_id == province.id
    return area


def test_the_promise_heads_the_area_page_and_the_new_idea_form(client, town, make_user):
    page = client.get("/areas/saensuk").get_data(as_text=True)
    assert page.index('data-testid="promise"') < page.index('role="search"')
    assert "การปรึกษาหารือ" in page and PROMISE_TH in page
    english = client.get("/areas/saensuk?lang=en").get_data(as_text=True)
    assert "Consult" in english and PROMISE_EN in english and PROMISE_TH not in english
    client.get("/?lang=th")
    client.login(make_user())
    form = client.get("/areas/saensuk/ideas/new").get_data(as_text=True)
    assert form.index(PROMISE_TH) < form.index('name="title"')


@pytest.mark.parametrize(("level", "thai", "english"), [
    ("inform", "การให้ข้อมูล", "Inform"), ("consult", "การปรึกษาหารือ", "Consult"),
    ("involve", "การเข้ามามีบทบาท", "Involve"), ("collaborate", "การร่วมมือ", "Collaborate"),
    ("empower", "การเสริมอำนาจ", "Empower"),
])
def test_every_level_has_its_opdc_name_and_a_standard_promise(client, make_area, level, thai, english):
    area = make_area(slug="area")
    manage.update_area(area, manage.AreaInput(iap2_level=level), None)
    db.session.commit()
    assert area.iap2_level == IAP2Level(level) and len(area.promise_th) >= 20 and len(area.promise_en) >= 20
    assert thai in client.get("/areas/area").get_data(as_text=True)
    item = client.get("/api/v1/areas/area").get_json()
    assert (item["iap2_level"], item["iap2_label_th"], item["iap2_label_en"]) == (level, thai, english)


def test_a_promise_needs_a_level_and_one_paragraph(make_area):
    area = make_area()
    with pytest.raises(services.ServiceError) as refused:
        manage.update_area(area, manage.AreaInput(promise_th=PROMISE_TH), None)
    assert refused.value.message == "promise_needs_level"
    with pytest.raises(services.ServiceError) as refused:
        manage.update_area(area, manage.AreaInput(iap2_level="consult", promise_th="ก" * 1001), None)
    assert refused.value.message == "promise_length"
    db.session.rollback()
    manage.update_area(area, manage.AreaInput(iap2_level="consult", promise_th="บรรทัดแรก\n\nบรรทัดที่สอง ยาวพอเป็นย่อหน้า"),
                       None)
    assert area.promise_th == "บรรทัดแรก บรรทัดที่สอง ยาวพอเป็นย่อหน้า"


def test_api_areas_carry_parent_promise_rounds_and_theme_states(client, town, make_round, make_idea):
    beach, market = town.themes
    current = make_round(town, -3, 10, [beach], title_th="รอบที่ 2", title_en="Round 2")
    upcoming = make_round(town, 20, 40, [market], title_th="รอบที่ 3", title_en="Round 3")
    make_idea(area=town, theme=beach)
    response = client.get("/api/v1/areas")
    assert response.status_code == 200
    items = {item["slug"]: item for item in response.get_json()["items"]}
    saensuk = items["saensuk"]
    assert saensuk["parent"] == "chonburi" and items["chonburi"]["parent"] is None
    assert (saensuk["iap2_level"], saensuk["promise_th"], saensuk["promise_en"]) == ("consult", PROMISE_TH, PROMISE_EN)
    assert saensuk["open_round"]["id"] == current.id and saensuk["open_round"]["themes"] == ["beach"]
    assert saensuk["open_round"]["state"] == "open" and saensuk["next_round"]["id"] == upcoming.id
    themes = {theme["slug"]: theme for theme in saensuk["themes"]}
    assert (themes["beach"]["round_state"], themes["beach"]["accepts_ideas"]) == ("open", True)
    assert (themes["market"]["round_state"], themes["market"]["accepts_ideas"]) == ("upcoming", False)
    assert themes["market"]["next_opens_at"] == saensuk["next_round"]["opens_at"]
    assert saensuk["idea_count"] == 1 and saensuk["status"] == "open" and saensuk["is_archived"] is False
    assert client.get("/api/v1/areas/saensuk").get_json() == saensuk
    assert client.get("/api/v1/areas/nowhere").status_code == 404


def _validator(client, schema_name: str) -> jsonschema.Draft202012Validator:
    """A validator of one schema of the served OpenAPI 3.1 document (JSON Schema 2020-12), refs resolved."""
    document = client.get("/api/v1/openapi.json").get_json()
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]}
    return jsonschema.Draft202012Validator(schema)


def test_api_areas_match_the_openapi_document(client, town, make_round, make_area):
    make_round(town, -3, 10, [town.themes[0]])
    make_round(town, 20, 40)
    archived = make_area(slug="old-pilot")
    manage.archive(archived, None)
    db.session.commit()
    validator = _validator(client, "Area")
    items = client.get("/api/v1/areas").get_json()["items"]
    assert len(items) == 3
    for item in items:
        errors = [error.message for error in validator.iter_errors(item)]
        assert errors == [], (item["slug"], errors)
    document = client.get("/api/v1/openapi.json").get_json()
    assert {"parent", "iap2_level", "promise_th", "promise_en", "open_round"} <= set(
        document["components"]["schemas"]["Area"]["required"])
    # Leaving out a documented key makes the check fail: it is not vacuous.
    broken = dict(items[0])
    del broken["open_round"]
    assert not validator.is_valid(broken)


def test_api_areas_run_a_fixed_number_of_queries_with_rounds(client, make_area, make_round):
    def count() -> int:
        with count_queries() as statements:
            assert client.get("/api/v1/areas").status_code == 200
        return len(statements)

    parent = make_area(slug="parent")
    make_round(parent, -1, 1)
    few = count()
    for number in range(5):
        child = make_area(slug=f"child-{number}")
        child.parent_id = parent.id
        db.session.commit()
        make_round(child, -1, 1)
        make_round(child, 5, 10)
    assert count() == few


def test_open_data_json_carries_the_promise_in_its_header(client, town, make_idea):
    make_idea(area=town)
    head = json.loads(client.get("/areas/saensuk/export.json").get_data(as_text=True))["area"]
    assert (head["parent"], head["iap2_level"], head["promise_th"], head["promise_en"]) == (
        "chonburi", "consult", PROMISE_TH, PROMISE_EN)


def test_an_archived_area_is_read_only_everywhere(client, town, make_user, make_idea, make_staff):
    idea = make_idea(area=town)
    resident = make_user()
    officer = make_staff("officer", town)
    token = token_for(resident)
    manage.archive(town, None)
    db.session.commit()
    before = [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Idea, Vote, Comment)]
    # Reading works: pages, API, open data.
    page = client.get("/areas/saensuk").get_data(as_text=True)
    assert "ถูกเก็บถาวรแล้ว" in page and "เสนอไอเดียใหม่" not in page
    assert client.get(f"/ideas/{idea.id}").status_code == 200
    assert client.get("/api/v1/areas/saensuk").get_json()["status"] == "archived"
    assert client.get("/areas/saensuk/export.csv").status_code == 200
    # Writing does not: web, API, similar ideas.
    client.login(resident)
    assert client.get("/areas/saensuk/ideas/new").status_code == 403
    client.post(f"/ideas/{idea.id}/vote")
    client.post(f"/ideas/{idea.id}/comments", {"body": "ยังเห็นด้วยอยู่ครับ"})
    idea_page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert 'data-testid="votes-closed"' in idea_page and 'id="comment-form"' not in idea_page
    created = client.api("POST", "/api/v1/areas/saensuk/ideas", {"title": "ไอเดียในพื้นที่ที่เก็บถาวร",
                                                                 "body": "รายละเอียดยาวพอสำหรับการทดสอบพื้นที่ที่เก็บถาวร"},
                         token=token)
    assert created.status_code == 403 and created.get_json()["error"]["code"] == "area_archived"
    voted = client.api("PUT", f"/api/v1/ideas/{idea.id}/vote", token=token)
    assert voted.status_code == 403 and voted.get_json()["error"]["code"] == "area_archived"
    similar = client.get("/api/v1/areas/saensuk/similar?text=ขยะชายหาด")
    assert similar.status_code == 403 and similar.get_json()["error"]["code"] == "area_archived"
    # Triage reads, but every action is refused.
    client.logout()
    client.login(officer)
    assert client.get("/triage/saensuk").status_code == 200
    refused = client.post(f"/triage/ideas/{idea.id}/status", {"status": "under_review", "answer": ""})
    assert refused.status_code == 409 and "ถูกเก็บถาวรแล้ว" in refused.get_data(as_text=True)
    assert client.post("/areas/saensuk/groups/regroup").status_code == 409
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).first_answered_at is None
    assert [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Idea, Vote, Comment)] == before
