"""Real OpenID Connect providers on loopback, built from Authlib's server components, and helpers.

`OidcProvider` is a small identity provider the tests start: Authlib's `AuthorizationServer` with
the authorization code grant, the OpenID Connect code flow (`OpenIDCode`, nonce required) and
PKCE, a real RSA key (or, LINE-style, HS256 with the client secret), a JWKS endpoint and a
discovery document, served by Werkzeug on 127.0.0.1. Its consent page has "allow" and "deny"
buttons (a browser clicks them; `sign_in` posts them). The app under test reaches it through its
production client code only: `configure_provider` writes the same OIDC_<NAME>_* settings an
operator would.

For the negative tests a provider can be told to hand out one crafted ID token in place of the
real one (`provider.tamper`): wrong issuer or audience, expired, signed with another key, `alg:
none`, HS256 signed with the RSA public key, an old token…
"""
from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import OAuth2Error, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, jsonify, request
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, OctKey, RSAKey
from werkzeug.serving import make_server

from idea4gov.oidc import registry

CONSENT_PAGE = """<!doctype html><html lang="th"><head><meta charset="utf-8"><title>{name}</title></head>
<body><main><h1>{name}: ยืนยันตัวตน</h1><p>แอป idea4gov ขอข้อมูลของคุณ: {scope}</p>
<form method="post"><button name="decision" value="allow">อนุญาต</button>
<button name="decision" value="deny">ยกเลิก</button></form></main></body></html>"""


@dataclass
class Person:
    """Who signs in at the provider next."""

    sub: str
    name: str = "สมหญิง รักถิ่น"
    email: str = ""
    email_verified: bool = False
    extra: dict = field(default_factory=dict)

    def get_user_id(self) -> str:
        return self.sub


class Client:
    def __init__(self, client_id: str, secret: str, redirect_uris: list[str], auth_methods: list[str]) -> None:
        self.client_id, self.secret, self.redirect_uris, self.auth_methods = client_id, secret, redirect_uris, auth_methods

    def get_client_id(self):  # noqa: ANN201
        return self.client_id

    def get_default_redirect_uri(self):  # noqa: ANN201
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope):  # noqa: ANN001, ANN201
        allowed = {"openid", "profile", "email", "name"}
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri):  # noqa: ANN001, ANN201
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):  # noqa: ANN001, ANN201
        return secrets.compare_digest(client_secret or "", self.secret)

    def check_endpoint_auth_method(self, method, endpoint):  # noqa: ANN001, ANN201
        return method in self.auth_methods if endpoint == "token" else True

    def check_response_type(self, response_type):  # noqa: ANN001, ANN201
        return response_type == "code"

    def check_grant_type(self, grant_type):  # noqa: ANN001, ANN201
        return grant_type == "authorization_code"


@dataclass
class Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str
    code_challenge: str
    code_challenge_method: str
    person: Person
    auth_time: int

    def get_redirect_uri(self):  # noqa: ANN201
        return self.redirect_uri

    def get_scope(self):  # noqa: ANN201
        return self.scope

    def get_nonce(self):  # noqa: ANN201
        return self.nonce

    def get_auth_time(self):  # noqa: ANN201
        return self.auth_time

    def get_acr(self):  # noqa: ANN201
        return None

    def get_amr(self):  # noqa: ANN201
        return None


class OidcProvider:
    """An OpenID Connect provider on 127.0.0.1 (a thread of this process)."""

    def __init__(self, name: str, alg: str = "RS256", client_id: str = "idea4gov-test",
                 auth_methods: tuple[str, ...] = ("client_secret_basic",),
                 advertised_algs: list[str] | None = None, redirect_uris: tuple[str, ...] = ()) -> None:
        self.name, self.alg, self.client_id = name, alg, client_id
        self.client_secret = secrets.token_urlsafe(32)
        self.rsa = RSAKey.generate_key(2048, parameters={"kid": f"{name}-1", "use": "sig", "alg": "RS256"},
                                       private=True)
        self.ec = ECKey.generate_key("P-256", parameters={"kid": f"{name}-ec", "use": "sig"}, private=True)
        self.advertised_algs = advertised_algs or [alg]
        self.person = Person(sub=f"{name}-subject-1")
        self.codes: dict[str, Code] = {}
        self.used_nonces: set[str] = set()
        #: Replace the next ID token: callable(claims, header, provider) -> a compact token.
        self.tamper = None
        self.issued: list[str] = []
        #: What the client sent: the authorization requests' query, the token requests' form and auth.
        self.authorize_requests: list[dict] = []
        self.token_requests: list[dict] = []
        self._server = None
        self._redirect_uris = list(redirect_uris)
        self.app = self._build_app()

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> OidcProvider:
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)
        self._server.server_close()

    @property
    def issuer(self) -> str:
        return self.url

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def allow_redirect_uri(self, uri: str) -> None:
        self._redirect_uris.append(uri)

    # --- signing -------------------------------------------------------------------------------
    def sign(self, claims: dict, alg: str | None = None, key=None, header: dict | None = None) -> str:  # noqa: ANN001
        alg = alg or self.alg
        if key is None:
            key = OctKey.import_key(self.client_secret.encode()) if alg.startswith("HS") else self.rsa
        head = {"alg": alg, **({"kid": self.rsa.kid} if alg.startswith("RS") else {}), **(header or {})}
        return jwt.encode(head, claims, key, algorithms=[alg])

    @staticmethod
    def unsigned(claims: dict) -> str:
        """A token with `alg: none` and no signature."""
        def part(data: dict) -> str:
            return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

        return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."

    @staticmethod
    def claims_of(token: str) -> dict:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))

    # --- the server ----------------------------------------------------------------------------
    def _build_app(self) -> Flask:
        provider = self
        app = Flask(f"oidc-provider-{self.name}")
        app.config.update(SECRET_KEY="provider", OAUTH2_SCOPES_SUPPORTED=["openid", "profile", "email", "name"])

        def query_client(client_id):  # noqa: ANN001, ANN202
            if client_id != provider.client_id:
                return None
            return Client(provider.client_id, provider.client_secret, provider._redirect_uris,
                          list(provider._auth_methods))

        server = AuthorizationServer(app, query_client=query_client, save_token=lambda token, req: None)

        class CodeGrant(grants.AuthorizationCodeGrant):
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code, req):  # noqa: ANN001, ANN202
                data = req.payload.data
                provider.used_nonces.add(data.get("nonce", ""))
                provider.codes[code] = Code(code, req.client.client_id, req.payload.redirect_uri, req.scope,
                                            data.get("nonce", ""), data.get("code_challenge", ""),
                                            data.get("code_challenge_method", ""), req.user, int(time.time()))

            def query_authorization_code(self, code, client):  # noqa: ANN001, ANN202
                found = provider.codes.get(code)
                return found if found is not None and found.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code):  # noqa: ANN001, ANN202
                provider.codes.pop(authorization_code.code, None)  # a code works once

            def authenticate_user(self, authorization_code):  # noqa: ANN001, ANN202
                return authorization_code.person

        class IdToken(OpenIDCode):
            def exists_nonce(self, nonce, req):  # noqa: ANN001, ANN202
                return nonce in provider.used_nonces  # a nonce of an issued code is never taken again

            def resolve_client_private_key(self, client):  # noqa: ANN001, ANN202
                return OctKey.import_key(provider.client_secret.encode()) if provider.alg.startswith("HS") \
                    else provider.rsa

            def get_client_algorithm(self, client):  # noqa: ANN001, ANN202
                return provider.alg

            def get_encode_header(self, client):  # noqa: ANN001, ANN202
                return {"alg": provider.alg, **({"kid": provider.rsa.kid} if provider.alg.startswith("RS") else {})}

            def get_client_claims(self, client):  # noqa: ANN001, ANN202
                return {"iss": provider.issuer, "aud": [client.get_client_id()]}

            def generate_user_info(self, user, scope):  # noqa: ANN001, ANN202
                info = UserInfo(sub=user.sub, name=user.name, **user.extra)
                if user.email:
                    info["email"], info["email_verified"] = user.email, user.email_verified
                return info

        server.register_grant(CodeGrant, [IdToken(require_nonce=True), CodeChallenge(required=True)])
        self._auth_methods = ()

        @app.get("/.well-known/openid-configuration")
        def discovery():  # noqa: ANN202
            return jsonify({
                "issuer": provider.issuer, "authorization_endpoint": f"{provider.url}/authorize",
                "token_endpoint": f"{provider.url}/token", "jwks_uri": f"{provider.url}/jwks",
                "response_types_supported": ["code"], "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": provider.advertised_algs,
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": list(provider._auth_methods),
                "scopes_supported": ["openid", "profile", "email", "name"],
            })

        @app.get("/jwks")
        def jwks():  # noqa: ANN202
            return jsonify(KeySet([provider.rsa, provider.ec]).as_dict(private=False))

        @app.route("/authorize", methods=["GET", "POST"])
        def authorize():  # noqa: ANN202
            provider.authorize_requests.append(request.args.to_dict())
            if request.args.get("code_challenge_method") != "S256" or not request.args.get("code_challenge"):
                return "PKCE with S256 is required here", 400
            try:
                grant = server.get_consent_grant(end_user=provider.person)
            except OAuth2Error as error:
                return f"invalid request: {error.error}: {error.description}", 400
            if request.method == "GET":
                return CONSENT_PAGE.format(name=provider.name, scope=request.args.get("scope", ""))
            allowed = request.form.get("decision") == "allow"
            return server.create_authorization_response(grant=grant,
                                                        grant_user=provider.person if allowed else None)

        @app.post("/token")
        def token():  # noqa: ANN202
            provider.token_requests.append({"form": request.form.to_dict(),
                                            "basic": request.headers.get("Authorization", "").startswith("Basic ")})
            response = server.create_token_response()
            body = response.get_json(silent=True) or {}
            if response.status_code == 200 and "id_token" in body:
                if provider.tamper is not None:
                    original = body["id_token"]
                    header = json.loads(base64.urlsafe_b64decode(original.split(".")[0] + "==="))
                    body["id_token"] = provider.tamper(provider.claims_of(original), header, provider)
                    provider.tamper = None
                provider.issued.append(body["id_token"])
                return jsonify(body)
            return response

        return app

    def set_auth_methods(self, methods: tuple[str, ...]) -> None:
        self._auth_methods = methods


def start_provider(name: str, alg: str = "RS256", auth_methods=("client_secret_basic",),
                   advertised_algs: list[str] | None = None) -> OidcProvider:
    provider = OidcProvider(name, alg=alg, advertised_algs=advertised_algs)
    provider.set_auth_methods(tuple(auth_methods))
    provider.allow_redirect_uri(f"http://localhost/auth/oidc/{name}/callback")
    return provider.start()


def configure_provider(app, provider: OidcProvider, **settings: str) -> dict:  # noqa: ANN001
    """Give the app this provider exactly as an operator would (OIDC_<NAME>_* settings); returns
    the settings written, so they can be taken back."""
    prefix = f"OIDC_{provider.name.upper()}_"
    values = {f"{prefix}DISCOVERY_URL": provider.discovery_url, f"{prefix}CLIENT_ID": provider.client_id,
              f"{prefix}CLIENT_SECRET": provider.client_secret,
              **{prefix + key.upper(): value for key, value in settings.items()}}
    names = [n for n in app.config.get("OIDC_PROVIDERS", "").split(",") if n]
    if provider.name not in names:
        names.append(provider.name)
    values["OIDC_PROVIDERS"] = ",".join(names)
    app.config.update(values)
    registry.configure(app)
    return values


def forget_providers(app, keys) -> None:  # noqa: ANN001
    for key in keys:
        app.config.pop(key, None)
    app.config["OIDC_PROVIDERS"] = ""
    registry.configure(app)


def local_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def at_provider(client, start: str, provider: OidcProvider, decision: str = "allow", data=None):  # noqa: ANN001
    """Start at `start` (GET, or POST with `data`), consent at the provider like a browser, and
    return the callback path the provider sends the browser to."""
    response = client.post(start, data) if data is not None else client.get(start)
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    location = response.headers["Location"]
    assert location.startswith(provider.url + "/authorize?"), location
    page = requests.get(location, timeout=10)
    assert page.status_code == 200 and "อนุญาต" in page.text
    answer = requests.post(location, data={"decision": decision}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    return local_path(answer.headers["Location"])


def sign_in(client, provider: OidcProvider, start: str | None = None, decision: str = "allow", data=None):  # noqa: ANN001
    """The whole round trip: the app's response to the provider's redirect back."""
    callback = at_provider(client, start or f"/auth/oidc/{provider.name}/login", provider, decision, data)
    response = client.get(callback)
    client._token = None  # a sign-in renews the session, and its CSRF token with it
    return response


def welcome(client, provider: OidcProvider, **fields: str):  # noqa: ANN001
    """Send the first sign-in form (consent given unless told otherwise); signed in afterwards."""
    response = client.post(f"/auth/oidc/{provider.name}/welcome", {"display_name": "ชาวบ้าน", "consent": "y", **fields})
    client._token = None
    return response


# --- fixtures (import them into a test module) -------------------------------------------------

import pytest  # noqa: E402


def _reset(provider: OidcProvider) -> OidcProvider:
    provider.person = Person(sub=f"{provider.name}-subject-{secrets.token_hex(4)}")
    provider.tamper = None
    provider.codes.clear()
    provider.issued.clear()
    provider.authorize_requests.clear()
    provider.token_requests.clear()
    return provider


@pytest.fixture(scope="session")
def thaid_server():
    """A ThaiD-like provider: RS256 ID tokens checked against its JWKS (started once)."""
    provider = start_provider("thaid")
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def line_server():
    """A LINE-Login-like provider: HS256 ID tokens signed with the channel secret, the secret sent in
    the token request's body, and (like LINE's own) a discovery document that names only ES256."""
    provider = start_provider("line", alg="HS256", auth_methods=("client_secret_post",), advertised_algs=["ES256"])
    yield provider
    provider.stop()


@pytest.fixture()
def thaid(app, thaid_server):
    """The app with the ThaiD preset pointed at the loopback provider."""
    keys = configure_provider(app, _reset(thaid_server))
    yield thaid_server
    forget_providers(app, keys)


@pytest.fixture()
def line(app, line_server):
    """The app with the LINE Login preset pointed at the loopback provider."""
    keys = configure_provider(app, _reset(line_server))
    yield line_server
    forget_providers(app, keys)
