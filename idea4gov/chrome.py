"""The parts of every page's frame (templates/base.html) that are the same for everyone reading in
one language: the skip link, the brand and main menu, menu labels, the footer, the links to the
stylesheets and scripts (their versioned URLs: a new file comes with a deploy, which starts new
processes).

Profiled on the bench, a signed-in page spent about a tenth of its time translating and linking
these same strings again (some twenty `_()` and `url_for` calls through Jinja, Flask-Babel and
Werkzeug). `{% call fragment("name") %}…{% endcall %}` renders its body once per process for each
language and site address (host, scheme, script root) and reuses the HTML. A fragment must not
contain anything about the reader or the request (names, counts, tokens, the current URL); those
stay outside it. With templates reloading (development), or outside a request, fragments are
rendered every time.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, has_request_context, request
from markupsafe import Markup

from idea4gov.i18n import current_locale


def per_site(store: str, key: tuple, build: Callable[[], object], limit: int = 1024) -> object:
    """`build()` remembered in the app's `store` under `key` and this request's site address (host,
    scheme, script root). Cleared when full: hosts (and page-specific values) are the client's to name."""
    remembered = current_app.extensions[store]
    key = (*key, request.host, request.scheme, request.script_root)
    value = remembered.get(key)
    if value is None:
        if len(remembered) >= limit:
            remembered.clear()
        value = remembered[key] = build()
    return value


def fragment(name: str, caller: Callable[[], str]) -> Markup:
    """The block's HTML for this language and site address, rendered the first time only."""
    if current_app.jinja_env.auto_reload or not has_request_context():
        return Markup(caller())
    return per_site("chrome_fragments", (name, current_locale()), lambda: Markup(caller()))


def init_app(app: Flask) -> None:
    app.extensions["chrome_fragments"] = {}
    app.add_template_global(fragment)
