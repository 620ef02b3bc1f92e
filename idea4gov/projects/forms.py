"""Forms of projects (officers) and of what residents answer (proof of action, satisfaction)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FileField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from idea4gov.projects.labels import MILESTONE_LABELS, PLAN_LABELS, STATUS_LABELS
from idea4gov.text import TextLength

DATE_INPUT = {"type": "date", "placeholder": "2569-10-01"}


class ProjectForm(FlaskForm):
    """A project's details; the view sets the agency choices and reads it with `read_project_form`."""

    title = StringField(_l("ชื่อโครงการ"), validators=[DataRequired(_l("กรุณาใส่ชื่อโครงการ")),
                                                     TextLength(5, 200, _l("ชื่อโครงการต้องยาว %(min)d–%(max)d ตัวอักษร"))])
    description = TextAreaField(_l("รายละเอียด (ทำอะไร ที่ไหน ใครได้ประโยชน์)"),
                                validators=[Optional(), Length(max=10_000, message=_l("ยาวเกิน %(max)d ตัวอักษร"))])
    plan_type = SelectField(_l("อยู่ในแผน"), choices=[SelectChoice(plan.value, label) for plan, label in PLAN_LABELS.items()],
                            validators=[DataRequired(_l("กรุณาเลือกแผน"))])
    fiscal_year = StringField(_l("ปีงบประมาณ (พ.ศ.)"), validators=[DataRequired(_l("กรุณาใส่ปีงบประมาณ"))],
                              render_kw={"inputmode": "numeric", "maxlength": 8},
                              description=_l("เช่น 2569 (1 ต.ค. 2568 – 30 ก.ย. 2569)"))
    budget = StringField(_l("งบประมาณ (บาท, ถ้ามี)"), render_kw={"inputmode": "decimal", "maxlength": 30},
                         description=_l("เช่น 1,250,000 หรือเว้นว่างหากยังไม่ได้ตั้งงบประมาณ"))
    budget_source = StringField(_l("แหล่งงบประมาณ"), validators=[Optional(), Length(max=200)],
                                description=_l("เช่น งบประมาณเทศบาล เงินอุดหนุนเฉพาะกิจ"))
    agency_id = SelectField(_l("หน่วยงานรับผิดชอบ"), validate_choice=False)
    starts_on = StringField(_l("วันเริ่ม"), render_kw=DATE_INPUT)
    ends_on = StringField(_l("วันสิ้นสุด"), render_kw=DATE_INPUT)
    place_name = StringField(_l("สถานที่"), validators=[Optional(), Length(max=200)])
    lat = StringField(_l("ละติจูด"), render_kw={"inputmode": "decimal", "maxlength": 24, "placeholder": "13.2843"})
    lng = StringField(_l("ลองจิจูด"), render_kw={"inputmode": "decimal", "maxlength": 24, "placeholder": "100.9151"})
    polygon = TextAreaField(_l("ขอบเขตพื้นที่โครงการ (ถ้ามี)"), validators=[Optional(), Length(max=10_000)],
                            description=_l("บรรทัดละหนึ่งจุด: ละติจูด, ลองจิจูด อย่างน้อย 3 จุด (คลิกบนแผนที่เพื่อเพิ่มจุดได้)"))
    idea_ids = StringField(_l("ไอเดียที่มาของโครงการ (หมายเลข)"), validators=[Optional(), Length(max=4000)],
                           description=_l("คั่นด้วยจุลภาค เช่น 12, 15, 31"))
    group_id = HiddenField()
    submit = SubmitField(_l("บันทึกโครงการ"))


class ProjectStatusForm(FlaskForm):
    status = SelectField(_l("สถานะโครงการ"), choices=[SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()])
    note = TextAreaField(_l("รายงานถึงประชาชน"), validators=[Optional(), Length(max=3000)],
                         description=_l("จำเป็นเมื่อโครงการเสร็จ: ทำอะไรไปแล้ว ที่ไหน ใช้งบเท่าไร"))
    photos = MultipleFileField(_l("ภาพผลงาน (เมื่อเสร็จ)"),
                               description=_l("JPEG, PNG, WebP หรือ GIF ไม่เกิน 5 MB ต่อภาพ สูงสุด 4 ภาพ ระบบจะลบข้อมูล EXIF ออก"))
    submit = SubmitField(_l("บันทึกสถานะโครงการ"))


class MilestoneForm(FlaskForm):
    # Its own id: the project's title field shares the page (the name stays "title").
    title = StringField(_l("ขั้นตอน"), validators=[DataRequired(_l("กรุณาใส่ชื่อขั้นตอน")), Length(max=200)],
                        id="milestone-title")
    due_on = StringField(_l("กำหนดเสร็จ"), render_kw=DATE_INPUT)
    submit = SubmitField(_l("เพิ่มขั้นตอน"))


class MilestoneUpdateForm(FlaskForm):
    status = SelectField(_l("สถานะ"), choices=[SelectChoice(s.value, label) for s, label in MILESTONE_LABELS.items()])
    due_on = StringField(_l("กำหนดเสร็จ"), render_kw=DATE_INPUT)
    submit = SubmitField(_l("บันทึก"))


class LinkIdeasForm(FlaskForm):
    idea_ids = StringField(_l("เพิ่มไอเดีย (หมายเลข)"), validators=[DataRequired(_l("กรุณาใส่หมายเลขไอเดีย")),
                                                                  Length(max=4000)],
                           description=_l("คั่นด้วยจุลภาค เช่น 12, 15"))
    submit = SubmitField(_l("เชื่อมไอเดีย"))


class ConfirmForm(FlaskForm):
    """A follower's answer: done, or not done (with an optional note and photo)."""

    answer = RadioField(_l("เสร็จจริงหรือไม่"), choices=[SelectChoice("done", _l("เสร็จจริง")), SelectChoice("not_done", _l("ยังไม่เสร็จ"))],
                        validators=[DataRequired(_l("กรุณาเลือกว่าเสร็จจริงหรือยังไม่เสร็จ"))])
    note = TextAreaField(_l("เล่าเพิ่มเติม (ถ้ามี)"), validators=[Optional(), Length(max=1000, message=_l("ยาวเกิน %(max)d ตัวอักษร"))])
    photo = FileField(_l("แนบรูปถ่าย (ถ้ามี)"), description=_l("JPEG, PNG, WebP หรือ GIF ไม่เกิน 5 MB ระบบจะลบข้อมูล EXIF (เช่น พิกัด) ออก"))
    submit = SubmitField(_l("ส่งคำตอบ"))


class RatingForm(FlaskForm):
    score = RadioField(_l("ความพึงพอใจต่อคำตอบ"), choices=[SelectChoice(str(n), str(n)) for n in range(1, 6)],
                       validators=[DataRequired(_l("กรุณาเลือกคะแนน 1 ถึง 5"))])
    comment = TextAreaField(_l("ความคิดเห็นเพิ่มเติม (ถ้ามี)"),
                            validators=[Optional(), Length(max=1000, message=_l("ยาวเกิน %(max)d ตัวอักษร"))])
    submit = SubmitField(_l("ส่งคะแนน"))
