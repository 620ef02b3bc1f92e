"""HTTP caching: what a shared cache (CDN, reverse proxy) may keep, ETags and 304s.

**Public pages** (`@public_page`: the area page, the idea page, the API's area list and idea):
a visitor who sends no session or remember-me cookie and no `Authorization` sees a page that
depends on its URL alone — the language too, which then comes only from `?lang=` (or is Thai).
Such a response is `Cache-Control: public` with a short shared lifetime (`PUBLIC_MAX_AGE`),
an `ETag` and `Vary: Cookie, Authorization`, carries no cookie, no CSRF token and no flashed
message (the page templates leave them out for these visitors), and is kept whole in the
process (`idea4gov.pagecache`) while its area's content is unchanged: the next such visitor,
or a CDN asking again with `If-None-Match`, is answered without rendering (304 when unchanged).
If rendering touched the session after all (a flashed message, a form's CSRF token, a language
remembered), the response is private instead.

**Everything else a session can change** — signed-in residents and staff, a language remembered
in the session, a page with a form — is `Cache-Control: private, no-cache` with `Vary: Cookie`:
no shared cache stores it; the browser may keep it and revalidate with the `ETag`.
"""
from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from flask import Flask, Response, current_app, g, make_response, request, session

from idea4gov import pagecache

PUBLIC_VARY = "Cookie, Authorization"
#: What makes a request conditional (the rest are answered whole; the server adds the Date header).
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE",
                       "HTTP_RANGE")


def _cookies() -> tuple[str, str]:
    config = current_app.config
    return config.get("SESSION_COOKIE_NAME", "session"), config.get("REMEMBER_COOKIE_NAME", "remember_token")


def anonymous_request() -> bool:
    """No session, no remember-me cookie, no token: nothing but the URL can shape the page."""
    if request.method not in ("GET", "HEAD") or "Authorization" in request.headers:
        return False
    cookies = request.cookies
    return not any(name in cookies for name in _cookies())


def url_locale() -> str:
    """The language of an anonymous request: `?lang=`, else the default (Thai)."""
    asked = request.args.get("lang")
    return asked if asked in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def etag_of(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=12).hexdigest()


def _public_headers(response: Response, etag: str) -> Response:
    seconds = current_app.config.get("PUBLIC_MAX_AGE", 30)
    # Browsers ask again each time (cheap: 304); shared caches keep it `seconds`, and may serve it
    # that long again while they revalidate, or for five minutes while the app is unreachable.
    response.headers["Cache-Control"] = (
        f"public, max-age=0, s-maxage={seconds}, stale-while-revalidate={seconds}, stale-if-error=300")
    response.headers["Vary"] = PUBLIC_VARY
    response.set_etag(etag)
    g.http_cache_decided = True
    return response


def public_page(area_of: Callable[..., int | None]):
    """Cache this GET view's whole response for anonymous visitors.

    `area_of(**view_args)` names the area whose content the page shows, from what the process
    already knows (`pagecache.hint`), or None the first time (then nothing is stored yet).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(**kwargs):
            if not anonymous_request():
                return view(**kwargs)
            g.anonymous_page = True  # base.html leaves the CSRF token out: nothing to post here
            area_id = area_of(**kwargs)
            key = ("page", request.host, request.path, request.query_string, url_locale())
            versions = pagecache.versions(area_id) if area_id is not None else None
            if versions is not None:
                stored = pagecache.get(key, versions)
                if stored is not None:
                    body, mimetype, etag = stored
                    response = _public_headers(Response(body, mimetype=mimetype), etag)
                    return response.make_conditional(request)
            response = make_response(view(**kwargs))
            if response.status_code != 200 or session.modified or response.is_streamed:
                return response
            body = response.get_data()
            etag = etag_of(body)
            if versions is not None:
                pagecache.put(key, versions, (body, response.mimetype, etag))
            return _public_headers(response, etag).make_conditional(request)

        return wrapped

    return decorator


def private_headers(response: Response) -> Response:
    """Whatever a session may have shaped is for this browser only; it revalidates with the ETag."""
    if g.get("http_cache_decided") or "Cache-Control" in response.headers:
        return response
    if not (session.accessed or session.modified or "Authorization" in request.headers
            or any(name in request.cookies for name in _cookies())):
        return response
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("Cookie")
    if (request.method in ("GET", "HEAD") and response.status_code == 200 and not response.is_streamed
            and not response.direct_passthrough and response.mimetype in ("text/html", "application/json")):
        response.add_etag()
        if any(name in request.environ for name in CONDITIONAL_HEADERS):
            response.make_conditional(request)  # 304 when unchanged (Werkzeug also sets Date)
    return response


def init_app(app: Flask) -> None:
    app.after_request(private_headers)
