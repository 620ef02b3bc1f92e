"""API authentication: a personal token (Bearer) or the session cookie with a CSRF header."""
from __future__ import annotations

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import ValidationError, validate_csrf

from idea4gov.account.tokens import bearer_user
from idea4gov.api import bp
from idea4gov.errors import json_error
from idea4gov.extensions import csrf

csrf.exempt(bp)  # checked below: only cookie-authenticated writes need the CSRF header

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
#: Tells a client which scheme a 401 expects (RFC 6750).
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="idea4gov"'}


def _unauthorized(message: str, code: str = "unauthorized"):
    body, status = json_error(401, message, code=code)
    return body, status, CHALLENGE


@bp.before_request
def authenticate():
    g.api_user = None
    # Werkzeug only refuses an oversized body when a view reads it; refuse it on every call.
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit and (request.content_length or 0) > limit:
        return json_error(413)
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _unauthorized(_("รูปแบบ Authorization ไม่ถูกต้อง ใช้ Bearer <token>"), "invalid_token")
        user = bearer_user(header)
        if user is None:
            return _unauthorized(_("โทเคนไม่ถูกต้องหรือถูกเพิกถอนแล้ว"), "invalid_token")
        g.api_user = user
        return None
    # A session of an erased account (still open on another device) authenticates nothing.
    if current_user.is_authenticated and current_user.is_active:
        if request.method in UNSAFE_METHODS:
            try:
                validate_csrf(request.headers.get("X-CSRFToken"))
            except ValidationError:
                return json_error(400, _("ไม่มีหรือ CSRF token ไม่ถูกต้อง (ส่งใน header X-CSRFToken)"), code="csrf_failed")
        g.api_user = current_user._get_current_object()
    return None


def require_user():
    """The authenticated user, or a 401 JSON response to return."""
    if g.get("api_user") is None:
        return None, _unauthorized(_("ต้องยืนยันตัวตนด้วย Bearer token หรือเข้าสู่ระบบ"))
    return g.api_user, None
