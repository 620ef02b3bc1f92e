"""`url_for` in templates, remembered for the links that are the same on every request.

Building a URL costs Werkzeug 7–20 µs (rules, converters, the static files' version); the base
template alone builds about twenty on every page (stylesheets, scripts, the header's and footer's
links), a tenth of a signed-in page's time on the bench. The same endpoint with the same values
under the same host, scheme and script root always builds the same URL, so templates get each one
from a small table of the app. The static files' content version is part of the key (a changed
file gets a new URL at once, as `idea4gov.static_files` promises); blueprint-relative endpoints
(".x"), unhashable values and templates rendered outside a request are built as before. Views
keep Flask's `url_for`.
"""
from __future__ import annotations

from flask import Flask, has_request_context, url_for

from idea4gov.chrome import per_site
from idea4gov.static_files import version_of

#: Remembered URLs at most (cleared when full, so page-specific links such as `next=` cannot grow it).
MAX_URLS = 4096


def template_url_for(endpoint: str, **values: object) -> str:
    """Flask's `url_for`, remembered per (endpoint, values, host, scheme, script root)."""
    if endpoint.startswith(".") or not has_request_context():
        return url_for(endpoint, **values)
    try:
        # Values in their order (the query string's) and with their types (1 and True are equal keys).
        key = (endpoint, tuple((name, value.__class__, value) for name, value in values.items()),
               version_of(values["filename"]) if endpoint == "static" and "filename" in values else None)
        hash(key)
    except TypeError:  # an unhashable value (a list of query values): build it
        return url_for(endpoint, **values)
    return per_site("template_urls", key, lambda: url_for(endpoint, **values), MAX_URLS)


def init_app(app: Flask) -> None:
    app.extensions["template_urls"] = {}
    app.jinja_env.globals["url_for"] = template_url_for
