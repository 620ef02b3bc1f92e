"""User-facing labels and messages of moderation, translated at request time."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from idea4gov.ideas.forms import REPORT_REASON_LABELS

HELD_LABELS = {
    "pre_moderation": _l("พื้นที่นี้ตรวจสอบก่อนเผยแพร่"),
    "word_list": _l("มีคำที่อยู่ในรายการคำต้องห้าม"),
    "links": _l("มีลิงก์มากกว่า 2 ลิงก์"),
    "reports": _l("ถูกซ่อนอัตโนมัติเพราะมีผู้รายงานหลายคน"),
}

#: Report reasons by their stored value (the labels residents chose from).
REASON_LABELS = {reason.value: label for reason, label in REPORT_REASON_LABELS.items()}


def error_message(code: str) -> str:
    messages = {
        "not_applicable": _("รายการนี้อยู่ในสถานะที่ทำแบบนี้ไม่ได้แล้ว อาจมีผู้ดูแลคนอื่นตัดสินใจไปก่อน"),
        "reason_required": _("กรุณาใส่เหตุผล ผู้เขียนจะเห็นเหตุผลนี้"),
        "reason_too_long": _("เหตุผลยาวเกินไป"),
        "no_open_reports": _("รายการนี้ไม่มีรายงานที่รอตรวจสอบแล้ว อาจมีผู้ดูแลคนอื่นตัดสินใจไปก่อน"),
    }
    return messages.get(code, _("ทำรายการไม่สำเร็จ กรุณาลองใหม่"))
