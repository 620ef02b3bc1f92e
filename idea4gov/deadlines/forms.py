"""Forms of the holiday calendar page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional


class DayOffForm(FlaskForm):
    day = DateField(_l("วันที่"), validators=[InputRequired(_l("กรุณาเลือกวันที่ (ปี ค.ศ. ในรูปแบบ YYYY-MM-DD)"))])
    name_th = StringField(_l("ชื่อวันหยุด (ไทย)"), validators=[
        DataRequired(_l("กรุณาใส่ชื่อวันหยุด")), Length(max=200, message=_l("ยาวได้ไม่เกิน %(max)d ตัวอักษร"))])
    name_en = StringField(_l("ชื่อวันหยุด (อังกฤษ)"), validators=[
        Optional(), Length(max=200, message=_l("ยาวได้ไม่เกิน %(max)d ตัวอักษร"))])
    submit = SubmitField(_l("เพิ่มวันหยุด"))


class RemoveDayForm(FlaskForm):
    reason = StringField(_l("เหตุผล"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("ให้เป็นวันทำการ"))
