"""User-facing text for shortlist service errors, translated at request time."""
from __future__ import annotations

from flask_babel import gettext as _

from idea4gov.ideas.services import ServiceError


def service_message(error: ServiceError) -> str:
    messages = {
        "areas_required": _("กรุณาเลือกอย่างน้อยหนึ่งพื้นที่"),
        "not_organiser_here": _("คุณสร้างรายการคัดเลือกได้เฉพาะพื้นที่ที่คุณเป็นผู้จัดกิจกรรม"),
        "name_required": _("กรุณาตั้งชื่อ เช่น ชื่องานแฮกกาธอน"),
        "idea_not_eligible": _("เพิ่มได้เฉพาะไอเดียที่เผยแพร่แล้วในพื้นที่ของรายการนี้"),
        "idea_already_listed": _("ไอเดียนี้อยู่ในรายการแล้ว"),
        "shortlist_full": _("รายการเต็มแล้ว (ไม่เกิน %(n)d ไอเดีย)", n=200),
        "note_too_long": _("บันทึกยาวเกิน %(max)d ตัวอักษร", max=1000),
        "criterion_name_required": _("กรุณาตั้งชื่อเกณฑ์ เช่น ผลกระทบ"),
        "weight_range": _("กรุณาใส่น้ำหนักเป็นจำนวนเต็ม 1–100"),
        "too_many_criteria": _("มีเกณฑ์ได้ไม่เกิน %(n)d ข้อ", n=10),
        "criterion_exists": _("มีเกณฑ์ชื่อนี้แล้ว"),
        "judge_not_found": _("ไม่พบบัญชีผู้ใช้ที่ใช้อีเมลนี้ กรรมการต้องสมัครสมาชิกก่อน"),
        "judge_exists": _("บัญชีนี้เป็นกรรมการของรายการนี้แล้ว"),
        "too_many_judges": _("มีกรรมการได้ไม่เกิน %(n)d คน", n=30),
        "score_range": _("คะแนนต้องเป็น 1 ถึง 5"),
        "unknown_score_cell": _("ข้อมูลคะแนนไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง"),
    }
    return messages.get(error.message, _("ทำรายการไม่สำเร็จ กรุณาลองใหม่"))
