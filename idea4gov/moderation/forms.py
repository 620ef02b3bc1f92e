"""Forms of the moderation queue."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import Length

from idea4gov.moderation.services import REASON_MAX

ACTION_LABELS = {
    "approve": _l("อนุมัติ"),
    "reject": _l("ไม่อนุมัติ"),
    "hide": _l("ซ่อน"),
    "restore": _l("แสดงอีกครั้ง"),
    "dismiss": _l("คงไว้ ยกเลิกรายงาน"),
}


class DecisionForm(FlaskForm):
    reason = TextAreaField(
        _l("เหตุผล (ผู้เขียนจะเห็น)"),
        validators=[Length(max=REASON_MAX, message=_l("เหตุผลยาวได้ไม่เกิน %(max)d ตัวอักษร"))],
    )
    submit = SubmitField(_l("ยืนยัน"))


class BulkForm(DecisionForm):
    action = SelectField(
        _l("ทำกับรายการที่เลือก"),
        choices=[SelectChoice(value, label) for value, label in ACTION_LABELS.items()],
    )
