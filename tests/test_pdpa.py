"""PDPA: erasing an account leaves no trace of the person in any table while their ideas,
comments and votes stay (shown as by a deleted user, still counted); the privacy notice."""
from __future__ import annotations

import json

import sqlalchemy as sa

from idea4gov.extensions import db
from idea4gov.groups.models import IdeaGroup
from idea4gov.ideas import services as idea_services
from idea4gov.ideas.models import Idea
from tests.conftest import PASSWORD

EMAIL, NAME = "pranee.secret@example.org", "ปราณี ลับเฉพาะ"


def _every_text_value() -> list[tuple[str, str, str]]:
    """(table, column, value) of every text-like value in the database."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text, sa.JSON))]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                if not isinstance(value, str):
                    value = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)
                found.append((table.name, column.name, value))
    return found


def test_erasure_leaves_no_personal_data_anywhere_and_keeps_contributions(client, make_user, make_idea, make_area):
    area = make_area(slug="saensuk")
    person = make_user(email=EMAIL, display_name=NAME)
    neighbour = make_user(display_name="เพื่อนบ้าน")
    mine = make_idea(area=area, author=person, title="ไอเดียของปราณีเรื่องถังขยะริมหาด")
    theirs = make_idea(area=area, author=neighbour, title="ไอเดียของเพื่อนบ้านเรื่องถังขยะริมหาด")
    for idea in (mine, theirs):
        idea_services.vote(idea, person)
    idea_services.vote(theirs, neighbour)
    comment = idea_services.add_comment(theirs, person, "เห็นด้วยมากค่ะ ปราณีเอง")
    idea_services.add_comment(mine, neighbour, "ตอบปราณี: เห็นด้วยครับ")
    db.session.commit()
    client.login(person)
    client.post("/account/tokens", {"name": "แอปของปราณี"})
    assert any(EMAIL in value for _t, _c, value in _every_text_value())

    assert client.post("/account/delete", {"password": PASSWORD}).status_code == 302

    db.session.expire_all()
    leaks = [(t, c) for t, c, value in _every_text_value() if EMAIL in value or NAME in value]
    assert leaks == []
    # Contributions stay, and count.
    assert db.session.get(Idea, mine.id).vote_count == 1 and db.session.get(Idea, theirs.id).vote_count == 2
    reader = client.raw.application.test_client()
    page = reader.get(f"/ideas/{theirs.id}").get_data(as_text=True)
    assert "เห็นด้วยมากค่ะ ปราณีเอง" in page and "ผู้ใช้ที่ลบบัญชีแล้ว" in page and NAME not in page
    assert page.count("ผู้ใช้ที่ลบบัญชีแล้ว") == 1  # the comment; the idea's author is the neighbour
    mine_page = reader.get(f"/ideas/{mine.id}").get_data(as_text=True)
    assert "ไอเดียของปราณีเรื่องถังขยะริมหาด" in mine_page and "ผู้ใช้ที่ลบบัญชีแล้ว" in mine_page
    api = reader.get(f"/api/v1/ideas/{mine.id}").get_json()
    assert api["vote_count"] == 1 and api["author"] == "" and NAME not in json.dumps(api, ensure_ascii=False)
    assert comment.id
    # A group of both ideas still counts the erased person once among its distinct supporters.
    group = IdeaGroup(area_id=area.id)
    db.session.add(group)
    db.session.flush()
    db.session.execute(sa.update(Idea).where(Idea.id.in_([mine.id, theirs.id])).values(group_id=group.id))
    from idea4gov.groups.services import refresh_counts

    refresh_counts([group.id])
    db.session.commit()
    assert db.session.get(IdeaGroup, group.id).supporter_count == 2


def test_privacy_notice_thai_first_english_on_request_and_linked(client):
    page = client.get("/privacy")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for words in ("ประกาศความเป็นส่วนตัว", "ข้อมูลที่เราเก็บ", "ระยะเวลาที่เก็บ", "สิทธิของคุณตาม PDPA",
                  "privacy@idea4gov.example", "ดาวน์โหลดข้อมูลทั้งหมด"):
        assert words in html
    english = client.get("/privacy?lang=en").get_data(as_text=True)
    assert "Privacy notice" in english and "Your rights under the PDPA" in english
    from tests.test_i18n import thai_left

    assert thai_left(english) == []
    assert 'href="/privacy"' in client.get("/?lang=th").get_data(as_text=True)  # the footer
    register = client.get("/auth/register").get_data(as_text=True)
    assert 'href="/privacy"' in register and "ประกาศความเป็นส่วนตัว" in register
