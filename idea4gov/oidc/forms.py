"""Forms of signing in with a provider."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, Length

from idea4gov.text import TextLength

INTENTS = ("login", "link", "notices")


class StartForm(FlaskForm):
    """A button that leaves for a provider: link it to my account, link LINE for notices, or
    verify my identity while keeping what I typed (the form's other fields)."""

    intent = HiddenField(validators=[AnyOf(INTENTS)])
    next = HiddenField(validators=[Length(max=500)])


class WelcomeForm(FlaskForm):
    """The first sign-in through a provider: a display name and the PDPA consent make the account."""

    display_name = StringField(
        _l("ชื่อที่แสดง"),
        validators=[DataRequired(_l("กรุณาใส่ชื่อที่แสดง")), TextLength(2, 80, _l("ชื่อที่แสดงต้องยาว %(min)d–%(max)d ตัวอักษร"))],
        description=_l("ชื่อนี้แสดงกับไอเดียและความคิดเห็นของคุณ ใช้ชื่อเล่นได้"),
    )
    use_email = BooleanField(_l("ใช้อีเมลนี้กับบัญชี เพื่อรับใบรับเรื่องและการแจ้งความคืบหน้าทางอีเมล"))
    consent = BooleanField(
        _l("ฉันยอมรับประกาศความเป็นส่วนตัว และยินยอมให้เก็บข้อมูลตาม พ.ร.บ. คุ้มครองข้อมูลส่วนบุคคล (PDPA)"),
        validators=[DataRequired(_l("กรุณายอมรับประกาศความเป็นส่วนตัวก่อนสร้างบัญชี"))],
    )
    submit = SubmitField(_l("สร้างบัญชีและเข้าสู่ระบบ"))


class BadgeForm(FlaskForm):
    """Consent to show the verified-identity badge next to my name on public pages."""

    show = BooleanField(_l("แสดงเครื่องหมาย “ยืนยันตัวตนแล้ว” ข้างชื่อของฉันในหน้าสาธารณะ"))
    submit = SubmitField(_l("บันทึก"))
