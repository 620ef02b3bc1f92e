"""Similar ideas while typing (GET /api/v1/areas/<slug>/similar) and the no-JS "did you mean" step."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, Visibility
from tests.api_support import assert_api_error, token_for

BEACH_TITLE = "เพิ่มถังขยะแยกประเภทริมหาดบางแสน"
BEACH_BODY = "ขยะบนชายหาดเยอะมาก ขวดพลาสติกกับถุงลอยเต็มหาด อยากให้เทศบาลวางถังขยะแยกประเภททุก 100 เมตรริมหาด"
OTHER = [
    ("ไฟถนนซอยตลาดดับทั้งซอยมาหลายเดือน", "กลางคืนมืดมาก ผู้หญิงกับเด็กเดินกลับบ้านไม่ปลอดภัย ขอให้ซ่อมไฟถนนโดยเร็ว"),
    ("จัดเรือพาเที่ยวชมวิถีชีวิตริมแม่น้ำ", "อยากให้ชุมชนมีเรือนำเที่ยวชมบ้านริมน้ำและวัดเก่า สร้างรายได้ให้คนในพื้นที่"),
    ("ทางเท้าหน้าโรงเรียนพังเป็นหลุม", "ฝนตกน้ำขังทุกครั้ง เด็กนักเรียนเดินลำบาก ขอให้ปรับปรุงทางเท้าให้เรียบร้อย"),
]


@pytest.fixture()
def area_with_ideas(make_area, make_user, make_idea):
    area = make_area(slug="saensuk")
    author = make_user()
    beach = make_idea(area=area, author=author, title=BEACH_TITLE, body=BEACH_BODY)
    for title, body in OTHER:
        make_idea(area=area, author=author, title=title, body=body)
    return area, beach


def test_similar_ranks_the_matching_idea_first(client, area_with_ideas):
    area, beach = area_with_ideas
    response = client.get("/api/v1/areas/saensuk/similar", query_string={"text": "อยากได้ถังขยะแยกประเภทบนชายหาด"})
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert items[0]["id"] == beach.id
    assert items[0]["vote_count"] == 0 and items[0]["supported"] is False
    assert 0 < items[0]["score"] <= 1
    assert items[0]["url"] == f"/ideas/{beach.id}"
    assert len(items) <= 5


def test_similar_respects_k_and_only_returns_published_ideas_of_the_area(client, area_with_ideas, make_area,
                                                                       make_idea):
    area, beach = area_with_ideas
    other_area = make_area(slug="elsewhere")
    copy_elsewhere = make_idea(area=other_area, title=BEACH_TITLE, body=BEACH_BODY)
    response = client.get("/api/v1/areas/saensuk/similar", query_string={"text": BEACH_BODY, "k": 1})
    assert [item["id"] for item in response.get_json()["items"]] == [beach.id]

    beach.visibility = Visibility.hidden
    db.session.commit()
    items = client.get("/api/v1/areas/saensuk/similar", query_string={"text": BEACH_BODY}).get_json()["items"]
    assert beach.id not in {item["id"] for item in items}
    assert copy_elsewhere.id not in {item["id"] for item in items}


def test_an_idea_published_after_the_index_was_built_is_found(client, area_with_ideas, make_idea):
    area, _beach = area_with_ideas
    client.get("/api/v1/areas/saensuk/similar", query_string={"text": "ไฟถนน"})  # builds the index
    new = make_idea(area=area, title="ยุงลายชุกชุมในชุมชนริมคลอง", body="ช่วงหน้าฝนยุงเยอะมาก อยากให้มาพ่นหมอกควันกำจัดยุงลายทุกเดือน")
    items = client.get("/api/v1/areas/saensuk/similar", query_string={"text": "พ่นหมอกควันกำจัดยุงลาย"}).get_json()["items"]
    assert items[0]["id"] == new.id


def test_similar_marks_what_the_caller_supports(client, area_with_ideas, make_user):
    from idea4gov.ideas import services

    _area, beach = area_with_ideas
    resident = make_user()
    services.vote(beach, resident)
    db.session.commit()
    response = client.api("GET", "/api/v1/areas/saensuk/similar?text=" + BEACH_TITLE, token=token_for(resident))
    first = response.get_json()["items"][0]
    assert first["id"] == beach.id and first["supported"] is True and first["vote_count"] == 1


@pytest.mark.parametrize("query, field", [
    ({}, "text"),
    ({"text": ""}, "text"),
    ({"text": "   \u200b "}, "text"),
    ({"text": "ก" * 5201}, "text"),
    ({"text": "ขยะ", "k": "0"}, "k"),
    ({"text": "ขยะ", "k": "21"}, "k"),
    ({"text": "ขยะ", "k": "abc"}, "k"),
])
def test_similar_bad_input_is_a_400_with_fields(client, area_with_ideas, query, field):
    response = client.get("/api/v1/areas/saensuk/similar", query_string=query)
    assert_api_error(response, 400)
    assert field in response.get_json()["error"]["fields"]


def test_similar_unknown_area_is_404_json(client):
    assert_api_error(client.get("/api/v1/areas/nowhere/similar?text=ขยะ"), 404)


def test_text_with_no_known_words_gives_no_items(client, area_with_ideas):
    response = client.get("/api/v1/areas/saensuk/similar", query_string={"text": "!!! ??? 🙂"})
    assert response.status_code == 200 and response.get_json()["items"] == []


# --- without JavaScript: "did you mean" before publishing a near-copy ----------------------------------
def _post_idea(client, **extra):
    data = {"title": BEACH_TITLE + " ด่วน", "body": BEACH_BODY, "theme": "beach", "place_name": "หาดบางแสน"}
    data.update(extra)
    return client.post("/areas/saensuk/ideas/new", data)


def _idea_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Idea))


def test_a_near_copy_gets_a_did_you_mean_step_and_nothing_is_lost(client, area_with_ideas, make_user):
    _area, beach = area_with_ideas
    client.login(make_user())
    before = _idea_count()
    response = _post_idea(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="did-you-mean"' in html and BEACH_TITLE in html
    assert f'action="/ideas/{beach.id}/vote"' in html
    assert 'name="confirm_new" value="1"' in html
    # What was typed is still in the form.
    assert f'value="{BEACH_TITLE} ด่วน"' in html and "ขวดพลาสติกกับถุงลอยเต็มหาด" in html and 'value="หาดบางแสน"' in html
    assert _idea_count() == before

    confirmed = _post_idea(client, confirm_new="1")
    assert confirmed.status_code == 302
    assert _idea_count() == before + 1


def test_a_different_idea_is_published_without_the_extra_step(client, area_with_ideas, make_user):
    client.login(make_user())
    before = _idea_count()
    response = _post_idea(client, title="ขอสวนสาธารณะเล็กๆ สำหรับผู้สูงอายุ",
                          body="ผู้สูงอายุในชุมชนไม่มีที่ออกกำลังกายตอนเช้า อยากได้สวนเล็กๆ พร้อมเครื่องออกกำลังกาย")
    assert response.status_code == 302
    assert _idea_count() == before + 1

