"""Every check on the way back from a provider, each broken on purpose by a real provider on loopback
(tests/oidc_support.py) and refused by the production client: a clear 400 page, nobody signed in,
nothing stored."""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from joserfc.jwk import OctKey, RSAKey
from oidc_support import at_provider, line, line_server, sign_in, thaid, thaid_server, welcome  # noqa: F401

from idea4gov.auth.models import User
from idea4gov.extensions import db
from idea4gov.oidc.models import LinkedIdentity

OTHER_KEY = RSAKey.generate_key(2048, private=True)


def _nothing_happened(client, response, message: str = "ไม่สำเร็จ") -> None:
    assert response.status_code == 400, response.get_data(as_text=True)[:500]
    html = response.get_data(as_text=True)
    assert message in html and "Traceback" not in html
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LinkedIdentity)) == 0
    assert client.get("/account/").status_code == 302  # nobody signed in


def _wrong_issuer(claims, header, provider):  # noqa: ANN001, ANN202
    return provider.sign({**claims, "iss": "https://evil.example"})


def _wrong_audience(claims, header, provider):  # noqa: ANN001, ANN202
    return provider.sign({**claims, "aud": "another-client"})


def _expired(claims, header, provider):  # noqa: ANN001, ANN202
    now = int(time.time())
    return provider.sign({**claims, "iat": now - 7200, "exp": now - 3600})


def _bad_signature(claims, header, provider):  # noqa: ANN001, ANN202
    # Signed with another RSA key that claims the provider's key id.
    return provider.sign(claims, key=OTHER_KEY, header={"kid": provider.rsa.kid})


def _tampered_payload(claims, header, provider):  # noqa: ANN001, ANN202
    genuine = provider.sign(claims)
    forged = provider.sign({**claims, "sub": "someone-else"})
    head, _payload, signature = genuine.split(".")
    return f"{head}.{forged.split('.')[1]}.{signature}"


def _alg_none(claims, header, provider):  # noqa: ANN001, ANN202
    return provider.unsigned(claims)


def _hs_rs_confusion(claims, header, provider):  # noqa: ANN001, ANN202
    # HS256 "signed" with the provider's RSA public key as the HMAC secret.
    public_pem = provider.rsa.as_pem(private=False)
    return provider.sign(claims, alg="HS256", key=OctKey.import_key(public_pem),
                         header={"kid": provider.rsa.kid})


def _no_nonce(claims, header, provider):  # noqa: ANN001, ANN202
    return provider.sign({key: value for key, value in claims.items() if key != "nonce"})


def _wrong_nonce(claims, header, provider):  # noqa: ANN001, ANN202
    return provider.sign({**claims, "nonce": "chosen-by-an-attacker"})


def _no_id_token(claims, header, provider):  # noqa: ANN001, ANN202
    return "not-a-jwt"


@pytest.mark.parametrize("tamper", [_wrong_issuer, _wrong_audience, _expired, _bad_signature, _tampered_payload,
                                    _alg_none, _hs_rs_confusion, _no_nonce, _wrong_nonce, _no_id_token],
                         ids=lambda f: f.__name__.strip("_"))
def test_a_bad_id_token_is_refused(client, thaid, tamper):  # noqa: F811
    thaid.tamper = tamper
    _nothing_happened(client, sign_in(client, thaid), "ตรวจสอบการเข้าสู่ระบบด้วย")


def test_the_genuine_token_of_the_same_provider_passes(client, thaid):  # noqa: F811
    thaid.tamper = lambda claims, header, provider: provider.sign(claims)  # re-signed, nothing changed
    assert sign_in(client, thaid).status_code == 302


def test_line_refuses_an_rs256_token_and_one_signed_with_another_secret(client, line):  # noqa: F811
    line.tamper = lambda claims, header, provider: provider.sign(claims, alg="RS256", key=provider.rsa)
    _nothing_happened(client, sign_in(client, line), "ตรวจสอบการเข้าสู่ระบบด้วย")
    line.tamper = lambda claims, header, provider: provider.sign(
        claims, alg="HS256", key=OctKey.import_key(b"another-channel-secret-of-32-bytes!"))
    _nothing_happened(client, sign_in(client, line), "ตรวจสอบการเข้าสู่ระบบด้วย")


def test_a_replayed_callback_signs_nobody_in_again(client, thaid):  # noqa: F811
    callback = at_provider(client, "/auth/oidc/thaid/login", thaid)
    assert client.get(callback).status_code == 302
    client.raw.delete_cookie("session", domain="localhost")
    client._token = None
    _nothing_happened(client, client.get(callback), "ไม่พบคำขอเข้าสู่ระบบ")


def test_a_replayed_code_in_a_new_flow_is_refused(client, thaid):  # noqa: F811
    first = at_provider(client, "/auth/oidc/thaid/login", thaid)
    assert client.get(first).status_code == 302
    client.raw.delete_cookie("session", domain="localhost")
    old_code = dict(part.split("=", 1) for part in first.split("?", 1)[1].split("&"))["code"]
    second = at_provider(client, "/auth/oidc/thaid/login", thaid)
    state = dict(part.split("=", 1) for part in second.split("?", 1)[1].split("&"))["state"]
    _nothing_happened(client, client.get(f"/auth/oidc/thaid/callback?code={old_code}&state={state}"),
                      "ตรวจสอบการเข้าสู่ระบบด้วย")


@pytest.mark.parametrize("query", ["code=abc", "code=abc&state=", "code=abc&state=not-the-state", "state=x",
                                   "error=access_denied&state=not-the-state"])
def test_missing_or_wrong_state_is_refused(client, thaid, query):  # noqa: F811
    client.get("/auth/oidc/thaid/login")  # a flow under way in this browser
    _nothing_happened(client, client.get(f"/auth/oidc/thaid/callback?{query}"), "เริ่มใหม่")


def test_a_callback_without_any_flow_in_this_browser_is_refused(client, thaid):  # noqa: F811
    _nothing_happened(client, client.get("/auth/oidc/thaid/callback?code=abc&state=def"), "ไม่พบคำขอเข้าสู่ระบบ")


def test_an_old_id_token_with_its_nonce_is_not_accepted_again(client, thaid):  # noqa: F811
    assert sign_in(client, thaid).status_code == 302
    old_token = thaid.issued[-1]
    client.raw.delete_cookie("session", domain="localhost")
    client._token = None
    thaid.tamper = lambda claims, header, provider: old_token  # the provider (or a thief) replays it
    _nothing_happened(client, sign_in(client, thaid), "ตรวจสอบการเข้าสู่ระบบด้วย")


def test_a_provider_that_cannot_be_reached_gets_a_clear_502(client, thaid, app, monkeypatch):  # noqa: F811
    from idea4gov.oidc import registry

    monkeypatch.setitem(app.config, "OIDC_THAID_DISCOVERY_URL", "http://127.0.0.1:9/.well-known/openid-configuration")
    registry.configure(app)
    response = client.get("/auth/oidc/thaid/login")
    assert response.status_code == 502 and "ไม่ตอบในขณะนี้" in response.get_data(as_text=True)


def test_a_discovery_document_naming_another_issuer_is_refused(client, thaid, app, monkeypatch):  # noqa: F811
    from idea4gov.oidc import registry

    monkeypatch.setitem(app.config, "OIDC_THAID_ISSUER", "https://imauth.example.go.th")
    registry.configure(app)
    assert client.get("/auth/oidc/thaid/login").status_code == 502


def test_the_first_sign_in_form_needs_the_providers_answer_first(client, thaid):  # noqa: F811
    response = client.post("/auth/oidc/thaid/welcome", {"display_name": "ผู้บุกรุก", "consent": "y"})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    assert welcome  # (the helper the happy paths use)
