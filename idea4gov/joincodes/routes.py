"""Join codes: organisers open, print and close them; residents join with /join/<code>."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from idea4gov.areas.services import get_area_or_404
from idea4gov.auth.models import Role
from idea4gov.auth.permissions import require_role
from idea4gov.extensions import db
from idea4gov.ideas.forms import EmptyForm
from idea4gov.ideas.services import ServiceError
from idea4gov.joincodes import bp, services
from idea4gov.joincodes.forms import OpenCodeForm
from idea4gov.joincodes.models import JoinCode


def _code_for_organiser(code_id: int) -> JoinCode:
    row = db.get_or_404(JoinCode, code_id)
    require_role(Role.organiser, row.area_id)
    return row


def _message(error: ServiceError) -> str:
    return {
        "join_label_required": _("กรุณาใส่ชื่อกิจกรรม"),
        "join_hours_range": _("ต้องเป็น %(min)d–%(max)d ชั่วโมง", min=services.MIN_HOURS, max=services.MAX_HOURS),
        "join_max_range": _("ต้องเป็น 1–%(max)d", max=services.MAX_REGISTRATIONS),
    }.get(error.message, _("ทำรายการไม่สำเร็จ กรุณาลองใหม่"))


def _list_page(area, form: OpenCodeForm | None = None, status: int = 200):  # noqa: ANN001
    return render_template("joincodes/list.html", area=area, codes=services.codes_of(area),
                           form=form or OpenCodeForm(formdata=None), button_form=EmptyForm()), status


@bp.get("/areas/<slug>/join-codes")
@login_required
def index(slug: str):
    """The area's join codes and a form to open one (the area's organisers and admins)."""
    area = get_area_or_404(slug)
    require_role(Role.organiser, area.id)
    return _list_page(area)


@bp.post("/areas/<slug>/join-codes")
@login_required
def open_code(slug: str):
    """Open a time-boxed join code for a workshop, then show its printable page."""
    area = get_area_or_404(slug)
    require_role(Role.organiser, area.id)
    form = OpenCodeForm()
    if not form.validate():
        return _list_page(area, form, 400)
    try:
        row = services.open_code(area, current_user, form.label.data, form.hours.data, form.max_registrations.data)
    except ServiceError as error:
        db.session.rollback()
        getattr(form, error.field).errors.append(_message(error))
        return _list_page(area, form, 400)
    db.session.commit()
    flash(_("เปิดรหัสเข้าร่วมแล้ว พิมพ์หน้านี้ติดไว้ที่งาน"), "success")
    return redirect(url_for("joincodes.show", code_id=row.id))


@bp.get("/join-codes/<int:code_id>")
@login_required
def show(code_id: int):
    """A join code's printable page: the QR code, the address and the code in large type."""
    row = _code_for_organiser(code_id)
    return render_template("joincodes/print.html", row=row, url=services.join_url(row), button_form=EmptyForm())


@bp.get("/join-codes/<int:code_id>/qr.svg")
@login_required
def qr(code_id: int):
    """The QR code of the join address, drawn on the server as SVG."""
    row = _code_for_organiser(code_id)
    return Response(services.qr_svg(row), mimetype="image/svg+xml", headers={"Cache-Control": "private, no-store"})


@bp.post("/join-codes/<int:code_id>/close")
@login_required
def close(code_id: int):
    """Close a join code before it expires."""
    row = _code_for_organiser(code_id)
    if not EmptyForm().validate():
        abort(400)
    changed = services.close_code(row, current_user)
    db.session.commit()
    flash(_("ปิดรหัสเข้าร่วมแล้ว") if changed else _("รหัสนี้ปิดหรือหมดอายุไปแล้ว"), "success")
    return redirect(url_for("joincodes.index", slug=row.area.slug))


@bp.get("/join/<code>")
def join(code: str):
    """Bind a workshop's join code to this browser until it expires, and say what it allows."""
    row = services.find(code)
    if row is None:
        return render_template("joincodes/join.html", row=None, state="unknown"), 404
    state = row.state()
    if state != "open":
        return render_template("joincodes/join.html", row=row, state=state), 410
    response = Response(render_template("joincodes/join.html", row=row, state=state))
    services.bind(response, row)
    return response
