"""JSON API v1, writing: POST an idea (validation of every field, bad bodies, closed areas,
413) and idempotent PUT/DELETE of a vote."""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request

import pytest
import sqlalchemy as sa
from api_support import GOOD_BODY, GOOD_TITLE, assert_api_error, count, token_for

from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, Visibility, Vote


@pytest.fixture()
def saensuk(make_area):
    return make_area(slug="saensuk", themes=(("beach", "ขยะชายหาด", "Beach litter"),
                                             ("recycle", "รีไซเคิล", "Recycling")))


@pytest.fixture()
def token(make_user):
    return token_for(make_user())


def _post(client, token, payload, slug="saensuk", **kwargs):
    return client.api("POST", f"/api/v1/areas/{slug}/ideas", json=payload, token=token, **kwargs)


# --- creating an idea ---------------------------------------------------------------------


def test_create_idea_returns_201_and_stores_cleaned_text(client, saensuk, make_user):
    user = make_user()
    payload = {
        "title": "<b>ถังขยะ</b>แยกประเภทริมหาด <script>alert(1)</script>",
        "body": GOOD_BODY + " ดูที่ https://example.org <img src=x onerror=alert(1)> & <i>ด่วน</i>",
        "theme": "recycle",
        "place_name": "<u>หาดบางแสน</u>",
    }

    response = _post(client, token_for(user), payload)

    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/ideas/{body['id']}")
    idea = db.session.get(Idea, body["id"])
    assert idea.author_id == user.id and idea.area_id == saensuk.id and idea.theme.slug == "recycle"
    assert idea.title == "ถังขยะแยกประเภทริมหาด alert(1)"
    assert "<script" not in idea.title and "<b>" not in idea.title
    assert "<img" not in idea.body and "onerror" not in idea.body and "<i>" not in idea.body
    assert '<a href="https://example.org" rel="nofollow ugc">' in idea.body
    assert "&amp;" in idea.body
    assert idea.place_name == "หาดบางแสน"
    assert idea.visibility == Visibility.published and idea.vote_count == 0
    assert body["title"] == idea.title and body["body_html"] == idea.body
    assert body["theme"] == "recycle" and body["area"] == "saensuk"
    assert body["vote_count"] == 0 and body["comment_count"] == 0 and body["status"] == "received"
    assert client.get(f"/api/v1/ideas/{idea.id}").get_json() == body


def test_created_idea_is_listed_and_found_by_a_thai_word(client, saensuk, token, make_idea):
    make_idea(area=saensuk)  # about bins on the beach; no "ตะเกียบ" in it
    payload = {"title": "งดแจกช้อนส้อมตะเกียบพลาสติก", "body": "ร้านค้าริมหาดควรถามลูกค้าก่อนแจกช้อนส้อมและตะเกียบพลาสติกทุกครั้ง"}

    created = _post(client, token, payload).get_json()

    listed = client.get("/api/v1/areas/saensuk/ideas?sort=new").get_json()
    assert listed["items"][0]["id"] == created["id"] and listed["total"] == 2
    found = client.get("/api/v1/areas/saensuk/ideas", query_string={"q": "ตะเกียบ"}).get_json()
    assert [item["id"] for item in found["items"]] == [created["id"]]


def test_create_idea_without_theme_takes_the_first_open_theme(client, saensuk, token):
    saensuk.themes[0].is_open = False
    db.session.commit()

    response = _post(client, token, {"title": GOOD_TITLE, "body": GOOD_BODY})

    assert response.status_code == 201
    assert db.session.get(Idea, response.get_json()["id"]).theme.slug == "recycle"


def test_create_idea_accepts_the_length_limits(client, saensuk, token):
    for title, body in (("ก" * 10, "ข" * 30), ("ก" * 150, "ข" * 5000)):
        response = _post(client, token, {"title": title, "body": body})
        assert response.status_code == 201, response.get_data(as_text=True)
    assert count(Idea) == 2


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, ("title", "body")),
        ({"body": GOOD_BODY}, ("title",)),
        ({"title": GOOD_TITLE}, ("body",)),
        ({"title": "", "body": GOOD_BODY}, ("title",)),
        ({"title": "   \n\t ", "body": GOOD_BODY}, ("title",)),
        ({"title": GOOD_TITLE, "body": " " * 40}, ("body",)),
    ],
)
def test_create_idea_missing_field_is_422_with_fields(client, saensuk, token, payload, fields):
    error = assert_api_error(_post(client, token, payload), 422, code="validation_failed", fields=fields)

    assert set(error["fields"]) == set(fields)
    assert count(Idea) == 0


@pytest.mark.parametrize("field", ["title", "body", "theme", "place_name"])
@pytest.mark.parametrize("value", [42, 1.5, True, None, [], ["ขยะ"], {}, {"th": "ขยะ"}])
def test_create_idea_wrong_type_is_422_with_fields(client, saensuk, token, field, value):
    payload = {"title": GOOD_TITLE, "body": GOOD_BODY, field: value}

    error = assert_api_error(_post(client, token, payload), 422, fields=(field,))

    assert set(error["fields"]) == {field}
    assert count(Idea) == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "ก" * 9, "body": GOOD_BODY}, "title"),
        ({"title": "ก" * 151, "body": GOOD_BODY}, "title"),
        ({"title": GOOD_TITLE, "body": "ข" * 29}, "body"),
        ({"title": GOOD_TITLE, "body": "ข" * 5001}, "body"),
        ({"title": GOOD_TITLE, "body": GOOD_BODY, "place_name": "ค" * 201}, "place_name"),
        # Length counts the text as stored: markup and invisible characters are not words.
        ({"title": "<b></b><i></i><u></u>", "body": GOOD_BODY}, "title"),
        ({"title": "ถังขยะ" + "<br>" * 10, "body": GOOD_BODY}, "title"),
        ({"title": "\u200b" * 20, "body": GOOD_BODY}, "title"),
        ({"title": GOOD_TITLE, "body": "<p></p>" * 10}, "body"),
        ({"title": GOOD_TITLE, "body": "\u200b\u200c\u200d\ufeff" * 20}, "body"),
        ({"title": GOOD_TITLE, "body": "ขยะ" + "\x00\x01" * 30}, "body"),
    ],
)
def test_create_idea_wrong_length_is_422(client, saensuk, token, payload, field):
    assert_api_error(_post(client, token, payload), 422, code="validation_failed", fields=(field,))

    assert count(Idea) == 0


@pytest.mark.parametrize("theme", ["nope", "BEACH", "beach ", "food"])
def test_create_idea_unknown_theme_is_422(client, saensuk, make_area, token, theme):
    make_area(slug="banrua", themes=(("food", "อาหาร", "Food"),))  # "food" belongs to another area

    assert_api_error(_post(client, token, {"title": GOOD_TITLE, "body": GOOD_BODY, "theme": theme}), 422,
                     fields=("theme",))
    assert count(Idea) == 0


def test_create_idea_in_a_closed_theme_is_422(client, saensuk, token):
    saensuk.themes[1].is_open = False
    db.session.commit()

    payload = {"title": GOOD_TITLE, "body": GOOD_BODY, "theme": "recycle"}
    assert_api_error(_post(client, token, payload), 422, fields=("theme",))
    assert count(Idea) == 0


def test_create_idea_in_a_closed_area_is_403(client, make_area, token):
    make_area(slug="closed", is_open=False)

    assert_api_error(_post(client, token, {"title": GOOD_TITLE, "body": GOOD_BODY}, slug="closed"), 403,
                     code="area_closed")
    assert count(Idea) == 0


def test_create_idea_when_every_theme_is_closed_is_403(client, saensuk, token):
    for theme in saensuk.themes:
        theme.is_open = False
    db.session.commit()

    assert_api_error(_post(client, token, {"title": GOOD_TITLE, "body": GOOD_BODY}), 403, code="area_closed")
    assert count(Idea) == 0


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("title=ถังขยะริมหาด&body=ยาวพอสมควรแล้วสำหรับรายละเอียด", "application/x-www-form-urlencoded"),
        (json.dumps({"title": GOOD_TITLE, "body": GOOD_BODY}), "text/plain"),
        ("", "application/json"),
        ("{not json", "application/json"),
        ('{"title": "ถังขยะ",}', "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
        ("[]", "application/json"),
        (json.dumps([{"title": GOOD_TITLE, "body": GOOD_BODY}]), "application/json"),
        ('"just a string"', "application/json"),
        ("42", "application/json"),
        ("null", "application/json"),
        ("[" * 100_000 + "]" * 100_000, "application/json"),
        ('{"a":' * 50_000 + "1" + "}" * 50_000, "application/json"),
    ],
)
def test_create_idea_with_a_body_that_is_not_a_json_object_is_400(client, saensuk, token, data, content_type):
    response = _post(client, token, None, data=data, content_type=content_type)

    assert_api_error(response, 400, code="invalid_json")
    assert count(Idea) == 0


def test_create_idea_with_a_body_over_1_mb_is_413_json(client, saensuk, token):
    payload = json.dumps({"title": GOOD_TITLE, "body": "ข" * (1024 * 1024)})

    response = _post(client, token, None, data=payload, content_type="application/json")

    assert_api_error(response, 413, code="payload_too_large")
    assert count(Idea) == 0


def test_a_body_over_1_mb_is_413_json_on_a_call_that_reads_no_body(client, token, make_idea):
    idea = make_idea()

    response = client.api("PUT", f"/api/v1/ideas/{idea.id}/vote", token=token,
                          data=b"x" * (1024 * 1024 + 1), content_type="application/json")

    assert_api_error(response, 413, code="payload_too_large")
    assert count(Vote) == 0


# --- votes --------------------------------------------------------------------------------


def test_put_vote_twice_keeps_one_vote(client, make_idea, make_user):
    idea = make_idea()
    user = make_user()
    secret = token_for(user)

    first = client.api("PUT", f"/api/v1/ideas/{idea.id}/vote", token=secret)
    second = client.api("PUT", f"/api/v1/ideas/{idea.id}/vote", token=secret)

    assert first.status_code == second.status_code == 200
    assert first.get_json() == {"idea_id": idea.id, "voted": True, "changed": True, "vote_count": 1}
    assert second.get_json() == {"idea_id": idea.id, "voted": True, "changed": False, "vote_count": 1}
    assert count(Vote, Vote.idea_id == idea.id, Vote.user_id == user.id) == 1
    assert db.session.get(Idea, idea.id).vote_count == 1
    assert client.get(f"/api/v1/ideas/{idea.id}").get_json()["vote_count"] == 1


def test_delete_vote_twice_leaves_none(client, make_idea, make_user):
    idea = make_idea()
    secret = token_for(make_user())
    client.api("PUT", f"/api/v1/ideas/{idea.id}/vote", token=secret)

    first = client.api("DELETE", f"/api/v1/ideas/{idea.id}/vote", token=secret)
    second = client.api("DELETE", f"/api/v1/ideas/{idea.id}/vote", token=secret)

    assert first.get_json() == {"idea_id": idea.id, "voted": False, "changed": True, "vote_count": 0}
    assert second.get_json() == {"idea_id": idea.id, "voted": False, "changed": False, "vote_count": 0}
    assert count(Vote, Vote.idea_id == idea.id) == 0
    assert db.session.get(Idea, idea.id).vote_count == 0


def test_delete_vote_never_voted_keeps_the_count(client, make_idea, make_user):
    idea = make_idea()
    client.api("PUT", f"/api/v1/ideas/{idea.id}/vote", token=token_for(make_user()))

    response = client.api("DELETE", f"/api/v1/ideas/{idea.id}/vote", token=token_for(make_user()))

    assert response.status_code == 200 and response.get_json()["changed"] is False
    assert response.get_json()["vote_count"] == 1 == count(Vote, Vote.idea_id == idea.id)


def test_vote_count_equals_vote_rows_after_mixed_calls(client, make_idea, make_user):
    idea, other = make_idea(), make_idea()
    secrets = [token_for(make_user()) for _ in range(4)]
    calls = [("PUT", 0), ("PUT", 1), ("PUT", 1), ("PUT", 2), ("DELETE", 0), ("PUT", 3), ("DELETE", 3),
             ("DELETE", 3), ("PUT", 0)]
    for method, who in calls:
        assert client.api(method, f"/api/v1/ideas/{idea.id}/vote", token=secrets[who]).status_code == 200
    client.api("PUT", f"/api/v1/ideas/{other.id}/vote", token=secrets[0])

    rows = count(Vote, Vote.idea_id == idea.id)
    assert rows == 3
    assert db.session.get(Idea, idea.id).vote_count == rows
    assert client.get(f"/api/v1/ideas/{idea.id}").get_json()["vote_count"] == rows
    assert db.session.get(Idea, other.id).vote_count == 1 == count(Vote, Vote.idea_id == other.id)


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_vote_on_an_unknown_or_unpublished_idea_is_404(client, make_idea, token, method):
    hidden = make_idea()
    hidden.visibility = Visibility.hidden
    db.session.commit()

    for idea_id in (hidden.id, 999_999, 2**31, 10**30):
        assert_api_error(client.api(method, f"/api/v1/ideas/{idea_id}/vote", token=token), 404, code="not_found")
    assert count(Vote) == 0 and db.session.get(Idea, hidden.id).vote_count == 0


def test_vote_in_a_closed_area_still_counts(client, make_area, make_idea, token):
    """A closed area takes no new ideas, but residents can still support the existing ones."""
    area = make_area()
    idea = make_idea(area=area)
    area.is_open = False
    db.session.commit()

    response = client.api("PUT", f"/api/v1/ideas/{idea.id}/vote", token=token)

    assert response.status_code == 200
    assert count(Vote, Vote.idea_id == idea.id) == 1


@pytest.mark.live
def test_concurrent_votes_by_one_person_count_once(live_server, make_idea, make_user):
    idea = make_idea()
    user = make_user()
    secret = token_for(user)
    url = f"{live_server}/api/v1/ideas/{idea.id}/vote"
    statuses: list[int] = []
    lock = threading.Lock()

    def put() -> None:
        request = urllib.request.Request(url, method="PUT", headers={"Authorization": f"Bearer {secret}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=put) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [200] * 8
    assert count(Vote, Vote.idea_id == idea.id, Vote.user_id == user.id) == 1
    assert db.session.scalar(sa.select(Idea.vote_count).where(Idea.id == idea.id)) == 1


def test_posting_an_idea_reads_each_setting_once_and_writes_the_idea_once(client, saensuk, token):
    """Posting is among the most frequent writes (issue 18 point 7): the idea goes in with one INSERT
    (its placement flag too), the theme's rounds come from the schedule the route read, and the
    receipt's e-mail and LINE message share one reading of the deadline, from the area as loaded."""
    from tests.db_support import count_queries

    with count_queries() as statements:
        response = _post(client, token, {"title": GOOD_TITLE, "body": GOOD_BODY})
    assert response.status_code == 201, response.get_data(as_text=True)
    flat = [" ".join(s.split()) for s in statements]
    inserted = [s for s in flat if s.startswith("INSERT INTO ideas ")]
    assert len(inserted) == 1 and "awaiting_placement" in inserted[0]
    flag_set_later = [s for s in flat if s.startswith("UPDATE ideas SET awaiting_placement")
                      and "awaiting_placement IS" not in s]  # the worker's claim clears it: that one may run
    assert not flag_set_later, flag_set_later
    assert len([s for s in flat if "FROM rounds" in s and "round_themes" in s]) <= 1, flat  # not again per theme
    # The area comes with its themes and settings in one statement; the deadline reads the loaded settings.
    assert len([s for s in flat if "FROM areas" in s and "WHERE areas.slug" in s]) == 1, flat
    assert not [s for s in flat if "FROM themes" in s or "FROM area_settings" in s], flat
    assert len([s for s in flat if "FROM holidays" in s]) == 1, flat
    # The same text twice is refused by the unique (author, fingerprint) constraint, with no read first.
    assert not [s for s in flat if "ideas.fingerprint =" in s], flat
    again = _post(client, token, {"title": GOOD_TITLE, "body": GOOD_BODY})
    assert again.status_code == 409, again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea)) == 1
