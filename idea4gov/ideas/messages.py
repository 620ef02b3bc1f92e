"""User-facing text for service errors, translated at request time."""
from __future__ import annotations

from flask_babel import gettext as _

from idea4gov.i18n import current_locale
from idea4gov.service_errors import ServiceError
from idea4gov.timeutil import format_date


def next_round_text(error: ServiceError) -> str:
    """When the next round opens (Bangkok time), or that none is planned yet."""
    opens_at = error.details.get("next_opens_at")
    if opens_at is None:
        return _("ยังไม่มีกำหนดรอบถัดไป")
    return _("รอบถัดไปเปิดรับ %(date)s", date=format_date(opens_at, current_locale(), with_time=True))


def service_message(error: ServiceError) -> str:
    if error.message.startswith("round_closed"):
        first = {
            "round_closed": _("โจทย์นี้ไม่อยู่ในช่วงรอบรับฟังความคิดเห็น จึงยังไม่รับไอเดียใหม่"),
            "round_closed_votes": _("ไอเดียนี้อยู่นอกช่วงรอบรับฟังความคิดเห็น จึงยังโหวตหรือถอนการสนับสนุนไม่ได้"),
            "round_closed_comments": _("ไอเดียนี้อยู่นอกช่วงรอบรับฟังความคิดเห็น จึงยังแสดงความคิดเห็นไม่ได้"),
        }.get(error.message, _("อยู่นอกช่วงรอบรับฟังความคิดเห็น"))
        return f"{first} — {next_round_text(error)}"
    messages = {
        "area_closed": _("พื้นที่นี้ปิดรับไอเดียแล้ว คุณยังอ่านและสนับสนุนไอเดียที่มีอยู่ได้"),
        "area_archived": _("พื้นที่นี้ถูกเก็บถาวรแล้ว อ่านได้อย่างเดียว ไม่รับไอเดีย โหวต หรือความคิดเห็นใหม่"),
        "theme_not_open": _("กรุณาเลือกโจทย์ที่ยังเปิดรับไอเดีย"),
        "idea_not_open": _("ไม่พบไอเดียนี้ หรือไอเดียนี้ยังไม่เผยแพร่"),
        "parent_not_found": _("ไม่พบความคิดเห็นที่คุณต้องการตอบ"),
        "parent_closed": _("ตอบกลับความคิดเห็นนี้ไม่ได้ เพราะถูกลบหรือถูกซ่อนแล้ว ข้อความของคุณยังอยู่ในช่องด้านล่าง "
                           "ส่งเป็นความคิดเห็นใหม่ได้"),
        "not_your_comment": _("คุณลบได้เฉพาะความคิดเห็นของตัวเอง"),
        "blocked": _("บัญชีของคุณถูกระงับการโพสต์และการโหวต คุณยังอ่านเนื้อหาได้ตามปกติ"),
        "duplicate_text": _("คุณเคยส่งข้อความนี้แล้ว กรุณาอย่าส่งข้อความเดิมซ้ำ"),
        "idea_merged": _("ไอเดียนี้ถูกรวมเข้ากับไอเดียอื่นแล้ว กรุณาสนับสนุนไอเดียที่รวมไว้แทน"),
        "days_to_first_answer_range": _("จำนวนวันต้องเป็น 1–365"),
        "auto_hide_reports_range": _("จำนวนผู้รายงานต้องเป็น 1–100"),
        "verified_required_vote": _("พื้นที่นี้รับโหวตเฉพาะผู้ที่ยืนยันตัวตนแล้ว (ThaiD หรือดิจิทัลไอดี) "
                                    "ยืนยันตัวตนได้ที่หน้าบัญชีของฉัน"),
        "verified_required_post": _("พื้นที่นี้รับไอเดียเฉพาะผู้ที่ยืนยันตัวตนแล้ว (ThaiD หรือดิจิทัลไอดี) "
                                    "ข้อความที่คุณพิมพ์ยังอยู่ในแบบฟอร์ม"),
        "person_already_supports": _("คุณสนับสนุนไอเดียนี้แล้วจากบัญชีอื่นที่ยืนยันตัวตนด้วยบุคคลเดียวกัน "
                                     "หนึ่งคนนับหนึ่งเสียง"),
    }
    return messages.get(error.message, _("ทำรายการไม่สำเร็จ กรุณาลองใหม่"))
