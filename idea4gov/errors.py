"""Error pages in Thai and English, and JSON errors under /api; never a stack trace."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.routing import IntegerConverter

log = logging.getLogger(__name__)

#: Codes used in JSON errors, by HTTP status.
ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


def default_message(status: int) -> str:
    messages = {
        400: _("คำขอไม่ถูกต้อง"),
        401: _("กรุณาเข้าสู่ระบบ"),
        403: _("คุณไม่มีสิทธิ์ทำรายการนี้"),
        404: _("ไม่พบหน้าที่คุณต้องการ"),
        405: _("ไม่รองรับวิธีการส่งคำขอนี้"),
        409: _("ข้อมูลขัดแย้งกับข้อมูลที่มีอยู่"),
        413: _("ข้อมูลที่ส่งมามีขนาดใหญ่เกินไป"),
        415: _("รูปแบบข้อมูลไม่รองรับ กรุณาส่งเป็น JSON"),
        422: _("ข้อมูลไม่ถูกต้อง"),
        429: _("คุณส่งคำขอถี่เกินไป กรุณารอสักครู่แล้วลองใหม่"),
        500: _("ระบบขัดข้อง เราบันทึกปัญหาไว้แล้ว กรุณาลองใหม่ภายหลัง"),
        503: _("ระบบไม่พร้อมให้บริการชั่วคราว กรุณาลองใหม่ภายหลัง"),
    }
    return messages.get(status, _("เกิดข้อผิดพลาด"))


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, message: str | None = None, fields: dict | None = None, code: str | None = None):
    """The documented API error: {"error": {"code", "message", "fields"}} with a 4xx/5xx status."""
    body = {
        "error": {
            "code": code or ERROR_CODES.get(status, "error"),
            "message": message or default_message(status),
            "fields": fields or {},
        }
    }
    return jsonify(body), status


def _render(status: int, message: str | None = None):
    if wants_json():
        return json_error(status, message)
    return render_template("errors/error.html", status=status, message=message or default_message(status)), status


def abort_with(status: int, message: str) -> None:
    """Stop the request with this status and message (an error page, or JSON under /api)."""
    from flask import abort, make_response

    abort(make_response(_render(status, message)))


class RowIdConverter(IntegerConverter):
    """`<int:...>` in every route: an id no row can have (beyond 2**31 - 1, the largest
    INTEGER key on PostgreSQL) doesn't match, so it is a 404 instead of an overflow 500
    from SQLite."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 (Werkzeug's name)
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _has_nul(values) -> bool:  # noqa: ANN001
    return any("\x00" in value for value in values if isinstance(value, str))


def refuse_nul_characters():
    """No text anywhere may hold U+0000: PostgreSQL cannot store or even compare it, and no
    person types it, so a request carrying one (in the path, the query or a form) is refused
    up front with a clear 400 instead of failing deep in a query."""
    if "\x00" in request.path or _has_nul(request.args.values()) or (
        request.method in ("POST", "PUT", "PATCH") and request.mimetype != "application/json"
        and _has_nul(value for _key, value in request.form.items(multi=True))
    ):
        return _render(400, _("ข้อมูลมีอักขระที่ไม่อนุญาต (NUL) กรุณาตรวจสอบแล้วส่งใหม่"))
    return None


def unexpected_error_response(error: Exception):
    """Log with the traceback, roll back, and show the friendly 500 page (or JSON)."""
    log.exception("Unhandled error on %s %s", request.method, request.path, exc_info=error)
    from idea4gov.extensions import db

    db.session.rollback()
    return _render(500)


def init_app(app: Flask) -> None:
    # Set before any blueprint is registered: rules pick their converters when added.
    app.url_map.converters["int"] = RowIdConverter
    app.before_request(refuse_nul_characters)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = _("แบบฟอร์มหมดอายุหรือไม่ถูกต้อง (CSRF) กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง")
        if wants_json():
            return json_error(400, message, code="csrf_failed")
        return _render(400, message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        body, status = _render(error.code or 500)
        # A 405 must say what is allowed (RFC 9110); the exception carries it.
        allow = getattr(error, "valid_methods", None)
        return body, status, {"Allow": ", ".join(allow)} if allow else {}

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        return unexpected_error_response(error)

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError):
        return _render(500)
