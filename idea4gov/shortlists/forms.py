"""Forms of the shortlist pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from idea4gov.ideas.models import IdeaStatus
from idea4gov.params import DateInRange
from idea4gov.shortlists import services
from idea4gov.shortlists.filters import IdeaFilter

MAX_ROW_ID = 2**31 - 1


class ShortlistForm(FlaskForm):
    name = StringField(_l("ชื่อรายการคัดเลือก"), validators=[
        DataRequired(_l("กรุณาตั้งชื่อ เช่น ชื่องานแฮกกาธอน")),
        Length(max=services.NAME_MAX, message=_l("ยาวเกิน %(max)d ตัวอักษร"))])
    event_date = DateField(_l("วันที่จัดกิจกรรม"), validators=[Optional(), DateInRange()])
    description = TextAreaField(_l("คำอธิบาย (ถ้ามี)"), validators=[
        Optional(), Length(max=services.DESCRIPTION_MAX, message=_l("ยาวเกิน %(max)d ตัวอักษร"))])
    #: Choices are the areas where the person is an organiser, set by the view.
    areas = SelectMultipleField(_l("พื้นที่"), coerce=int, widget=ListWidget(prefix_label=False),
                                option_widget=CheckboxInput(), validate_choice=False)
    submit = SubmitField(_l("บันทึก"))

    def validate_areas(self, field: SelectMultipleField) -> None:
        allowed = {choice[0] for choice in field.choices}
        if not field.data:
            raise ValidationError(_l("กรุณาเลือกอย่างน้อยหนึ่งพื้นที่"))
        if not set(field.data) <= allowed:
            raise ValidationError(_l("คุณสร้างรายการคัดเลือกได้เฉพาะพื้นที่ที่คุณเป็นผู้จัดกิจกรรม"))


class EditShortlistForm(ShortlistForm):
    areas = None  # the areas of a shortlist do not change (its permissions hang on them)


STATUS_CHOICES = [status.value for status in IdeaStatus]


class FilterForm(FlaskForm):
    """The idea filter; GET for the preview, the same fields POSTed by "add all"."""

    area = SelectField(_l("พื้นที่"), validate_choice=False)
    theme = SelectField(_l("โจทย์"), validate_choice=False)
    group = SelectField(_l("กลุ่มไอเดียที่คล้ายกัน"), validate_choice=False)
    min_supporters = IntegerField(_l("ผู้สนับสนุนอย่างน้อย"), validators=[
        Optional(), NumberRange(0, 10_000_000, message=_l("ตัวเลขต้องอยู่ระหว่าง %(min)s ถึง %(max)s"))])
    date_from = DateField(_l("เสนอตั้งแต่วันที่"), validators=[Optional(), DateInRange()])
    date_to = DateField(_l("ถึงวันที่"), validators=[Optional(), DateInRange()])
    status = SelectField(_l("สถานะ"), validate_choice=False)

    def validate_date_to(self, field: DateField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น"))

    def _choice(self, field: SelectField) -> str | None:
        if field.data in (None, "", "None"):
            return None
        if field.data not in {str(choice[0]) for choice in field.choices}:
            field.errors = [*field.errors, _l("ตัวเลือกไม่ถูกต้อง")]
            return None
        return field.data

    def to_filter(self) -> IdeaFilter | None:
        """The filter, or None when a field is invalid (its error is set)."""
        area, theme, group, status = (self._choice(f) for f in (self.area, self.theme, self.group, self.status))
        if any(field.errors for field in self):
            return None
        return IdeaFilter(
            area_id=int(area) if area else None, theme_id=int(theme) if theme else None,
            group_id=int(group) if group else None, min_supporters=self.min_supporters.data,
            date_from=self.date_from.data, date_to=self.date_to.data,
            status=IdeaStatus(status) if status else None,
        )

    def query_args(self) -> dict[str, str]:
        """The filter as query-string / hidden-field values (only those set)."""
        values = {}
        for field in self:
            if field.name == "csrf_token" or field.data in (None, ""):
                continue
            values[field.name] = field.data.isoformat() if hasattr(field.data, "isoformat") else str(field.data)
        return values


class AddIdeaForm(FlaskForm):
    idea_id = IntegerField(_l("เลขที่ไอเดีย"), validators=[
        DataRequired(_l("กรุณาใส่เลขที่ไอเดีย")),
        NumberRange(1, MAX_ROW_ID, message=_l("ไม่พบไอเดียเลขที่นี้"))])
    submit = SubmitField(_l("เพิ่ม"))


class NoteForm(FlaskForm):
    note = TextAreaField(_l("บันทึกของผู้จัด"), validators=[
        Optional(), Length(max=services.NOTE_MAX, message=_l("ยาวเกิน %(max)d ตัวอักษร"))])
    submit = SubmitField(_l("บันทึกหมายเหตุ"))


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[DataRequired()])

    def validate_direction(self, field: HiddenField) -> None:
        if field.data not in ("up", "down"):
            raise ValidationError(_l("ข้อมูลไม่ถูกต้อง"))


class CriterionForm(FlaskForm):
    name = StringField(_l("เกณฑ์"), validators=[
        DataRequired(_l("กรุณาตั้งชื่อเกณฑ์ เช่น ผลกระทบ")),
        Length(max=services.CRITERION_MAX, message=_l("ยาวเกิน %(max)d ตัวอักษร"))])
    weight = IntegerField(_l("น้ำหนัก"), default=1, validators=[
        DataRequired(_l("กรุณาใส่น้ำหนักเป็นจำนวนเต็ม 1–100")),
        NumberRange(services.WEIGHT_MIN, services.WEIGHT_MAX,
                    message=_l("ตัวเลขต้องอยู่ระหว่าง %(min)s ถึง %(max)s"))])
    submit = SubmitField(_l("เพิ่มเกณฑ์"))


class JudgeForm(FlaskForm):
    email = StringField(_l("อีเมลของกรรมการ"), validators=[
        DataRequired(_l("กรุณาใส่อีเมลของบัญชีที่มีอยู่แล้ว")), Length(max=254, message=_l("ยาวเกิน %(max)d ตัวอักษร"))])
    submit = SubmitField(_l("เพิ่มกรรมการ"))
