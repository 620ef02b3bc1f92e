"""JSON API v1, reading: openapi.json, areas, an area's ideas, one idea, and JSON errors for
unknown paths and wrong methods."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from api_support import THAI, assert_api_error, token_for
from openapi_spec_validator import validate

from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, Visibility
from idea4gov.ideas.services import vote
from tests.db_support import count_queries

PREFIX = "/api/v1"
IGNORED_METHODS = {"HEAD", "OPTIONS"}




def _api_operations_in_url_map(app) -> set[tuple[str, str]]:
    operations = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule[len(PREFIX):])
        operations |= {(path, method.lower()) for method in rule.methods - IGNORED_METHODS}
    return operations


# --- openapi.json -------------------------------------------------------------------------


def test_openapi_document_is_valid_openapi_3(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": PREFIX}]
    validate(document)  # raises on any structural error


def test_openapi_paths_match_the_url_map_both_ways(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    documented = {
        (path, method)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "put", "post", "delete", "patch"}
    }
    routed = _api_operations_in_url_map(app)
    assert routed, "no /api/v1 route found in the url_map"
    assert routed - documented == set(), "routes missing from openapi.json"
    assert documented - routed == set(), "openapi.json documents routes that do not exist"


def test_openapi_documents_every_path_parameter(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path, item in document["paths"].items():
        in_path = set(re.findall(r"{([^}]+)}", path))
        for method, operation in item.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == in_path, (path, method)


# --- areas --------------------------------------------------------------------------------


def test_areas_lists_areas_with_themes_and_published_idea_counts(client, make_area, make_idea):
    saensuk = make_area(slug="saensuk", themes=(("beach", "ขยะชายหาด", "Beach litter"),
                                                ("sea", "ทะเล", "Sea")))
    make_area(slug="huawiang", is_open=False)
    make_idea(area=saensuk)
    hidden = make_idea(area=saensuk)
    hidden.visibility = Visibility.hidden
    db.session.commit()

    response = client.get("/api/v1/areas")

    assert response.status_code == 200
    items = {item["slug"]: item for item in response.get_json()["items"]}
    assert set(items) == {"saensuk", "huawiang"}
    assert items["saensuk"]["idea_count"] == 1  # the hidden idea is not counted
    assert items["saensuk"]["is_open"] is True
    assert items["huawiang"]["is_open"] is False
    assert items["huawiang"]["idea_count"] == 0
    assert [t["slug"] for t in items["saensuk"]["themes"]] == ["beach", "sea"]
    assert items["saensuk"]["name_th"] == "พื้นที่ saensuk"
    assert items["saensuk"]["url"].endswith("/areas/saensuk")


def test_areas_runs_a_fixed_number_of_queries(client, make_area):
    for _ in range(2):
        make_area()
    with count_queries() as few:
        assert client.get("/api/v1/areas").status_code == 200
    for _ in range(6):
        make_area()
    with count_queries() as many:
        assert len(client.get("/api/v1/areas").get_json()["items"]) == 8
    assert len(many) == len(few)


# --- an area's ideas ----------------------------------------------------------------------


def test_area_ideas_lists_published_ideas_with_paging(client, make_area, make_idea):
    area = make_area(slug="saensuk")
    ideas = [make_idea(area=area, title=f"ไอเดียทดสอบหมายเลข {n}") for n in range(5)]
    ideas[0].visibility = Visibility.pending
    db.session.commit()
    make_idea(title="ไอเดียของพื้นที่อื่นที่ไม่ควรเห็น")

    response = client.get("/api/v1/areas/saensuk/ideas?per_page=3&sort=new")

    assert response.status_code == 200
    page = response.get_json()
    assert (page["page"], page["per_page"], page["total"], page["pages"]) == (1, 3, 4, 2)
    assert [item["id"] for item in page["items"]] == [ideas[4].id, ideas[3].id, ideas[2].id]
    second = client.get("/api/v1/areas/saensuk/ideas?per_page=3&page=2&sort=new").get_json()
    assert [item["id"] for item in second["items"]] == [ideas[1].id]
    beyond = client.get("/api/v1/areas/saensuk/ideas?page=9").get_json()
    assert beyond["items"] == [] and beyond["total"] == 4


def test_area_ideas_sort_top_puts_most_supported_first(client, make_area, make_idea, make_user):
    area = make_area(slug="saensuk")
    quiet, popular = make_idea(area=area), make_idea(area=area)
    for _ in range(2):
        vote(popular, make_user())
    db.session.commit()

    for sort in ("top", "trending"):
        items = client.get(f"/api/v1/areas/saensuk/ideas?sort={sort}").get_json()["items"]
        assert [item["id"] for item in items] == [popular.id, quiet.id], sort
        assert items[0]["vote_count"] == 2


def test_area_ideas_filters_by_theme(client, make_area, make_idea):
    area = make_area(slug="banrua", themes=(("silk", "ผ้าไหม", "Silk"), ("food", "อาหาร", "Food")))
    silk = make_idea(area=area, theme=area.themes[0])
    make_idea(area=area, theme=area.themes[1])

    items = client.get("/api/v1/areas/banrua/ideas?theme=silk").get_json()["items"]

    assert [(item["id"], item["theme"]) for item in items] == [(silk.id, "silk")]


def test_area_ideas_search_matches_a_thai_word(client, make_area, make_idea):
    area = make_area(slug="saensuk")
    litter = make_idea(area=area)  # "เพิ่มถังขยะริมชายหาดบางแสน"
    trees = make_idea(area=area, title="ปลูกต้นไม้ให้ร่มเงาริมถนน",
                      body="ถนนเลียบทะเลร้อนมาก อยากให้ปลูกต้นไม้ใหญ่ทุกสิบเมตรเพื่อให้คนเดินได้สบาย")

    def found(q: str) -> list[int]:
        response = client.get("/api/v1/areas/saensuk/ideas", query_string={"q": q})
        assert response.status_code == 200
        return [item["id"] for item in response.get_json()["items"]]

    assert found("ต้นไม้") == [trees.id]
    assert found("ถังขยะ") == [litter.id]
    assert found("ร้านกาแฟ") == []


@pytest.mark.parametrize("q", ['"', "*", "ขยะ OR", "NEAR(", "a" * 1000, "ขยะ" * 300, "'; DROP TABLE ideas; --"])
def test_area_ideas_search_survives_odd_queries(client, make_area, make_idea, q):
    make_idea(area=make_area(slug="saensuk"))

    response = client.get("/api/v1/areas/saensuk/ideas", query_string={"q": q})

    assert response.status_code == 200
    assert isinstance(response.get_json()["items"], list)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea)) == 1


def test_area_ideas_accepts_the_largest_page_size(client, make_area, make_idea):
    make_idea(area=make_area(slug="saensuk"))

    page = client.get("/api/v1/areas/saensuk/ideas?per_page=100").get_json()

    assert page["per_page"] == 100 and page["total"] == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("per_page=abc", "per_page"),
        ("per_page=-5", "per_page"),
        ("per_page=2.5", "per_page"),
        ("per_page=" + "9" * 5000, "per_page"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("sort=oldest", "sort"),
        ("theme=no-such-theme", "theme"),
    ],
)
def test_area_ideas_rejects_bad_parameters_with_fields(client, make_area, query, field):
    make_area(slug="saensuk")

    response = client.get(f"/api/v1/areas/saensuk/ideas?{query}")

    assert_api_error(response, 400, fields=(field,))


def test_area_ideas_reports_every_bad_parameter_at_once(client, make_area):
    make_area(slug="saensuk")

    error = assert_api_error(client.get("/api/v1/areas/saensuk/ideas?page=x&per_page=0&sort=up"), 400)

    assert set(error["fields"]) == {"page", "per_page", "sort"}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_unknown_area_is_404_json(client, make_user, method):
    response = client.api(method, "/api/v1/areas/atlantis/ideas", json={"title": "x"}, token=token_for(make_user()))

    assert_api_error(response, 404, code="not_found")


# --- one idea -----------------------------------------------------------------------------


def test_idea_returns_counts_status_and_group(client, make_idea, make_user):
    idea = make_idea()
    vote(idea, make_user())
    db.session.commit()

    response = client.get(f"/api/v1/ideas/{idea.id}")

    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == idea.id
    assert body["vote_count"] == 1
    assert body["comment_count"] == 0
    assert body["status"] == "received"
    assert "group_id" in body and body["group_id"] is None
    assert body["title"] == "เพิ่มถังขยะริมชายหาดบางแสน"
    assert body["area"] == idea.area.slug and body["theme"] == "beach"
    assert body["url"].endswith(f"/ideas/{idea.id}")


@pytest.mark.parametrize("visibility", [Visibility.pending, Visibility.hidden, Visibility.rejected])
def test_unpublished_idea_is_404_json(client, make_idea, visibility):
    idea = make_idea()
    idea.visibility = visibility
    db.session.commit()

    assert_api_error(client.get(f"/api/v1/ideas/{idea.id}"), 404, code="not_found")


@pytest.mark.parametrize("idea_id", ["999999", "0", "2147483648", "99999999999999999999999"])
def test_unknown_idea_is_404_json(client, idea_id):
    assert_api_error(client.get(f"/api/v1/ideas/{idea_id}"), 404, code="not_found")


# --- unknown paths, wrong methods ---------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/whatever", "/api/v1/", "/api/v1", "/api/v2/areas", "/api/whatever", "/api/v1/ideas/abc",
     "/api/v1/ideas/-1", "/api/v1/areas/saensuk", "/api/v1/areas/saensuk/ideas/extra"],
)
def test_unknown_api_path_is_404_json(client, path):
    assert_api_error(client.get(path), 404, code="not_found")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("POST", "/api/v1/areas", {"GET"}),
        ("DELETE", "/api/v1/areas/saensuk/ideas", {"GET", "POST"}),
        ("PUT", "/api/v1/openapi.json", {"GET"}),
        ("POST", "/api/v1/ideas/1", {"GET"}),
        ("GET", "/api/v1/ideas/1/vote", {"PUT", "DELETE"}),
        ("POST", "/api/v1/ideas/1/vote", {"PUT", "DELETE"}),
        ("PATCH", "/api/v1/ideas/1/vote", {"PUT", "DELETE"}),
    ],
)
def test_wrong_method_is_405_json_with_allow(client, method, path, allowed):
    response = client.api(method, path)

    assert_api_error(response, 405, code="method_not_allowed")
    assert allowed <= {m.strip() for m in response.headers["Allow"].split(",")}


# --- language -----------------------------------------------------------------------------


def test_error_messages_are_thai_by_default_and_english_on_request(client, make_area):
    make_area(slug="saensuk")
    thai = client.get("/api/v1/areas/saensuk/ideas?per_page=0").get_json()["error"]

    english = client.get("/api/v1/areas/saensuk/ideas?per_page=0&lang=en").get_json()["error"]

    assert thai["code"] == english["code"] and set(thai["fields"]) == set(english["fields"]) == {"per_page"}
    assert THAI.search(thai["message"]) and THAI.search(thai["fields"]["per_page"][0])
    assert not THAI.search(english["message"]) and not THAI.search(english["fields"]["per_page"][0])
    assert not THAI.search(client.get("/api/v1/areas/atlantis/ideas?lang=en").get_json()["error"]["message"])
