"""User-facing text of triage service errors, translated at request time."""
from __future__ import annotations

from flask_babel import gettext as _

from idea4gov.ideas.messages import service_message as idea_message
from idea4gov.ideas.services import ServiceError


def service_message(error: ServiceError) -> str:
    messages = {
        "wrong_area": _("ไอเดียและหน่วยงานต้องอยู่ในพื้นที่เดียวกัน"),
        "agency_exists": _("มีหน่วยงานชื่อนี้ในพื้นที่แล้ว"),
        "not_an_officer": _("ผู้ใช้นี้ยังไม่มีบทบาทเจ้าหน้าที่ในพื้นที่นี้ ให้ผู้ดูแลระบบกำหนดบทบาทก่อน"),
        "no_such_user": _("ไม่พบบัญชีที่ใช้อีเมลนี้"),
        "idea_is_duplicate": _("ไอเดียนี้ถูกรวมกับไอเดียอื่นแล้ว ให้ตอบที่ไอเดียที่รวมไว้"),
        "status_not_settable": _("เลือกสถานะจากรายการ (สถานะ “ซ้ำ” ใช้การรวมไอเดีย)"),
        "status_unchanged": _("ไอเดียอยู่ในสถานะนี้แล้ว เลือกสถานะอื่นหรือเขียนคำตอบเพิ่ม"),
        "answer_required": _("สถานะนี้ต้องมีคำตอบถึงประชาชนอย่างน้อย 10 ตัวอักษร"),
        "answer_too_long": _("คำตอบยาวเกินไป"),
        "photos_only_implemented": _("แนบภาพหลักฐานได้เฉพาะเมื่อสถานะเป็น “ดำเนินการแล้ว”"),
        "too_many_photos": _("แนบภาพได้สูงสุด 4 ภาพต่อครั้ง"),
        "photo_too_large": _("ภาพใหญ่เกิน 5 MB กรุณาย่อภาพแล้วลองใหม่"),
        "photo_pixels": _("ภาพใหญ่เกินไป (เกิน 40 ล้านพิกเซล) กรุณาย่อภาพแล้วลองใหม่"),
        "photo_empty": _("ไฟล์ภาพว่างเปล่า"),
        "photo_type": _("ไฟล์นี้ไม่ใช่ภาพที่รองรับ (JPEG, PNG, WebP หรือ GIF)"),
        "merge_into_itself": _("รวมไอเดียเข้ากับตัวเองไม่ได้"),
        "merge_other_area": _("รวมได้เฉพาะไอเดียในพื้นที่เดียวกัน"),
        "merge_not_published": _("รวมได้เฉพาะไอเดียที่เผยแพร่อยู่"),
        "already_merged": _("ไอเดียนี้ถูกรวมไปแล้ว"),
        "target_is_duplicate": _("ไอเดียปลายทางเองถูกรวมไปแล้ว ให้รวมเข้ากับไอเดียที่รวมไว้แทน"),
        "source_has_duplicates": _("มีไอเดียอื่นรวมเข้ามาที่ไอเดียนี้ ยกเลิกการรวมเหล่านั้นก่อน"),
        "not_merged": _("ไอเดียนี้ไม่ได้ถูกรวมอยู่"),
        "no_such_idea": _("ไม่พบไอเดียหมายเลขนี้"),
    }
    return messages.get(error.message) or idea_message(error)
