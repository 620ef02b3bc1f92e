"""Forms of the event pages; the services hold the rules, the forms the first check and the messages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from idea4gov.admin.area_forms import THAI, BangkokDateTimeField
from idea4gov.events.models import AgeBand, EventKind, Outcome, Sector
from idea4gov.events.services import events as event_rules
from idea4gov.events.services import outcomes as outcome_rules
from idea4gov.events.services import proposals as proposal_rules
from idea4gov.events.services import survey as survey_rules
from idea4gov.events.services import teams as team_rules
from idea4gov.events.services.report import AGE_LABELS, SECTOR_LABELS


def _too_long(limit: int) -> Length:
    return Length(max=limit, message=_l("ยาวเกิน %(max)d ตัวอักษร"))


def _checkboxes(label, **kwargs) -> SelectMultipleField:  # noqa: ANN001
    return SelectMultipleField(label, coerce=int, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                               validate_choice=False, **kwargs)


class OptionalBangkokDateTimeField(BangkokDateTimeField):
    """The same field, left empty when it is not needed."""

    def pre_validate(self, form) -> None:  # noqa: ANN001
        return None


KIND_LABELS = {
    EventKind.hackathon: _l("แฮกกาธอน"),
    EventKind.workshop: _l("เวิร์กช็อป"),
    EventKind.forum: _l("เวทีรับฟังความคิดเห็น"),
}
OUTCOME_LABELS = {
    Outcome.taken_forward: _l("นำไปดำเนินการต่อ"),
    Outcome.parked: _l("พักไว้ก่อน"),
    Outcome.declined: _l("ไม่นำไปดำเนินการ"),
}


class EventForm(FlaskForm):
    kind = SelectField(_l("ประเภทกิจกรรม"), choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()])
    title_th = StringField(_l("ชื่อกิจกรรม (ภาษาไทย)"), render_kw=THAI, validators=[
        DataRequired(_l("กรุณาใส่ชื่อกิจกรรม")), _too_long(event_rules.TITLE_MAX)])
    title_en = StringField(_l("ชื่อกิจกรรม (ภาษาอังกฤษ)"), validators=[Optional(), _too_long(event_rules.TITLE_MAX)])
    description_th = TextAreaField(_l("รายละเอียด (ภาษาไทย)"), render_kw=THAI, validators=[
        Optional(), _too_long(event_rules.DESCRIPTION_MAX)])
    description_en = TextAreaField(_l("รายละเอียด (ภาษาอังกฤษ)"), validators=[
        Optional(), _too_long(event_rules.DESCRIPTION_MAX)])
    starts_at = BangkokDateTimeField(_l("เริ่ม (เวลากรุงเทพฯ)"), validators=[InputRequired(_l("กรุณาใส่วันเวลาเริ่ม"))])
    ends_at = BangkokDateTimeField(_l("สิ้นสุด (เวลากรุงเทพฯ)"), validators=[InputRequired(_l("กรุณาใส่วันเวลาสิ้นสุด"))])
    place = StringField(_l("สถานที่"), render_kw=THAI, validators=[Optional(), _too_long(event_rules.PLACE_MAX)],
                        description=_l("เว้นว่างได้ถ้าเป็นกิจกรรมออนไลน์"))
    online_url = StringField(_l("ลิงก์ออนไลน์ (ถ้ามี)"), validators=[Optional(), _too_long(event_rules.URL_MAX)],
                             description=_l("เช่น https://meet.example.org/… ต้องขึ้นต้นด้วย http:// หรือ https://"))
    capacity = IntegerField(_l("จำนวนที่นั่ง"), default=80, validators=[
        InputRequired(_l("กรุณาใส่จำนวนที่นั่ง")),
        NumberRange(min=1, max=event_rules.CAPACITY_MAX, message=_l("ต้องเป็น %(min)s–%(max)s"))],
        description=_l("ผู้ลงทะเบียนเกินจำนวนนี้จะอยู่ในรายชื่อสำรอง"))
    registration_opens_at = OptionalBangkokDateTimeField(_l("เปิดลงทะเบียน (ถ้าไม่ระบุ: ตั้งแต่เผยแพร่)"))
    registration_closes_at = OptionalBangkokDateTimeField(_l("ปิดลงทะเบียน (ถ้าไม่ระบุ: เมื่อกิจกรรมเริ่ม)"))
    proposal_deadline = OptionalBangkokDateTimeField(_l("กำหนดส่งข้อเสนอ (ถ้าไม่ระบุ: เมื่อกิจกรรมสิ้นสุด)"))
    team_size_max = IntegerField(_l("สมาชิกต่อทีมไม่เกิน (คน)"), default=6, validators=[
        InputRequired(_l("กรุณาใส่จำนวน")),
        NumberRange(min=event_rules.TEAM_SIZE_MIN, max=event_rules.TEAM_SIZE_MAX,
                    message=_l("ต้องเป็น %(min)s–%(max)s"))])
    #: Choices: the themes, agencies and shortlists of the event's areas (set by the view).
    theme_ids = _checkboxes(_l("โจทย์ที่กิจกรรมนี้ทำงานด้วย"))
    group_ids = StringField(_l("เลขที่กลุ่มไอเดียที่คล้ายกัน (ถ้ามี)"), validators=[Optional(), _too_long(300)],
                            description=_l("คั่นด้วยจุลภาค เช่น 3, 7"))
    agency_ids = _checkboxes(_l("หน่วยงานร่วม"))
    shortlist_id = SelectField(_l("รายการคัดเลือกไอเดีย (ถ้ามี)"), validate_choice=False)
    submit = SubmitField(_l("บันทึก"))

    def validate_ends_at(self, field: BangkokDateTimeField) -> None:
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("เวลาสิ้นสุดต้องอยู่หลังเวลาเริ่ม"))

    def validate_group_ids(self, field: StringField) -> None:
        tokens = [t for t in (field.data or "").replace(",", " ").split() if t]
        if any(not t.lstrip("#").isdigit() or len(t) > 10 for t in tokens):
            raise ValidationError(_l("ใส่เป็นเลขที่กลุ่ม คั่นด้วยจุลภาค เช่น 3, 7"))

    def group_numbers(self) -> list[int]:
        return sorted({int(t.lstrip("#")) for t in (self.group_ids.data or "").replace(",", " ").split() if t})

    def shortlist_choice(self) -> int | None:
        value = self.shortlist_id.data
        return int(value) if value and str(value).isdigit() else None


class NewEventForm(EventForm):
    #: Choices: the areas where the person is an organiser (set by the view).
    areas = _checkboxes(_l("พื้นที่"))
    submit = SubmitField(_l("สร้างกิจกรรม (ฉบับร่าง)"))

    def validate_areas(self, field: SelectMultipleField) -> None:
        allowed = {choice[0] for choice in field.choices}
        if not field.data:
            raise ValidationError(_l("กรุณาเลือกอย่างน้อยหนึ่งพื้นที่"))
        if not set(field.data) <= allowed:
            raise ValidationError(_l("คุณสร้างกิจกรรมได้เฉพาะในพื้นที่ที่คุณเป็นผู้จัดกิจกรรม"))


class CancelEventForm(FlaskForm):
    reason = TextAreaField(_l("เหตุผลที่ยกเลิก (แสดงต่อสาธารณะ)"), validators=[
        DataRequired(_l("กรุณาใส่เหตุผล")), _too_long(event_rules.REASON_MAX)])
    submit = SubmitField(_l("ยกเลิกกิจกรรม"))


def _enum_choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice("", _l("— ไม่ระบุ —"))] + [SelectChoice(key.value, label) for key, label in labels.items()]


def _known(values: set[str]):  # noqa: ANN202
    def check(form, field) -> None:  # noqa: ANN001
        if field.data not in (None, "") and field.data not in values:
            raise ValidationError(_l("ตัวเลือกไม่ถูกต้อง"))
    return check


class RegisterForm(FlaskForm):
    #: Both optional: a form sent without them (the on-site check-in button) registers without them.
    sector = SelectField(_l("ภาคส่วน (ไม่บังคับ)"), choices=_enum_choices(SECTOR_LABELS), validate_choice=False,
                         validators=[_known({s.value for s in Sector})])
    age_band = SelectField(_l("ช่วงอายุ (ไม่บังคับ)"), choices=_enum_choices(AGE_LABELS), validate_choice=False,
                           validators=[_known({a.value for a in AgeBand})])
    consent = BooleanField(_l("ฉันยินยอมให้ใช้ภาคส่วนและช่วงอายุของฉันในรายงานของกิจกรรม เฉพาะตัวเลขรวมเท่านั้น "
                              "(ไม่แสดงรายบุคคล ถอนความยินยอมได้ทุกเมื่อที่หน้ากิจกรรม)"))
    submit = SubmitField(_l("ลงทะเบียนเข้าร่วม"))

    def validate_consent(self, field: BooleanField) -> None:
        if (self.sector.data or self.age_band.data) and not field.data:
            raise ValidationError(_l("ถ้าต้องการระบุภาคส่วนหรือช่วงอายุ กรุณาติ๊กยินยอม หรือเลือก “ไม่ระบุ”"))

    def values(self) -> tuple[Sector | None, AgeBand | None, bool]:
        sector = Sector(self.sector.data) if self.sector.data else None
        age = AgeBand(self.age_band.data) if self.age_band.data else None
        return sector, age, bool(self.consent.data)


class DemographicsForm(RegisterForm):
    submit = SubmitField(_l("บันทึกข้อมูลของฉัน"))


class TeamForm(FlaskForm):
    name = StringField(_l("ชื่อทีม"), render_kw=THAI, validators=[
        DataRequired(_l("กรุณาตั้งชื่อทีม")), _too_long(team_rules.NAME_MAX)])
    submit = SubmitField(_l("ตั้งทีม"))


class RenameTeamForm(TeamForm):
    submit = SubmitField(_l("เปลี่ยนชื่อทีม"))


class ProposalForm(FlaskForm):
    title = StringField(_l("ชื่อข้อเสนอ"), render_kw=THAI, validators=[
        DataRequired(_l("กรุณาตั้งชื่อข้อเสนอ")),
        Length(min=proposal_rules.TITLE_MIN, max=proposal_rules.TITLE_MAX,
               message=_l("ชื่อข้อเสนอต้องยาว %(min)d–%(max)d ตัวอักษร"))])
    problem = TextAreaField(_l("ปัญหา"), render_kw=THAI, validators=[Optional(), _too_long(proposal_rules.TEXT_MAX)],
                            description=_l("ปัญหาอะไร เกิดกับใคร ที่ไหน รู้ได้อย่างไร"))
    solution = TextAreaField(_l("ทางแก้ที่เสนอ"), render_kw=THAI,
                             validators=[Optional(), _too_long(proposal_rules.TEXT_MAX)])
    beneficiaries = TextAreaField(_l("ใครได้ประโยชน์"), render_kw=THAI,
                                  validators=[Optional(), _too_long(proposal_rules.TEXT_MAX)])
    cost_baht = IntegerField(_l("งบประมาณโดยประมาณ (บาท)"), validators=[
        Optional(), NumberRange(min=0, max=proposal_rules.COST_MAX, message=_l("ต้องเป็น %(min)s–%(max)s"))])
    cost_note = TextAreaField(_l("ที่มาของงบประมาณ (ถ้ามี)"), render_kw=THAI,
                              validators=[Optional(), _too_long(proposal_rules.COST_NOTE_MAX)])
    ideas = StringField(_l("ไอเดียของประชาชนที่เป็นที่มา"), validators=[Optional(), _too_long(600)],
                        description=_l("เลขที่ไอเดียหรือเลขที่รับเรื่อง คั่นด้วยจุลภาค เช่น 12, SSK-2569-00042"))
    groups = StringField(_l("กลุ่มไอเดียที่คล้ายกันที่เป็นที่มา"), validators=[Optional(), _too_long(300)],
                         description=_l("เลขที่กลุ่ม คั่นด้วยจุลภาค เช่น 3, 7"))
    save = SubmitField(_l("บันทึกฉบับร่าง"))
    final = SubmitField(_l("ส่งเป็นฉบับสุดท้าย"))


class FileForm(FlaskForm):
    file = FileField(_l("รูปภาพ (JPEG, PNG, WebP หรือ GIF ไม่เกิน 5 MB)"),
                     render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif"})
    caption = StringField(_l("คำอธิบายรูป (ถ้ามี)"), validators=[Optional(), _too_long(proposal_rules.CAPTION_MAX)])
    submit = SubmitField(_l("แนบรูป"))


class OutcomeForm(FlaskForm):
    outcome = SelectField(_l("ผลลัพธ์"), choices=[SelectChoice("", _l("— ยังไม่ตัดสิน —"))] + [
        SelectChoice(outcome.value, label) for outcome, label in OUTCOME_LABELS.items()])
    reason = TextAreaField(_l("เหตุผล (แสดงต่อสาธารณะ)"), render_kw=THAI, validators=[
        Optional(), _too_long(outcome_rules.REASON_MAX)])
    #: Choices: agencies of the event's areas (set by the view).
    agency_id = SelectField(_l("หน่วยงานที่นำไปดำเนินการ"), validate_choice=False)
    #: Choices: projects of the event's areas (set by the view); the service refuses any other.
    project_id = SelectField(_l("โครงการที่ดำเนินการต่อ (ถ้ามี)"), validate_choice=False,
                             description=_l("โครงการจากหน้าโครงการของพื้นที่ (สร้างโครงการก่อน แล้วจึงเลือกที่นี่)"))
    submit = SubmitField(_l("บันทึกผลลัพธ์"))

    def validate_reason(self, field: TextAreaField) -> None:
        if self.outcome.data and len((field.data or "").strip()) < outcome_rules.REASON_MIN:
            raise ValidationError(_l("กรุณาใส่เหตุผลอย่างน้อย %(n)d ตัวอักษร", n=outcome_rules.REASON_MIN))

    def validate_agency_id(self, field: SelectField) -> None:
        if self.outcome.data == Outcome.taken_forward.value and not field.data:
            raise ValidationError(_l("กรุณาเลือกหน่วยงานที่นำข้อเสนอไปดำเนินการต่อ"))
        if field.data and field.data not in {str(choice[0]) for choice in field.choices}:
            raise ValidationError(_l("ตัวเลือกไม่ถูกต้อง"))

    def validate_project_id(self, field: SelectField) -> None:
        if field.data and not str(field.data).isdigit():
            raise ValidationError(_l("ตัวเลือกไม่ถูกต้อง"))


class SurveyForm(FlaskForm):
    satisfaction = RadioField(_l("คุณพึงพอใจกับกิจกรรมนี้แค่ไหน"), coerce=int, choices=[
        SelectChoice(5, _l("5 พึงพอใจมากที่สุด")), SelectChoice(4, _l("4 พึงพอใจมาก")), SelectChoice(3, _l("3 ปานกลาง")),
        SelectChoice(2, _l("2 น้อย")), SelectChoice(1, _l("1 น้อยที่สุด"))],
        validators=[InputRequired(_l("กรุณาเลือกระดับความพึงพอใจ"))])
    would_return = RadioField(_l("ถ้ามีกิจกรรมแบบนี้อีก คุณจะเข้าร่วมไหม"), choices=[
        SelectChoice("yes", _l("เข้าร่วม")), SelectChoice("no", _l("ไม่เข้าร่วม"))],
        validators=[InputRequired(_l("กรุณาตอบข้อนี้"))])
    comment = TextAreaField(_l("ข้อเสนอแนะ (ถ้ามี)"), render_kw=THAI, validators=[
        Optional(), _too_long(survey_rules.COMMENT_MAX)],
        description=_l("ผู้จัดอ่านได้ โดยไม่แสดงชื่อของคุณ และไม่แสดงในรายงานสาธารณะ"))
    submit = SubmitField(_l("ส่งแบบสอบถาม"))


class MoveMemberForm(FlaskForm):
    #: Choices: the event's teams (set by the view).
    team_id = SelectField(_l("ย้ายไปทีม"), validate_choice=False)
    submit = SubmitField(_l("ย้าย"))


class AddMemberForm(FlaskForm):
    #: Choices: participants without a team (set by the view).
    user_id = SelectField(_l("เพิ่มผู้เข้าร่วมที่ยังไม่มีทีม"), validate_choice=False)
    submit = SubmitField(_l("เพิ่มเข้าทีม"))
