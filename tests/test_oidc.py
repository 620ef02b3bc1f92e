"""Signing in with ThaiD / LINE against real OpenID Connect providers on loopback (tests/oidc_support.py):
first sign-in, returning, linking and unlinking, what is stored, and what is never stored."""
from __future__ import annotations

import sqlalchemy as sa
from oidc_support import line, line_server, sign_in, thaid, thaid_server, welcome  # noqa: F401  (fixtures)

from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.oidc.models import LinkedIdentity


def _users() -> list[User]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(User).order_by(User.id)))


def test_first_sign_in_asks_for_consent_and_a_name_then_makes_an_account_without_password(client, thaid):  # noqa: F811
    thaid.person.name = "สมหญิง รักถิ่น"
    response = sign_in(client, thaid)
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/oidc/thaid/welcome")
    page = client.get("/auth/oidc/thaid/welcome")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'value="สมหญิง รักถิ่น"' in html and "ประกาศความเป็นส่วนตัว" in html
    assert _users() == []  # nothing stored before the resident agrees
    refused = client.post("/auth/oidc/thaid/welcome", {"display_name": "สมหญิง"})
    assert refused.status_code == 400 and "กรุณายอมรับประกาศความเป็นส่วนตัว" in refused.get_data(as_text=True)
    assert 'value="สมหญิง"' in refused.get_data(as_text=True)  # what was typed comes back
    done = client.post("/auth/oidc/thaid/welcome", {"display_name": "สมหญิง ร.", "consent": "y"})
    assert done.status_code == 302
    [user] = _users()
    assert user.display_name == "สมหญิง ร." and not user.has_password and user.pdpa_consent_at is not None
    assert user.is_verified and user.person_key  # ThaiD proves who the person is
    [identity] = db.session.scalars(sa.select(LinkedIdentity)).all()
    assert (identity.provider, identity.subject, identity.verified) == ("thaid", thaid.person.sub, True)
    assert client.get("/account/").status_code == 200  # signed in, through sessions.start


def _account(client):
    return client.get("/account/")


def test_a_returning_resident_signs_straight_in_and_the_request_carries_state_nonce_and_pkce(client, thaid):  # noqa: F811
    sign_in(client, thaid)
    welcome(client, thaid)
    client.logout()
    response = sign_in(client, thaid, start="/auth/oidc/thaid/login?next=/areas/saensuk")
    assert response.status_code == 302 and response.headers["Location"] == "/areas/saensuk"
    assert len(_users()) == 1 and _account(client).status_code == 200
    request = thaid.authorize_requests[-1]
    assert request["response_type"] == "code" and request["state"] and request["nonce"]
    assert request["code_challenge_method"] == "S256" and len(request["code_challenge"]) == 43
    assert request["redirect_uri"] == "http://localhost/auth/oidc/thaid/callback"
    token_request = thaid.token_requests[-1]
    assert token_request["basic"] and token_request["form"]["code_verifier"]  # client_secret_basic + PKCE
    assert "client_secret" not in token_request["form"]


def test_the_redirect_uri_comes_from_public_base_url_never_the_host_header(client, thaid):  # noqa: F811
    response = client.get("/auth/oidc/thaid/login", headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
    assert response.status_code == 302
    assert "redirect_uri=http%3A%2F%2Flocalhost%2Fauth%2Foidc%2Fthaid%2Fcallback" in response.headers["Location"]
    assert "evil" not in response.headers["Location"]


def test_line_login_hs256_with_the_channel_secret_and_its_email(client, line):  # noqa: F811
    line.person.email, line.person.name = "malee.line@example.org", "มาลี"
    sign_in(client, line)
    html = client.get("/auth/oidc/line/welcome").get_data(as_text=True)
    assert "malee.line@example.org" in html and 'name="use_email"' in html
    assert welcome(client, line, display_name="มาลี", use_email="y").status_code == 302
    [user] = _users()
    assert user.email == "malee.line@example.org" and not user.is_verified  # LINE does not prove identity
    token_request = line.token_requests[-1]
    assert not token_request["basic"] and token_request["form"]["client_secret"] == line.client_secret
    assert line.issued[-1].startswith("eyJ") and '"HS256"' in __import__("base64").urlsafe_b64decode(
        line.issued[-1].split(".")[0] + "==").decode()


def test_a_national_id_number_is_never_stored(client, thaid):  # noqa: F811
    national_id = "1101700230708"  # a well-formed Thai ID (check digit right), used as the subject
    thaid.person.sub = national_id
    thaid.person.name = f"สมชาย {national_id}"
    thaid.person.extra = {"pid": national_id, "citizen_id": national_id}
    sign_in(client, thaid)
    html = client.get("/auth/oidc/thaid/welcome").get_data(as_text=True)
    assert national_id not in html
    welcome(client, thaid, display_name="สมชาย")
    [identity] = db.session.scalars(sa.select(LinkedIdentity)).all()
    assert identity.subject.startswith("hmac-sha256:") and national_id not in identity.subject
    for table in db.metadata.sorted_tables:  # nowhere in the database, in any text column
        for row in db.session.execute(sa.select(table)).mappings():
            assert not any(national_id in str(value) for value in row.values()), table.name
    client.logout()  # the same person signs in again: the digest finds them
    assert sign_in(client, thaid).status_code == 302 and len(_users()) == 1


def test_an_existing_email_account_is_linked_only_after_proving_both_sides(client, line, make_user):  # noqa: F811
    owner = make_user(email="somchai@example.org")
    line.person.email = "somchai@example.org"  # the provider's e-mail claim alone links nothing
    sign_in(client, line)
    html = client.get("/auth/oidc/line/welcome").get_data(as_text=True)
    assert "มีบัญชี idea4gov อยู่แล้ว" in html and 'name="use_email"' not in html
    welcome(client, line, display_name="คนอื่น", use_email="y")
    other = _users()[-1]
    assert other.id != owner.id and other.email.endswith("@system.invalid")  # a separate account
    assert db.session.scalar(sa.select(LinkedIdentity.user_id)) == other.id
    # The right way: the owner signs in with the password, then proves the LINE side.
    client.logout()
    db.session.execute(sa.delete(LinkedIdentity))
    db.session.commit()
    client.login(owner)
    response = sign_in(client, line, start="/auth/oidc/line/start", data={"intent": "link"})
    assert response.status_code == 302 and "/account/" in response.headers["Location"]
    assert db.session.scalar(sa.select(LinkedIdentity.user_id)) == owner.id
    client.logout()
    sign_in(client, line)
    assert "somchai@example.org" in _account(client).get_data(as_text=True)  # LINE now opens the owner's account


def test_linking_needs_a_signed_in_account_and_a_provider_identity_belongs_to_one_account(client, thaid, make_user):  # noqa: F811
    assert client.post("/auth/oidc/thaid/start", {"intent": "link"}).status_code == 302  # anonymous: to log-in
    first, second = make_user(), make_user()
    client.login(first)
    sign_in(client, thaid, start="/auth/oidc/thaid/start", data={"intent": "link"})
    client.logout()
    client.login(second)
    response = sign_in(client, thaid, start="/auth/oidc/thaid/start", data={"intent": "link"})
    assert response.status_code == 302
    assert "เชื่อมกับบัญชี idea4gov อื่นอยู่แล้ว" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LinkedIdentity)) == 1
    assert client.post("/auth/oidc/thaid/start", {"intent": "bogus"}).status_code == 400


def test_unlinking_never_removes_the_last_way_in(client, thaid, make_user):  # noqa: F811
    sign_in(client, thaid)
    welcome(client, thaid, display_name="ป้าแดง")
    [identity] = db.session.scalars(sa.select(LinkedIdentity)).all()
    assert "วิธีเดียวที่ใช้เข้าสู่ระบบได้" in _account(client).get_data(as_text=True)
    response = client.post(f"/account/sign-in/{identity.id}/unlink")
    assert response.status_code == 303
    assert "เป็นวิธีเดียวที่คุณใช้เข้าสู่ระบบ" in client.get("/account/").get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LinkedIdentity)) == 1
    client.logout()
    client.login(make_user())  # someone else cannot unlink it either
    assert client.post(f"/account/sign-in/{identity.id}/unlink").status_code == 303
    assert db.session.get(LinkedIdentity, identity.id) is not None


def test_a_password_user_links_then_unlinks_and_loses_the_verified_mark(client, thaid, make_user):  # noqa: F811
    user = make_user()
    client.login(user)
    sign_in(client, thaid, start="/auth/oidc/thaid/start", data={"intent": "link"})
    db.session.expire_all()
    assert db.session.get(User, user.id).is_verified
    [identity] = db.session.scalars(sa.select(LinkedIdentity)).all()
    assert client.post(f"/account/sign-in/{identity.id}/unlink").status_code == 302
    db.session.expire_all()
    changed = db.session.get(User, user.id)
    assert not changed.is_verified and changed.person_key  # the person stays: votes still count once
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LinkedIdentity)) == 0


def test_an_account_without_password_cannot_use_the_password_form_until_it_sets_one(client, line):  # noqa: F811
    from conftest import PASSWORD

    line.person.email = "nid@example.org"
    sign_in(client, line)
    welcome(client, line, display_name="นิด", use_email="y")
    client.logout()
    refused = client.post("/auth/login", {"email": "nid@example.org", "password": "!"})
    assert refused.status_code == 400
    sign_in(client, line)
    assert client.post("/account/password/set", {"password": PASSWORD, "confirm": PASSWORD}).status_code == 302
    client.logout()
    assert client.post("/auth/login", {"email": "nid@example.org", "password": PASSWORD}).status_code == 302


def test_cancelling_at_the_provider_comes_back_with_a_clear_thai_message(client, thaid):  # noqa: F811
    response = sign_in(client, thaid, start="/auth/oidc/thaid/login?next=/areas/x", decision="deny")
    assert response.status_code == 302 and response.headers["Location"] == "/areas/x"
    page = client.get("/auth/login").get_data(as_text=True)
    assert "คุณยกเลิก หรือไม่อนุญาตให้" in page and _users() == []
    assert _account(client).status_code == 302  # not signed in


def test_without_providers_there_are_no_buttons_and_unknown_providers_are_404(client, thaid, app):  # noqa: F811
    assert 'data-testid="oidc-thaid"' in client.get("/auth/login").get_data(as_text=True)
    assert client.get("/auth/oidc/nope/login").status_code == 404
    assert client.get("/auth/oidc/nope/callback?code=x&state=y").status_code == 404
    from oidc_support import forget_providers

    forget_providers(app, [k for k in app.config if k.startswith("OIDC_THAID_")])
    assert "oidc-" not in client.get("/auth/login").get_data(as_text=True)
    assert client.get("/auth/oidc/thaid/login").status_code == 404


def test_the_csp_lets_forms_lead_to_the_provider_only(client, thaid):  # noqa: F811
    policy = client.get("/").headers["Content-Security-Policy"]
    assert f"form-action 'self' {thaid.url}" in policy and "script-src 'self';" in policy


def test_the_sign_in_start_and_return_are_rate_limited_per_address(client, thaid, app, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "RATELIMIT_OIDC", "2 per minute")
    assert client.get("/auth/oidc/thaid/login").status_code == 302
    assert client.get("/auth/oidc/thaid/login").status_code == 302
    limited = client.get("/auth/oidc/thaid/login")
    assert limited.status_code == 429 and limited.headers.get("Retry-After")


def test_my_data_download_lists_providers_and_erasure_removes_them(client, thaid):  # noqa: F811
    sign_in(client, thaid)
    welcome(client, thaid, display_name="ลุงมี")
    data = client.get("/account/data.json").get_json()
    assert data["sign_in_providers"][0]["provider"] == "thaid" and data["sign_in_providers"][0]["verified"]
    assert client.post("/account/delete", {"confirm": "y"}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LinkedIdentity)) == 0
    [user] = _users()
    assert user.deleted_at is not None and user.person_key is None and not user.is_verified


def test_what_a_provider_says_about_the_person_is_text_never_markup(client, line):  # noqa: F811
    """A provider's name and e-mail claims are not trusted: escaped on the first sign-in form, and
    what the resident keeps is cleaned like every other display name."""
    line.person.name = '<img src=x onerror="window.__xss=1">"><script>alert(1)</script>'
    line.person.email = '"><svg onload=alert(1)>@example.org'
    sign_in(client, line)
    html = client.get("/auth/oidc/line/welcome").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<svg onload" not in html
    assert 'name="use_email"' not in html  # not an address: not offered
    assert welcome(client, line, display_name=line.person.name).status_code == 302
    [user] = _users()
    assert "<" not in user.display_name and user.email.endswith("@system.invalid")
    assert "<script>alert(1)" not in _account(client).get_data(as_text=True)
