"""Sign-in providers from the environment, with presets for ThaiD, DGA Digital ID and LINE Login.

    OIDC_PROVIDERS=thaid,line
    OIDC_THAID_DISCOVERY_URL=…  OIDC_THAID_CLIENT_ID=…  OIDC_THAID_CLIENT_SECRET=…
    OIDC_LINE_CLIENT_ID=…       OIDC_LINE_CLIENT_SECRET=…

Each name in OIDC_PROVIDERS reads `OIDC_<NAME>_*` (app config first, then the environment). A name
that is a preset (`thaid`, `dga`, `line`), or `OIDC_<NAME>_PRESET`, fills in what the provider
always uses (its algorithms, scopes, labels, claims, how it vouches for an identity); anything set
explicitly wins. A provider missing what it needs, or a setting for a provider not listed, is a
mistake: production refuses to start with a message naming it; development leaves that provider
out and logs why (`make run` needs no provider at all).
"""
from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import ip_address
from urllib.parse import parse_qsl, urlsplit

log = logging.getLogger(__name__)

#: Signing algorithms an ID token may use; `none` never is.
ASYMMETRIC = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
SYMMETRIC = ("HS256", "HS384", "HS512")
KNOWN_ALGORITHMS = ASYMMETRIC + SYMMETRIC
TOKEN_AUTH_METHODS = ("client_secret_basic", "client_secret_post")
NAME = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
SETTINGS = ("PRESET", "DISCOVERY_URL", "ISSUER", "CLIENT_ID", "CLIENT_SECRET", "SCOPES", "LABEL_TH", "LABEL_EN",
            "ALGORITHMS", "TOKEN_AUTH", "CLAIM_NAME", "CLAIM_EMAIL", "TRUST_EMAIL", "VERIFIED", "AUTH_PARAMS")


@dataclass(frozen=True)
class Verification:
    """How a provider vouches that it checked who the person is (identity assurance)."""

    #: `always` (every account of the provider was proven in person, e.g. ThaiD), `never`, or `claim`.
    rule: str = "never"
    claim: str = ""
    values: tuple[str, ...] = ()

    def level(self, claims: Mapping) -> tuple[str, bool]:
        """(the assurance the token states, whether it counts as verified)."""
        if self.rule == "always":
            return "always", True
        if self.rule != "claim":
            return "", False
        value = claims.get(self.claim)
        if isinstance(value, list):
            value = " ".join(str(item) for item in value)
        text = str(value)[:40] if value not in (None, "") else ""
        return text, bool(text) and ("*" in self.values or text in self.values)

    @classmethod
    def parse(cls, text: str) -> Verification:
        """`always`, `never`, or `<claim>=<value>|<value>` (`*`: any value)."""
        text = (text or "").strip()
        if text in ("always", "never", ""):
            return cls(rule=text or "never")
        claim, sep, values = text.partition("=")
        if not sep or not claim.strip() or not values.strip():
            raise ValueError("VERIFIED must be always, never, or CLAIM=VALUE|VALUE (e.g. ial=2.2|2.3|3)")
        return cls(rule="claim", claim=claim.strip(), values=tuple(v.strip() for v in values.split("|") if v.strip()))


@dataclass(frozen=True)
class Provider:
    name: str
    discovery_url: str
    #: The issuer the discovery document and every ID token must name ("" = the document's own).
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    label_th: str
    label_en: str
    #: The only algorithms its ID tokens may be signed with (HS*: the client secret, e.g. LINE's
    #: channel secret; the others: a key of the provider's JWKS). Never both kinds, never `none`.
    algorithms: tuple[str, ...]
    token_auth: str
    claim_name: str
    claim_email: str
    #: Use the e-mail claim without `email_verified: true` (LINE checks every address it gives).
    trust_email: bool
    verification: Verification
    #: Extra authorization parameters (LINE: `bot_prompt=aggressive` to offer the official account).
    auth_params: dict[str, str] = field(default_factory=dict)
    preset: str = ""

    def label(self, locale: str) -> str:
        return self.label_en if locale == "en" else self.label_th

    @property
    def origins(self) -> set[str]:
        """Where the browser is sent to sign in (the CSP `form-action` must allow it)."""
        parts = urlsplit(self.discovery_url)
        found = {f"{parts.scheme}://{parts.netloc}"}
        if self.issuer:
            issuer = urlsplit(self.issuer)
            found.add(f"{issuer.scheme}://{issuer.netloc}")
        return found


#: What each kind of provider always uses; the environment adds the rest (address, id, secret).
PRESETS: dict[str, dict[str, str]] = {
    # ThaiD (DOPA's ThaID app): every account was proven in person at enrolment. The address and the
    # scopes come with the registration (sandbox or production); `pid` (the national ID) is never asked.
    "thaid": {"SCOPES": "openid name", "LABEL_TH": "ThaiD (ไทยดี)", "LABEL_EN": "ThaiD",
              "ALGORITHMS": "RS256", "TOKEN_AUTH": "client_secret_basic", "CLAIM_NAME": "name",
              "CLAIM_EMAIL": "email", "VERIFIED": "always"},
    # DGA Digital ID: the identity assurance level the person reached is the `ial` claim.
    "dga": {"SCOPES": "openid profile", "LABEL_TH": "ดิจิทัลไอดี (สพร.)", "LABEL_EN": "DGA Digital ID",
            "ALGORITHMS": "RS256", "TOKEN_AUTH": "client_secret_basic", "CLAIM_NAME": "name",
            "CLAIM_EMAIL": "email", "VERIFIED": "ial=2.1|2.2|2.3|3"},
    # LINE Login v2.1: web-login ID tokens are HS256, signed with the channel secret (its discovery
    # document names only ES256, which its apps use); the token endpoint takes the secret in the body.
    "line": {"DISCOVERY_URL": "https://access.line.me/.well-known/openid-configuration",
             "SCOPES": "openid profile", "LABEL_TH": "LINE", "LABEL_EN": "LINE", "ALGORITHMS": "HS256",
             "TOKEN_AUTH": "client_secret_post", "CLAIM_NAME": "name", "CLAIM_EMAIL": "email",
             "TRUST_EMAIL": "1", "VERIFIED": "never"},
}


def _is_loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host or "").is_loopback
    except ValueError:
        return False


def _check_url(value: str, what: str) -> str:
    parts = urlsplit(value)
    if parts.scheme == "https" and parts.hostname:
        return value
    if parts.scheme == "http" and _is_loopback(parts.hostname):
        return value  # a provider on loopback (tests, a local stand-in) works the same
    raise ValueError(f"{what} must be an https:// address (http:// only on loopback), not {value!r}")


def _setting(config: Mapping, environ: Mapping, key: str) -> str:
    value = config.get(key)
    if value is None:
        value = environ.get(key)
    return str(value).strip() if value is not None else ""


def _provider(name: str, get) -> Provider:  # noqa: ANN001
    """One provider from its settings (`get(SETTING)` → str); ValueError naming what is wrong."""
    preset_name = get("PRESET") or (name if name in PRESETS else "")
    if preset_name and preset_name not in PRESETS:
        raise ValueError(f"OIDC_{name.upper()}_PRESET must be one of {', '.join(PRESETS)}, not {preset_name!r}")
    preset = PRESETS.get(preset_name, {})

    def value(key: str, default: str = "") -> str:
        return get(key) or preset.get(key, default)

    prefix = f"OIDC_{name.upper()}_"
    missing = [prefix + key for key in ("CLIENT_ID", "CLIENT_SECRET") if not value(key)]
    issuer = value("ISSUER").rstrip("/")
    discovery = value("DISCOVERY_URL") or (f"{issuer}/.well-known/openid-configuration" if issuer else "")
    if not discovery:
        missing.append(f"{prefix}DISCOVERY_URL (or {prefix}ISSUER)")
    if missing:
        raise ValueError(f"provider {name!r} is only half configured: {', '.join(missing)} missing")
    _check_url(discovery, prefix + "DISCOVERY_URL")
    if issuer:
        _check_url(issuer, prefix + "ISSUER")
    scopes = " ".join(value("SCOPES", "openid profile").replace(",", " ").split())
    if "openid" not in scopes.split():
        raise ValueError(f"{prefix}SCOPES must include openid, not {scopes!r}")
    algorithms = tuple(a.strip() for a in value("ALGORITHMS", "RS256").replace(" ", ",").split(",") if a.strip())
    unknown = [a for a in algorithms if a not in KNOWN_ALGORITHMS]
    if not algorithms or unknown:
        raise ValueError(f"{prefix}ALGORITHMS: {', '.join(unknown) or 'none given'} not allowed "
                         f"(choose from {', '.join(KNOWN_ALGORITHMS)}; 'none' never is)")
    if set(algorithms) & set(SYMMETRIC) and set(algorithms) & set(ASYMMETRIC):
        raise ValueError(f"{prefix}ALGORITHMS mixes HS* and asymmetric algorithms: a provider signs one way")
    token_auth = value("TOKEN_AUTH", "client_secret_basic")
    if token_auth not in TOKEN_AUTH_METHODS:
        raise ValueError(f"{prefix}TOKEN_AUTH must be one of {', '.join(TOKEN_AUTH_METHODS)}")
    try:
        verification = Verification.parse(value("VERIFIED", "never"))
    except ValueError as error:
        raise ValueError(f"{prefix}{error}") from None
    auth_params = dict(parse_qsl(value("AUTH_PARAMS"), keep_blank_values=False))
    reserved = {"state", "nonce", "code_challenge", "code_challenge_method", "redirect_uri", "client_id",
                "response_type", "scope"} & set(auth_params)
    if reserved:
        raise ValueError(f"{prefix}AUTH_PARAMS may not set {', '.join(sorted(reserved))}")
    return Provider(
        name=name, discovery_url=discovery, issuer=issuer, client_id=value("CLIENT_ID"),
        client_secret=value("CLIENT_SECRET"), scopes=scopes, label_th=value("LABEL_TH", name),
        label_en=value("LABEL_EN") or value("LABEL_TH", name), algorithms=algorithms, token_auth=token_auth,
        claim_name=value("CLAIM_NAME", "name"), claim_email=value("CLAIM_EMAIL", "email"),
        trust_email=value("TRUST_EMAIL") in ("1", "true", "yes"), verification=verification,
        auth_params=auth_params, preset=preset_name,
    )


def load(config: Mapping, environ: Mapping) -> tuple[dict[str, Provider], list[str]]:
    """The providers configured, in OIDC_PROVIDERS order, and what is wrong with the others."""
    names = [n.strip().lower() for n in _setting(config, environ, "OIDC_PROVIDERS").split(",") if n.strip()]
    providers: dict[str, Provider] = {}
    problems: list[str] = []
    for name in names:
        if not NAME.match(name):
            problems.append(f"OIDC_PROVIDERS: {name!r} is not a provider name (lower-case letters, digits, _)")
            continue
        if name in providers:
            problems.append(f"OIDC_PROVIDERS names {name!r} twice")
            continue
        try:
            providers[name] = _provider(name, lambda key, name=name: _setting(config, environ,
                                                                                f"OIDC_{name.upper()}_{key}"))
        except ValueError as error:
            problems.append(str(error))
    listed = {name.upper() for name in names}
    settings = "|".join(SETTINGS)
    for key in sorted(set(config) | set(environ)):
        found = re.match(rf"^OIDC_([A-Z0-9_]+?)_({settings})$", str(key))
        if found and found.group(1) not in listed and _setting(config, environ, key):
            problems.append(f"{key} is set but {found.group(1).lower()!r} is not in OIDC_PROVIDERS")
    return providers, problems
