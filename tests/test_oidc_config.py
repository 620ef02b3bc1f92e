"""Providers from the environment: presets, every setting, and a half-configured provider refused."""
from __future__ import annotations

import pytest

from idea4gov.oidc.claims import is_thai_national_id
from idea4gov.oidc.providers import PRESETS, Verification, load


def test_presets_fill_in_what_each_provider_always_uses():
    env = {"OIDC_PROVIDERS": "thaid,line,dga", "OIDC_THAID_DISCOVERY_URL": "https://id.example.go.th/.well-known/openid-configuration",
           "OIDC_THAID_CLIENT_ID": "a", "OIDC_THAID_CLIENT_SECRET": "s", "OIDC_LINE_CLIENT_ID": "1650000000",
           "OIDC_LINE_CLIENT_SECRET": "x" * 32, "OIDC_DGA_ISSUER": "https://connect.example.go.th",
           "OIDC_DGA_CLIENT_ID": "d", "OIDC_DGA_CLIENT_SECRET": "s", "OIDC_DGA_LABEL_TH": "ดิจิทัลไอดี"}
    providers, problems = load({}, env)
    assert problems == [] and list(providers) == ["thaid", "line", "dga"]
    thaid, line, dga = providers["thaid"], providers["line"], providers["dga"]
    assert thaid.algorithms == ("RS256",) and thaid.verification.rule == "always" and "pid" not in thaid.scopes
    assert line.algorithms == ("HS256",) and line.token_auth == "client_secret_post" and line.trust_email
    assert line.discovery_url == PRESETS["line"]["DISCOVERY_URL"] and line.verification.rule == "never"
    assert dga.discovery_url == "https://connect.example.go.th/.well-known/openid-configuration"
    assert dga.verification.level({"ial": "2.3"}) == ("2.3", True) and dga.verification.level({"ial": "1.1"})[1] is False
    assert dga.label("th") == "ดิจิทัลไอดี" and thaid.label("en") == "ThaiD"


def test_every_setting_of_a_provider_of_ones_own():
    env = {"OIDC_PROVIDERS": "city_id", "OIDC_CITY_ID_DISCOVERY_URL": "https://sso.city.example/.well-known/openid-configuration",
           "OIDC_CITY_ID_ISSUER": "https://sso.city.example", "OIDC_CITY_ID_CLIENT_ID": "c",
           "OIDC_CITY_ID_CLIENT_SECRET": "s", "OIDC_CITY_ID_SCOPES": "openid profile email",
           "OIDC_CITY_ID_LABEL_TH": "บัญชีเมือง", "OIDC_CITY_ID_LABEL_EN": "City account",
           "OIDC_CITY_ID_ALGORITHMS": "ES256,RS256", "OIDC_CITY_ID_TOKEN_AUTH": "client_secret_post",
           "OIDC_CITY_ID_CLAIM_NAME": "preferred_username", "OIDC_CITY_ID_CLAIM_EMAIL": "mail",
           "OIDC_CITY_ID_VERIFIED": "acr=urn:city:verified", "OIDC_CITY_ID_AUTH_PARAMS": "ui_locales=th"}
    providers, problems = load({}, env)
    assert problems == []
    city = providers["city_id"]
    assert (city.scopes, city.algorithms, city.token_auth, city.claim_name, city.claim_email) == (
        "openid profile email", ("ES256", "RS256"), "client_secret_post", "preferred_username", "mail")
    assert city.auth_params == {"ui_locales": "th"} and city.issuer == "https://sso.city.example"
    assert city.verification == Verification("claim", "acr", ("urn:city:verified",))


@pytest.mark.parametrize(("env", "problem"), [
    ({"OIDC_PROVIDERS": "thaid", "OIDC_THAID_CLIENT_ID": "a", "OIDC_THAID_CLIENT_SECRET": "s"}, "DISCOVERY_URL"),
    ({"OIDC_PROVIDERS": "line", "OIDC_LINE_CLIENT_ID": "a"}, "OIDC_LINE_CLIENT_SECRET missing"),
    ({"OIDC_THAID_CLIENT_ID": "a"}, "not in OIDC_PROVIDERS"),
    ({"OIDC_PROVIDERS": "x", "OIDC_X_ISSUER": "http://idp.example", "OIDC_X_CLIENT_ID": "a",
      "OIDC_X_CLIENT_SECRET": "s"}, "https://"),
    ({"OIDC_PROVIDERS": "x", "OIDC_X_ISSUER": "https://idp.example", "OIDC_X_CLIENT_ID": "a",
      "OIDC_X_CLIENT_SECRET": "s", "OIDC_X_ALGORITHMS": "none"}, "'none' never is"),
    ({"OIDC_PROVIDERS": "x", "OIDC_X_ISSUER": "https://idp.example", "OIDC_X_CLIENT_ID": "a",
      "OIDC_X_CLIENT_SECRET": "s", "OIDC_X_ALGORITHMS": "HS256,RS256"}, "mixes"),
    ({"OIDC_PROVIDERS": "x", "OIDC_X_ISSUER": "https://idp.example", "OIDC_X_CLIENT_ID": "a",
      "OIDC_X_CLIENT_SECRET": "s", "OIDC_X_SCOPES": "profile"}, "openid"),
    ({"OIDC_PROVIDERS": "x", "OIDC_X_ISSUER": "https://idp.example", "OIDC_X_CLIENT_ID": "a",
      "OIDC_X_CLIENT_SECRET": "s", "OIDC_X_AUTH_PARAMS": "state=fixed"}, "may not set state"),
    ({"OIDC_PROVIDERS": "Bad Name"}, "not a provider name"),
])
def test_a_half_configured_provider_is_named(env, problem):
    providers, problems = load({}, env)
    assert providers == {} and any(problem in text for text in problems), problems


def test_production_refuses_to_start_with_a_half_configured_provider(monkeypatch, other_app):
    from config import ProductionConfig
    from idea4gov import create_app

    for name, value in {"SECRET_KEY": "x" * 40, "DATABASE_URL": "sqlite://", "PUBLIC_BASE_URL": "https://i.example",
                        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0", "OIDC_PROVIDERS": "thaid",
                        "OIDC_THAID_CLIENT_ID": "a"}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(RuntimeError, match="half configured: OIDC_THAID_CLIENT_SECRET"):
        create_app(ProductionConfig)
    monkeypatch.setenv("LINE_CHANNEL_ACCESS_TOKEN", "t")
    monkeypatch.setenv("OIDC_PROVIDERS", "")
    monkeypatch.delenv("OIDC_THAID_CLIENT_ID")

    class Config(ProductionConfig):
        LINE_CHANNEL_ACCESS_TOKEN = "t"

    with pytest.raises(RuntimeError, match="LINE Login provider 'line' is not configured"):
        create_app(Config)


def test_development_leaves_a_broken_provider_out_and_says_why(monkeypatch, caplog, other_app):
    from config import DevelopmentConfig
    from idea4gov import create_app
    from idea4gov.oidc import registry

    monkeypatch.setenv("OIDC_PROVIDERS", "thaid")
    monkeypatch.setenv("OIDC_THAID_CLIENT_ID", "a")

    class Config(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    app = create_app(Config)
    with app.app_context():
        assert registry.all_providers() == []
    assert "half configured" in caplog.text


@pytest.mark.parametrize(("number", "valid"), [("1101700230708", True), ("1-1017-00230-70-8", True),
                                               ("1101700230705", False), ("110170023070", False)])
def test_thai_national_id_numbers_are_recognised_by_their_check_digit(number, valid):
    assert is_thai_national_id(number) is valid
