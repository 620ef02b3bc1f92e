"""Forms of the admin pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from idea4gov.audit.labels import TARGET_LABELS
from idea4gov.params import DateInRange

ROLE_LABELS = {
    "moderator": _l("ผู้ดูแลเนื้อหา"),
    "officer": _l("เจ้าหน้าที่"),
    "organiser": _l("ผู้จัดกิจกรรม"),
    "admin": _l("ผู้ดูแลระบบ (ทุกพื้นที่)"),
    "programme_viewer": _l("ผู้ติดตามผลการดำเนินงาน (อ่านอย่างเดียว ทุกพื้นที่)"),
}


class GrantForm(FlaskForm):
    role = SelectField(_l("บทบาท"), choices=[SelectChoice(value, label) for value, label in ROLE_LABELS.items()])
    #: Choices are the areas, set by the view; empty for the admin role.
    area = SelectField(_l("พื้นที่"), validate_choice=False)
    submit = SubmitField(_l("ให้สิทธิ์"))


class BlockForm(FlaskForm):
    reason = TextAreaField(_l("เหตุผลที่ระงับ"), validators=[
        DataRequired(_l("กรุณาใส่เหตุผล")), Length(max=1000, message=_l("เหตุผลยาวได้ไม่เกิน %(max)d ตัวอักษร"))])
    submit = SubmitField(_l("ระงับผู้ใช้"))


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    area = SelectField(_l("พื้นที่"), validate_choice=False)
    #: Choices are the labelled actions and any other the log holds, set by the view.
    action = SelectField(_l("การกระทำ"), validate_choice=False, validators=[Optional(), Length(max=40)])
    actor = StringField(_l("ผู้ทำ (อีเมล)"), validators=[Optional(), Length(max=254)])
    target_type = SelectField(_l("ประเภท"), choices=[SelectChoice("", _l("ทั้งหมด"))] + [
        SelectChoice(code, label) for code, label in TARGET_LABELS.items()], validate_choice=False)
    since = DateField(_l("ตั้งแต่วันที่"), validators=[Optional(), DateInRange()])
    until = DateField(_l("ถึงวันที่"), validators=[Optional(), DateInRange()])
