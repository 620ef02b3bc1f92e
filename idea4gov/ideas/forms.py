"""Forms for posting ideas, commenting and reporting."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from idea4gov.ideas import services
from idea4gov.ideas.models import ReportReason
from idea4gov.text import TextLength


class EmptyForm(FlaskForm):
    """A button that only POSTs (vote, unvote, delete) carries just the CSRF token."""

    submit = SubmitField(_l("ยืนยัน"))


class IdeaForm(FlaskForm):
    title = StringField(
        _l("ชื่อไอเดีย"),
        validators=[
            DataRequired(_l("กรุณาใส่ชื่อไอเดีย")),
            TextLength(services.TITLE_MIN, services.TITLE_MAX, _l("ชื่อไอเดียต้องยาว %(min)d–%(max)d ตัวอักษร")),
        ],
        description=_l("สั้น ๆ ให้เข้าใจว่าเสนออะไร (10–150 ตัวอักษร)"),
    )
    body = TextAreaField(
        _l("รายละเอียด"),
        validators=[
            DataRequired(_l("กรุณาเล่ารายละเอียดของไอเดีย")),
            TextLength(services.BODY_MIN, services.BODY_MAX, _l("รายละเอียดต้องยาว %(min)d–%(max)d ตัวอักษร")),
        ],
        description=_l("ปัญหาคืออะไร เสนอให้ทำอะไร ใครได้ประโยชน์ (30–5,000 ตัวอักษร)"),
    )
    #: Choices are the area's open themes, set by the view.
    theme = SelectField(_l("โจทย์"), validators=[DataRequired(_l("กรุณาเลือกโจทย์"))], validate_choice=False)
    place_name = StringField(
        _l("สถานที่ (ถ้ามี)"),
        validators=[Optional(), Length(max=services.PLACE_MAX, message=_l("ชื่อสถานที่ยาวเกิน %(max)d ตัวอักษร"))],
        description=_l("ชื่อสถานที่ เช่น หน้าตลาดหนองมน หรือปักหมุดบนแผนที่ / ใส่พิกัดด้านล่าง"),
    )
    #: A point (typed, picked on the map or from the device): checked by the view with
    #: `idea4gov.places.services.validated_point`; shown publicly rounded to ~100 m.
    lat = StringField(_l("ละติจูด (ถ้ามี)"), render_kw={"inputmode": "decimal", "maxlength": 40, "placeholder": "13.2843"})
    lng = StringField(_l("ลองจิจูด (ถ้ามี)"), render_kw={"inputmode": "decimal", "maxlength": 24, "placeholder": "100.9151"})
    point_source = HiddenField(default="typed")
    submit = SubmitField(_l("ส่งไอเดีย"))

    def validate_theme(self, field: SelectField) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("กรุณาเลือกโจทย์ที่ยังเปิดรับไอเดีย"))


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("ความคิดเห็น"),
        validators=[
            DataRequired(_l("กรุณาพิมพ์ความคิดเห็น")),
            TextLength(services.COMMENT_MIN, services.COMMENT_MAX, _l("ความคิดเห็นต้องยาว %(min)d–%(max)d ตัวอักษร")),
        ],
    )
    parent_id = HiddenField()
    submit = SubmitField(_l("ส่งความคิดเห็น"))


REPORT_REASON_LABELS = {
    ReportReason.spam: _l("สแปมหรือโฆษณา"),
    ReportReason.offensive: _l("หยาบคายหรือสร้างความเกลียดชัง"),
    ReportReason.off_topic: _l("ไม่เกี่ยวกับโจทย์"),
    ReportReason.personal_data: _l("เปิดเผยข้อมูลส่วนบุคคล"),
}


class ReportForm(FlaskForm):
    reason = SelectField(
        _l("เหตุผลที่รายงาน"),
        choices=[SelectChoice(reason.value, label) for reason, label in REPORT_REASON_LABELS.items()],
        validators=[DataRequired(_l("กรุณาเลือกเหตุผล"))],
        validate_choice=False,
    )
    details = TextAreaField(
        _l("รายละเอียดเพิ่มเติม (ถ้ามี)"),
        validators=[Optional(), Length(max=services.REPORT_DETAILS_MAX, message=_l("ยาวเกิน %(max)d ตัวอักษร"))],
    )
    comment_id = HiddenField()
    submit = SubmitField(_l("รายงาน"))

    def validate_reason(self, field: SelectField) -> None:
        if field.data not in {reason.value for reason in ReportReason}:
            raise ValidationError(_l("กรุณาเลือกเหตุผลจากรายการ"))
