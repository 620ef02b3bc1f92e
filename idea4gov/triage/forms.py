"""Forms of the triage pages; choices that depend on the area are set by the view."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from idea4gov.text import TextLength
from idea4gov.triage.services.statuses import ANSWER_MAX


class RouteForm(FlaskForm):
    agency_id = SelectField(_l("หน่วยงาน"), coerce=int, validators=[DataRequired(_l("กรุณาเลือกหน่วยงาน"))])
    submit = SubmitField(_l("ส่งต่อหน่วยงาน"))


class StatusForm(FlaskForm):
    status = SelectField(_l("สถานะ"), validators=[DataRequired(_l("กรุณาเลือกสถานะ"))])
    answer = TextAreaField(
        _l("คำตอบถึงประชาชน (เผยแพร่บนหน้าไอเดีย)"),
        validators=[Optional(), TextLength(0, ANSWER_MAX, _l("คำตอบยาวเกิน %(max)d ตัวอักษร"))],
        description=_l("จำเป็นเมื่อรับไปดำเนินการ ไม่รับดำเนินการ หรือดำเนินการแล้ว (อย่างน้อย 10 ตัวอักษร)"),
    )
    photos = MultipleFileField(
        _l("ภาพหลักฐาน (เฉพาะเมื่อดำเนินการแล้ว)"),
        description=_l("JPEG, PNG, WebP หรือ GIF ไม่เกิน 5 MB ต่อภาพ สูงสุด 4 ภาพ ระบบจะลบข้อมูล EXIF (เช่น พิกัด) ออก"),
    )
    submit = SubmitField(_l("บันทึกสถานะ"))


class MergeForm(FlaskForm):
    target_id = IntegerField(
        _l("รวมเข้ากับไอเดียหมายเลข"),
        validators=[DataRequired(_l("กรุณาใส่หมายเลขไอเดียที่จะรวมเข้าไป")),
                    NumberRange(min=1, max=2**31 - 1, message=_l("หมายเลขไอเดียไม่ถูกต้อง"))],
    )
    note = TextAreaField(_l("หมายเหตุถึงผู้ติดตาม (ถ้ามี)"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("รวมไอเดียที่ซ้ำกัน"))


class UnmergeForm(FlaskForm):
    note = TextAreaField(_l("เหตุผลที่ยกเลิกการรวม (ถ้ามี)"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("ยกเลิกการรวม"))


class IssueStatusForm(FlaskForm):
    """One status and public answer for every report of an issue (evidence photos go on each report)."""

    status = SelectField(_l("สถานะ"), validators=[DataRequired(_l("กรุณาเลือกสถานะ"))])
    answer = TextAreaField(
        _l("คำตอบถึงประชาชน (เผยแพร่บนหน้าของทุกรายงานในเรื่องนี้)"),
        validators=[Optional(), TextLength(0, ANSWER_MAX, _l("คำตอบยาวเกิน %(max)d ตัวอักษร"))],
        description=_l("จำเป็นเมื่อรับไปดำเนินการ ไม่รับดำเนินการ หรือดำเนินการแล้ว (อย่างน้อย 10 ตัวอักษร) "
                       "ผู้ติดตามแต่ละคนได้รับแจ้งครั้งเดียว"),
    )
    submit = SubmitField(_l("ตอบทั้งเรื่อง"))


class SplitForm(FlaskForm):
    """Reports to take out of an issue; the choices are the issue's reports (set by the view)."""

    ideas = SelectMultipleField(
        _l("รายงานที่จะแยกออก"), coerce=int, option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False),
        validators=[DataRequired(_l("เลือกรายงานอย่างน้อยหนึ่งรายการที่จะแยกออก"))],
        description=_l("รายงานที่เลือกจะเป็นเรื่องใหม่ (ถ้าเลือกสองรายการขึ้นไป) หรือแยกเป็นรายงานเดี่ยว "
                       "การจัดกลุ่มใหม่ครั้งต่อไปจะคงการตัดสินใจนี้ไว้"),
    )
    submit = SubmitField(_l("แยกรายงานที่เลือกออกจากเรื่องนี้"))


class MoveForm(FlaskForm):
    #: Its own element id: the merge form on the same page has a `target_id` too.
    target_id = IntegerField(
        _l("ย้ายไปอยู่เรื่องเดียวกับไอเดียหมายเลข"), id="move_target_id",
        validators=[DataRequired(_l("กรุณาใส่หมายเลขไอเดียปลายทาง")),
                    NumberRange(min=1, max=2**31 - 1, message=_l("หมายเลขไอเดียไม่ถูกต้อง"))],
        description=_l("รายงานนี้จะอยู่ในเรื่องของไอเดียปลายทาง (ถ้าไอเดียนั้นยังไม่อยู่ในเรื่องใด จะเป็นเรื่องใหม่ของทั้งสอง)"),
    )
    submit = SubmitField(_l("ย้ายเข้าเรื่องนี้"))


class AgencyForm(FlaskForm):
    name_th = StringField(_l("ชื่อหน่วยงาน (ไทย)"), validators=[
        DataRequired(_l("กรุณาใส่ชื่อหน่วยงาน")), TextLength(2, 200, _l("ชื่อต้องยาว %(min)d–%(max)d ตัวอักษร"))])
    name_en = StringField(_l("ชื่อหน่วยงาน (อังกฤษ)"), validators=[Optional(), Length(max=200)])
    email = StringField(_l("อีเมลกลางของหน่วยงาน (ถ้ามี)"), validators=[
        Optional(), Email(_l("รูปแบบอีเมลไม่ถูกต้อง")), Length(max=254)])
    submit = SubmitField(_l("บันทึกหน่วยงาน"))


class MemberForm(FlaskForm):
    # Its own id: the agency form on the same page has an `email` field too (one label, one field).
    email = StringField(_l("อีเมลของเจ้าหน้าที่"), id="member-email", validators=[
        DataRequired(_l("กรุณาใส่อีเมล")), Email(_l("รูปแบบอีเมลไม่ถูกต้อง")), Length(max=254)])
    submit = SubmitField(_l("เพิ่มเจ้าหน้าที่"))


class SettingsForm(FlaskForm):
    days_to_first_answer = IntegerField(
        _l("จำนวนวันทำการที่ต้องตอบครั้งแรก"),
        validators=[DataRequired(_l("กรุณาใส่จำนวนวัน")),
                    NumberRange(min=1, max=365, message=_l("ต้องอยู่ระหว่าง %(min)s ถึง %(max)s วัน"))],
    )
    submit = SubmitField(_l("บันทึกการตั้งค่า"))


class RuleForm(FlaskForm):
    theme_id = SelectField(_l("โจทย์"), coerce=int, validators=[DataRequired(_l("กรุณาเลือกโจทย์"))])
    #: 0 removes the rule.
    agency_id = SelectField(_l("ส่งต่อให้หน่วยงาน"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("บันทึกกฎการส่งต่อ"))
