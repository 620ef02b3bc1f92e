"""The parts of every page's frame (templates/base.html) that are the same for everyone reading in
one language: the page header, the footer, the links to the stylesheets and scripts (their versioned
URLs: a new file comes with a deploy, which starts new processes).

Profiled on the bench, a signed-in page spent about a tenth of its time translating and linking
these same strings again (some twenty `_()` and `url_for` calls through Jinja, Flask-Babel and
Werkzeug). `{% call fragment("name") %}…{% endcall %}` renders its body once per process for each
language and site address (host, scheme, script root) and reuses the HTML. A fragment must not
contain anything about the reader or the request (names, counts, tokens, the current URL); those
stay outside it. With templates reloading (development), or outside a request, fragments are
rendered every time.

The page header (`page_header`, templates/_header.html) is made the same way per language and kind of
reader (signed in or not, unread count, staff menu, text size); what is the request's own is a slot,
filled in on each request: the CSRF token and this page's address in the language, text-size and
log-in links. Rendered on each request, the header cost a signed-in page about a quarter of its time
(its links to this page, some fifteen translated labels; bench/web.py).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote_plus

from flask import Flask, current_app, has_request_context, render_template, request, session
from flask_login import current_user
from markupsafe import Markup, escape

from idea4gov import pagecache
from idea4gov.csrf_token import csrf_token
from idea4gov.i18n import current_locale, lang_url
from idea4gov.nav import staff_links, unread_notifications


def per_site(store: str, key: tuple, build: Callable[[], object], limit: int = 1024) -> object:
    """`build()` remembered in the app's `store` under `key` and this request's site address (host,
    scheme, script root). Cleared when full: hosts (and page-specific values) are the client's to name."""
    remembered = current_app.extensions[store]
    key = (*key, *site_address())
    value = remembered.get(key)
    if value is None:
        if len(remembered) >= limit:
            remembered.clear()
        value = remembered[key] = build()
    return value


def site_address() -> tuple[str, str, str]:
    """This request's host, scheme and script root, worked out once per request (kept in its environ)."""
    environ = request.environ
    site = environ.get("idea4gov.site")
    if site is None:
        site = environ["idea4gov.site"] = (request.host, request.scheme, request.script_root)
    return site


def fragment(name: str, caller: Callable[[], str]) -> Markup:
    """The block's HTML for this language and site address, rendered the first time only."""
    if current_app.jinja_env.auto_reload or not has_request_context():
        return Markup(caller())
    return per_site("chrome_fragments", (name, current_locale()), lambda: Markup(caller()))


#: Stands for the reader's CSRF token in HTML made once and reused by several readers.
CSRF_SLOT = "\x00csrf\x00"

#: The header's slots, each filled in on every request (`_slot_values`).
HEADER_SLOTS = ("csrf", "next", "login_next", "lang_th", "lang_en")
_SLOT = re.compile("\x00(" + "|".join(HEADER_SLOTS) + ")\x00")


def page_header(text_size: str | None) -> Markup:
    """The page header for this reader, its slots filled in for this request."""
    key = ("header", *header_kind(text_size))
    if current_app.jinja_env.auto_reload:
        texts, slots = _header_parts(*key[1:])
    else:
        texts, slots = per_site("chrome_fragments", key, lambda: _header_parts(*key[1:]))
    values = _slot_values(slots)
    filled = [texts[0]]
    for slot, text in zip(slots, texts[1:], strict=True):
        filled += (values[slot], text)
    return Markup("".join(filled))


def header_kind(text_size: str | None) -> tuple:
    """What the page header of this reader depends on besides the request's slots: language, text size,
    signed in or not, unread count, staff links."""
    signed_in = current_user.is_authenticated
    return (current_locale(), text_size, signed_in,
            unread_notifications() if signed_in else 0, tuple(staff_links()) if signed_in else ())


def _header_parts(locale: str, text_size: str | None, signed_in: bool, unread: int,
                  links: tuple[tuple[str, str], ...]) -> tuple[list[str], list[str]]:
    """The header's HTML around its slots, and the slots in order."""
    html = render_template("_header.html", text_size=text_size, signed_in=signed_in, unread=unread, links=links,
                           slots={name: f"\x00{name}\x00" for name in HEADER_SLOTS})
    parts = _SLOT.split(html)  # HTML, slot, HTML, slot, …, HTML
    return parts[::2], parts[1::2]


def _slot_values(slots: list[str]) -> dict[str, str]:
    """This request's value of each slot, escaped for the attribute it stands in."""
    values = {}
    if "csrf" in slots:
        values["csrf"] = csrf_token()
    for code in ("th", "en"):
        if f"lang_{code}" in slots:
            values[f"lang_{code}"] = lang_url(code)
    # This page, to come back to (a form's page after a POST: its address without the query).
    get = request.method == "GET"
    here = quote_plus((request.full_path if get else request.path).rstrip("?"), safe="/")
    values["next"] = here
    values["login_next"] = "?next=" + here if get else ""
    return {name: str(escape(value)) for name, value in values.items()}


def shared_reader_page(key: tuple, area_id: int, render: Callable[[], str]) -> str:
    """A signed-in reader's page made once for every reader of the same kind and reused, with their own
    CSRF token, while the area's content is unchanged (`pagecache.cached`).

    `key` names all the page shows of the reader beyond the frame (their support, their links); the
    frame's part of the key is added here: the header's kind (language, text size, unread count, staff
    links), the query string (this page's address is in the language and log-in links) and the site
    address. A page for a visitor not signed in (the public ones are kept whole: `idea4gov.httpcache`),
    with a flashed message (shown once) or for any request other than a GET is made for the reader
    alone, as it is with templates reloading (development).
    """
    from idea4gov.a11y import page_text_size

    if (request.method != "GET" or not current_user.is_authenticated or "_flashes" in session
            or current_app.jinja_env.auto_reload):
        return render()
    key = ("reader-page", *key, request.query_string, *header_kind(page_text_size()), *site_address())
    token = csrf_token()
    page = pagecache.cached(key, area_id, lambda: render().replace(token, CSRF_SLOT))
    return page.replace(CSRF_SLOT, token)


def init_app(app: Flask) -> None:
    app.extensions["chrome_fragments"] = {}
    app.add_template_global(fragment)
    app.add_template_global(page_header)
