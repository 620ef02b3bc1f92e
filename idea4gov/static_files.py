"""Static files with versioned URLs: `url_for('static', ...)` adds `?v=<content hash>`, and a
request carrying it is answered `Cache-Control: public, max-age=31536000, immutable`, so a phone
downloads CSS, JS and fonts once per release. The fonts' own URLs inside sarabun.css carry the
hash too (scripts/subset_fonts.py). Unversioned requests keep Flask's default (revalidate)."""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache

from flask import Flask, Response, current_app, request

ONE_YEAR = 365 * 24 * 3600


@lru_cache(maxsize=256)
def _version(folder: str, filename: str, mtime: float) -> str | None:
    try:
        with open(os.path.join(folder, filename), "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()[:10]
    except OSError:
        return None


def version_of(filename: str) -> str | None:
    folder = current_app.static_folder
    try:
        mtime = os.stat(os.path.join(folder, filename)).st_mtime
    except OSError:
        return None
    return _version(folder, filename, mtime)


def _add_version(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values and "v" not in values:
        version = version_of(values["filename"])
        if version:
            values["v"] = version


def _immutable(response: Response) -> Response:
    # Only the current version is immutable: an old URL gets today's file, revalidated as usual.
    if (request.endpoint == "static" and response.status_code in (200, 304) and request.args.get("v")
            and request.args["v"] == version_of((request.view_args or {}).get("filename", ""))):
        response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response


def init_app(app: Flask) -> None:
    app.url_defaults(_add_version)
    app.after_request(_immutable)
