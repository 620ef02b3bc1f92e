"""The form that opens a join code."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from idea4gov.joincodes.services import LABEL_MAX, MAX_HOURS, MAX_REGISTRATIONS, MIN_HOURS


class OpenCodeForm(FlaskForm):
    label = StringField(_l("ชื่อกิจกรรม (เช่น เวทีประชาคม ณ ศาลาชุมชน)"), validators=[
        DataRequired(_l("กรุณาใส่ชื่อกิจกรรม")), Length(max=LABEL_MAX, message=_l("ยาวได้ไม่เกิน %(max)d ตัวอักษร"))])
    hours = IntegerField(_l("ใช้ได้กี่ชั่วโมงนับจากนี้"), default=4, validators=[
        InputRequired(_l("กรุณาใส่จำนวนชั่วโมง")),
        NumberRange(min=MIN_HOURS, max=MAX_HOURS, message=_l("ต้องเป็น %(min)s–%(max)s ชั่วโมง"))])
    max_registrations = IntegerField(_l("สมัครสมาชิกผ่านรหัสได้สูงสุด (บัญชี)"), default=200, validators=[
        InputRequired(_l("กรุณาใส่จำนวน")),
        NumberRange(min=1, max=MAX_REGISTRATIONS, message=_l("ต้องเป็น %(min)s–%(max)s"))])
    submit = SubmitField(_l("เปิดรหัสเข้าร่วม"))
