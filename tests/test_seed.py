"""`flask seed demo`: the three pilot areas with realistic demo data; running it twice changes nothing."""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.areas.models import Area
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.ideas.models import Comment, Idea, Vote

PILOTS = ("saensuk", "huawiang", "ratchathewi")


def _counts() -> dict[str, int]:
    db.session.expire_all()
    return {
        model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Area, User, Idea, Vote, Comment)
    }


def test_seed_demo_creates_the_pilot_areas_and_is_idempotent(runner, client):
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    assert "seeded:" in result.output
    first = _counts()

    slugs = set(db.session.scalars(sa.select(Area.slug)))
    assert slugs == {"saensuk", "huawiang", "ratchathewi", "chonburi", "ayutthaya", "bangkok"}
    for area in db.session.scalars(sa.select(Area).where(Area.slug.in_(PILOTS))):
        ideas = db.session.scalar(sa.select(sa.func.count()).select_from(Idea).where(Idea.area_id == area.id))
        assert ideas >= 25, area.slug
        assert any(theme.is_open for theme in area.themes)
    assert first["votes"] > 100 and first["comments"] > 20
    # Counters agree with the rows they count.
    assert db.session.scalar(sa.select(sa.func.sum(Idea.vote_count))) == first["votes"]
    assert db.session.scalar(sa.select(sa.func.sum(Idea.comment_count))) == first["comments"]
    # Replies are one level deep.
    parents = sa.orm.aliased(Comment)
    assert not db.session.scalar(
        sa.select(sa.func.count()).select_from(Comment).join(parents, Comment.parent_id == parents.id)
        .where(parents.parent_id.is_not(None))
    )

    # The fresh demo is grouped as a whole: several small groups per area, none swallowing it.
    from idea4gov.groups.models import IdeaGroup

    for area in db.session.scalars(sa.select(Area).where(Area.slug.in_(PILOTS))):
        sizes = list(db.session.scalars(sa.select(IdeaGroup.size).where(IdeaGroup.area_id == area.id)))
        assert len(sizes) >= 2 and all(2 <= size <= 15 for size in sizes), (area.slug, sizes)

    _assert_programme_demo(client)
    from tests.event_demo_support import assert_events_demo

    assert_events_demo(client)

    again = runner.invoke(args=["seed", "demo"])
    assert again.exit_code == 0, again.output
    assert "0 new rounds" in again.output and "0 new ideas, 0 new votes, 0 new comments" in again.output
    assert _counts() == first
    programme = _check_programme(client)

    # On a database seeded by the previous version (no provinces, promises or rounds) it adds them, only them.
    _strip_programme()
    completed = runner.invoke(args=["seed", "demo"])
    assert completed.exit_code == 0, completed.output
    assert "6 new rounds" in completed.output and "0 new ideas, 0 new votes, 0 new comments" in completed.output
    assert "2 new events" in completed.output
    assert _programme_state() == programme and _counts() == first

    # The demo is searchable in Thai and shows on the home page.
    assert "เทศบาลเมืองแสนสุข" in client.get("/").get_data(as_text=True)
    from idea4gov.seed.demo_saensuk import AREA

    title = next(idea["title"] for idea in AREA["ideas"] if "ขยะบนชายหาดเยอะมาก" in idea["body"])
    response = client.get("/areas/saensuk?q=ชายหาด")
    assert response.status_code == 200
    assert title in response.get_data(as_text=True)


def test_demo_resident_can_log_in_with_the_documented_password(runner, client):
    from idea4gov.seed import DEMO_PASSWORD

    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    response = client.post("/auth/login", {"email": "somchai@example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def _programme_state() -> dict:
    from idea4gov.areas.models import Round
    from idea4gov.areas.rounds import round_state

    db.session.expire_all()
    state = {}
    for area in db.session.scalars(sa.select(Area).where(Area.slug.in_(PILOTS))):
        rounds = db.session.scalars(sa.select(Round).where(Round.area_id == area.id).order_by(Round.opens_at)).all()
        state[area.slug] = (area.parent.slug, area.iap2_level.value, bool(area.promise_th and area.promise_en),
                            [(round_state(r), len(r.themes)) for r in rounds])
    return state


def _check_programme(client) -> dict:
    """The pilots sit under their provinces, with a promise, a closed past round and an open current one."""
    state = _programme_state()
    assert {slug: value[0] for slug, value in state.items()} == {
        "saensuk": "chonburi", "huawiang": "ayutthaya", "ratchathewi": "bangkok"}
    assert {value[1] for value in state.values()} <= {"inform", "consult", "involve", "collaborate", "empower"}
    assert all(value[2] for value in state.values())
    assert all(value[3] == [("ended", 2), ("open", 3)] for value in state.values()), state
    provinces = {area.slug: area for area in db.session.scalars(sa.select(Area).where(Area.parent_id.is_(None)))}
    assert set(provinces) == {"chonburi", "ayutthaya", "bangkok"}
    assert provinces["chonburi"].name_th == "จังหวัดชลบุรี" and not provinces["chonburi"].themes
    html = client.get("/areas/chonburi").get_data(as_text=True)
    assert "เทศบาลเมืองแสนสุข" in html and "33 ไอเดีย" in html
    return state


def _strip_programme() -> None:
    """What the previous version's demo lacked: provinces, promises and rounds."""
    from idea4gov.areas.models import Round

    db.session.execute(sa.delete(Round))
    from idea4gov.events.models import Event

    db.session.execute(sa.delete(Event))  # the previous version had no events
    for area in db.session.scalars(sa.select(Area).where(Area.slug.in_(PILOTS))):
        area.parent_id, area.iap2_level, area.promise_th, area.promise_en = None, None, "", ""
    db.session.flush()
    db.session.execute(sa.delete(Area).where(Area.slug.not_in(PILOTS)))
    db.session.commit()


def _assert_programme_demo(client) -> None:  # noqa: ANN001
    """Reference numbers, the holiday calendar, a programme viewer and one open join code."""
    from idea4gov.auth.models import Role
    from idea4gov.deadlines.models import Holiday
    from idea4gov.joincodes.models import JoinCode
    from idea4gov.seed import DEMO_PASSWORD

    codes = dict(db.session.execute(sa.select(Area.slug, Area.ref_code).where(Area.slug.in_(PILOTS))).all())
    assert codes == {"saensuk": "SSK", "huawiang": "HWG", "ratchathewi": "RTW"}
    references = list(db.session.scalars(sa.select(Idea.reference)))
    assert all(references) and len(set(references)) == len(references)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Holiday)) >= 40
    viewer = db.session.scalar(sa.select(User).where(User.email == "programme@example.org"))
    assert viewer.role == Role.programme_viewer
    [code] = db.session.scalars(sa.select(JoinCode)).all()
    assert code.state() == "open"
    # Only written answers stop the clock: the demo's bare "under review" left its idea unanswered.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea).where(
        Idea.first_answered_at.is_not(None))) == 5
    client.login(viewer, DEMO_PASSWORD)
    assert client.get("/programme").status_code == 200
    client.logout()
