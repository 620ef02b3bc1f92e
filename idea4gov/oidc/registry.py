"""The app's configured providers and their Authlib clients (`init_app`, `configure`, `client`)."""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from flask import Flask, current_app

from idea4gov.oidc import client as oidc_client
from idea4gov.oidc import providers as oidc_providers

log = logging.getLogger(__name__)
EXTENSION = "idea4gov.oidc"


@dataclass
class State:
    providers: dict[str, oidc_providers.Provider]
    registry: oidc_client.ProviderRegistry


def configure(app: Flask) -> None:
    """(Re)read the providers from the app's config and the environment.

    A mistake stops the start when `OIDC_REFUSE_INCOMPLETE` (production); otherwise the broken
    provider is left out and the reason logged.
    """
    found, problems = oidc_providers.load(app.config, os.environ)
    problems += _line_problems(app, found)
    if problems:
        message = "sign-in providers: " + "; ".join(problems)
        if app.config.get("OIDC_REFUSE_INCOMPLETE"):
            raise RuntimeError(message)
        log.warning("%s (left out)", message)
    app.extensions[EXTENSION] = State(providers=found, registry=oidc_client.build(app, found))
    from idea4gov import security

    security.allow_form_action(app, set().union(*(p.origins for p in found.values())))


def _line_problems(app: Flask, found: dict) -> list[str]:
    """LINE notices need LINE Login: it is how a resident's LINE user id becomes known."""
    if not app.config.get("LINE_CHANNEL_ACCESS_TOKEN"):
        return []
    provider = app.config.get("LINE_NOTICES_PROVIDER") or "line"
    if provider not in found:
        return [f"LINE_CHANNEL_ACCESS_TOKEN is set but the LINE Login provider {provider!r} is not configured "
                f"(OIDC_PROVIDERS and OIDC_{provider.upper()}_*): residents could not link LINE for notices"]
    return []


def init_app(app: Flask) -> None:
    configure(app)


def _state() -> State:
    return current_app.extensions[EXTENSION]


def all_providers() -> list[oidc_providers.Provider]:
    return list(_state().providers.values())


def verifying_providers() -> list[oidc_providers.Provider]:
    """Providers that can vouch for an identity (ThaiD, Digital ID): the "verify" buttons."""
    return [provider for provider in all_providers() if provider.verification.rule != "never"]


def get(name: str) -> oidc_providers.Provider | None:
    return _state().providers.get(name)


def client(name: str) -> oidc_client.ProviderApp:
    return _state().registry.create_client(name)
