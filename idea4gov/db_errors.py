"""When the database is unreachable, read-only or full: a friendly 503/507, never a stack trace.

PostgreSQL restarting, a network cut or a pool timeout give 503 with `Retry-After`; the
engine's `pool_pre_ping` then replaces dead pooled connections, so the app recovers by itself
once the database is back. A SQLite file that became read-only gives 503, a full disk 507;
each logs one clear line (no traceback) for the operator.

The page is rendered without touching the database: no `current_user`, no header menu, the
language taken only from `?lang=` or the session.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, current_app, render_template, request, session
from flask_babel import force_locale
from flask_babel import gettext as _

log = logging.getLogger(__name__)

#: Errors that mean "the database is not there right now", not "this request is wrong".
UNAVAILABLE = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DisconnectionError, sa.exc.TimeoutError)


def classify(error: BaseException) -> str:
    """'readonly', 'full' or 'unavailable', from the driver's message."""
    text = str(getattr(error, "orig", None) or error).lower()
    if "readonly database" in text or "read-only" in text or "read only" in text:
        return "readonly"
    if "database or disk is full" in text or "no space left" in text or "disk full" in text:
        return "full"
    return "unavailable"


def _messages(kind: str) -> str:
    if kind == "readonly":
        return _("ระบบเปิดให้อ่านได้อย่างเดียวชั่วคราว ยังบันทึกข้อมูลใหม่ไม่ได้ กรุณาลองใหม่ภายหลัง")
    if kind == "full":
        return _("พื้นที่จัดเก็บข้อมูลของระบบเต็ม ยังบันทึกข้อมูลใหม่ไม่ได้ เราแจ้งผู้ดูแลระบบแล้ว")
    return _("ฐานข้อมูลไม่พร้อมให้บริการชั่วคราว กรุณาลองใหม่ในอีกสักครู่")


def _locale() -> str:
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    try:
        remembered = session.get("lang")
    except Exception:  # noqa: BLE001 - a broken session cookie must not hide the outage page
        remembered = None
    return remembered if remembered in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def database_error(error: BaseException):
    """Answer a database outage with 503 (507 when the disk is full) and one log line."""
    from idea4gov.errors import json_error, wants_json
    from idea4gov.extensions import db

    kind = classify(error)
    status = 507 if kind == "full" else 503
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()[0][:300]
    log.error("Database %s on %s %s: %s: %s", kind, request.method, request.path, type(error).__name__, detail)
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; the pool discards it
        pass
    retry = {"Retry-After": str(current_app.config.get("RETRY_AFTER_SECONDS", 10))}
    locale = _locale()
    with force_locale(locale):
        message = _messages(kind)
        if wants_json():
            body, _status = json_error(status, message, code="storage_full" if kind == "full" else "unavailable")
            return body, status, retry
        page = render_template("errors/unavailable.html", status=status, message=message, page_locale=locale)
    return page, status, retry


def _lost_connection(error: BaseException) -> bool:
    """Any other driver error raised because the connection died (SQLAlchemy flags those)."""
    return bool(getattr(error, "connection_invalidated", False))


def other_database_error(error: sa.exc.DBAPIError):
    """A DBAPIError that is not an outage class: 503 when the connection was lost, else the usual 500."""
    if _lost_connection(error):
        return database_error(error)
    from idea4gov.errors import unexpected_error_response

    return unexpected_error_response(error)


def init_app(app: Flask) -> None:
    for error_class in UNAVAILABLE:
        app.register_error_handler(error_class, database_error)
    app.register_error_handler(sa.exc.DBAPIError, other_database_error)
