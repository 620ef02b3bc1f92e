"""Satisfaction: after an official answer the author and supporters rate it 1–5 with an optional
comment, once each and changeable for 30 days; averages with counts per agency and per area feed
the stats page and the programme; single ratings only for the area's officers, no names in exports."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from project_support import supporters
from triage_support import world  # noqa: F401  (fixture)

from idea4gov.extensions import db
from idea4gov.ideas.models import IdeaStatus
from idea4gov.satisfaction import services as satisfaction
from idea4gov.satisfaction.models import Rating
from idea4gov.service_errors import ServiceError
from idea4gov.triage.services.statuses import set_status

ANSWER = "เทศบาลรับเรื่องแล้ว จะติดตั้งถังขยะเพิ่มภายในเดือนหน้า"


def _answered(idea, officer, agency=None):
    if agency is not None:
        idea.agency_id = agency.id
    set_status(idea, IdeaStatus.accepted, ANSWER, officer)
    db.session.commit()


def test_followers_rate_the_answer_once_and_may_change_it_for_30_days(client, world, make_user):  # noqa: F811
    idea = world["ideas"][0]
    fan = supporters(idea, make_user, 1)[0]
    client.login(fan)
    assert 'data-testid="rating"' not in client.get(f"/ideas/{idea.id}").get_data(as_text=True)  # no answer yet
    early = client.post(f"/ideas/{idea.id}/rating", {"score": "4"})
    assert early.status_code == 303 and db.session.scalar(sa.select(sa.func.count()).select_from(Rating)) == 0
    _answered(idea, world["officer"], world["cleaning"])
    assert 'data-testid="rating"' in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert client.post(f"/ideas/{idea.id}/rating", {"score": "2", "comment": "ตอบช้า"}).status_code == 302
    assert client.post(f"/ideas/{idea.id}/rating", {"score": "4", "comment": "ตอบชัดเจนดี"}).status_code == 302
    rating = db.session.scalars(sa.select(Rating)).one()  # one per person: the second changed the first
    assert (rating.score, rating.comment, rating.agency_id) == (4, "ตอบชัดเจนดี", world["cleaning"].id)
    for bad in ("0", "6", "x", "4.5", ""):
        response = client.post(f"/ideas/{idea.id}/rating", {"score": bad})
        assert response.status_code == 400, bad
    rating.created_at = rating.created_at - timedelta(days=31)
    db.session.commit()
    locked = client.post(f"/ideas/{idea.id}/rating", {"score": "1"})
    assert locked.status_code == 303
    db.session.expire_all()
    assert db.session.scalars(sa.select(Rating)).one().score == 4
    client.logout()
    client.login(make_user())  # neither author nor supporter
    assert client.post(f"/ideas/{idea.id}/rating", {"score": "5"}).status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Rating)) == 1


def test_the_service_refuses_out_of_range_scores(app, world):  # noqa: F811
    idea = world["ideas"][0]
    _answered(idea, world["officer"])
    author = idea.author
    for score in (0, 6, True, "5", 2.5):
        with pytest.raises(ServiceError):
            satisfaction.rate(idea, author, score)
    assert satisfaction.rate(idea, author, 5).score == 5


def test_averages_feed_the_stats_page_and_the_programme_without_names(client, world, make_user, make_staff):  # noqa: F811
    beach1, beach2, light = world["ideas"]
    _answered(beach1, world["officer"], world["cleaning"])
    _answered(beach2, world["officer"], world["cleaning"])
    _answered(light, world["officer"], world["works"])
    for idea, scores in ((beach1, (5, 4)), (beach2, (3,)), (light, (1,))):
        for person, score in zip(supporters(idea, make_user, len(scores)), scores, strict=True):
            satisfaction.rate(idea, person, score, "ชื่อคนไม่ควรอยู่ในไฟล์")
    db.session.commit()
    overall, per_agency = satisfaction.area_summary(world["area"])
    assert (overall.mean, overall.count) == (3.25, 4)
    assert {agency.name_th: (avg.mean, avg.count) for agency, avg in per_agency if agency} == {
        "กองสาธารณสุขและสิ่งแวดล้อม": (4.0, 3), "กองช่าง": (1.0, 1)}
    client.login(world["officer"])
    stats = client.get("/triage/saensuk/stats").get_data(as_text=True)
    assert 'id="chart-satisfaction"' in stats
    table = client.get("/triage/saensuk/stats/satisfaction.csv").data.decode("utf-8-sig")
    assert "กองสาธารณสุขและสิ่งแวดล้อม,4.0,3" in table and "ทั้งพื้นที่,3.25,4" in table
    ratings = client.get("/triage/saensuk/ratings.csv")
    rows = list(csv.reader(io.StringIO(ratings.data.decode("utf-8-sig"))))
    assert len(rows) == 5 and not any("@" in cell or "ชาวบ้าน" in cell for row in rows for cell in row)
    officer_page = client.get(f"/triage/ideas/{beach1.id}").get_data(as_text=True)
    assert officer_page.count('data-testid="officer-rating"') == 2
    client.logout()
    # The programme page: per area and agency, with counts.
    client.login(make_staff("admin"))
    programme = client.get("/programme").get_data(as_text=True)
    assert "3.25" in programme and "(4 คน)" in programme
    export = client.get("/programme/export.csv").data.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(export)))
    assert "ความพึงพอใจ (satisfaction)" in header and "จำนวนผู้ให้คะแนน (ratings)" in header
    assert "ชื่อคนไม่ควรอยู่ในไฟล์" not in export
    client.logout()
    # Residents see the area's average on its results page, never a single rating.
    public = client.get("/areas/saensuk/results").get_data(as_text=True)
    assert 'data-testid="figure-satisfaction"' in public and "3.25" in public
    assert "ชื่อคนไม่ควรอยู่ในไฟล์" not in client.get(f"/ideas/{beach1.id}").get_data(as_text=True)


def test_only_the_areas_officers_read_single_ratings(client, world, make_user):  # noqa: F811
    idea = world["ideas"][0]
    _answered(idea, world["officer"])
    satisfaction.rate(idea, idea.author, 2, "ไม่พอใจ")
    db.session.commit()
    client.login(world["stranger"])
    assert client.get(f"/triage/ideas/{idea.id}").status_code == 403
    assert client.get("/triage/saensuk/ratings.csv").status_code == 403


def test_own_data_download_has_my_points_ratings_and_confirmations(client, world):  # noqa: F811
    from idea4gov.places.models import IdeaLocation
    from idea4gov.verification import services as verification

    idea = world["ideas"][0]
    db.session.add(IdeaLocation(idea_id=idea.id, lat=13.2843, lng=100.9151))
    _answered(idea, world["officer"])
    satisfaction.rate(idea, idea.author, 4, "ดี")
    set_status(idea, IdeaStatus.implemented, "ติดตั้งครบแล้วทุกจุดครับ", world["officer"])
    verification.respond(verification.latest(idea=idea), idea.author, True, "เห็นแล้ว")
    db.session.commit()
    client.login(idea.author)
    data = client.get("/account/data.json").get_json()
    assert data["idea_points"] == [{"idea_id": idea.id, "lat": 13.2843, "lng": 100.9151}]
    assert [(r["idea_id"], r["score"]) for r in data["ratings"]] == [(idea.id, 4)]
    assert [(c["idea_id"], c["done"], c["note"]) for c in data["confirmations"]] == [(idea.id, True, "เห็นแล้ว")]
