"""Register and log-in forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from idea4gov.auth import passwords
from idea4gov.text import TextLength


def _strip(value: str | None) -> str | None:
    """Phones add a space after an e-mail address; it is not part of it."""
    return value.strip() if isinstance(value, str) else value


class NewPasswordForm(FlaskForm):
    """A new password typed twice: long enough and not a common one (registration, password change)."""

    password = PasswordField(
        _l("รหัสผ่าน"),
        validators=[
            DataRequired(_l("กรุณาตั้งรหัสผ่าน")),
            Length(passwords.MIN_LENGTH, passwords.MAX_LENGTH,
                   _l("รหัสผ่านต้องยาวอย่างน้อย %(min)d ตัวอักษร (ไม่เกิน %(max)d)")),
        ],
        description=_l("อย่างน้อย 10 ตัวอักษร และไม่ใช่รหัสผ่านที่คนใช้กันบ่อย"),
    )
    confirm = PasswordField(
        _l("ยืนยันรหัสผ่าน"),
        validators=[DataRequired(_l("กรุณายืนยันรหัสผ่าน")), EqualTo("password", _l("รหัสผ่านทั้งสองช่องไม่ตรงกัน"))],
    )

    def validate_password(self, field: PasswordField) -> None:
        if passwords.is_common(field.data):
            raise ValidationError(_l("รหัสผ่านนี้คาดเดาง่ายเกินไป กรุณาตั้งรหัสผ่านอื่น"))


class RegisterForm(NewPasswordForm):
    email = EmailField(
        _l("อีเมล"),
        filters=[_strip],
        validators=[
            DataRequired(_l("กรุณาใส่อีเมล")),
            Length(max=254, message=_l("อีเมลยาวเกินไป")),
            Email(_l("รูปแบบอีเมลไม่ถูกต้อง"), check_deliverability=False),
        ],
    )
    display_name = StringField(
        _l("ชื่อที่แสดง"),
        validators=[DataRequired(_l("กรุณาใส่ชื่อที่แสดง")), TextLength(2, 80, _l("ชื่อที่แสดงต้องยาว %(min)d–%(max)d ตัวอักษร"))],
    )
    consent = BooleanField(
        _l("ฉันยอมรับประกาศความเป็นส่วนตัว และยินยอมให้เก็บข้อมูลตาม พ.ร.บ. คุ้มครองข้อมูลส่วนบุคคล (PDPA)"),
        validators=[DataRequired(_l("กรุณายอมรับประกาศความเป็นส่วนตัวก่อนสมัคร"))],
    )
    submit = SubmitField(_l("สมัครสมาชิก"))


class LoginForm(FlaskForm):
    email = EmailField(_l("อีเมล"), filters=[_strip], validators=[DataRequired(_l("กรุณาใส่อีเมล")), Length(max=254)])
    password = PasswordField(_l("รหัสผ่าน"), validators=[DataRequired(_l("กรุณาใส่รหัสผ่าน")), Length(max=128)])
    remember = BooleanField(_l("จำฉันไว้ในเครื่องนี้"))
    next = HiddenField()
    submit = SubmitField(_l("เข้าสู่ระบบ"))


class ConfirmRegistrationForm(FlaskForm):
    """The button on the page an e-mailed link opens (mail scanners follow links; only a POST creates)."""

    submit = SubmitField(_l("เปิดใช้บัญชีและเข้าสู่ระบบ"))
