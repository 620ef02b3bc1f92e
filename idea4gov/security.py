"""Security headers on every response (CSP without inline script, framing, referrer, HSTS), and
only the configured host names answered (TRUSTED_HOSTS; production: PUBLIC_BASE_URL's host)."""
from __future__ import annotations

from flask import Flask, Response, current_app
from werkzeug.exceptions import SecurityError
from werkzeug.wsgi import get_host


def content_security_policy(tile_url: str | None = None, form_origins: set[str] | frozenset[str] = frozenset()) -> str:
    """No inline script or style anywhere: JS lives in static/js, CSS in static/css. The map's tile
    server (`MAP_TILE_URL`) is the one outside host for images; the sign-in providers' origins the
    only ones a form may lead to (a POST that redirects to a provider's page: browsers check
    `form-action` on every redirect of a form's navigation)."""
    from idea4gov.places.tiles import csp_source

    tiles = csp_source(tile_url)
    return "; ".join((
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:" + (f" {tiles}" if tiles else ""),
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action " + " ".join(["'self'", *sorted(form_origins)]),
    ))


#: The policy without map tiles (`MAP_TILE_URL` empty, as in tests).
CONTENT_SECURITY_POLICY = content_security_policy(None)

HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    # The new-idea form may ask for the device's location (only after the resident presses the button).
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(self), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def allow_form_action(app: Flask, origins: set[str]) -> None:
    """Let forms lead to the sign-in providers' origins too (called once the providers are known)."""
    app.config["CONTENT_SECURITY_POLICY"] = content_security_policy(app.config.get("MAP_TILE_URL"), origins)


def add_security_headers(response: Response) -> Response:
    """Each header unless the view set its own (one pass over the response's headers, not one each)."""
    present = {name.lower() for name, _value in response.headers}
    config = current_app.config
    wanted = [("Content-Security-Policy", config["CONTENT_SECURITY_POLICY"]), *HEADERS.items()]
    seconds = config.get("HSTS_SECONDS", 0)
    if seconds:
        # Browsers ignore HSTS over plain HTTP; production always runs behind HTTPS.
        wanted.append(("Strict-Transport-Security", f"max-age={seconds}; includeSubDomains"))
    for name, value in wanted:
        if name.lower() not in present:
            response.headers.add(name, value)
    return response


class TrustedHosts:
    """WSGI middleware: a request whose Host (or, behind TRUSTED_PROXIES, X-Forwarded-Host) is not
    one of the trusted names gets a plain 400 before any of the app runs. (Flask checks
    TRUSTED_HOSTS too, but only after routing, where its error page cannot be built.)"""

    BODY = "400 ชื่อโฮสต์ไม่ถูกต้อง / Bad Request: unknown host\n".encode()

    def __init__(self, wsgi_app, hosts: list[str]) -> None:  # noqa: ANN001
        self.wsgi_app, self.hosts = wsgi_app, hosts

    def __call__(self, environ, start_response):  # noqa: ANN001, ANN204
        try:
            get_host(environ, self.hosts)
        except SecurityError:
            start_response("400 Bad Request", [
                ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(self.BODY))),
                ("X-Content-Type-Options", "nosniff"), ("Cache-Control", "no-store")])
            return [self.BODY]
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    app.config["CONTENT_SECURITY_POLICY"] = content_security_policy(app.config.get("MAP_TILE_URL"))
    app.after_request(add_security_headers)
    hosts = app.config.get("TRUSTED_HOSTS")
    if hosts:
        app.wsgi_app = TrustedHosts(app.wsgi_app, hosts)
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
