"""Places and the map: an idea's point (map, device or typed), checked against Thailand or the
area's bounding box with Thai messages, stored exact, shown rounded (~100 m, an area setting);
the map's GeoJSON filtered like the list; the tile server and the CSP; "someone reported this
here already" as a second signal of the similar-ideas box."""
from __future__ import annotations

import math

import pytest
import sqlalchemy as sa
from api_support import token_for
from triage_support import world  # noqa: F401  (fixture)

from idea4gov.areas.settings import save_settings
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea
from idea4gov.places.geo import BBox, GeoError, Point, parse_bbox, parse_point, round_point
from idea4gov.places.models import IdeaLocation, PlaceSource

BODY = "ขยะบนชายหาดเยอะมาก อยากให้เทศบาลเพิ่มถังขยะแยกประเภทริมหาดทุก 100 เมตร"


@pytest.mark.parametrize("lat, lng, code", [
    ("NaN", "100.5", "coordinate_invalid"), ("1e309", "100.5", "coordinate_invalid"), ("13,75", "100.5", "coordinate_invalid"),
    ("inf", "100", "coordinate_invalid"), ("13.7", "", "longitude_missing"), ("", "100.5", "latitude_missing"),
    ("95", "100", "latitude_range"), ("13", "181", "longitude_range"), ("๑๓.๗๕" + "0" * 30, "100", "coordinate_invalid"),
    (True, 100, "coordinate_invalid"), (float("nan"), 100, "coordinate_invalid"), ([], 1, "coordinate_invalid")])
def test_odd_coordinates_are_refused_with_a_code(lat, lng, code):
    with pytest.raises(GeoError) as refused:
        parse_point(lat, lng)
    assert refused.value.code == code


def test_coordinates_people_type_are_read():
    assert parse_point("๑๓.๗๕", " 100.50 ") == Point(13.75, 100.5)
    assert parse_point("13.7563, 100.5018", "") == Point(13.7563, 100.5018)  # pasted from a maps app
    assert parse_point(13.7, 100) == Point(13.7, 100.0)
    assert parse_point("", None) is None
    assert parse_bbox("13.25, 100.90, 13.33, 100.96") == BBox(13.25, 100.9, 13.33, 100.96)
    for bad in ("13.3, 100.9, 13.2, 100.96", "1, 2, 3", "51, -1, 52, 0"):
        with pytest.raises(GeoError):
            parse_bbox(bad)


def test_rounding_keeps_points_within_about_the_precision():
    exact = Point(13.284317, 100.915123)
    shown = round_point(exact, 100)
    assert shown != exact
    assert abs(shown.lat - exact.lat) * 111_320 <= 56 and abs(shown.lng - exact.lng) * 111_320 <= 56
    assert round_point(exact, 1000) == round_point(Point(13.2846, 100.9148), 1000)


def _post(client, slug="saensuk", confirm=True, **values):
    data = {"title": "ถังขยะล้นที่หน้าตลาดหนองมน", "body": BODY, "theme": "beach", **values}
    if confirm:  # "my idea is different": past the did-you-mean step
        data["confirm_new"] = "1"
    return client.post(f"/areas/{slug}/ideas/new", data)


def test_an_idea_carries_a_point_shown_rounded_to_everyone_but_the_areas_officers(client, world, make_user):  # noqa: F811
    client.login(make_user())
    form = client.get("/areas/saensuk/ideas/new").get_data(as_text=True)
    assert 'id="lat"' in form and 'id="lng"' in form and "data-map-picker" in form and " hidden " in form
    response = _post(client, lat="13.284317", lng="100.915123", point_source="map", place_name="หน้าตลาด")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    idea = db.session.scalars(sa.select(Idea).order_by(Idea.id.desc())).first()
    row = db.session.get(IdeaLocation, idea.id)
    assert (row.lat, row.lng, row.source) == (13.284317, 100.915123, PlaceSource.map)
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "13.28432" not in page and "ปัดเศษประมาณ 100 เมตร" in page
    shown = round_point(Point(13.284317, 100.915123), 100)
    api = client.get(f"/api/v1/ideas/{idea.id}").get_json()["location"]
    assert api == {"lat": shown.lat, "lng": shown.lng, "precision_m": 100}
    client.logout()
    client.login(world["officer"])
    assert "13.28432" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "13.284317" in client.get(f"/triage/ideas/{idea.id}").get_data(as_text=True)
    # A coarser setting rounds further, everywhere.
    save_settings(world["area"], world["admin"], location_precision_m=1000)
    db.session.commit()
    coarse = round_point(Point(13.284317, 100.915123), 1000)
    assert client.get(f"/api/v1/ideas/{idea.id}").get_json()["location"]["lat"] == coarse.lat


def test_points_outside_thailand_or_the_area_box_come_back_with_the_text_kept(client, world, make_user):  # noqa: F811
    client.login(make_user())
    swapped = _post(client, lat="100.9151", lng="13.2843")
    assert swapped.status_code == 400
    html = swapped.get_data(as_text=True)
    assert "ละติจูดต้องอยู่ระหว่าง -90 ถึง 90" in html and BODY in html
    london = _post(client, lat="51.5", lng="-0.12")
    assert london.status_code == 400 and "ตำแหน่งนี้อยู่นอกประเทศไทย" in london.get_data(as_text=True)
    junk = _post(client, lat="1e309", lng="NaN")
    assert junk.status_code == 400 and "พิกัดต้องเป็นตัวเลขทศนิยม" in junk.get_data(as_text=True)
    save_settings(world["area"], world["admin"], bounding_box=BBox(13.22, 100.88, 13.33, 100.98))
    db.session.commit()
    bangkok = _post(client, lat="13.75", lng="100.50")
    assert bangkok.status_code == 400 and "นอกขอบเขตของพื้นที่" in bangkok.get_data(as_text=True)
    assert _post(client, lat="13.28", lng="100.92").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IdeaLocation)) == 1
    english = _post(client, lat="51.5", lng="-0.12", title="อีกไอเดียหนึ่งที่ตลาดหนองมน")
    assert english.status_code == 400


def test_the_api_takes_a_point_and_refuses_a_bad_one(client, world, make_user):  # noqa: F811
    token = token_for(make_user())
    bad = client.api("POST", "/api/v1/areas/saensuk/ideas", {"title": "ถังขยะล้นหน้าตลาดหนองมน", "body": BODY,
                                                               "lat": "NaN", "lng": 100.5}, token=token)
    assert bad.status_code == 422 and "lat" in bad.get_json()["error"]["fields"]
    ok = client.api("POST", "/api/v1/areas/saensuk/ideas", {"title": "ถังขยะล้นหน้าตลาดหนองมน", "body": BODY,
                                                              "lat": 13.2773, "lng": 100.9373}, token=token)
    assert ok.status_code == 201 and ok.get_json()["location"]["precision_m"] == 100


def test_admin_sets_the_bounding_box_and_precision_with_clear_messages(client, world):  # noqa: F811
    client.login(world["admin"])
    base = {"name_th": "เทศบาลแสนสุข", "name_en": "Saensuk", "is_open": "y", "moderation_mode": "post",
            "auto_hide_reports": "3", "days_to_first_answer": "14", "iap2_level": ""}
    bad = client.post("/admin/areas/saensuk", {**base, "bounding_box": "13.3, 100.9, 13.2"})
    assert bad.status_code == 400 and "ขอบเขตต้องเป็นตัวเลข 4 ค่า" in bad.get_data(as_text=True)
    ok = client.post("/admin/areas/saensuk", {**base, "bounding_box": "13.22, 100.88, 13.33, 100.98",
                                              "location_precision_m": "250", "dispute_share_percent": "60",
                                              "dispute_min_responses": "5"})
    assert ok.status_code == 302, ok.get_data(as_text=True)[:2000]
    settings = db.session.get(type(world["area"].settings), world["area"].id)
    db.session.refresh(settings)
    assert settings.bounding_box == BBox(13.22, 100.88, 13.33, 100.98)
    assert (settings.location_precision_m, settings.dispute_share_percent, settings.dispute_min_responses) == (250, 60, 5)


def _place(idea, lat, lng):
    db.session.add(IdeaLocation(idea_id=idea.id, lat=lat, lng=lng))
    db.session.commit()


def test_the_map_lists_the_filtered_ideas_and_the_projects_as_geojson(client, world):  # noqa: F811
    beach1, beach2, light = world["ideas"]
    _place(beach1, 13.2843, 100.9151)
    _place(light, 13.2773, 100.9373)
    from project_support import make_project

    make_project(world["area"], world["officer"], point=Point(13.28, 100.92))
    everything = client.get("/api/v1/areas/saensuk/map").get_json()
    kinds = sorted((f["properties"]["kind"], f["properties"]["id"]) for f in everything["features"])
    assert kinds == sorted([("idea", beach1.id), ("idea", light.id), ("project", 1)])
    shown = round_point(Point(13.2843, 100.9151), 100)
    first = next(f for f in everything["features"] if f["properties"]["id"] == beach1.id)
    assert first["geometry"]["coordinates"] == [shown.lng, shown.lat]
    lights = client.get("/api/v1/areas/saensuk/map?theme=light").get_json()
    assert [f["properties"]["id"] for f in lights["features"]] == [light.id]
    assert client.get("/api/v1/areas/saensuk/map?status=nope").status_code == 400
    page = client.get("/areas/saensuk?theme=light").get_data(as_text=True)
    assert 'data-features-url="/api/v1/areas/saensuk/map?theme=light"' in page and " hidden data-map" in page
    assert "leaflet-1.9.4/leaflet.js" in page and "https://" not in page.split("<body")[0].replace(
        'href="https://', "")  # nothing from a CDN
    assert beach2.title in client.get("/areas/saensuk").get_data(as_text=True)  # the list stays the fallback


def test_tile_server_is_a_setting_and_the_csp_allows_only_its_host(app):
    from config import TestingConfig
    from idea4gov import create_app

    class Tiles(TestingConfig):
        MAP_TILE_URL = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]

    other = create_app(Tiles)
    response = other.test_client().get("/privacy")
    policy = response.headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://*.tiles.example.org;" in policy
    assert "tiles.example.org" not in policy.replace("img-src 'self' data: https://*.tiles.example.org", "")
    assert "unsafe-inline" not in policy and "script-src 'self';" in policy
    assert "geolocation=(self)" in response.headers["Permissions-Policy"]
    with pytest.raises(ValueError):
        from idea4gov.security import content_security_policy

        content_security_policy("javascript:alert(1)")


def test_someone_reported_this_here_already(client, world, make_user):  # noqa: F811
    beach1, beach2, light = world["ideas"]
    _place(beach1, 13.2843, 100.9151)
    _place(light, 13.2846, 100.9153)  # ~40 m away, another topic
    _place(beach2, 13.3000, 100.9500)  # ~4 km away
    near = client.get("/api/v1/areas/saensuk/similar?text=ถังขยะชายหาดล้น&lat=13.2842&lng=100.9150").get_json()
    nearby = [item["id"] for item in near["nearby"]]
    assert nearby == [beach1.id, light.id]  # same place; the one with similar words first
    assert all(item["distance_m"] % 10 == 0 for item in near["nearby"])
    assert beach2.id in [item["id"] for item in near["items"]]  # text similarity is unchanged
    only_point = client.get("/api/v1/areas/saensuk/similar?lat=13.2842&lng=100.9150").get_json()
    assert {item["id"] for item in only_point["nearby"]} == {beach1.id, light.id} and only_point["items"] == []
    for bad in ("lat=NaN&lng=1", "lat=13&lng=", "lat=1e309&lng=100", "lat=51&lng=0"):
        response = client.get(f"/api/v1/areas/saensuk/similar?text=ขยะ&{bad}")
        assert response.status_code in (400, 422), bad
        assert response.get_json()["error"]["message"]
    # Without JavaScript: the "did you mean" step lists the idea at the same place with words in common.
    client.login(make_user())
    step = _post(client, confirm=False, title="ถังขยะเต็มริมหาดตรงนี้", body="ถังขยะริมชายหาดล้นทุกวันหยุด ขอให้เพิ่มถังขยะอีกหลายใบ",
                 lat="13.2842", lng="100.9150")
    html = step.get_data(as_text=True)
    assert step.status_code == 200 and 'id="did-you-mean"' in html and beach1.title in html
    assert 'name="lat" type="text" value="13.2842"' in html or 'value="13.2842"' in html


def test_distance_is_measured_between_public_points():
    from idea4gov.places.geo import distance_m

    assert math.isclose(distance_m(Point(13.0, 100.0), Point(13.001, 100.0)), 111.2, abs_tol=0.5)
