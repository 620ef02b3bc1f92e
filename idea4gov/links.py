"""Absolute links to the site, for exports and e-mails."""
from __future__ import annotations

from flask import current_app, has_request_context, request

#: Where `make run` serves; used outside a request when PUBLIC_BASE_URL is unset.
LOCAL_BASE_URL = "http://127.0.0.1:5000"


def base_url() -> str:
    """PUBLIC_BASE_URL, else the address of the current request, else the local server; no trailing slash."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return LOCAL_BASE_URL
