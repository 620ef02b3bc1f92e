"""Join codes for workshops: organisers open, print and close them; through a bound code the
per-address limits are lifted (never the per-account ones) and everything is audited."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from idea4gov.audit.models import AuditEntry
from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.ideas.models import Idea
from idea4gov.joincodes import services as joincodes
from idea4gov.joincodes.models import JoinCode
from idea4gov.timeutil import utcnow
from tests.conftest import Client

BODY = "ขยะบนชายหาดเยอะมาก อยากให้เทศบาลเพิ่มถังขยะแยกประเภททุก 100 เมตร"


@pytest.fixture()
def workshop(app, make_area, make_staff):
    area = make_area(slug="saensuk")
    organiser = make_staff("organiser", area)
    row = joincodes.open_code(area, organiser, "เวทีประชาคมหาดบางแสน", 4, 200)
    db.session.commit()
    return {"area": area, "organiser": organiser, "code": row}


def _register(client, mails, n: int) -> int:  # noqa: ANN001
    """Account n asks to register from the test client's address (the hall's), then opens the
    e-mailed link on another device (the phone's mail app), as the next person would."""
    email = f"workshop{n}@example.org"
    response = client.post("/auth/register", {
        "email": email, "display_name": f"ผู้เข้าร่วม {n}",
        "password": "correct-horse-battery-9", "confirm": "correct-horse-battery-9", "consent": "y"})
    if response.status_code == 302:
        phone = Client(client.app)
        link = mails.link(email, "/auth/register/confirm/")
        assert phone.get(link).status_code == 200
        assert phone.post(link).status_code == 302
    return response.status_code


def test_organiser_opens_prints_and_closes_a_code(client, app, make_area, make_staff, monkeypatch):
    area = make_area(slug="saensuk")
    organiser = make_staff("organiser", area)
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://idea4gov.example.go.th")
    client.login(organiser)
    assert client.get("/areas/saensuk/join-codes").status_code == 200
    assert "/areas/saensuk/join-codes" in client.get("/areas/saensuk").get_data(as_text=True)
    opened = client.post("/areas/saensuk/join-codes", {"label": "เวทีประชาคม <b>หาด</b>", "hours": "3",
                                                       "max_registrations": "50"})
    assert opened.status_code == 302
    row = db.session.scalar(sa.select(JoinCode))
    assert row.label == "เวทีประชาคม หาด" and row.max_registrations == 50
    assert timedelta(hours=2, minutes=59) < row.expires_at.replace(tzinfo=None) - utcnow().replace(
        tzinfo=None) <= timedelta(hours=3)
    page = client.get(opened.headers["Location"]).get_data(as_text=True)
    url = f"https://idea4gov.example.go.th/join/{row.code}"
    assert row.code in page and url in page and f"/join-codes/{row.id}/qr.svg" in page
    qr = client.get(f"/join-codes/{row.id}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    assert qr.get_data(as_text=True).startswith("<svg") and "<script" not in qr.get_data(as_text=True)
    # The QR code encodes exactly the join address: the same drawing as qrcode makes of it.
    import qrcode
    import qrcode.image.svg

    expected = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    expected.add_data(url)
    expected.make(fit=True)
    assert qr.get_data(as_text=True) == expected.make_image(
        image_factory=qrcode.image.svg.SvgPathImage).to_string(encoding="unicode")
    assert client.post(f"/join-codes/{row.id}/close").status_code == 302
    db.session.refresh(row)
    assert row.state() == "closed" and row.closed_by_id == organiser.id
    actions = list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.target_type == "join_code")
                                      .order_by(AuditEntry.id)))
    assert actions == ["open_join_code", "close_join_code"]


@pytest.mark.parametrize(("form", "field"), [
    ({"label": "", "hours": "3", "max_registrations": "5"}, "label"),
    ({"label": "เวที", "hours": "0", "max_registrations": "5"}, "hours"),
    ({"label": "เวที", "hours": "999", "max_registrations": "5"}, "hours"),
    ({"label": "เวที", "hours": "abc", "max_registrations": "5"}, "hours"),
    ({"label": "เวที", "hours": "3", "max_registrations": "0"}, "max_registrations"),
    ({"label": "ก" * 500, "hours": "3", "max_registrations": "5"}, "label"),
])
def test_bad_forms_come_back_with_the_error_and_open_nothing(client, make_area, make_staff, form, field):
    area = make_area(slug="saensuk")
    client.login(make_staff("organiser", area))
    response = client.post("/areas/saensuk/join-codes", form)
    assert response.status_code == 400 and f'id="{field}-errors"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JoinCode)) == 0


def test_only_the_areas_organisers_and_admins_manage_its_codes(client, workshop, make_user, make_staff, make_area):
    row = workshop["code"]
    other = make_area()
    for person in (make_user(), make_staff("officer", workshop["area"]), make_staff("organiser", other)):
        client.login(person)
        assert client.get("/areas/saensuk/join-codes").status_code == 403
        assert client.post("/areas/saensuk/join-codes", {"label": "x", "hours": "2",
                                                         "max_registrations": "5"}).status_code == 403
        assert client.get(f"/join-codes/{row.id}").status_code == 403
        assert client.get(f"/join-codes/{row.id}/qr.svg").status_code == 403
        assert client.post(f"/join-codes/{row.id}/close").status_code == 403
        client.logout()
    client.login(make_staff("admin"))
    assert client.get(f"/join-codes/{row.id}").status_code == 200


def test_a_code_lifts_the_per_address_registration_limit_and_is_audited(client, app, workshop, monkeypatch, mails):
    monkeypatch.setitem(app.config, "RATELIMIT_REGISTER", "2 per hour")
    assert [_register(client, mails, n) for n in range(2)] == [302, 302]
    assert _register(client, mails, 2) == 429  # the hall's shared address is used up
    row = workshop["code"]
    joined = client.get(f"/join/{row.code.lower()}")
    assert joined.status_code == 200 and 'data-testid="join-open"' in joined.get_data(as_text=True)
    assert joincodes.COOKIE in joined.headers["Set-Cookie"] and "HttpOnly" in joined.headers["Set-Cookie"]
    assert [_register(client, mails, n) for n in range(3, 7)] == [302, 302, 302, 302]
    db.session.refresh(row)
    assert row.registrations == 4
    audited = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "join_code_register")).all()
    assert len(audited) == 4 and all(entry.after == row.code and entry.area_id == row.area_id for entry in audited)
    assert {entry.target_id for entry in audited} == set(db.session.scalars(
        sa.select(User.id).where(User.email.in_([f"workshop{n}@example.org" for n in range(3, 7)]))))


def test_per_account_limits_still_hold_and_posts_are_audited(client, app, workshop, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_IDEAS", "1 per hour")
    area = workshop["area"]
    client.get(f"/join/{workshop['code'].code}")
    client.login(make_user())
    posted = client.post("/areas/saensuk/ideas/new", {"title": "ไอเดียจากเวทีประชาคมข้อแรก", "body": BODY,
                                                      "theme": area.themes[0].slug, "confirm_new": "1"})
    assert posted.status_code == 302
    again = client.post("/areas/saensuk/ideas/new", {"title": "ไอเดียจากเวทีประชาคมข้อสอง", "body": BODY + " 2",
                                                     "theme": area.themes[0].slug, "confirm_new": "1"})
    assert again.status_code == 429  # one account, one idea an hour, code or not
    idea = db.session.scalar(sa.select(Idea))
    assert client.post(f"/ideas/{idea.id}/comments", {"body": "เห็นด้วยกับไอเดียนี้"}).status_code == 302
    assert client.post(f"/ideas/{idea.id}/vote").status_code == 302
    actions = set(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("join_code_%"))))
    assert actions == {"join_code_idea", "join_code_comment", "join_code_vote"}


@pytest.mark.parametrize("state", ["closed", "expired"])
def test_closed_and_expired_codes_say_so_and_lift_nothing(client, app, workshop, monkeypatch, mails, state):
    monkeypatch.setitem(app.config, "RATELIMIT_REGISTER", "1 per hour")
    row = workshop["code"]
    client.get(f"/join/{row.code}")  # bound while it was open
    if state == "closed":
        joincodes.close_code(row, workshop["organiser"])
    else:
        row.expires_at = utcnow() - timedelta(minutes=1)
        row.created_at = row.expires_at - timedelta(hours=1)
    db.session.commit()
    page = client.get(f"/join/{row.code}")
    assert page.status_code == 410 and 'data-testid="join-error"' in page.get_data(as_text=True)
    assert _register(client, mails, 1) == 302
    assert _register(client, mails, 2) == 429
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "join_code_register"))


def test_unknown_codes_and_forged_cookies(client, app, workshop, monkeypatch, mails):
    monkeypatch.setitem(app.config, "RATELIMIT_REGISTER", "1 per hour")
    for code in ("NOPE2345", "x", "'; DROP TABLE join_codes; --", "ก" * 30):
        response = client.get(f"/join/{code}")
        assert response.status_code == 404 and 'data-testid="join-error"' in response.get_data(as_text=True)
    client.raw.set_cookie(joincodes.COOKIE, workshop["code"].code)  # not signed by the server
    assert _register(client, mails, 1) == 302
    assert _register(client, mails, 2) == 429


def test_a_full_code_stops_lifting_the_limit(client, app, workshop, monkeypatch, mails):
    monkeypatch.setitem(app.config, "RATELIMIT_REGISTER", "1 per hour")
    row = workshop["code"]
    row.max_registrations = 2
    db.session.commit()
    client.get(f"/join/{row.code}")
    statuses = [_register(client, mails, n) for n in range(4)]
    # Two through the code, then the address's own allowance of one, then refused.
    assert statuses == [302, 302, 302, 429]


def test_failed_logins_keep_their_per_address_limit(client, app, workshop, monkeypatch, mails):
    monkeypatch.setitem(app.config, "RATELIMIT_LOGIN", "2 per hour")
    client.get(f"/join/{workshop['code'].code}")
    codes = [client.post("/auth/login", {"email": f"who{n}@example.org", "password": "wrong-password-x"}).status_code
             for n in range(3)]
    assert codes == [400, 400, 429]
