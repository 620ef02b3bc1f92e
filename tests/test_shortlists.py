"""Shortlists: create, add ideas by filter or one by one, order, notes, criteria, judges, scores, ranking."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from idea4gov.audit.models import AuditEntry
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, IdeaStatus, Visibility
from idea4gov.notifications.models import Notification
from idea4gov.shortlists import scoring, services
from idea4gov.shortlists.models import Criterion, Score, Shortlist, ShortlistItem, ShortlistJudge
from idea4gov.timeutil import utcnow
from tests.shortlist_support import make_shortlist, world_fixture  # noqa: F401  (fixture)


def _items(shortlist_id: int) -> list[int]:
    return list(db.session.scalars(sa.select(ShortlistItem.idea_id).where(ShortlistItem.shortlist_id == shortlist_id)
                                   .order_by(ShortlistItem.position)))


def test_organiser_creates_a_shortlist_for_an_event(client, world):
    client.login(world.organiser)
    page = client.get("/shortlists/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert world.area.name_th in html and world.other_area.name_th not in html
    response = client.post("/shortlists/new", {"name": "แฮกกาธอนแสนสุข", "event_date": "2026-12-05",
                                               "description": "คัดไอเดียขยะชายหาด", "areas": [world.area.id]})
    assert response.status_code == 302
    shortlist = db.session.scalar(sa.select(Shortlist))
    assert response.headers["Location"].endswith(f"/shortlists/{shortlist.id}")
    assert shortlist.name == "แฮกกาธอนแสนสุข" and str(shortlist.event_date) == "2026-12-05"
    assert [a.slug for a in shortlist.areas] == ["saensuk"]
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.target_type == "shortlist")) == "shortlist_create"


def test_organiser_cannot_create_over_another_area(client, world):
    client.login(world.organiser)
    response = client.post("/shortlists/new", {"name": "ข้ามพื้นที่", "areas": [world.other_area.id]})
    assert response.status_code == 400
    assert "เฉพาะพื้นที่ที่คุณเป็นผู้จัดกิจกรรม" in response.get_data(as_text=True)
    assert "ข้ามพื้นที่" in response.get_data(as_text=True)  # what was typed comes back
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Shortlist)) == 0


def test_create_without_area_or_name_is_a_clear_400(client, world):
    client.login(world.organiser)
    response = client.post("/shortlists/new", {"name": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "กรุณาตั้งชื่อ" in html and "กรุณาเลือกอย่างน้อยหนึ่งพื้นที่" in html


def test_filter_previews_then_adds_all_matching(client, world, make_idea, make_user):
    shortlist = make_shortlist(world, idea_count=0)
    beach = world.area.themes[0]
    voter = make_user()
    from idea4gov.ideas import services as idea_services
    idea_services.vote(world.ideas[1], voter)  # theme beach (i=2)
    hidden = make_idea(area=world.area, title="ไอเดียที่ซ่อนแล้วเรื่องถังขยะ", theme=beach)
    hidden.visibility = Visibility.hidden
    elsewhere = make_idea(area=world.other_area, title="ไอเดียของอีกพื้นที่หนึ่งนะ")
    db.session.commit()
    client.login(world.organiser)
    page = client.get(f"/shortlists/{shortlist.id}/add", query_string={"theme": beach.id})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    beach_ideas = [i for i in world.ideas if i.theme_id == beach.id]
    assert f"พบ {len(beach_ideas)} ไอเดีย" in html
    assert hidden.title not in html and elsewhere.title not in html
    response = client.post(f"/shortlists/{shortlist.id}/add", {"theme": str(beach.id)})
    assert response.status_code == 302
    # Most supported first.
    assert _items(shortlist.id) == [world.ideas[1].id] + [i.id for i in beach_ideas if i.id != world.ideas[1].id]
    # Adding the same filter again adds nothing twice.
    client.post(f"/shortlists/{shortlist.id}/add", {"theme": str(beach.id)})
    assert len(_items(shortlist.id)) == len(beach_ideas)


@pytest.mark.parametrize("field", ["min_supporters", "status", "date", "group", "area"])
def test_each_filter_narrows_the_ideas(client, world, field):
    shortlist = make_shortlist(world, idea_count=0)
    target = world.ideas[2]
    args = {}
    if field == "min_supporters":
        target.vote_count = 7
        args = {"min_supporters": "5"}
    elif field == "status":
        target.status = IdeaStatus.accepted
        args = {"status": "accepted"}
    elif field == "date":
        for idea in world.ideas:
            idea.created_at = utcnow() - timedelta(days=30)
        target.created_at = utcnow()
        today = (utcnow() + timedelta(hours=7)).date()
        args = {"date_from": today.isoformat(), "date_to": today.isoformat()}
    elif field == "group":
        from idea4gov.groups.models import IdeaGroup
        group = IdeaGroup(area_id=world.area.id, size=1, keywords="ขยะ")
        db.session.add(group)
        db.session.flush()
        target.group_id = group.id
        args = {"group": str(group.id)}
    elif field == "area":
        shortlist = make_shortlist(world, idea_count=0)
        args = {"area": str(world.area.id)}
    db.session.commit()
    client.login(world.organiser)
    response = client.post(f"/shortlists/{shortlist.id}/add", args)
    assert response.status_code == 302
    expected = [target.id] if field != "area" else None
    if expected:
        assert _items(shortlist.id) == expected
    else:
        assert len(_items(shortlist.id)) == len(world.ideas)


@pytest.mark.parametrize("args", [{"date_from": "2026-13-40"}, {"min_supporters": "-1"}, {"status": "nope"},
                                  {"theme": "999999"}, {"date_from": "2026-05-02", "date_to": "2026-05-01"}])
def test_bad_filter_is_a_400_with_a_message(client, world, args):
    shortlist = make_shortlist(world, idea_count=0)
    client.login(world.organiser)
    page = client.get(f"/shortlists/{shortlist.id}/add", query_string=args)
    assert page.status_code == 400
    assert 'class="errors"' in page.get_data(as_text=True)
    assert client.post(f"/shortlists/{shortlist.id}/add", args).status_code == 400
    assert _items(shortlist.id) == []


def test_add_all_is_capped_with_a_message(client, world, monkeypatch):
    from idea4gov.shortlists import filters
    monkeypatch.setattr(filters, "ADD_ALL_LIMIT", 2)
    shortlist = make_shortlist(world, idea_count=0)
    client.login(world.organiser)
    page = client.get(f"/shortlists/{shortlist.id}/add")
    assert "เพิ่มทั้งหมด 2 ไอเดีย" in page.get_data(as_text=True)
    response = client.post(f"/shortlists/{shortlist.id}/add", {}, follow_redirects=True)
    assert "เพิ่มได้ครั้งละไม่เกิน 2 ไอเดีย" in response.get_data(as_text=True)
    assert len(_items(shortlist.id)) == 2


def test_shortlist_never_exceeds_its_cap(app, world, monkeypatch):
    monkeypatch.setattr(services, "MAX_ITEMS", 4)
    shortlist = make_shortlist(world, idea_count=3)
    added, left_out = services.add_ideas(shortlist, [i.id for i in world.ideas], world.organiser)
    assert (added, left_out) == (1, 1)
    assert len(_items(shortlist.id)) == 4


def test_add_one_by_number(client, world, make_idea):
    shortlist = make_shortlist(world, idea_count=0)
    other = make_idea(area=world.other_area, title="ไอเดียของอีกพื้นที่หนึ่งนะ")
    client.login(world.organiser)
    assert client.post(f"/shortlists/{shortlist.id}/items", {"idea_id": world.ideas[4].id}).status_code == 302
    again = client.post(f"/shortlists/{shortlist.id}/items", {"idea_id": world.ideas[4].id})
    assert again.status_code == 400 and "อยู่ในรายการแล้ว" in again.get_data(as_text=True)
    wrong = client.post(f"/shortlists/{shortlist.id}/items", {"idea_id": other.id})
    assert wrong.status_code == 400 and "เฉพาะไอเดียที่เผยแพร่แล้ว" in wrong.get_data(as_text=True)
    junk = client.post(f"/shortlists/{shortlist.id}/items", {"idea_id": "99999999999999"})
    assert junk.status_code == 400
    assert _items(shortlist.id) == [world.ideas[4].id]


def test_move_up_and_down_and_remove_keep_positions_compact(client, world):
    shortlist = make_shortlist(world, idea_count=3)
    a, b, c = (i.id for i in world.ideas[:3])
    items = {row.idea_id: row.id for row in db.session.scalars(sa.select(ShortlistItem))}
    client.login(world.organiser)
    assert client.post(f"/shortlists/{shortlist.id}/items/{items[c]}/move", {"direction": "up"}).status_code == 302
    assert _items(shortlist.id) == [a, c, b]
    client.post(f"/shortlists/{shortlist.id}/items/{items[a]}/move", {"direction": "down"})
    assert _items(shortlist.id) == [c, a, b]
    client.post(f"/shortlists/{shortlist.id}/items/{items[c]}/move", {"direction": "up"})  # already first
    assert _items(shortlist.id) == [c, a, b]
    assert client.post(f"/shortlists/{shortlist.id}/items/{items[c]}/move", {"direction": "sideways"}).status_code == 400
    assert client.post(f"/shortlists/{shortlist.id}/items/{items[a]}/remove").status_code == 302
    positions = db.session.scalars(sa.select(ShortlistItem.position).order_by(ShortlistItem.position)).all()
    assert positions == [0, 1] and _items(shortlist.id) == [c, b]
    actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert actions.count("shortlist_move") == 2 and "shortlist_remove_idea" in actions


def test_note_is_saved_and_shown_as_plain_text(client, world):
    shortlist = make_shortlist(world, idea_count=1)
    item = db.session.scalar(sa.select(ShortlistItem))
    client.login(world.organiser)
    note = "ทีม A รับไปทำต้นแบบ <script>alert(1)</script>"
    assert client.post(f"/shortlists/{shortlist.id}/items/{item.id}/note", {"note": note}).status_code == 302
    db.session.refresh(item)
    assert item.note == "ทีม A รับไปทำต้นแบบ alert(1)"
    too_long = client.post(f"/shortlists/{shortlist.id}/items/{item.id}/note", {"note": "ก" * 1001})
    assert too_long.status_code == 400 and "ก" * 1001 in too_long.get_data(as_text=True)
    assert "<script>" not in client.get(f"/shortlists/{shortlist.id}").get_data(as_text=True)


def test_criteria_and_judges_are_managed_and_judges_are_notified(client, world, make_user):
    shortlist = make_shortlist(world)
    judge = make_user(email="judge@example.org", display_name="กรรมการ หนึ่ง")
    client.login(world.organiser)
    assert client.post(f"/shortlists/{shortlist.id}/criteria", {"name": "ผลกระทบ", "weight": "40"}).status_code == 302
    bad = client.post(f"/shortlists/{shortlist.id}/criteria", {"name": "ความคุ้มค่า", "weight": "0"})
    assert bad.status_code == 400 and "ความคุ้มค่า" in bad.get_data(as_text=True)
    dup = client.post(f"/shortlists/{shortlist.id}/criteria", {"name": "ผลกระทบ", "weight": "10"})
    assert dup.status_code == 400 and "มีเกณฑ์ชื่อนี้แล้ว" in dup.get_data(as_text=True)
    assert client.post(f"/shortlists/{shortlist.id}/judges", {"email": "Judge@Example.org"}).status_code == 302
    missing = client.post(f"/shortlists/{shortlist.id}/judges", {"email": "nobody@example.org"})
    assert missing.status_code == 400 and "ไม่พบบัญชีผู้ใช้" in missing.get_data(as_text=True)
    assert [(c.name, c.weight) for c in db.session.scalars(sa.select(Criterion))] == [("ผลกระทบ", 40)]
    assert db.session.scalar(sa.select(ShortlistJudge.user_id)) == judge.id
    notification = db.session.scalar(sa.select(Notification).where(Notification.user_id == judge.id))
    assert notification.kind == "shortlist_judge" and notification.data["shortlist_id"] == shortlist.id
    client.logout()
    client.login(judge)
    notes = client.get("/notifications/").get_data(as_text=True)
    assert f"/shortlists/{shortlist.id}" in notes and shortlist.name in notes


def test_weight_must_be_positive_in_the_database(app, world):
    from sqlalchemy.exc import IntegrityError
    shortlist = make_shortlist(world)
    db.session.add(Criterion(shortlist_id=shortlist.id, name="x", weight=0))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_score_outside_1_to_5_is_refused_by_the_database(app, world, make_user):
    from sqlalchemy.exc import IntegrityError
    shortlist = make_shortlist(world)
    judge = make_user()
    criterion = services.add_criterion(shortlist, "ผลกระทบ", 1, world.organiser)
    item = shortlist.items[0]
    db.session.add(Score(item_id=item.id, criterion_id=criterion.id, judge_id=judge.id, value=6))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def _setup_scoring(world, make_user):
    shortlist = make_shortlist(world, idea_count=3)
    impact = services.add_criterion(shortlist, "ผลกระทบ", 2, world.organiser)
    feasible = services.add_criterion(shortlist, "ความเป็นไปได้", 1, world.organiser)
    judges = [make_user(display_name=f"กรรมการ {n}") for n in range(2)]
    for judge in judges:
        services.add_judge(shortlist, judge, world.organiser)
    db.session.commit()
    return shortlist, impact, feasible, judges


def test_judges_score_and_the_page_ranks_with_weighted_totals_and_disagreement(client, world, make_user):
    shortlist, impact, feasible, (j1, j2) = _setup_scoring(world, make_user)
    first, second, third = shortlist.items
    client.login(j1)
    page = client.get(f"/shortlists/{shortlist.id}/score")
    assert page.status_code == 200
    response = client.post(f"/shortlists/{shortlist.id}/score", {
        f"score-{first.id}-{impact.id}": "2", f"score-{first.id}-{feasible.id}": "5",
        f"score-{second.id}-{impact.id}": "5", f"score-{second.id}-{feasible.id}": "4",
        f"score-{third.id}-{impact.id}": "1", f"score-{third.id}-{feasible.id}": "1",
    })
    assert response.status_code == 302
    client.logout()
    client.login(j2)
    client.post(f"/shortlists/{shortlist.id}/score", {
        f"score-{first.id}-{impact.id}": "3", f"score-{first.id}-{feasible.id}": "3",
        f"score-{second.id}-{impact.id}": "5", f"score-{second.id}-{feasible.id}": "4",
        f"score-{third.id}-{impact.id}": "5", f"score-{third.id}-{feasible.id}": "5",
    })
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Score)) == 12
    rows = {r.item.id: r for r in scoring.results(shortlist)}
    # first: impact mean 2.5 (x2), feasible mean 4 (x1) -> (5 + 4) / 3 = 3.0
    assert rows[first.id].weighted == pytest.approx(3.0)
    assert rows[second.id].weighted == pytest.approx((5 * 2 + 4) / 3)
    assert rows[third.id].weighted == pytest.approx((3 * 2 + 3) / 3)
    assert [rows[i.id].rank for i in (first, second, third)] == [1 + 1, 1, 1 + 1]  # 3.0 and 3.0 share rank 2
    # Judge totals for the third idea: 1.0 and 5.0 -> range 4, flagged.
    assert rows[third.id].spread == pytest.approx(4.0) and rows[third.id].disagreement == "high"
    assert rows[second.id].spread == pytest.approx(0.0) and rows[second.id].disagreement == "low"
    client.logout()
    client.login(world.organiser)
    html = client.get(f"/shortlists/{shortlist.id}").get_data(as_text=True)
    assert "เห็นต่างมาก" in html and "4.67" in html and "ความเห็นต่าง" in html
    assert db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action == "shortlist_score")).all() \
        == ["shortlist_score", "shortlist_score"]


def test_a_judge_can_clear_a_score_and_bad_values_are_a_400(client, world, make_user):
    shortlist, impact, _feasible, (j1, _j2) = _setup_scoring(world, make_user)
    item = shortlist.items[0]
    client.login(j1)
    client.post(f"/shortlists/{shortlist.id}/score", {f"score-{item.id}-{impact.id}": "4"})
    assert db.session.scalar(sa.select(Score.value)) == 4
    for junk in ("6", "0", "x", "4.5"):
        assert client.post(f"/shortlists/{shortlist.id}/score", {f"score-{item.id}-{impact.id}": junk}).status_code == 400
    assert db.session.scalar(sa.select(Score.value)) == 4
    client.post(f"/shortlists/{shortlist.id}/score", {f"score-{item.id}-{impact.id}": ""})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Score)) == 0


def test_removing_a_judge_removes_their_scores(app, world, make_user):
    shortlist, impact, _f, (j1, j2) = _setup_scoring(world, make_user)
    item = shortlist.items[0]
    services.save_scores(shortlist, j1, {(item.id, impact.id): 5})
    services.save_scores(shortlist, j2, {(item.id, impact.id): 3})
    judge_row = db.session.scalar(sa.select(ShortlistJudge).where(ShortlistJudge.user_id == j1.id))
    services.remove_judge(judge_row, world.organiser)
    db.session.commit()
    assert db.session.scalars(sa.select(Score.judge_id)).all() == [j2.id]


def test_index_lists_what_i_manage_or_judge(client, world, make_user, make_staff):
    mine = make_shortlist(world, name="รายการของแสนสุข")
    other_org = make_staff("organiser", world.other_area)
    from idea4gov.shortlists.services import ShortlistInput, create_shortlist
    theirs = create_shortlist(other_org, ShortlistInput("รายการของหัวเวียง", None, "", [world.other_area]))
    judge = make_user()
    services.add_judge(theirs, judge, other_org)
    db.session.commit()
    client.login(world.organiser)
    html = client.get("/shortlists/").get_data(as_text=True)
    assert mine.name in html and theirs.name not in html
    client.logout()
    client.login(judge)
    html = client.get("/shortlists/").get_data(as_text=True)
    assert theirs.name in html and mine.name not in html and "คุณเป็นกรรมการ" in html


def test_a_hidden_idea_stays_off_new_filters_but_published_ones_count(app, world):
    shortlist = make_shortlist(world, idea_count=0)
    world.ideas[0].visibility = Visibility.pending
    db.session.commit()
    added, _ = services.add_ideas(shortlist, [i.id for i in world.ideas], world.organiser)
    assert added == len(world.ideas) - 1
    assert world.ideas[0].id not in _items(shortlist.id)
    assert db.session.get(Idea, world.ideas[0].id) is not None


def test_shortlist_pages_in_english_have_no_thai_but_user_content(client, world, make_user):
    from tests.test_i18n import thai_left
    shortlist, _impact, _feasible, (judge, _j2) = _setup_scoring(world, make_user)
    user_text = [i.title for i in world.ideas] + [shortlist.name, "ผลกระทบ", "ความเป็นไปได้", "กรรมการ 0", "กรรมการ 1",
                                                  "ผู้จัด แสนสุข"]
    from idea4gov.groups.models import IdeaGroup
    user_text += sorted({w for g in db.session.scalars(sa.select(IdeaGroup)) for w in g.keyword_list}, key=len)[::-1]

    def check(path):
        response = client.get(path, query_string={"lang": "en"})
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        for text in user_text:
            html = html.replace(text, "")
        assert thai_left(html) == [], (path, thai_left(html))

    client.get("/", query_string={"lang": "en"})
    client.login(world.organiser)
    for path in ("/shortlists/", "/shortlists/new", f"/shortlists/{shortlist.id}", f"/shortlists/{shortlist.id}/add",
                 f"/shortlists/{shortlist.id}/edit", f"/shortlists/{shortlist.id}/print"):
        check(path)
    client.logout()
    client.get("/", query_string={"lang": "en"})
    client.login(judge)
    check(f"/shortlists/{shortlist.id}/score")


def test_a_concurrent_duplicate_add_is_answered_not_a_500(client, world, monkeypatch):
    """Another organiser added the same idea between our check and our insert: the unique constraint decides."""
    from sqlalchemy.exc import IntegrityError
    shortlist = make_shortlist(world, idea_count=0)

    def racing_add(sl, ids, by):
        db.session.add(ShortlistItem(shortlist_id=sl.id, idea_id=ids[0], position=0))
        db.session.flush()
        raise IntegrityError("INSERT INTO shortlist_items", {}, Exception("duplicate key"))

    monkeypatch.setattr(services, "add_ideas", racing_add)
    client.login(world.organiser)
    response = client.post(f"/shortlists/{shortlist.id}/add", {})
    assert response.status_code == 302
    assert "มีผู้แก้ไขรายการนี้พร้อมกัน" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _items(shortlist.id) == []  # rolled back


def test_shortlist_page_queries_stay_flat_as_it_grows(client, world, make_idea, make_user):
    from tests.db_support import count_queries
    small, _i, _f, _j = _setup_scoring(world, make_user)
    big = make_shortlist(world, name="รายการใหญ่", idea_count=0)
    extra = [make_idea(area=world.area, title=f"ไอเดียเพิ่มเติมที่ {n} เรื่องขยะ") for n in range(8)]
    services.add_ideas(big, [i.id for i in world.ideas + extra], world.organiser)
    crit = services.add_criterion(big, "ผลกระทบ", 1, world.organiser)
    judge = make_user()
    services.add_judge(big, judge, world.organiser)
    services.save_scores(big, judge, {(item.id, crit.id): 3 for item in big.items})
    db.session.commit()
    client.login(world.organiser)
    counts = []
    for shortlist in (small, big):
        client.get(f"/shortlists/{shortlist.id}")  # warm caches
        with count_queries() as statements:
            assert client.get(f"/shortlists/{shortlist.id}").status_code == 200
        counts.append(len(statements))
    assert counts[1] <= counts[0], counts
