"""Opening, closing and using join codes.

Visiting /join/<code> binds the code to the browser with a signed cookie that expires with the
code. While it is bound and the code is open, `idea4gov.ratelimit` lets the browser's requests
past the per-address limits (registration from a shared address), not the per-account ones;
every registration, idea, comment and vote made meanwhile is written to the audit log.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, g, has_request_context, request
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from idea4gov.areas.models import Area
from idea4gov.audit import services as audit
from idea4gov.auth.models import User
from idea4gov.events.models import Event
from idea4gov.extensions import db
from idea4gov.ideas.services import ServiceError
from idea4gov.joincodes.models import JoinCode
from idea4gov.links import base_url
from idea4gov.text import clean_plain
from idea4gov.timeutil import as_utc, utcnow

#: Letters and digits that cannot be mistaken for one another when read aloud or typed.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
#: How long a code may stay open: a workshop or a hackathon weekend.
MIN_HOURS, MAX_HOURS = 1, 72
MAX_REGISTRATIONS = 1000
LABEL_MAX = 120
COOKIE = "idea4gov_join"
_ACTIVE = "_active_join_code"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(raw: str) -> str:
    """What a resident typed (any case, spaces or dashes) as a stored code."""
    return "".join(ch for ch in (raw or "").upper() if ch in ALPHABET)[:16]


def open_code(area: Area, actor: User, label: str, hours: int, max_registrations: int,
              event: Event | None = None) -> JoinCode:
    """Open a join code for a workshop in the area, valid `hours` from now; audited. A code of an
    `event` also registers and checks in, on site, the signed-in people who use it."""
    label = clean_plain(label or "")[:LABEL_MAX]
    if not label:
        raise ServiceError("join_label_required", field="label")
    if not MIN_HOURS <= hours <= MAX_HOURS:
        raise ServiceError("join_hours_range", field="hours")
    if not 1 <= max_registrations <= MAX_REGISTRATIONS:
        raise ServiceError("join_max_range", field="max_registrations")
    now = utcnow()
    taken = True
    while taken:  # 31**8 codes: a clash is all but impossible, and the unique constraint guards
        code = new_code()
        taken = db.session.scalar(sa.select(JoinCode.id).where(JoinCode.code == code)) is not None
    row = JoinCode(code=code, area_id=area.id, label=label, created_by_id=actor.id, created_at=now,
                   expires_at=now + timedelta(hours=hours), max_registrations=max_registrations,
                   event_id=event.id if event is not None else None)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "open_join_code", "join_code", row.id, area_id=area.id, after=code,
                 reason=f"{label} ({hours} h, ≤ {max_registrations})")
    return row


def close_code(row: JoinCode, actor: User) -> bool:
    """Close a code before it expires; False when it was not open any more."""
    if row.state() != "open":
        return False
    row.closed_at, row.closed_by_id = utcnow(), actor.id
    audit.record(actor, "close_join_code", "join_code", row.id, area_id=row.area_id, before="open",
                 after="closed", reason=row.label)
    db.session.flush()
    return True


def codes_of(area: Area) -> list[JoinCode]:
    return list(db.session.scalars(sa.select(JoinCode).where(JoinCode.area_id == area.id)
                                   .order_by(JoinCode.created_at.desc(), JoinCode.id.desc())))


def find(raw: str) -> JoinCode | None:
    code = normalise(raw)
    if len(code) != CODE_LENGTH:
        return None
    return db.session.scalar(sa.select(JoinCode).where(JoinCode.code == code))


def join_url(row: JoinCode) -> str:
    """The absolute address printed and encoded in the QR code (through the links helper)."""
    return f"{base_url()}/join/{row.code}"


def qr_svg(row: JoinCode) -> str:
    """The QR code of the join address as an SVG document, drawn on the server (`qrcode`)."""
    return svg_qr(join_url(row))


def svg_qr(text: str, border: int = 2) -> str:
    """Any address as a QR code in an SVG document (also a certificate's verification address)."""
    import qrcode
    import qrcode.image.svg

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    qr.add_data(text)
    qr.make(fit=True)
    return qr.make_image(image_factory=qrcode.image.svg.SvgPathImage).to_string(encoding="unicode")


# --- the browser's binding -------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="idea4gov-join-code")


def bind(response, row: JoinCode) -> None:  # noqa: ANN001
    """Remember the code in this browser until it expires (signed, HttpOnly cookie)."""
    seconds = max(1, int((as_utc(row.expires_at) - utcnow()).total_seconds()))
    response.set_cookie(COOKIE, _serializer().dumps(row.code), max_age=seconds, httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")), path="/")


def active_code() -> JoinCode | None:
    """The open join code bound to this browser, if any (read once per request)."""
    if not has_request_context():
        return None
    if _ACTIVE not in g:
        row = None
        raw = request.cookies.get(COOKIE)
        if raw:
            try:
                code = _serializer().loads(raw)
            except BadSignature:
                code = None
            if isinstance(code, str):
                row = db.session.scalar(sa.select(JoinCode).where(JoinCode.code == code))
                if row is not None and row.state() != "open":
                    row = None
        setattr(g, _ACTIVE, row)
    return g.get(_ACTIVE)


def exempt_from_address_limits() -> bool:
    """The rate-limit hook: an open code with registrations left lifts the per-address limits."""
    row = active_code()
    return row is not None and row.registrations < row.max_registrations


TARGETS = {"register": "user", "idea": "idea", "comment": "comment", "vote": "idea", "unvote": "idea",
           "event": "event"}


def note_use(kind: str, target_id: int, area_id: int | None = None, actor: User | None = None,
             code_id: int | None = None) -> bool:
    """Audit something done through the bound code (`register`, `idea`, `comment`, `vote`,
    `unvote`, `event`: registered or checked in at the code's event), or through the code
    `code_id` (a registration confirmed from its e-mailed link, maybe on another device); a
    registration also counts against the code's limit. False when there is no code."""
    row = db.session.get(JoinCode, code_id) if code_id is not None else active_code()
    if row is None:
        return False
    who = actor or (current_user if current_user.is_authenticated else None)
    audit.record(who, f"join_code_{kind}", TARGETS[kind], target_id, area_id=area_id or row.area_id,
                 after=row.code, reason=row.label)
    if kind == "register":
        db.session.execute(sa.update(JoinCode).where(JoinCode.id == row.id)
                           .values(registrations=JoinCode.registrations + 1))
    return True


def expires_in(row: JoinCode, now: datetime | None = None) -> timedelta:
    return as_utc(row.expires_at) - (now or utcnow())
