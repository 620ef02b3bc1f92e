"""New ideas without rebuilds in the request: indexes warmed at start-up, new ideas appended,
rebuilds done by the background worker and shared as snapshots through Redis."""
from __future__ import annotations

import threading

import pytest

from idea4gov import jobs
from idea4gov.extensions import db
from idea4gov.grouping import SimilarityIndex
from idea4gov.ideas import similar
from tests.api_support import token_for
from tests.redis_support import redis_server, redis_url  # noqa: F401  (fixtures)
from tests.test_similar import BEACH_BODY, BEACH_TITLE, OTHER

NEW = {"title": "ขอเพิ่มจุดทิ้งขยะรีไซเคิลริมหาดวอนนภา", "body": "ขวดพลาสติกกับกระป๋องริมหาดวอนนภาเยอะมาก อยากให้มีจุดรับขยะรีไซเคิลทุกวันหยุด"}


@pytest.fixture()
def area(make_area, make_user, make_idea):
    area = make_area(slug="saensuk")
    author = make_user()
    make_idea(area=area, author=author, title=BEACH_TITLE, body=BEACH_BODY)
    for title, body in OTHER:
        make_idea(area=area, author=author, title=title, body=body)
    return area


@pytest.fixture()
def builds(monkeypatch):
    """Every SimilarityIndex build, with whether it happened inside a request."""
    from flask import has_request_context

    seen = []
    original = SimilarityIndex.from_tokens.__func__

    def counting(cls, token_lists, *args, **kwargs):
        seen.append(has_request_context())
        return original(cls, token_lists, *args, **kwargs)

    monkeypatch.setattr(SimilarityIndex, "from_tokens", classmethod(counting))
    return seen


def _similar_ids(client, text: str) -> list[int]:
    response = client.get("/api/v1/areas/saensuk/similar", query_string={"text": text})
    assert response.status_code == 200
    return [item["id"] for item in response.get_json()["items"]]


def test_posting_never_rebuilds_in_the_request_the_rebuild_runs_after_it(app, client, area, make_user, builds):
    """Without Redis (`make run`) the rebuild of a small area runs in the process after the response."""
    _similar_ids(client, BEACH_TITLE)  # the index exists (built once, outside this test's concern)
    builds.clear()
    app.config["BACKGROUND_AFTER_RESPONSE"] = True
    try:
        response = client.api("POST", "/api/v1/areas/saensuk/ideas", json=NEW, token=token_for(make_user()))
        assert response.status_code == 201
        assert builds == []  # neither appended nor rebuilt while the resident waited
        new_id = response.get_json()["id"]
        # Another request at once: it fetches what was published since its index (the new row) …
        found = client.get("/api/v1/areas/saensuk/similar", query_string={"text": NEW["title"]})
        assert new_id in [item["id"] for item in found.get_json()["items"]] and builds == []
        found.close()  # … and once its answer is sent, the rebuild the appended row asks for
        assert builds == [False]
        response.close()  # the posting request's own work after its answer: placed, the row there already
    finally:
        app.config["BACKGROUND_AFTER_RESPONSE"] = False
    assert builds == [False]
    assert new_id in _similar_ids(client, NEW["body"])


def test_with_redis_the_worker_rebuilds_and_every_process_loads_its_snapshot(app, client, area, make_user, builds,
                                                                              redis_url, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    monkeypatch.setattr(similar, "SNAPSHOT_CHECK_SECONDS", 0)
    _similar_ids(client, BEACH_TITLE)
    builds.clear()
    response = client.api("POST", "/api/v1/areas/saensuk/ideas", json=NEW, token=token_for(make_user()))
    assert response.status_code == 201 and builds == []
    queue = jobs.get_queue()
    waiting = [queue.fetch_job(job_id).func_name for job_id in queue.get_job_ids()]
    assert waiting.count("idea4gov.ideas.similar.rebuild_job") == 1  # the rebuild waits for the worker
    assert "idea4gov.groups.services.place_published_job" in waiting  # the new idea's group and issue, too
    similar.forget()  # another web worker: it has never seen this area's index …
    jobs.run_worker(app, burst=True)  # … the worker builds and publishes a snapshot
    assert builds and not any(builds)
    built = len(builds)
    entry = similar.area_index(area)  # loaded from the snapshot, not built
    assert len(builds) == built and entry.version >= 1 and response.get_json()["id"] in entry.idea_ids
    # A process that holds an older index takes the newer snapshot in the background.
    entry.version = 0
    similar.area_index(area)
    for thread in threading.enumerate():
        if thread.name.startswith("simindex-"):
            thread.join(timeout=10)
    assert similar._cache[similar._key(area.id)].version >= 1 and len(builds) == built


def test_warm_up_builds_every_area_before_the_first_request(app, area, make_area, builds):
    from idea4gov.moderation import filters

    make_area(slug="empty-area")
    similar.forget()
    filters._dictionary.cache_clear()
    similar.warm(app)
    # The words new ideas are screened for are loaded too (about a second in the first post otherwise).
    assert filters._dictionary.cache_info().currsize == 1
    assert len(builds) == 2  # both areas, at start-up
    assert {key[1] for key in similar._cache} == {area.id, area.id + 1}
    builds.clear()
    with app.test_request_context():
        assert [idea.title for idea, _score in similar.similar_ideas(area, BEACH_TITLE, 1)] == [BEACH_TITLE]
    assert builds == []


def test_an_approved_old_idea_joins_at_once_and_the_rebuild_waits_for_the_commit(app, area, make_idea, builds):
    from idea4gov.ideas.models import Idea, Visibility

    late = make_idea(area=area, title="ขอซ่อมท่าเรือประมงริมหาดที่ผุพัง", body="ท่าเรือประมงเล็กริมหาดผุพังหลายจุด ชาวประมงขึ้นลงเรือลำบากและอันตราย")
    late.visibility = Visibility.pending
    db.session.commit()
    make_idea(area=area, title="ขอให้เพิ่มไฟส่องสว่างบนสะพานปลา", body="สะพานปลาตอนเช้ามืดไม่มีไฟ ชาวประมงขนปลาลำบากและลื่นล้มบ่อย")  # a newer id
    similar.forget()
    similar.area_index(area)
    builds.clear()
    late = db.session.get(Idea, late.id)
    late.visibility = Visibility.published
    similar.published_late(late)
    assert similar.area_index(area).idea_ids.count(late.id) == 1 and builds == []
    db.session.commit()
    assert builds == [False]  # asked for after the commit (run at once here: no request, no Redis)
    assert late.id in similar.area_index(area).idea_ids
