"""The holiday calendar for administrators: the year's days off, special days off, removals."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from idea4gov.auth.permissions import admin_required
from idea4gov.deadlines import bp, services
from idea4gov.deadlines.calendar import OFFICE_CLOSES, OFFICE_OPENS
from idea4gov.deadlines.forms import DayOffForm, RemoveDayForm
from idea4gov.deadlines.models import Holiday
from idea4gov.extensions import db
from idea4gov.ideas.services import ServiceError
from idea4gov.timeutil import BUDDHIST_ERA_OFFSET, to_bangkok, utcnow


def _messages(error: ServiceError) -> str:
    return {
        "holiday_name_required": _("กรุณาใส่ชื่อวันหยุด"),
        "holiday_year_range": _("ใส่ได้เฉพาะวันในปี ค.ศ. %(first)d–%(last)d", first=services.FIRST_YEAR,
                                last=services.LAST_YEAR),
        "holiday_on_weekend": _("วันนี้เป็นวันเสาร์หรืออาทิตย์ ซึ่งไม่นับเป็นวันทำการอยู่แล้ว"),
        "holiday_exists": _("วันนี้อยู่ในปฏิทินวันหยุดแล้ว"),
    }.get(error.message, _("ทำรายการไม่สำเร็จ กรุณาลองใหม่"))


def _year() -> tuple[int | None, str | None]:
    """?year= in the Buddhist era (2569) or CE (2026), this year when absent: (year, None), or
    (None, the message) for junk."""
    raw = request.args.get("year", "").strip()
    if not raw:
        return to_bangkok(utcnow()).year, None
    if not raw.isascii() or not raw.isdigit() or len(raw) != 4:
        return None, _("ปีต้องเป็นตัวเลข 4 หลัก เช่น 2569")
    year = int(raw)
    year = year - BUDDHIST_ERA_OFFSET if year > 2400 else year
    if not services.FIRST_YEAR <= year <= services.LAST_YEAR:
        return None, _("ใส่ได้เฉพาะปี ค.ศ. %(first)d–%(last)d", first=services.FIRST_YEAR, last=services.LAST_YEAR)
    return year, None


def _page(year: int, form: DayOffForm | None = None, status: int = 200):
    return render_template(
        "deadlines/holidays.html", year=year, be_year=year + BUDDHIST_ERA_OFFSET, days=services.holidays_in(year),
        form=form or DayOffForm(formdata=None), remove_form=RemoveDayForm(formdata=None),
        opens=OFFICE_OPENS.strftime("%H:%M"), closes=OFFICE_CLOSES.strftime("%H:%M"),
    ), status


@bp.get("/admin/holidays")
@admin_required
def holidays():
    """The calendar's days off in one year, and a form to add a special day off."""
    year, error = _year()
    if error:
        return render_template("errors/error.html", status=400, message=error), 400
    return _page(year)


@bp.post("/admin/holidays")
@admin_required
def add_holiday():
    """Add a special day off (or put back a day that was removed); audited."""
    form = DayOffForm()
    if not form.validate():
        year = form.day.data.year if form.day.data else to_bangkok(utcnow()).year
        return _page(year, form, 400)
    try:
        services.add_day_off(form.day.data, form.name_th.data, form.name_en.data or "", current_user)
    except ServiceError as error:
        db.session.rollback()
        getattr(form, error.field or "day").errors.append(_messages(error))
        year = form.day.data.year
        return _page(year if services.FIRST_YEAR <= year <= services.LAST_YEAR else to_bangkok(utcnow()).year,
                     form, error.status)
    db.session.commit()
    flash(_("เพิ่มวันหยุดแล้ว กำหนดตอบของไอเดียที่ยังไม่ได้ตอบจะนับตามปฏิทินใหม่"), "success")
    return redirect(url_for("deadlines.holidays", year=form.day.data.year + BUDDHIST_ERA_OFFSET))


@bp.post("/admin/holidays/<int:holiday_id>/remove")
@admin_required
def remove_holiday(holiday_id: int):
    """Make a day off a working day again (the row stays, the change is audited)."""
    row = db.get_or_404(Holiday, holiday_id)
    form = RemoveDayForm()
    if not form.validate():
        abort(400)
    changed = services.remove_day_off(row, current_user, form.reason.data or "")
    db.session.commit()
    flash(_("วันนี้กลับเป็นวันทำการแล้ว") if changed else _("วันนี้เป็นวันทำการอยู่แล้ว"), "success")
    return redirect(url_for("deadlines.holidays", year=row.day.year + BUDDHIST_ERA_OFFSET))
