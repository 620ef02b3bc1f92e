"""Officer triage: access per area, agencies, the board and its filters, routing, rules, suggestions, statuses."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from triage_support import world  # noqa: F401  (fixture)

from idea4gov.areas.settings import settings_of
from idea4gov.audit.models import AuditEntry
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea, IdeaStatus
from idea4gov.notifications.models import Notification
from idea4gov.triage.models import Agency, AgencyMember, RoutingRule, StatusChange


def _get_urls(w) -> list[str]:
    idea = w["ideas"][0]
    return ["/triage/saensuk", f"/triage/ideas/{idea.id}", "/triage/saensuk/stats", "/triage/saensuk/stats/weekly.csv",
            "/triage/saensuk/agencies", f"/triage/agencies/{w['cleaning'].id}"]


def _post_urls(w) -> list[tuple[str, dict]]:
    idea = w["ideas"][0]
    return [
        (f"/triage/ideas/{idea.id}/route", {"agency_id": w["cleaning"].id}),
        (f"/triage/ideas/{idea.id}/status", {"status": "under_review", "answer": ""}),
        (f"/triage/ideas/{idea.id}/merge", {"target_id": w["ideas"][1].id}),
        (f"/triage/ideas/{idea.id}/unmerge", {}),
        ("/triage/saensuk/agencies", {"name_th": "กองใหม่"}),
        ("/triage/saensuk/settings", {"days_to_first_answer": 3}),
        ("/triage/saensuk/rules", {"theme_id": w["area"].themes[0].id, "agency_id": w["cleaning"].id}),
        (f"/triage/agencies/{w['cleaning'].id}/members", {"email": w["officer"].email}),
    ]


@pytest.mark.parametrize("who", ["anonymous", "resident", "stranger"])
def test_staff_pages_refuse_anyone_but_officers_of_the_area(client, world, who):  # noqa: F811
    if who != "anonymous":
        client.login(world[who])
    for url in _get_urls(world):
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url
        else:
            assert response.status_code == 403, url
    for url, data in _post_urls(world):
        response = client.post(url, data)
        assert response.status_code == (302 if who == "anonymous" else 403), url
    group_route = client.post("/triage/groups/999/route", {"agency_id": 1})
    assert group_route.status_code in ((302,) if who == "anonymous" else (404,))
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea).where(Idea.agency_id.is_not(None))) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StatusChange)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Agency)) == 3


def test_triage_index_lists_only_my_areas(client, world):  # noqa: F811
    client.login(world["officer"])
    html = client.get("/triage/").get_data(as_text=True)
    assert world["area"].name_th in html and world["other"].name_th not in html
    assert client.get("/triage/").status_code == 200
    client.logout()
    client.login(world["admin"])
    html = client.get("/triage/").get_data(as_text=True)
    assert world["area"].name_th in html and world["other"].name_th in html
    client.logout()
    client.login(world["resident"])
    assert client.get("/triage/").status_code == 403


def test_officers_of_the_area_see_admin_only_changes_refused(client, world):  # noqa: F811
    client.login(world["officer"])
    assert client.get("/triage/saensuk/agencies").status_code == 200
    assert client.post("/triage/saensuk/agencies", {"name_th": "กองคลัง"}).status_code == 403
    assert client.get("/triage/saensuk/settings").status_code == 403
    assert client.post(f"/triage/agencies/{world['cleaning'].id}", {"name_th": "x"}).status_code == 200  # read-only view
    assert db.session.get(Agency, world["cleaning"].id).name_th == "กองสาธารณสุขและสิ่งแวดล้อม"


def test_officer_of_one_area_gets_403_for_another_areas_objects(client, world, make_idea):  # noqa: F811
    far_idea = make_idea(world["other"])
    client.login(world["officer"])
    assert client.get(f"/triage/ideas/{far_idea.id}").status_code == 403
    assert client.post(f"/triage/ideas/{far_idea.id}/route", {"agency_id": world["far"].id}).status_code == 403
    assert client.get(f"/triage/agencies/{world['far'].id}").status_code == 403
    assert client.get("/triage/huawiang").status_code == 403
    # An agency of another area cannot be smuggled into a route of my idea.
    mine = world["ideas"][0]
    assert client.post(f"/triage/ideas/{mine.id}/route", {"agency_id": world["far"].id}).status_code == 400
    assert db.session.get(Idea, mine.id).agency_id is None


def test_admin_creates_agency_and_attaches_an_officer(client, world, make_user):  # noqa: F811
    client.login(world["admin"])
    response = client.post("/triage/saensuk/agencies", {"name_th": "กองคลัง", "name_en": "Finance",
                                                        "email": "finance@saensuk.example"})
    assert response.status_code == 302
    agency = db.session.scalar(sa.select(Agency).where(Agency.name_th == "กองคลัง"))
    assert agency.area_id == world["area"].id and agency.email == "finance@saensuk.example"
    again = client.post("/triage/saensuk/agencies", {"name_th": "กองคลัง"})
    assert again.status_code == 409 and "มีหน่วยงานชื่อนี้ในพื้นที่แล้ว" in again.get_data(as_text=True)
    empty = client.post("/triage/saensuk/agencies", {"name_th": ""})
    assert empty.status_code == 400 and "กรุณาใส่ชื่อหน่วยงาน" in empty.get_data(as_text=True)
    # A resident is not an officer: refused with a clear message; the officer is attached.
    resident = make_user(email="not-officer@example.org")
    refused = client.post(f"/triage/agencies/{agency.id}/members", {"email": resident.email})
    assert refused.status_code == 400 and "ยังไม่มีบทบาทเจ้าหน้าที่" in refused.get_data(as_text=True)
    assert client.post(f"/triage/agencies/{agency.id}/members", {"email": world["officer"].email}).status_code == 302
    assert db.session.scalar(sa.select(AgencyMember.user_id).where(AgencyMember.agency_id == agency.id)) == world["officer"].id
    assert client.post(f"/triage/agencies/{agency.id}/members/{world['officer'].id}/remove").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgencyMember)) == 0
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"create_agency", "add_agency_member", "remove_agency_member"} <= actions


def test_board_shows_groups_sorted_by_distinct_supporters_with_filters(client, world, make_user):  # noqa: F811
    from idea4gov.groups.services import recompute_area
    from idea4gov.ideas import services

    beach1, beach2, light = world["ideas"]
    for _ in range(3):
        services.vote(light, make_user())
    fan = make_user()
    services.vote(beach1, fan)
    services.vote(beach2, fan)
    recompute_area(world["area"])
    db.session.commit()
    client.login(world["officer"])
    response = client.get("/triage/saensuk")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count('data-testid="board-row"') >= 2
    # Light idea (3 supporters) before the beach ideas (1 distinct supporter across two ideas).
    assert html.index(light.title) < html.index(beach1.title)
    only_light = client.get(f"/triage/saensuk?theme={world['area'].themes[1].id}").get_data(as_text=True)
    assert light.title in only_light and beach1.title not in only_light
    services_route = client.post(f"/triage/ideas/{light.id}/route", {"agency_id": world["works"].id})
    assert services_route.status_code == 302
    unrouted = client.get("/triage/saensuk?unrouted=1").get_data(as_text=True)
    assert light.title not in unrouted and beach1.title in unrouted
    by_agency = client.get(f"/triage/saensuk?agency={world['works'].id}").get_data(as_text=True)
    assert light.title in by_agency and beach1.title not in by_agency
    assert client.get("/triage/saensuk?status=nonsense").status_code == 400
    assert client.get("/triage/saensuk?theme=abc").status_code == 400
    assert client.get("/triage/saensuk?status=accepted").status_code == 200


def test_overdue_ideas_stand_out_and_only_a_written_answer_clears_them(client, world):  # noqa: F811
    old = world["ideas"][0]
    # 30 calendar days hold at least 18 working days, whatever the holidays: past 14 working days.
    old.created_at = old.created_at - timedelta(days=30)
    db.session.commit()
    client.login(world["officer"])
    html = client.get("/triage/saensuk?overdue=1").get_data(as_text=True)
    assert old.title in html and world["ideas"][1].title not in html and "เกินกำหนดตอบ" in html
    settings_of(world["area"]).days_to_first_answer = 60
    db.session.commit()
    assert old.title not in client.get("/triage/saensuk?overdue=1").get_data(as_text=True)
    settings_of(world["area"].id).days_to_first_answer = 5
    db.session.commit()
    # A bare status change is not an answer: the clock keeps running.
    client.post(f"/triage/ideas/{old.id}/status", {"status": "under_review", "answer": ""})
    assert db.session.get(Idea, old.id).status == IdeaStatus.under_review
    assert db.session.get(Idea, old.id).first_answered_at is None
    assert old.title in client.get("/triage/saensuk?overdue=1").get_data(as_text=True)
    client.post(f"/triage/ideas/{old.id}/status", {"status": "under_review",
                                                   "answer": "เจ้าหน้าที่กำลังสำรวจจุดที่เสนอ จะแจ้งผลภายในเดือนนี้"})
    assert db.session.get(Idea, old.id).first_answered_at is not None
    assert old.title not in client.get("/triage/saensuk?overdue=1").get_data(as_text=True)


def test_route_a_whole_group_at_once(client, world):  # noqa: F811
    from idea4gov.groups.models import IdeaGroup

    beach1, beach2, light = world["ideas"]
    group = IdeaGroup(area_id=world["area"].id, size=2)
    db.session.add(group)
    db.session.flush()
    beach1.group_id = beach2.group_id = group.id
    db.session.commit()
    client.login(world["officer"])
    response = client.post(f"/triage/groups/{group.id}/route", {"agency_id": world["cleaning"].id,
                                                                "next": "/triage/saensuk?unrouted=1"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/triage/saensuk?unrouted=1")
    db.session.expire_all()
    assert {db.session.get(Idea, i.id).agency_id for i in (beach1, beach2)} == {world["cleaning"].id}
    assert db.session.get(Idea, light.id).agency_id is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "route")) == 2
    # A foreign `next` is ignored.
    again = client.post(f"/triage/groups/{group.id}/route", {"agency_id": world["works"].id, "next": "//evil.example/"})
    assert again.headers["Location"].endswith("/triage/saensuk")


def test_rule_routes_new_ideas_on_publish(client, world, make_idea):  # noqa: F811
    client.login(world["admin"])
    beach = world["area"].themes[0]
    assert client.post("/triage/saensuk/rules", {"theme_id": beach.id, "agency_id": world["cleaning"].id}).status_code == 302
    assert db.session.scalar(sa.select(RoutingRule.agency_id).where(RoutingRule.theme_id == beach.id)) == world["cleaning"].id
    idea = make_idea(world["area"], title="ขยะพลาสติกริมหาดวอนนภา", body="ขยะพลาสติกลอยมาติดหาดวอนนภาทุกเช้า ขอจุดคัดแยกขยะ")
    assert idea.agency_id == world["cleaning"].id and idea.routed_at is not None
    light = make_idea(world["area"], title="ไฟถนนหน้าโรงเรียนดับ", body="ไฟถนนหน้าโรงเรียนดับมาหนึ่งเดือนแล้ว เด็กกลับบ้านมืด",
                      theme=world["area"].themes[1])
    assert light.agency_id is None
    assert client.post("/triage/saensuk/rules", {"theme_id": beach.id, "agency_id": 0}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RoutingRule)) == 0
    assert client.post("/triage/saensuk/settings", {"days_to_first_answer": 400}).status_code == 400
    assert client.post("/triage/saensuk/settings", {"days_to_first_answer": 7}).status_code == 302
    db.session.expire_all()
    assert settings_of(world["area"].id).days_to_first_answer == 7


def test_suggestion_comes_from_similar_routed_ideas_and_is_confirmed_by_post(client, world, make_idea):  # noqa: F811
    beach1, beach2, light = world["ideas"]
    beach1.agency_id = world["cleaning"].id
    light.agency_id = world["works"].id
    db.session.commit()
    client.login(world["officer"])
    html = client.get(f"/triage/ideas/{beach2.id}").get_data(as_text=True)
    assert "แนะนำ: กองสาธารณสุขและสิ่งแวดล้อม" in html and "ความมั่นใจ" in html
    assert db.session.get(Idea, beach2.id).agency_id is None  # a GET changes nothing
    board = client.get("/triage/saensuk?unrouted=1").get_data(as_text=True)
    assert "แนะนำ: กองสาธารณสุขและสิ่งแวดล้อม" in board
    response = client.post(f"/triage/ideas/{beach2.id}/route", {"agency_id": world["cleaning"].id})
    assert response.status_code == 302
    assert db.session.get(Idea, beach2.id).agency_id == world["cleaning"].id


def test_status_needs_an_answer_for_decisions_and_notifies_followers(client, world, make_user):  # noqa: F811
    from idea4gov.ideas import services

    idea = world["ideas"][0]
    fan = make_user()
    services.vote(idea, fan)
    db.session.commit()
    client.login(world["officer"])
    refused = client.post(f"/triage/ideas/{idea.id}/status", {"status": "accepted", "answer": "สั้น"})
    assert refused.status_code == 400 and "อย่างน้อย 10 ตัวอักษร" in refused.get_data(as_text=True)
    assert "สั้น" in refused.get_data(as_text=True)  # what was typed stays
    bad = client.post(f"/triage/ideas/{idea.id}/status", {"status": "duplicate", "answer": ""})
    assert bad.status_code == 400
    answer = "เทศบาลจะติดตั้งถังขยะแยกประเภทเพิ่ม 20 จุดภายในเดือนหน้า"
    ok = client.post(f"/triage/ideas/{idea.id}/status", {"status": "accepted", "answer": answer})
    assert ok.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Idea, idea.id)
    assert stored.status == IdeaStatus.accepted and stored.first_answered_at is not None
    change = db.session.scalar(sa.select(StatusChange).where(StatusChange.idea_id == idea.id))
    assert (change.before, change.after, change.answer, change.actor_id) == (
        IdeaStatus.received, IdeaStatus.accepted, answer, world["officer"].id)
    notified = set(db.session.scalars(sa.select(Notification.user_id).where(Notification.kind == "idea_status")))
    assert notified == {fan.id, idea.author_id}
    audit = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "set_status"))
    assert (audit.before, audit.after, audit.actor_id) == ("received", "accepted", world["officer"].id)
    # The public page shows the history with the answer, in Thai and in English.
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert answer in page and "ความคืบหน้าและคำตอบจากหน่วยงาน" in page
    client.logout()
    client.login(fan)
    notes = client.get("/notifications/?lang=en").get_data(as_text=True)
    assert "is now “Accepted”" in notes and answer in notes


def test_status_on_a_hidden_idea_is_refused(client, world):  # noqa: F811
    from idea4gov.ideas.models import Visibility

    idea = world["ideas"][0]
    idea.visibility = Visibility.hidden
    db.session.commit()
    client.login(world["officer"])
    response = client.post(f"/triage/ideas/{idea.id}/status", {"status": "under_review", "answer": ""})
    assert response.status_code == 400
    assert db.session.get(Idea, idea.id).status == IdeaStatus.received


def test_triage_pages_in_english_have_no_thai_left(client, make_area, make_staff, make_user, make_idea):
    from test_i18n import thai_left

    from idea4gov.ideas import services

    area = make_area(slug="saensuk", themes=(("beach", "ขยะชายหาด", "Beach litter"),))
    area.name_th = "Saensuk"
    officer = make_staff("admin", display_name="Officer Somchai")
    agency = Agency(area_id=area.id, name_th="Public works", name_en="Public works")
    db.session.add(agency)
    db.session.commit()
    x = make_idea(area, make_user(display_name="Author One"), title="More bins along Bang Saen beach",
                  body="Litter piles up near the pier every weekend; please add sorted bins.")
    y = make_idea(area, make_user(display_name="Author Two"), title="Bins overflow at the pier on weekends",
                  body="Every weekend the bins at the pier overflow; collect them more often please.")
    z = make_idea(area, make_user(display_name="Author Three"), title="Pier bins full again this Sunday",
                  body="The two bins at the pier were full by noon on Sunday; please empty them twice a day.")
    fan = make_user(display_name="Malee Reader")
    services.vote(x, fan)
    db.session.commit()
    client.get("/?lang=en")
    client.login(officer)
    client.post(f"/triage/ideas/{y.id}/status", {"status": "accepted", "answer": "We will add twenty bins next month."})
    client.post(f"/triage/ideas/{x.id}/merge", {"target_id": y.id})
    if db.session.get(Idea, z.id).issue_id is None:  # the engine may have put z in y's issue already
        assert client.post(f"/triage/ideas/{z.id}/move", {"target_id": y.id}).status_code == 302
    db.session.expire_all()
    issue_id = db.session.get(Idea, z.id).issue_id
    assert issue_id is not None and issue_id == db.session.get(Idea, y.id).issue_id
    pages = {
        "index": client.get("/triage/"),
        "board": client.get("/triage/saensuk?status=accepted"),
        "board empty": client.get("/triage/saensuk?overdue=1"),
        "idea": client.get(f"/triage/ideas/{y.id}"),
        "merged idea": client.get(f"/triage/ideas/{x.id}"),
        "bad status": client.post(f"/triage/ideas/{y.id}/status", {"status": "declined", "answer": "no"}),
        "stats": client.get("/triage/saensuk/stats"),
        "agencies": client.get("/triage/saensuk/agencies"),
        "agency": client.get(f"/triage/agencies/{agency.id}"),
        "settings": client.get("/triage/saensuk/settings"),
        "public merged idea": client.get(f"/ideas/{x.id}"),
        "public answered idea": client.get(f"/ideas/{y.id}"),
        "issue": client.get(f"/triage/issues/{issue_id}"),
        "bad split": client.post(f"/triage/issues/{issue_id}/split", {}),
        "bad move": client.post(f"/triage/ideas/{z.id}/move", {"target_id": y.id}),
        "public issue": client.get(f"/issues/{issue_id}"),
        "public report of an issue": client.get(f"/ideas/{z.id}"),
    }
    client.logout()
    client.get("/?lang=en")
    client.login(fan)
    pages["notifications"] = client.get("/notifications/")
    for what, response in pages.items():
        html = response.get_data(as_text=True)
        assert response.status_code < 500, what
        # The theme's Thai title is the area's own content (no English given for it on these pages).
        assert [t for t in thai_left(html) if "ขยะชายหาด" not in t] == [], what


def test_board_query_count_does_not_grow_with_rows(client, world, make_idea, make_user):  # noqa: F811
    from idea4gov.groups.models import IdeaGroup
    from tests.db_support import count_queries

    client.login(world["officer"])
    world["ideas"][2].agency_id = world["works"].id
    db.session.commit()
    client.get("/triage/saensuk")  # warm the similarity index and the session

    def measure() -> int:
        with count_queries() as statements:
            assert client.get("/triage/saensuk").status_code == 200
        return len(statements)

    def add_groups(count: int, start: int) -> None:
        for n in range(start, start + count):
            group = IdeaGroup(area_id=world["area"].id, size=2, keywords="ถังขยะ")
            db.session.add(group)
            db.session.flush()
            for k in range(2):
                idea = make_idea(world["area"], make_user(), title=f"ไอเดียทดสอบกลุ่ม {n} เรื่อง {k} ถังขยะ",
                                 body=f"รายละเอียดทดสอบของกลุ่มที่ {n} ไอเดียที่ {k} เรื่องถังขยะริมหาดและการเก็บขยะ")
                idea.group_id = group.id
            db.session.commit()
        client.get("/triage/saensuk")  # let the similarity index take in the new ideas

    add_groups(1, 0)
    few = measure()
    add_groups(8, 1)
    assert measure() == few
