"""The LINE notices form on the account page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField

from idea4gov.line.models import NoticeKind

#: Each kind's checkbox label, in the order shown.
KIND_LABELS = {
    NoticeKind.receipt: _l("ใบรับเรื่องเมื่อฉันเสนอไอเดีย (เลขที่รับเรื่อง และวันที่จะได้คำตอบ)"),
    NoticeKind.status: _l("ไอเดียที่ฉันเสนอหรือสนับสนุนเปลี่ยนสถานะ"),
    NoticeKind.answer: _l("หน่วยงานตอบไอเดียที่ฉันเสนอหรือสนับสนุนอย่างเป็นทางการ"),
    NoticeKind.merge: _l("ไอเดียที่ฉันติดตามถูกรวมกับไอเดียที่ซ้ำกัน"),
    NoticeKind.event: _l("เตือนกิจกรรมที่ฉันลงทะเบียนไว้ และเมื่อฉันได้ที่นั่งจากรายชื่อสำรอง"),
}


class LineNoticesForm(FlaskForm):
    receipt = BooleanField(KIND_LABELS[NoticeKind.receipt])
    status = BooleanField(KIND_LABELS[NoticeKind.status])
    answer = BooleanField(KIND_LABELS[NoticeKind.answer])
    merge = BooleanField(KIND_LABELS[NoticeKind.merge])
    event = BooleanField(KIND_LABELS[NoticeKind.event])
    submit = SubmitField(_l("บันทึกการแจ้งเตือนทาง LINE"))

    def chosen(self) -> set[NoticeKind]:
        return {kind for kind in NoticeKind if getattr(self, kind.value).data}

    @classmethod
    def of(cls, kinds: set[NoticeKind]) -> LineNoticesForm:
        return cls(formdata=None, **{kind.value: kind in kinds for kind in NoticeKind})
