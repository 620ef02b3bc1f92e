"""Forms of the account page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from idea4gov.auth.forms import NewPasswordForm


class TokenForm(FlaskForm):
    name = StringField(
        _l("ชื่อโทเคน"),
        validators=[DataRequired(_l("กรุณาตั้งชื่อโทเคน เช่น ชื่อแอปที่จะใช้")), Length(max=80, message=_l("ยาวเกิน %(max)d ตัวอักษร"))],
    )
    submit = SubmitField(_l("สร้างโทเคน"))


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("ยืนยันด้วยรหัสผ่าน"), validators=[DataRequired(_l("กรุณาใส่รหัสผ่าน")), Length(max=128)])
    submit = SubmitField(_l("ลบบัญชีของฉัน"))


class ExportNameForm(FlaskForm):
    """Consent to be named as the author of my ideas in shortlist exports (Excel, CSV, JSON, print)."""

    show_name = BooleanField(_l("ยินยอมให้แสดงชื่อของฉันเป็นผู้เสนอไอเดีย ในไฟล์รายการคัดเลือกที่ส่งต่อให้หน่วยงาน"))
    submit = SubmitField(_l("บันทึกการตั้งค่า"))


class ChangePasswordForm(NewPasswordForm):
    """A new password; every other device is signed out."""

    current = PasswordField(_l("รหัสผ่านปัจจุบัน"), validators=[DataRequired(_l("กรุณาใส่รหัสผ่านปัจจุบัน")), Length(max=128)])
    submit = SubmitField(_l("เปลี่ยนรหัสผ่าน"))
