"""Accounts: register, log in, log out, safe `next`, session renewal."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from idea4gov.auth.models import PendingRegistration, User
from idea4gov.extensions import db
from idea4gov.timeutil import as_utc, utcnow
from tests.conftest import PASSWORD, Client

GENERIC_LOGIN_ERROR = "อีเมลหรือรหัสผ่านไม่ถูกต้อง"


def _register_data(**overrides) -> dict:
    data = {
        "email": "somchai@example.org",
        "display_name": "สมชาย ใจดี",
        "password": "ทะเลสวยไร้ขยะ-2567",
        "confirm": "ทะเลสวยไร้ขยะ-2567",
        "consent": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _users() -> list[User]:
    return list(db.session.scalars(sa.select(User)))


def _is_logged_in(client) -> bool:
    response = client.get("/account/")
    return response.status_code == 200


def _field_errors(html: str, field_id: str) -> str:
    """The error list rendered beside one field ('' when there is none)."""
    match = re.search(rf'<ul class="errors" id="{field_id}-errors">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


# --- register --------------------------------------------------------------------------

def test_register_page_shows_the_form_in_thai(client):
    response = client.get("/auth/register")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "สมัครสมาชิก" in html
    assert 'name="consent"' in html
    assert "PDPA" in html


def test_register_sends_a_link_that_creates_the_account_with_hashed_password_and_consent_time(client, mails):
    before = utcnow()
    response = client.post("/auth/register", _register_data(email="  SomChai@Example.org "))
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/register/sent"
    assert _users() == []  # nothing yet: the account exists once the e-mailed link is opened
    sent = client.get("/auth/register/sent").get_data(as_text=True)
    assert "ตรวจสอบอีเมลของคุณ" in sent and "24 ชั่วโมง" in sent

    [mail] = mails.to("somchai@example.org")
    assert mail["subject"] == "ยืนยันการสมัครสมาชิก idea4gov / Confirm your idea4gov registration"
    assert "http://localhost/auth/register/confirm/" in mail["body"] and "English" in mail["body"]
    link = mails.link("somchai@example.org", "/auth/register/confirm/")
    page = client.get(link)  # a mail scanner following the link creates nothing
    assert page.status_code == 200 and "somchai@example.org" in page.get_data(as_text=True)
    assert _users() == []
    response = client.post(link)
    assert response.status_code == 302 and response.headers["Location"] == "/"

    [user] = _users()
    assert user.email == "somchai@example.org"
    assert user.display_name == "สมชาย ใจดี"
    assert user.password_hash.startswith("scrypt:")
    assert "ทะเลสวยไร้ขยะ" not in user.password_hash
    consent = as_utc(user.pdpa_consent_at)
    assert before - timedelta(seconds=1) <= consent <= utcnow() + timedelta(seconds=1)
    # Confirming logs the new resident in; the link works once.
    client._token = None
    assert _is_logged_in(client)
    assert client.get(link).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PendingRegistration)) == 0


def test_register_then_confirm_shows_welcome(client, mails):
    client.post("/auth/register", _register_data())
    link = mails.link("somchai@example.org", "/auth/register/confirm/")
    response = client.post(link, follow_redirects=True)
    assert response.status_code == 200
    assert "สมัครสมาชิกเรียบร้อย ยินดีต้อนรับ สมชาย ใจดี" in response.get_data(as_text=True)


def test_register_link_expires_after_a_day(client, mails):
    client.post("/auth/register", _register_data())
    link = mails.link("somchai@example.org", "/auth/register/confirm/")
    db.session.execute(sa.update(PendingRegistration).values(created_at=utcnow() - timedelta(hours=25)))
    db.session.commit()
    response = client.post(link)
    assert response.status_code == 404 and "หมดอายุ" in response.get_data(as_text=True)
    assert _users() == []
    assert client.get("/auth/register/confirm/not-a-real-token").status_code == 404


def test_register_redirects_to_a_local_next_once_confirmed(client, mails):
    response = client.register(mails, query="?next=/areas/saensuk")
    assert response.status_code == 302
    assert response.headers["Location"] == "/areas/saensuk"


def test_register_ignores_a_foreign_next(client, mails):
    response = client.register(mails, query="?next=https://evil.example/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": ""}, "email", "กรุณาใส่อีเมล"),
        ({"email": "not-an-email"}, "email", "รูปแบบอีเมลไม่ถูกต้อง"),
        ({"email": "a" * 250 + "@example.org"}, "email", "อีเมลยาวเกินไป"),
        ({"display_name": ""}, "display_name", "กรุณาใส่ชื่อที่แสดง"),
        ({"display_name": "ส"}, "display_name", "ชื่อที่แสดงต้องยาว 2–80 ตัวอักษร"),
        ({"display_name": "ก" * 81}, "display_name", "ชื่อที่แสดงต้องยาว 2–80 ตัวอักษร"),
        ({"display_name": "<b></b><i></i>"}, "display_name", "ชื่อที่แสดงต้องยาว 2–80 ตัวอักษร"),
        ({"display_name": "ก\u200b\u200b\u200b"}, "display_name", "ชื่อที่แสดงต้องยาว 2–80 ตัวอักษร"),
        ({"password": "", "confirm": ""}, "password", "กรุณาตั้งรหัสผ่าน"),
        ({"password": "Short-123", "confirm": "Short-123"}, "password", "รหัสผ่านต้องยาวอย่างน้อย 10 ตัวอักษร"),
        ({"password": "x" * 129, "confirm": "x" * 129}, "password", "รหัสผ่านต้องยาวอย่างน้อย 10 ตัวอักษร"),
        ({"password": "password123", "confirm": "password123"}, "password", "รหัสผ่านนี้คาดเดาง่ายเกินไป"),
        ({"password": "1234567890", "confirm": "1234567890"}, "password", "รหัสผ่านนี้คาดเดาง่ายเกินไป"),
        ({"password": "Qwertyuiop", "confirm": "Qwertyuiop"}, "password", "รหัสผ่านนี้คาดเดาง่ายเกินไป"),
        ({"password": "abababababab", "confirm": "abababababab"}, "password", "รหัสผ่านนี้คาดเดาง่ายเกินไป"),
        ({"confirm": "something-else-99"}, "confirm", "รหัสผ่านทั้งสองช่องไม่ตรงกัน"),
        ({"consent": None}, "consent", "กรุณายอมรับประกาศความเป็นส่วนตัวก่อนสมัคร"),
    ],
    ids=["email-empty", "email-invalid", "email-too-long", "name-empty", "name-short", "name-long",
         "name-only-tags", "name-zero-width", "password-empty", "password-9-chars", "password-129-chars",
         "password-common", "password-digits", "password-keyboard-row", "password-two-letters",
         "confirm-mismatch", "no-consent"],
)
def test_register_rejects_bad_input_and_keeps_what_was_typed(client, overrides, field, message):
    data = _register_data(**overrides)
    response = client.post("/auth/register", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in _field_errors(html, field)
    assert 'class="field has-error"' in html
    # What was typed comes back (passwords excepted, as browsers expect).
    if field != "email":
        assert f'value="{data["email"]}"' in html
    if field != "display_name":
        assert f'value="{data["display_name"]}"' in html
    assert _users() == []


def _answer(app, response) -> tuple:
    """What a visitor sees of a registration: status, where it goes, the cookies it sets and what
    the session cookie holds (its values differ per visitor: the CSRF token)."""
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        name, _sep, value = header.partition(";")[0].partition("=")
        cookies[name] = value
    session = app.session_interface.get_signing_serializer(app).loads(cookies.pop("session", "e30"))
    return response.status_code, response.headers.get("Location"), sorted(cookies), sorted(session)


def test_register_answers_the_same_whether_or_not_the_address_has_an_account(app, client, make_user, mails):
    owner = make_user(email="somchai@example.org", display_name="สมชาย เจ้าของบัญชี")
    taken = client.post("/auth/register", _register_data(email="SOMCHAI@example.org"))
    other = app.test_client()  # a second visitor with a fresh session, for a fair comparison
    stranger = Client(app)
    stranger.raw = other
    free = stranger.post("/auth/register", _register_data(email="nobody-yet@example.org"))
    assert _answer(app, taken) == _answer(app, free)
    assert _answer(app, taken)[:3] == (302, "/auth/register/sent", [])
    pages = [re.sub(r'name="csrf-token" content="[^"]+"', "", visitor.get("/auth/register/sent").get_data(as_text=True))
             for visitor in (client, stranger)]
    assert pages[0] == pages[1]
    # The owner is told by e-mail instead, with no link that would make an account.
    [note] = mails.to("somchai@example.org")
    assert note["subject"] == "มีการสมัครสมาชิกด้วยอีเมลของคุณ / Someone tried to register with your address"
    assert "http://localhost/auth/login" in note["body"] and "/auth/register/confirm/" not in note["body"]
    # Nothing changed about the existing account; the new address waits for its link.
    assert [user.email for user in _users()] == [owner.email]
    assert db.session.get(User, owner.id).display_name == "สมชาย เจ้าของบัญชี"
    assert mails.to("nobody-yet@example.org")


def test_register_cleans_the_display_name(client, mails):
    client.register(mails, email="somchai@example.org", display_name="<script>x</script>สมชาย")
    assert _users()[0].display_name == "xสมชาย"


def test_a_link_for_an_address_that_got_an_account_meanwhile_makes_nothing(client, make_user, mails):
    client.post("/auth/register", _register_data())
    link = mails.link("somchai@example.org", "/auth/register/confirm/")
    make_user(email="somchai@example.org")
    response = client.post(link)
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert len(_users()) == 1


def test_register_when_logged_in_goes_home(client, make_user):
    client.login(make_user())
    response = client.get("/auth/register")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


# --- log in ----------------------------------------------------------------------------

def test_login_logs_in_and_redirects_home(client, make_user):
    user = make_user(email="malee@example.org")
    response = client.post("/auth/login", {"email": "Malee@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    client._token = None
    assert _is_logged_in(client)
    with client.raw.session_transaction() as session:
        assert session["_user_id"].startswith(f"{user.id}:{user.session_token}:")


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": "nobody@example.org", "password": PASSWORD},  # unknown e-mail
        {"email": "malee@example.org", "password": "wrong-password-123"},  # wrong password
    ],
    ids=["unknown-email", "wrong-password"],
)
def test_login_failure_gives_one_generic_message(client, make_user, credentials):
    make_user(email="malee@example.org")
    response = client.post("/auth/login", credentials)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert GENERIC_LOGIN_ERROR in html
    assert "has-error" not in html  # nothing points at the e-mail or the password field
    assert "ไม่พบ" not in html
    assert f'value="{credentials["email"]}"' in html
    assert not _is_logged_in(client)


def test_login_failure_pages_are_identical_for_unknown_email_and_wrong_password(client, make_user):
    make_user(email="malee@example.org")
    unknown = client.post("/auth/login", {"email": "x@example.org", "password": "wrong-password-123"})
    wrong = client.post("/auth/login", {"email": "malee@example.org", "password": "wrong-password-123"})

    def errors(html: str) -> str:
        return re.search(r'<div class="errors form-errors".*?</div>', html, re.S).group(0)

    assert unknown.status_code == wrong.status_code == 400
    assert errors(unknown.get_data(as_text=True)) == errors(wrong.get_data(as_text=True))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "password": PASSWORD}, "กรุณาใส่อีเมล"),
        ({"email": "malee@example.org", "password": ""}, "กรุณาใส่รหัสผ่าน"),
    ],
)
def test_login_requires_both_fields(client, data, message):
    response = client.post("/auth/login", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_login_of_an_erased_account_fails(client, make_user):
    from idea4gov.account.services import erase_account

    user = make_user(email="gone@example.org")
    erase_account(user)
    db.session.commit()
    response = client.post("/auth/login", {"email": "gone@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert GENERIC_LOGIN_ERROR in response.get_data(as_text=True)


def test_login_page_carries_next_into_the_form(client):
    response = client.get("/auth/login?next=/areas/saensuk?sort=new")
    assert response.status_code == 200
    assert 'value="/areas/saensuk?sort=new"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "target",
    ["/areas/saensuk", "/areas/saensuk?sort=new&q=%E0%B8%82%E0%B8%A2%E0%B8%B0", "/ideas/12#comments", "/account/"],
)
def test_login_redirects_to_a_local_next(client, make_user, target):
    user = make_user()
    response = client.post("/auth/login", {"email": user.email, "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == target


@pytest.mark.parametrize(
    "attack",
    [
        "//evil.com",
        "///evil.com",
        "https://evil.com",
        "http:evil.com",
        "https:/evil.com",
        "HTTPS://evil.com/x",
        "/\\evil.com",
        "\\/evil.com",
        "\\\\evil.com",
        "/\\/evil.com",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "%2F%2Fevil.com",
        "%2f%2fevil.com",
        "evil.com",
        " //evil.com",
        "\t//evil.com",
        "\n//evil.com",
        "/\t/evil.com",
        "/\n/evil.com",
        "/\r/evil.com",
        "\u3000//evil.com",
        "/\u200b/evil.com",
        "//evil.com@localhost",
        "/ /evil.com",
    ],
)
def test_login_never_redirects_off_site(client, make_user, attack):
    user = make_user()
    response = client.post("/auth/login", {"email": user.email, "password": PASSWORD, "next": attack})
    assert response.status_code == 302
    location = response.headers["Location"]
    # Either the home page, or a path that a browser can only read as this site.
    assert location == "/" or (location.startswith("/") and not location.startswith(("//", "/\\")))
    assert "evil.com" not in location or location.startswith("/%") or location.startswith("/ ")
    assert "\\" not in location and "\t" not in location and "\n" not in location
    assert not location.lower().startswith(("http", "javascript", "data"))


def test_register_never_redirects_off_site(client, mails):
    response = client.register(mails, query="?next=//evil.com")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


# --- session renewal -------------------------------------------------------------------

def test_login_renews_the_session_cookie(client, make_user):
    user = make_user()
    client.get("/")  # an anonymous session with a CSRF token
    before = client.raw.get_cookie("session").value
    client.login(user)
    after = client.raw.get_cookie("session").value
    assert before != after


def test_planted_session_carries_nothing_into_the_login(client, make_user, app):
    user = make_user()
    with client.raw.session_transaction() as session:
        session["planted"] = "attacker"
        session["_user_id"] = "999999"
        session["csrf_token"] = "a" * 40
    planted_cookie = client.raw.get_cookie("session").value

    client.login(user)

    with client.raw.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{user.id}:{user.session_token}:")
        assert session.get("csrf_token") != "a" * 40
    # The planted cookie, replayed by whoever planted it, is still anonymous.
    attacker = app.test_client()
    attacker.set_cookie("session", planted_cookie)
    response = attacker.get("/account/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_login_keeps_the_chosen_language(client, make_user):
    user = make_user()
    client.get("/?lang=en")
    client.login(user)
    with client.raw.session_transaction() as session:
        assert session.get("lang") == "en"


# --- log out ---------------------------------------------------------------------------

def test_logout_logs_out(client, make_user):
    client.login(make_user())
    response = client.logout()
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert not _is_logged_in(client)


def test_logout_by_get_is_not_allowed(client, make_user):
    client.login(make_user())
    response = client.get("/auth/logout")
    assert response.status_code == 405
    assert _is_logged_in(client)


def test_logout_without_csrf_is_refused(client, make_user):
    client.login(make_user())
    response = client.post("/auth/logout", csrf=False)
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert _is_logged_in(client)


def test_logout_forgets_remember_me(client, make_user):
    user = make_user()
    response = client.post("/auth/login", {"email": user.email, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    client._token = None
    assert client.raw.get_cookie("remember_token") is not None

    client.logout()

    assert client.raw.get_cookie("remember_token") is None
    assert not _is_logged_in(client)


def test_remember_me_logs_back_in_after_the_session_ends(client, make_user):
    user = make_user()
    client.post("/auth/login", {"email": user.email, "password": PASSWORD, "remember": "y"})
    client.raw.delete_cookie("session")
    assert _is_logged_in(client)


def test_an_erased_account_is_logged_out_everywhere(client, make_user, app):
    from idea4gov.account.services import erase_account

    user = make_user()
    client.login(user)
    erase_account(db.session.get(User, user.id))
    db.session.commit()
    response = client.get("/account/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


# --- login required --------------------------------------------------------------------

def test_login_required_page_sends_back_after_login(client, make_user):
    user = make_user()
    response = client.get("/account/")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/auth/login?next=")
    login_page = client.get(location)
    assert "กรุณาเข้าสู่ระบบก่อน" in login_page.get_data(as_text=True)
    next_value = re.search(r'name="next" type="hidden" value="([^"]*)"', login_page.get_data(as_text=True)).group(1)
    assert next_value == "/account/"
    response = client.post("/auth/login", {"email": user.email, "password": PASSWORD, "next": next_value})
    assert response.headers["Location"] == "/account/"
