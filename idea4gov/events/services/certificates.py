"""Certificates of participation and the signed address that shows whether one is genuine.

The address is `<PUBLIC_BASE_URL>/events/certificates/<token>` (`idea4gov.links.public_url`, never the
request's Host header); the token is the registration's number signed with SECRET_KEY, so nobody can
make one up, and the page checks that the person is still recorded as present.
"""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from idea4gov.events.models import Registration
from idea4gov.extensions import db
from idea4gov.links import public_url
from idea4gov.timeutil import BUDDHIST_ERA_OFFSET, to_bangkok

SALT = "idea4gov-event-certificate"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(row: Registration) -> str:
    return _serializer().dumps([row.id, row.event_id])


def verify_url(row: Registration) -> str:
    return public_url("events.verify", token=token_for(row))


def number(row: Registration) -> str:
    """The number printed on the certificate, e.g. EV12-0034."""
    return f"EV{row.event_id}-{row.id:04d}"


def registration_for(token: str) -> Registration | None:
    """The registration a genuine token names (whatever its state now), or None for a forged one."""
    if not token or len(token) > 200:
        return None
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)):
        return None
    registration_id, event_id = value
    if not 0 < registration_id < 2**31:
        return None
    row = db.session.get(Registration, registration_id)
    return row if row is not None and row.event_id == event_id else None


THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน",
               "ตุลาคม", "พฤศจิกายน", "ธันวาคม")


def thai_day_range(start, end) -> str:  # noqa: ANN001
    """The days of an event as a certificate writes them, Bangkok time, Buddhist era:
    "วันที่ 5–6 ธันวาคม พ.ศ. 2569"."""
    first, last = to_bangkok(start).date(), to_bangkok(end).date()

    def day(d, with_year: bool = True) -> str:  # noqa: ANN001
        text = f"{d.day} {THAI_MONTHS[d.month - 1]}"
        return f"{text} พ.ศ. {d.year + BUDDHIST_ERA_OFFSET}" if with_year else text

    if first == last:
        return f"วันที่ {day(first)}"
    if (first.year, first.month) == (last.year, last.month):
        return f"วันที่ {first.day}–{day(last)}"
    if first.year == last.year:
        return f"วันที่ {day(first, with_year=False)} – {day(last)}"
    return f"วันที่ {day(first)} – {day(last)}"
