"""The language a person chooses is kept on their account and used for their e-mails; a flashed
message reads in the language of the page that shows it."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from conftest import Client
from test_triage_mail import smtp  # noqa: F401  (fixture: a real SMTP server on loopback)
from triage_support import world  # noqa: F401  (fixture)

from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.ideas import services
from idea4gov.triage.models import AgencyMember


def _locale_of(user) -> str | None:
    return db.session.scalar(sa.select(User.preferred_locale).where(User.id == user.id))


def test_the_switcher_is_remembered_for_a_signed_in_account(app, client, make_user):
    user = make_user()
    client.login(user)
    assert _locale_of(user) is None
    assert client.get("/?lang=en").status_code == 200
    assert _locale_of(user) == "en"
    # Another browser, another session: the account's language comes back at log-in,
    # and the message of the log-in itself is already in it.
    other = Client(app)
    response = other.login(user)
    page = other.get(response.headers["Location"]).get_data(as_text=True)
    assert '<html lang="en"' in page and "You are logged in." in page
    client.get("/?lang=th")
    assert _locale_of(user) == "th"


def test_a_language_chosen_before_logging_in_is_kept_on_the_account(client, make_user):
    user = make_user()
    client.get("/areas?lang=en")
    client.login(user)
    assert _locale_of(user) == "en"


def test_a_flashed_message_follows_the_page_that_shows_it(client, make_idea, make_user):
    idea = make_idea()
    client.login(make_user())
    assert client.post(f"/ideas/{idea.id}/vote").status_code == 302  # flashed on a Thai request
    english = client.get(f"/ideas/{idea.id}?lang=en").get_data(as_text=True)
    assert "You support this idea" in english.split("<main", 1)[1].split("</p>", 1)[0]
    assert "คุณสนับสนุนไอเดียนี้แล้ว" not in english
    # And the other way round, with a value in the message.
    client.post(f"/ideas/{idea.id}/unvote")
    thai = client.get(f"/ideas/{idea.id}?lang=th").get_data(as_text=True)
    assert "ถอนการสนับสนุนแล้ว" in thai


def test_an_error_flash_is_translated_where_it_is_shown(client, make_idea, make_user):
    idea = make_idea()
    blocked = make_user()
    blocked.blocked_at = idea.created_at
    db.session.commit()
    client.login(blocked)
    client.get("/?lang=th")
    client.post(f"/ideas/{idea.id}/vote")
    english = client.get(f"/ideas/{idea.id}?lang=en").get_data(as_text=True)
    assert "flash-error" in english and "บัญชีของคุณถูกระงับ" not in english


def test_a_flashed_name_is_escaped(client, mails):
    response = client.register(mails, email="xss@example.org", display_name='สมชาย "A&B" >_<')
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    flash = html.split('<p class="flash flash-success" role="status">', 1)[1].split("</p>", 1)[0]
    assert flash.endswith("สมชาย &#34;A&amp;B&#34; &gt;_&lt;")  # translated late, escaped all the same


def test_status_mail_is_in_each_followers_language(client, world, smtp, make_user):  # noqa: F811
    idea = world["ideas"][0]
    fans = {code: make_user(email=f"fan-{code or 'none'}@example.org") for code in ("en", "th", None)}
    for code, fan in fans.items():
        fan.preferred_locale = code
        services.vote(idea, fan)
    db.session.commit()
    client.login(world["officer"])
    answer = "เทศบาลรับเรื่องแล้ว จะติดตั้งถังขยะเพิ่มภายในเดือนหน้า"
    assert client.post(f"/triage/ideas/{idea.id}/status", {"status": "accepted", "answer": answer}).status_code == 302
    [english] = smtp.to("fan-en@example.org")
    assert english["Subject"] == f"Idea “{idea.title}”: Accepted"
    body = english.get_content()
    assert "you follow is now “Accepted”" in body and "เปลี่ยนสถานะ" not in body and "To stop these e-mails" in body
    [thai] = smtp.to("fan-th@example.org")
    assert thai["Subject"] == f"ไอเดีย “{idea.title}”: รับไปดำเนินการ"
    assert "English" not in thai.get_content() and "ไม่ต้องการรับอีเมลนี้อีก" in thai.get_content()
    [both] = smtp.to("fan-none@example.org")
    assert both["Subject"] == f"ไอเดีย “{idea.title}”: รับไปดำเนินการ / Idea “{idea.title}”: Accepted"
    assert both.get_content().index("ที่คุณติดตาม") < both.get_content().index("you follow")


def test_the_overdue_digest_is_in_each_officers_language(runner, world, smtp):  # noqa: F811
    idea = world["ideas"][0]
    idea.created_at = idea.created_at - timedelta(days=30)
    idea.agency_id = world["cleaning"].id
    world["officer"].preferred_locale = "en"
    world["cleaning"].email = "health@saensuk.example"
    db.session.add(AgencyMember(agency_id=world["cleaning"].id, user_id=world["officer"].id))
    db.session.commit()
    assert runner.invoke(args=["triage", "remind", "--area", "saensuk"]).exit_code == 0
    [officer] = smtp.to(world["officer"].email)
    assert officer["Subject"] == "1 overdue ideas"
    assert "Public health and environment: 1 ideas" in officer.get_content() and "ไอเดีย" not in officer.get_content()
    [agency] = smtp.to("health@saensuk.example")  # an agency's own address: Thai, then English
    assert "ไอเดียเกินกำหนดตอบ 1 เรื่อง / 1 overdue ideas" == agency["Subject"]


def test_a_routing_message_names_the_agency_in_the_page_language(client, world):  # noqa: F811
    idea = world["ideas"][0]
    client.login(world["officer"])
    client.post(f"/triage/ideas/{idea.id}/route", {"agency_id": world["cleaning"].id})
    english = client.get(f"/triage/ideas/{idea.id}?lang=en").get_data(as_text=True)
    flash = english.split('role="status">', 1)[1].split("</p>", 1)[0]
    assert "Public health and environment" in flash and "กอง" not in flash
