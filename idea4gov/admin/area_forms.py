"""Forms of the area pages under /admin/areas: details and promise, settings, themes, rounds."""
from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, DateTimeLocalInput, ListWidget

from idea4gov.areas import iap2, manage, schedule
from idea4gov.areas.models import IAP2Level, ModerationMode
from idea4gov.timeutil import parse_bangkok, to_bangkok

_NAME = Length(max=manage.NAME_MAX, message=_l("ยาวเกิน %(max)d ตัวอักษร"))
_DESCRIPTION = Length(max=manage.DESCRIPTION_MAX, message=_l("ยาวเกิน %(max)d ตัวอักษร"))
_PROMISE = Length(max=manage.PROMISE_MAX, message=_l("ยาวเกิน %(max)d ตัวอักษร"))
#: Thai text typed by staff is marked as Thai, also on the English pages (screen readers, spelling).
THAI = {"lang": "th"}


class BangkokDateTimeField(StringField):
    """A date and time typed in Bangkok time (the browser's date-time picker, or `2569-12-01 09:00`
    typed by hand: a Buddhist-era year is understood); `data` is an aware UTC datetime."""

    widget = DateTimeLocalInput()

    def __init__(self, *args, end_of_day: bool = False, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.end_of_day = end_of_day

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if valuelist and valuelist[0].strip():
            try:
                self.data = parse_bangkok(valuelist[0], day_time=time.min, end_of_day=self.end_of_day)
            except ValueError:
                raise ValueError(_l("รูปแบบวันเวลาไม่ถูกต้อง ใช้ปฏิทินของช่อง หรือพิมพ์เช่น 2026-12-01 09:00")) from None

    def pre_validate(self, form) -> None:  # noqa: ANN001
        if self.data is None and not self.process_errors:
            raise ValidationError(_l("กรุณาใส่วันและเวลา"))

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return f"{to_bangkok(self.data):%Y-%m-%dT%H:%M}" if self.data else ""


def _level_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("— ยังไม่ระบุ —"))] + [
        SelectChoice(level.value, f"{iap2.LABELS[level]} ({level.value})") for level in IAP2Level]


class AreaForm(FlaskForm):
    """What an area is: names, description, place in the hierarchy, and its promise to residents."""

    name_th = StringField(_l("ชื่อภาษาไทย"), validators=[DataRequired(_l("กรุณาใส่ชื่อภาษาไทย")), _NAME], render_kw=THAI)
    name_en = StringField(_l("ชื่อภาษาอังกฤษ"), validators=[DataRequired(_l("กรุณาใส่ชื่อภาษาอังกฤษ")), _NAME])
    description_th = TextAreaField(_l("คำอธิบาย (ภาษาไทย)"), validators=[Optional(), _DESCRIPTION], render_kw=THAI)
    description_en = TextAreaField(_l("คำอธิบาย (ภาษาอังกฤษ)"), validators=[Optional(), _DESCRIPTION])
    #: Choices are the areas it may belong to, set by the view ("" = top level).
    parent = SelectField(_l("อยู่ภายใต้พื้นที่"), validate_choice=False,
                         description=_l("เช่น เทศบาลอยู่ภายใต้จังหวัด ชุมชนอยู่ภายใต้เทศบาล"))
    iap2_level = SelectField(_l("ระดับการมีส่วนร่วมที่สัญญากับประชาชน (IAP2)"), choices=_level_choices,
                             validate_choice=False)
    promise_th = TextAreaField(_l("คำมั่นต่อประชาชน (ภาษาไทย)"), validators=[Optional(), _PROMISE], render_kw=THAI,
                               description=_l("หนึ่งย่อหน้า: ความคิดเห็นของประชาชนจะถูกนำไปใช้อย่างไร "
                                              "เว้นว่างไว้เพื่อใช้คำมั่นมาตรฐานของระดับที่เลือก"))
    promise_en = TextAreaField(_l("คำมั่นต่อประชาชน (ภาษาอังกฤษ)"), validators=[Optional(), _PROMISE])
    submit = SubmitField(_l("บันทึก"))


class NewAreaForm(AreaForm):
    slug = StringField(_l("รหัสพื้นที่ (slug)"), validators=[
        DataRequired(_l("กรุณาใส่รหัสพื้นที่")), Length(max=manage.SLUG_MAX, message=_l("ยาวเกิน %(max)d ตัวอักษร"))],
        description=_l("อักษรอังกฤษตัวเล็ก ตัวเลข และขีด เช่น saensuk ใช้ในที่อยู่เว็บและเปลี่ยนภายหลังไม่ได้"))
    is_open = BooleanField(_l("เปิดรับไอเดียทันที"), default=True)
    submit = SubmitField(_l("สร้างพื้นที่"))


class BoundingBoxField(StringField):
    """`south, west, north, east`; its data is a `idea4gov.places.geo.BBox` or None."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        box = self.data
        return ", ".join(f"{side:g}" for side in box.as_list()) if box is not None else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        from idea4gov.places.geo import GeoError, parse_bbox
        from idea4gov.places.messages import geo_message

        if valuelist:
            try:
                self.data = parse_bbox(valuelist[0])
            except GeoError as error:
                self.data = None
                raise ValueError(geo_message(error.code)) from None


class EditAreaForm(AreaForm):
    """Details, promise and the area's settings, saved together."""

    moderation_mode = SelectField(_l("การตรวจสอบเนื้อหา"), choices=[
        SelectChoice(ModerationMode.post.value, _l("เผยแพร่ทันที แล้วตรวจสอบเมื่อมีผู้รายงาน (post-moderation)")),
        SelectChoice(ModerationMode.pre.value, _l("ตรวจสอบก่อนเผยแพร่ (pre-moderation)")),
    ])
    auto_hide_reports = IntegerField(
        _l("ซ่อนอัตโนมัติเมื่อมีผู้รายงานครบ (คน)"),
        validators=[InputRequired(_l("กรุณาใส่จำนวน")),
                    NumberRange(min=1, max=100, message=_l("ต้องเป็นจำนวน %(min)s–%(max)s"))],
    )
    days_to_first_answer = IntegerField(
        _l("จำนวนวันที่ต้องตอบครั้งแรก"),
        validators=[InputRequired(_l("กรุณาใส่จำนวนวัน")),
                    NumberRange(min=1, max=365, message=_l("ต้องอยู่ระหว่าง %(min)s ถึง %(max)s วัน"))],
    )
    dispute_share_percent = IntegerField(
        _l("สัดส่วนผู้ตอบว่า “ยังไม่เสร็จ” ที่ส่งเรื่องกลับให้เจ้าหน้าที่ (%)"),
        validators=[Optional(),
                    NumberRange(min=1, max=100, message=_l("ต้องเป็นจำนวน %(min)s–%(max)s"))],
        description=_l("เมื่อไอเดียหรือโครงการถูกระบุว่าดำเนินการแล้ว ผู้เสนอและผู้สนับสนุนยืนยันได้ว่าเสร็จจริงหรือไม่ (ค่าเริ่มต้น 50)"))
    dispute_min_responses = IntegerField(
        _l("จำนวนผู้ตอบขั้นต่ำก่อนนับว่ามีการโต้แย้ง (คน)"),
        validators=[Optional(),
                    NumberRange(min=1, max=1000, message=_l("ต้องเป็นจำนวน %(min)s–%(max)s"))])
    location_precision_m = IntegerField(
        _l("แสดงตำแหน่งของประชาชนต่อสาธารณะแบบปัดเศษ (เมตร)"),
        validators=[Optional(),
                    NumberRange(min=10, max=10000, message=_l("ต้องเป็นจำนวน %(min)s–%(max)s"))],
        description=_l("ตำแหน่งที่ประชาชนปักหมุดจะแสดงบนแผนที่ หน้าเว็บ API และข้อมูลเปิดแบบปัดเศษ (ค่าเริ่มต้น 100 เมตร)"))
    bounding_box = BoundingBoxField(
        _l("ขอบเขตของพื้นที่ (ถ้ามี)"),
        description=_l("ใต้, ตะวันตก, เหนือ, ตะวันออก เช่น 13.25, 100.90, 13.33, 100.96 — พิกัดที่ปักหมุดต้องอยู่ในขอบเขตนี้ "
                       "เว้นว่างไว้เพื่อรับทุกตำแหน่งในประเทศไทย"))
    votes_follow_rounds = BooleanField(_l("รับโหวตเฉพาะช่วงที่รอบของโจทย์เปิดอยู่"))
    comments_follow_rounds = BooleanField(_l("รับความคิดเห็นเฉพาะช่วงที่รอบของโจทย์เปิดอยู่"))
    verified_to_vote = BooleanField(_l("ต้องยืนยันตัวตน (ThaiD / ดิจิทัลไอดี) ก่อนโหวต"))
    verified_to_post = BooleanField(_l("ต้องยืนยันตัวตน (ThaiD / ดิจิทัลไอดี) ก่อนเสนอไอเดีย"))
    is_open = BooleanField(_l("เปิดรับไอเดีย"))


class ArchiveForm(FlaskForm):
    reason = TextAreaField(_l("เหตุผลที่เก็บถาวร (ถ้ามี)"), validators=[Optional(), Length(max=500)])
    confirm = BooleanField(_l("ยืนยัน: พื้นที่นี้จะอ่านได้อย่างเดียว ไม่รับไอเดีย โหวต หรือความคิดเห็นใหม่"),
                           validators=[DataRequired(_l("กรุณายืนยันก่อนเก็บถาวร"))])
    submit = SubmitField(_l("เก็บถาวร"))


def _theme_title_th(field_id: str | None = None) -> StringField:
    return StringField(_l("ชื่อโจทย์ (ภาษาไทย)"), id=field_id, render_kw=THAI,
                       validators=[DataRequired(_l("กรุณาใส่ชื่อโจทย์")), _NAME])


def _theme_title_en(field_id: str | None = None) -> StringField:
    return StringField(_l("ชื่อโจทย์ (ภาษาอังกฤษ)"), id=field_id,
                       validators=[DataRequired(_l("กรุณาใส่ชื่อภาษาอังกฤษ")), _NAME])


class ThemeForm(FlaskForm):
    """Rename a theme (one per theme on the area page, each with its own prefix)."""

    title_th = _theme_title_th()
    title_en = _theme_title_en()
    submit = SubmitField(_l("บันทึกชื่อ"))


class NewThemeForm(FlaskForm):
    """A new theme; element ids start with `theme_`, as the form shares the area page with others."""

    title_th = _theme_title_th("theme_title_th")
    title_en = _theme_title_en("theme_title_en")
    slug = StringField(_l("รหัสโจทย์ (ถ้ามี)"), id="theme_slug", validators=[Optional(), Length(max=manage.SLUG_MAX)],
                       description=_l("เว้นว่างไว้เพื่อสร้างจากชื่อภาษาอังกฤษ"))
    submit = SubmitField(_l("เพิ่มโจทย์"))


class RoundForm(FlaskForm):
    """A round; element ids start with `round_`, as the form shares the area page with others."""

    title_th = StringField(_l("ชื่อรอบ (ภาษาไทย)"), id="round_title_th", render_kw=THAI,
                           validators=[DataRequired(_l("กรุณาใส่ชื่อรอบ")), _NAME])
    title_en = StringField(_l("ชื่อรอบ (ภาษาอังกฤษ)"), id="round_title_en",
                           validators=[DataRequired(_l("กรุณาใส่ชื่อภาษาอังกฤษ")), _NAME])
    description_th = TextAreaField(_l("รายละเอียด (ภาษาไทย)"), id="round_description_th", render_kw=THAI, validators=[
        Optional(), Length(max=schedule.DESCRIPTION_MAX, message=_l("ยาวเกิน %(max)d ตัวอักษร"))])
    description_en = TextAreaField(_l("รายละเอียด (ภาษาอังกฤษ)"), id="round_description_en", validators=[
        Optional(), Length(max=schedule.DESCRIPTION_MAX, message=_l("ยาวเกิน %(max)d ตัวอักษร"))])
    opens_at = BangkokDateTimeField(_l("เปิดรับ (เวลากรุงเทพฯ)"), id="round_opens_at",
                                    validators=[InputRequired(_l("กรุณาใส่วันเวลาเปิดรับ"))])
    closes_at = BangkokDateTimeField(_l("ปิดรับ (เวลากรุงเทพฯ)"), id="round_closes_at", end_of_day=True,
                                     validators=[InputRequired(_l("กรุณาใส่วันเวลาปิดรับ"))])
    #: Choices are the area's themes, set by the view.
    theme_ids = SelectMultipleField(_l("โจทย์ในรอบนี้"), id="round_theme_ids", coerce=int,
                                    widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                                    validate_choice=False)
    submit = SubmitField(_l("บันทึกรอบ"))

    def validate_closes_at(self, field: BangkokDateTimeField) -> None:
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("เวลาปิดรับต้องอยู่หลังเวลาเปิดรับ"))

    def validate_theme_ids(self, field: SelectMultipleField) -> None:
        if not field.data:
            raise ValidationError(_l("เลือกโจทย์ของรอบนี้อย่างน้อยหนึ่งโจทย์"))
