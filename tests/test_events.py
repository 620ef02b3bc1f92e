"""Events: organisers of an event's areas create and manage it; public pages in Thai (Buddhist era) and
English; linked challenges and partner agencies; every change audited; bad input is a clear 4xx."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from idea4gov.audit.models import AuditEntry
from idea4gov.events.models import Event, EventKind, EventState
from idea4gov.extensions import db
from idea4gov.groups.models import IdeaGroup
from idea4gov.timeutil import to_bangkok
from tests.event_support import HACKATHON, event_world, make_event  # noqa: F401  (fixture)

FORM = {
    "kind": "hackathon", "title_th": "แฮกกาธอนขยะชายหาด", "title_en": "Beach litter hackathon",
    "description_th": "สองวัน ออกแบบทางแก้ขยะชายหาด", "description_en": "Two days",
    "starts_at": "2569-12-05T09:00", "ends_at": "2569-12-06 17:00", "place": "หอประชุมเทศบาล", "online_url": "",
    "capacity": "80", "team_size_max": "5", "registration_opens_at": "", "registration_closes_at": "",
    "proposal_deadline": "2026-12-06 15:00", "group_ids": "", "shortlist_id": "",
}


def _events() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Event))


def test_an_organiser_creates_a_draft_in_their_area_then_publishes_it(client, make_area, make_staff, make_user):
    area = make_area(slug="saensuk")
    organiser = make_staff("organiser", area)
    client.login(organiser)
    page = client.get("/events/new")
    assert page.status_code == 200 and "แฮกกาธอน" in page.get_data(as_text=True)

    response = client.post("/events/new", {**FORM, "areas": area.id, "theme_ids": area.themes[0].id})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    event = db.session.scalars(sa.select(Event)).one()
    assert response.headers["Location"] == f"/events/{event.id}/manage"
    assert event.state == EventState.draft and event.kind == EventKind.hackathon
    assert [a.slug for a in event.areas] == ["saensuk"] and [t.id for t in event.themes] == [area.themes[0].id]
    # Typed in Bangkok time (a Buddhist-era year understood), stored in UTC.
    assert to_bangkok(event.starts_at).strftime("%Y-%m-%d %H:%M") == "2026-12-05 09:00"
    assert to_bangkok(event.proposal_deadline).strftime("%H:%M") == "15:00"

    # A draft does not exist for anyone else.
    client.logout()
    assert client.get(f"/events/{event.id}").status_code == 404
    assert HACKATHON not in client.get("/events/").get_data(as_text=True)

    client.login(organiser)
    assert client.post(f"/events/{event.id}/manage/publish").status_code == 302
    db.session.refresh(event)
    assert event.state == EventState.published
    actions = set(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.target_id == event.id,
                                                                         AuditEntry.target_type == "event")))
    assert {"event_create", "event_publish"} <= actions

    client.logout()
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "แฮกกาธอนขยะชายหาด" in html and "5 ธ.ค. 2569 09:00" in html and "หอประชุมเทศบาล" in html
    english = client.get(f"/events/{event.id}?lang=en").get_data(as_text=True)
    assert "Beach litter hackathon" in english and "5 Dec 2026 09:00" in english and "Hackathon" in english
    listing = client.get("/events/?lang=th").get_data(as_text=True)
    assert "แฮกกาธอนขยะชายหาด" in listing


def test_a_failed_event_form_keeps_what_was_typed_and_says_why(client, make_area, make_staff):
    area = make_area()
    client.login(make_staff("organiser", area))
    bad = {**FORM, "areas": area.id, "ends_at": "2569-12-04 09:00", "capacity": "0", "online_url": "javascript:alert(1)",
           "description_th": "รายละเอียดยาวที่พิมพ์ไว้แล้ว ไม่ควรหาย"}
    response = client.post("/events/new", bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "เวลาสิ้นสุดต้องอยู่หลังเวลาเริ่ม" in html and "ต้องเป็น 1–10000" in html
    assert "รายละเอียดยาวที่พิมพ์ไว้แล้ว ไม่ควรหาย" in html and 'value="แฮกกาธอนขยะชายหาด"' in html
    assert _events() == 0

    for odd_date in ("32/13/2569 25:61", "0001-01-01 00:00", "2569-02-30 09:00", "99999-01-01"):
        odd = client.post("/events/new", {**FORM, "areas": area.id, "starts_at": odd_date})
        assert odd.status_code == 400 and "รูปแบบวันเวลาไม่ถูกต้อง" in odd.get_data(as_text=True), odd_date
    huge = client.post("/events/new", {**FORM, "areas": area.id, "capacity": "9" * 30, "team_size_max": "-1"})
    assert huge.status_code == 400
    no_place = client.post("/events/new", {**FORM, "areas": area.id, "place": ""})
    assert no_place.status_code == 400 and "กรุณาใส่สถานที่" in no_place.get_data(as_text=True)
    bad_url = client.post("/events/new", {**FORM, "areas": area.id, "online_url": "javascript:alert(1)"})
    assert bad_url.status_code == 400 and "http://" in bad_url.get_data(as_text=True)
    assert _events() == 0


def test_only_organisers_of_every_area_of_the_event_manage_it(client, ew, make_area, make_staff, make_user):
    other = make_area(slug="huawiang")
    both = make_staff("organiser", ew.area)
    from idea4gov.auth import staff
    from idea4gov.auth.models import Role

    staff.grant(both, Role.organiser, other)
    db.session.commit()
    two_areas = make_event([ew.area, other], both, title_th="เวทีสองพื้นที่")
    # An organiser of only one of its areas may not manage it, nor create one over an area not theirs.
    client.login(ew.organiser)
    assert client.get(f"/events/{two_areas.id}/manage/edit").status_code == 403
    assert client.get(f"/events/{ew.event.id}/manage/edit").status_code == 200
    refused = client.post("/events/new", {**FORM, "areas": other.id})
    assert refused.status_code == 400 and _events() == 2
    # A resident and an officer of the area get 403; an admin manages everything.
    client.login(make_user())
    assert client.get(f"/events/{ew.event.id}/manage").status_code == 403
    client.login(make_staff("admin"))
    assert client.get(f"/events/{two_areas.id}/manage/edit").status_code == 200


def test_linked_challenges_and_partners_must_come_from_the_events_areas(client, ew, make_area, make_staff):
    from idea4gov.shortlists import services as shortlists
    from idea4gov.triage.services import agencies

    other = make_area(slug="elsewhere")
    foreign_agency = agencies.save_agency(other, make_staff("admin"), "หน่วยงานที่อื่น", "", "")
    foreign_group = IdeaGroup(area_id=other.id)
    group = IdeaGroup(area_id=ew.area.id, keywords="ขยะ ชายหาด")
    db.session.add_all([foreign_group, group])
    shortlist = shortlists.create_shortlist(ew.organiser, shortlists.ShortlistInput("คัดไอเดียชายหาด", None, "", [ew.area]))
    shortlists.add_ideas(shortlist, [ew.ideas[1].id], ew.organiser)
    db.session.commit()
    client.login(ew.organiser)
    url = f"/events/{ew.event.id}/manage/edit"
    base = {**FORM, "title_th": HACKATHON}
    ok = client.post(url, {**base, "theme_ids": ew.area.themes[0].id, "agency_ids": ew.agency.id,
                           "group_ids": f"{group.id}", "shortlist_id": shortlist.id})
    assert ok.status_code == 302, ok.get_data(as_text=True)[:1500]
    db.session.refresh(ew.event)
    assert [a.id for a in ew.event.agencies] == [ew.agency.id] and [g.id for g in ew.event.groups] == [group.id]
    assert ew.event.shortlist_id == shortlist.id
    update = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "event_update")).all()[-1]
    assert "agencies" in update.reason and "groups" in update.reason and "starts_at" in update.reason

    assert client.post(url, {**base, "agency_ids": foreign_agency.id}).status_code == 400
    assert client.post(url, {**base, "group_ids": f"{foreign_group.id}"}).status_code == 400
    response = client.post(url, {**base, "group_ids": "12; DROP TABLE"})
    assert response.status_code == 400 and "เลขที่กลุ่ม" in response.get_data(as_text=True)
    db.session.refresh(ew.event)
    assert [a.id for a in ew.event.agencies] == [ew.agency.id]
    html = client.get(f"/events/{ew.event.id}").get_data(as_text=True)
    assert "กองสาธารณสุขและสิ่งแวดล้อม" in html and "เรื่อง ขยะ · ชายหาด" in html and ew.ideas[1].title in html


def test_capacity_cannot_go_below_the_seats_taken(client, ew, make_user):
    from tests.event_support import seat

    for _ in range(3):
        seat(ew.event, make_user())
    client.login(ew.organiser)
    response = client.post(f"/events/{ew.event.id}/manage/edit", {**FORM, "title_th": HACKATHON, "capacity": "2"})
    assert response.status_code == 400 and "มีผู้ได้ที่นั่งแล้ว 3 คน" in response.get_data(as_text=True)
    db.session.refresh(ew.event)
    assert ew.event.capacity == 80


@pytest.mark.parametrize("url", ["/events/?page=99999999999999999999", "/events/?page=-3", "/events/?page=abc",
                                 "/events/2147483648", "/events/99999", "/events/?area=nowhere",
                                 "/events/certificates/not-a-token", "/events/1/proposals/2147483647"])
def test_bad_addresses_are_clear_4xx_never_500(client, ew, url):
    response = client.get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    if response.status_code == 404:
        assert "ไม่พบ" in response.get_data(as_text=True)


def test_cancelling_an_event_keeps_it_readable_and_tells_registered_people(client, ew, make_user):
    from idea4gov.notifications.models import Notification
    from tests.event_support import seat

    person = make_user()
    seat(ew.event, person)
    client.login(ew.organiser)
    empty = client.post(f"/events/{ew.event.id}/manage/cancel", {"reason": ""})
    assert empty.status_code == 302 and db.session.get(Event, ew.event.id).state == EventState.published
    client.post(f"/events/{ew.event.id}/manage/cancel", {"reason": "พายุเข้า ย้ายไปจัดเดือนหน้า"})
    db.session.expire_all()
    assert db.session.get(Event, ew.event.id).state == EventState.cancelled
    assert db.session.scalar(sa.select(Notification.kind).where(Notification.user_id == person.id)) == "event_cancelled"
    client.logout()
    html = client.get(f"/events/{ew.event.id}").get_data(as_text=True)
    assert "พายุเข้า ย้ายไปจัดเดือนหน้า" in html
    assert re.search(r'data-testid="register-link"', html) is None
