"""Absolute links to the site, for exports, the API and e-mails: always from the configured address.

Never from the request: its `Host` (or a client's `X-Forwarded-Host`) is whatever the client
sent, and an export cached as `public` or an e-mail built from it would carry an attacker's
host to everyone. `PUBLIC_BASE_URL` is required in production (see `config.ProductionConfig`,
which also accepts only that host, plus `TRUSTED_HOSTS`); development and commands without it
use the address `make run` serves on.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for

#: Where `make run` serves; the public address when PUBLIC_BASE_URL is unset (development).
LOCAL_BASE_URL = "http://127.0.0.1:5000"


def check_base_url(value: str) -> str:
    """PUBLIC_BASE_URL without its trailing slash, or ValueError when it is no http(s) address."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment \
            or parts.username or parts.password:
        raise ValueError(f"PUBLIC_BASE_URL must look like https://idea4gov.example.go.th, not {value!r}")
    return value.strip().rstrip("/")


def base_url() -> str:
    """PUBLIC_BASE_URL, else the local development server; no trailing slash."""
    return (current_app.config.get("PUBLIC_BASE_URL") or LOCAL_BASE_URL).rstrip("/")


def public_url(endpoint: str, **values) -> str:
    """The absolute URL of an endpoint on the public address (what `_external=True` would do
    with the request's host)."""
    path = url_for(endpoint, **values)
    if has_request_context() and request.script_root and path.startswith(request.script_root):
        path = path[len(request.script_root):]  # PUBLIC_BASE_URL already names where the app is mounted
    return base_url() + path


def trusted_hosts(base: str, extra: str = "") -> list[str]:
    """The host of PUBLIC_BASE_URL and any comma-separated `extra` hosts (TRUSTED_HOSTS)."""
    hosts = [urlsplit(base).hostname or ""] + [host.strip() for host in extra.split(",")]
    return list(dict.fromkeys(host for host in hosts if host))
