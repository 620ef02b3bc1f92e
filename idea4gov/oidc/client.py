"""Authlib's Flask client, held to each provider's own rules for its ID tokens.

Authlib runs the authorization code flow: `state` (kept in the session, checked and used once),
`nonce` (in the authorization request and the ID token) and PKCE with S256. Its ID-token check
is replaced here by a stricter one, because providers differ in how they sign:

* the token's `alg` must be one of the provider's configured algorithms (`none` never is);
* an HS* token is checked with the client secret only (LINE signs web-login tokens with the
  channel secret), an RS*/ES*/PS* token with the provider's JWKS only, and only its
  asymmetric keys: a token signed with HS256 using the RSA public key as the secret (HS/RS
  confusion) fails, whatever the JWKS holds;
* issuer (the discovery document's, which must match OIDC_<NAME>_ISSUER when that is set),
  audience (our client id), expiry (60 s of clock skew), issued-at, nonce, `azp` and `at_hash`
  are checked by Authlib's `CodeIDToken`.
"""
from __future__ import annotations

import json

from authlib.integrations.flask_client import FlaskOAuth2App, OAuth
from authlib.oidc.core import CodeIDToken, UserInfo
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet, OctKey
from joserfc.util import urlsafe_b64decode

from idea4gov.oidc.providers import SYMMETRIC, Provider

#: Seconds of clock difference tolerated on `exp` and `iat`.
LEEWAY = 60
#: How long (seconds) a provider's answers may take.
TIMEOUT = 10


class IdTokenRefused(JoseError):
    """The ID token breaks one of the provider's rules (algorithm, issuer)."""

    error = "id_token_refused"


def token_header(id_token: str) -> dict:
    """The JOSE header of a compact token, read without trusting it (to pick the rule that applies)."""
    try:
        header = json.loads(urlsafe_b64decode(id_token.split(".", 1)[0].encode()))
    except (ValueError, UnicodeDecodeError, AttributeError) as error:
        raise IdTokenRefused("the ID token is not a compact JWT") from error
    if not isinstance(header, dict):
        raise IdTokenRefused("the ID token's header is not an object")
    return header


class ProviderApp(FlaskOAuth2App):
    """One provider's client: Authlib's, with the ID-token rules above."""

    provider: Provider

    def load_server_metadata(self) -> dict:
        fresh = "_loaded_at" not in self.server_metadata
        metadata = super().load_server_metadata()
        if fresh:
            issuer = metadata.get("issuer")
            expected = self.provider.issuer
            if not issuer or (expected and issuer.rstrip("/") != expected):
                self.server_metadata.pop("_loaded_at", None)  # read it again next time
                raise IdTokenRefused(f"discovery document names issuer {issuer!r}, expected {expected or 'one'}")
        return metadata

    def _keys(self, alg: str, force: bool = False):  # noqa: ANN202
        if alg in SYMMETRIC:
            return OctKey.import_key(self.client_secret.encode())
        keys = [key for key in self.fetch_jwk_set(force=force).get("keys", [])
                if isinstance(key, dict) and key.get("kty") in ("RSA", "EC", "OKP")]
        return KeySet.import_key_set({"keys": keys})

    def parse_id_token(self, token, nonce, claims_options=None, claims_cls=None, leeway=LEEWAY):  # noqa: ANN001, ANN201
        """The ID token's claims, once every check above passed (JoseError otherwise)."""
        if "id_token" not in token:
            raise IdTokenRefused("the token response carries no ID token")
        id_token = token["id_token"]
        alg = token_header(id_token).get("alg")
        if alg not in self.provider.algorithms:
            raise IdTokenRefused(f"ID token signed with {alg!r}; {self.provider.name} may only use "
                                 f"{', '.join(self.provider.algorithms)}")
        try:
            decoded = jwt.decode(id_token, self._keys(alg), algorithms=[alg])
        except InvalidKeyIdError:  # the provider rotated its keys: fetch them again, once
            decoded = jwt.decode(id_token, self._keys(alg, force=True), algorithms=[alg])
        metadata = self.load_server_metadata()
        options = {"iss": {"essential": True, "values": [metadata["issuer"]]}}
        params = {"nonce": nonce, "client_id": self.client_id, "access_token": token.get("access_token")}
        claims = CodeIDToken(decoded.claims, decoded.header, options, params)
        claims.validate(leeway=LEEWAY)
        return UserInfo(claims)


class ProviderRegistry(OAuth):
    """Authlib's registry, making `ProviderApp` clients."""

    oauth2_client_cls = ProviderApp


def build(app, providers: dict[str, Provider]) -> ProviderRegistry:  # noqa: ANN001
    """Register every provider with a fresh Authlib registry bound to the app."""
    registry = ProviderRegistry()
    registry.app = app  # what init_app sets, without making it the app's one registry
    for provider in providers.values():
        client = registry.register(
            provider.name,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.discovery_url,
            client_kwargs={"scope": provider.scopes, "code_challenge_method": "S256",
                           "token_endpoint_auth_method": provider.token_auth, "default_timeout": TIMEOUT},
            authorize_params=provider.auth_params or None,
        )
        client.provider = provider
    return registry
