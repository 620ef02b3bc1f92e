"""User-facing text for service errors, translated at request time."""
from __future__ import annotations

from flask_babel import gettext as _

from idea4gov.ideas.services import ServiceError


def service_message(error: ServiceError) -> str:
    messages = {
        "area_closed": _("พื้นที่นี้ปิดรับไอเดียแล้ว คุณยังอ่านและสนับสนุนไอเดียที่มีอยู่ได้"),
        "theme_not_open": _("กรุณาเลือกโจทย์ที่ยังเปิดรับไอเดีย"),
        "idea_not_open": _("ไม่พบไอเดียนี้ หรือไอเดียนี้ยังไม่เผยแพร่"),
        "parent_not_found": _("ไม่พบความคิดเห็นที่คุณต้องการตอบ"),
        "parent_closed": _("ตอบกลับความคิดเห็นนี้ไม่ได้ เพราะถูกลบหรือถูกซ่อนแล้ว ข้อความของคุณยังอยู่ในช่องด้านล่าง "
                           "ส่งเป็นความคิดเห็นใหม่ได้"),
        "not_your_comment": _("คุณลบได้เฉพาะความคิดเห็นของตัวเอง"),
        "blocked": _("บัญชีของคุณถูกระงับการโพสต์และการโหวต คุณยังอ่านเนื้อหาได้ตามปกติ"),
        "duplicate_text": _("คุณเคยส่งข้อความนี้แล้ว กรุณาอย่าส่งข้อความเดิมซ้ำ"),
        "idea_merged": _("ไอเดียนี้ถูกรวมเข้ากับไอเดียอื่นแล้ว กรุณาสนับสนุนไอเดียที่รวมไว้แทน"),
    }
    return messages.get(error.message, _("ทำรายการไม่สำเร็จ กรุณาลองใหม่"))
