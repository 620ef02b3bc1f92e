"""The map's tile server: `MAP_TILE_URL` (OpenStreetMap's by default; empty means no tiles, the
markers still work) and what the Content-Security-Policy must allow for it (its host, img-src only)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


def tile_url() -> str:
    return (current_app.config.get("MAP_TILE_URL") or "").strip()


def attribution() -> str:
    """The tile provider's credit (HTML made by the operator, never by users)."""
    return current_app.config.get("MAP_TILE_ATTRIBUTION") or (DEFAULT_ATTRIBUTION if tile_url() else "")


def csp_source(url: str | None) -> str | None:
    """The CSP source of a tile URL template: scheme and host (a `{s}` subdomain becomes `*`)."""
    url = (url or "").strip()
    if not url:
        return None
    parts = urlsplit(url.replace("{s}", "tiles-s"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"MAP_TILE_URL must be an http(s) URL template, got {url!r}")
    host = parts.netloc.replace("tiles-s", "*")
    return f"{parts.scheme}://{host}"
