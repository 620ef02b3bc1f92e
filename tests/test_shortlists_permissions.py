"""Every shortlist endpoint: anonymous -> log-in page, resident -> 403, organiser of another area -> 403,
judge of another shortlist -> 403; a judge cannot manage; nothing changes in the database."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from idea4gov.extensions import db
from idea4gov.shortlists import services
from idea4gov.shortlists.models import Criterion, Score, Shortlist, ShortlistItem, ShortlistJudge
from tests.shortlist_support import make_shortlist, world_fixture  # noqa: F401  (fixture)

#: (method, path with {s} shortlist, {i} item, {c} criterion, {j} judge row, form data)
ENDPOINTS = [
    ("GET", "/shortlists/{s}", None),
    ("GET", "/shortlists/{s}/edit", None),
    ("POST", "/shortlists/{s}/edit", {"name": "เปลี่ยนชื่อ"}),
    ("GET", "/shortlists/{s}/add", None),
    ("POST", "/shortlists/{s}/add", {}),
    ("POST", "/shortlists/{s}/items", {"idea_id": "{idea}"}),
    ("POST", "/shortlists/{s}/items/{i}/move", {"direction": "down"}),
    ("POST", "/shortlists/{s}/items/{i}/note", {"note": "แอบแก้"}),
    ("POST", "/shortlists/{s}/items/{i}/remove", {}),
    ("POST", "/shortlists/{s}/criteria", {"name": "แอบเพิ่ม", "weight": "1"}),
    ("POST", "/shortlists/{s}/criteria/{c}/remove", {}),
    ("POST", "/shortlists/{s}/judges", {"email": "intruder@example.org"}),
    ("POST", "/shortlists/{s}/judges/{j}/remove", {}),
    ("GET", "/shortlists/{s}/score", None),
    ("POST", "/shortlists/{s}/score", {"score-{i}-{c}": "5"}),
    ("GET", "/shortlists/{s}/print", None),
    ("GET", "/shortlists/{s}/export.csv", None),
    ("GET", "/shortlists/{s}/export.xlsx", None),
    ("GET", "/shortlists/{s}/export.json", None),
]
#: Pages that are not about one shortlist: shown to organisers and judges of any shortlist.
GENERAL = [("GET", "/shortlists/", None), ("GET", "/shortlists/new", None),
           ("POST", "/shortlists/new", {"name": "ใหม่", "areas": "1"})]
MANAGE_ONLY = {path for _m, path, _d in ENDPOINTS} - {
    "/shortlists/{s}", "/shortlists/{s}/score", "/shortlists/{s}/print",
    "/shortlists/{s}/export.csv", "/shortlists/{s}/export.xlsx", "/shortlists/{s}/export.json"}


@pytest.fixture()
def target(world, make_user):
    shortlist = make_shortlist(world, idea_count=2)
    criterion = services.add_criterion(shortlist, "ผลกระทบ", 1, world.organiser)
    judge_user = make_user(email="judge-here@example.org")
    judge = services.add_judge(shortlist, judge_user, world.organiser)
    services.save_scores(shortlist, judge_user, {(shortlist.items[0].id, criterion.id): 3})
    db.session.commit()
    ids = {"s": shortlist.id, "i": shortlist.items[0].id, "c": criterion.id, "j": judge.id,
           "idea": world.ideas[3].id}
    return ids, judge_user


def _fill(text: str, ids: dict) -> str:
    return text.format(**{k: v for k, v in ids.items()})


def _state() -> tuple:
    return (
        db.session.execute(sa.select(Shortlist.id, Shortlist.name)).all(),
        db.session.execute(sa.select(ShortlistItem.idea_id, ShortlistItem.position, ShortlistItem.note)
                           .order_by(ShortlistItem.id)).all(),
        db.session.execute(sa.select(Criterion.name, Criterion.weight)).all(),
        db.session.execute(sa.select(ShortlistJudge.user_id)).all(),
        db.session.execute(sa.select(Score.value)).all(),
    )


def _call(client, method, path, data, ids):
    url = _fill(path, ids)
    if method == "GET":
        return client.get(url)
    return client.post(url, {_fill(k, ids): _fill(v, ids) for k, v in (data or {}).items()})


def _other_judge(world, make_user, make_staff):
    from idea4gov.shortlists.services import ShortlistInput, create_shortlist
    other_org = make_staff("organiser", world.other_area)
    other = create_shortlist(other_org, ShortlistInput("รายการอื่น", None, "", [world.other_area]))
    user = make_user()
    services.add_judge(other, user, other_org)
    db.session.commit()
    return user


@pytest.mark.parametrize(("method", "path", "data"), ENDPOINTS + GENERAL)
def test_anonymous_is_sent_to_log_in(client, target, method, path, data):
    ids, _judge = target
    before = _state()
    response = _call(client, method, path, data, ids)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert _state() == before


@pytest.mark.parametrize(("method", "path", "data"), ENDPOINTS + GENERAL)
def test_resident_gets_403(client, target, make_user, method, path, data):
    ids, _judge = target
    client.login(make_user())
    before = _state()
    assert _call(client, method, path, data, ids).status_code == 403
    assert _state() == before


@pytest.mark.parametrize(("method", "path", "data"), ENDPOINTS)
def test_organiser_of_another_area_gets_403(client, target, world, make_staff, method, path, data):
    ids, _judge = target
    client.login(make_staff("organiser", world.other_area))
    before = _state()
    assert _call(client, method, path, data, ids).status_code == 403
    assert _state() == before


@pytest.mark.parametrize(("method", "path", "data"), ENDPOINTS + GENERAL[1:])
def test_judge_of_another_shortlist_gets_403(client, target, world, make_user, make_staff, method, path, data):
    ids, _judge = target
    client.login(_other_judge(world, make_user, make_staff))
    before = _state()
    assert _call(client, method, path, data, ids).status_code == 403
    assert _state() == before


@pytest.mark.parametrize(("method", "path", "data"), [e for e in ENDPOINTS if e[1] in MANAGE_ONLY])
def test_judge_of_this_shortlist_cannot_manage_it(client, target, method, path, data):
    ids, judge = target
    client.login(judge)
    before = _state()
    assert _call(client, method, path, data, ids).status_code == 403
    assert _state() == before


def test_judge_sees_scores_prints_and_exports_their_shortlist(client, target):
    ids, judge = target
    client.login(judge)
    for path in ("/shortlists/{s}", "/shortlists/{s}/score", "/shortlists/{s}/print", "/shortlists/{s}/export.csv"):
        assert client.get(_fill(path, ids)).status_code == 200, path


def test_organiser_of_only_one_of_two_areas_cannot_manage(client, world, make_staff):
    from idea4gov.auth import staff
    from idea4gov.auth.models import Role
    from idea4gov.shortlists.services import ShortlistInput, create_shortlist
    admin = make_staff("admin")
    both = create_shortlist(admin, ShortlistInput("สองพื้นที่", None, "", [world.area, world.other_area]))
    db.session.commit()
    client.login(world.organiser)
    assert client.get(f"/shortlists/{both.id}").status_code == 403
    staff.grant(world.organiser, Role.organiser, world.other_area)
    db.session.commit()
    assert client.get(f"/shortlists/{both.id}").status_code == 302  # a role change ends the sessions
    client.login(world.organiser)
    assert client.get(f"/shortlists/{both.id}").status_code == 200


def test_admin_manages_any_shortlist(client, target, make_staff):
    ids, _judge = target
    client.login(make_staff("admin"))
    assert client.get(_fill("/shortlists/{s}/add", ids)).status_code == 200


def test_missing_shortlist_or_foreign_item_is_404(client, target, world):
    ids, _judge = target
    client.login(world.organiser)
    assert client.get("/shortlists/999999").status_code == 404
    other = make_shortlist(world, name="อีกรายการ", idea_count=1)
    item = other.items[0].id
    assert client.post(f"/shortlists/{ids['s']}/items/{item}/remove").status_code == 404
    assert client.get(f"/shortlists/{ids['s']}/export.pdf").status_code == 404


def test_post_without_csrf_is_refused(client, target, world):
    ids, _judge = target
    client.login(world.organiser)
    before = _state()
    response = client.post(_fill("/shortlists/{s}/items/{i}/remove", ids), csrf=False)
    assert response.status_code == 400
    assert _state() == before
