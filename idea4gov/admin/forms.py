"""Forms of the admin pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from idea4gov.areas.models import ModerationMode
from idea4gov.params import DateInRange

ROLE_LABELS = {
    "moderator": _l("ผู้ดูแลเนื้อหา"),
    "officer": _l("เจ้าหน้าที่"),
    "organiser": _l("ผู้จัดกิจกรรม"),
    "admin": _l("ผู้ดูแลระบบ (ทุกพื้นที่)"),
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


class AreaSettingsForm(FlaskForm):
    is_open = BooleanField(_l("เปิดรับไอเดีย"))
    moderation_mode = SelectField(_l("การตรวจสอบเนื้อหา"), choices=[
        SelectChoice(ModerationMode.post.value, _l("เผยแพร่ทันที แล้วตรวจสอบเมื่อมีผู้รายงาน (post-moderation)")),
        SelectChoice(ModerationMode.pre.value, _l("ตรวจสอบก่อนเผยแพร่ (pre-moderation)")),
    ])
    auto_hide_reports = IntegerField(
        _l("ซ่อนอัตโนมัติเมื่อมีผู้รายงานครบ (คน)"),
        validators=[InputRequired(_l("กรุณาใส่จำนวน")),
                    NumberRange(min=1, max=100, message=_l("ต้องเป็นจำนวน %(min)s–%(max)s"))],
    )
    submit = SubmitField(_l("บันทึก"))


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    area = SelectField(_l("พื้นที่"), validate_choice=False)
    action = StringField(_l("การกระทำ"), validators=[Optional(), Length(max=40)])
    actor = StringField(_l("ผู้ทำ (อีเมล)"), validators=[Optional(), Length(max=254)])
    target_type = SelectField(_l("ประเภท"), choices=[
        SelectChoice("", _l("ทั้งหมด")), SelectChoice("idea", _l("ไอเดีย")),
        SelectChoice("comment", _l("ความคิดเห็น")), SelectChoice("user", _l("ผู้ใช้")),
        SelectChoice("area", _l("พื้นที่")),
    ], validate_choice=False)
    since = DateField(_l("ตั้งแต่วันที่"), validators=[Optional(), DateInRange()])
    until = DateField(_l("ถึงวันที่"), validators=[Optional(), DateInRange()])
