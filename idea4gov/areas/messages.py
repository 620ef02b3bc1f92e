"""User-facing text of the area, theme and round services' errors, translated at request time
(the command line prints them in Thai, the source language)."""
from __future__ import annotations

from flask_babel import gettext as _

from idea4gov.areas import manage
from idea4gov.ideas.messages import service_message as idea_message
from idea4gov.service_errors import ServiceError


def service_message(error: ServiceError) -> str:
    messages = {
        "slug_invalid": _("รหัสพื้นที่ (slug) ใช้ได้เฉพาะอักษรอังกฤษตัวเล็ก ตัวเลข และขีด (-) ยาว %(min)d–%(max)d "
                          "ตัวอักษร เช่น saensuk หรือ chon-buri", min=manage.SLUG_MIN, max=manage.SLUG_MAX),
        "slug_taken": _("มีพื้นที่ที่ใช้รหัสนี้แล้ว รหัสพื้นที่ต้องไม่ซ้ำและเปลี่ยนภายหลังไม่ได้"),
        "name_length": _("ชื่อต้องยาว %(min)d–%(max)d ตัวอักษร", min=manage.NAME_MIN, max=manage.NAME_MAX),
        "title_length": _("ชื่อต้องยาว %(min)d–%(max)d ตัวอักษร", min=manage.NAME_MIN, max=manage.NAME_MAX),
        "description_too_long": _("คำอธิบายยาวเกินไป"),
        "parent_not_found": _("ไม่พบพื้นที่แม่ที่เลือก"),
        "parent_archived": _("พื้นที่แม่ที่เลือกถูกเก็บถาวรแล้ว เลือกพื้นที่อื่น"),
        "parent_cycle": _("เลือกพื้นที่นี้เองหรือพื้นที่ที่อยู่ภายใต้พื้นที่นี้เป็นพื้นที่แม่ไม่ได้ (จะเกิดวงวน)"),
        "iap2_invalid": _("เลือกระดับการมีส่วนร่วมจากรายการ"),
        "promise_length": _("คำมั่นต้องยาว %(min)d–%(max)d ตัวอักษร (หนึ่งย่อหน้า)",
                            min=manage.PROMISE_MIN, max=manage.PROMISE_MAX),
        "promise_needs_level": _("เลือกระดับการมีส่วนร่วม (IAP2) ของคำมั่นนี้ก่อน"),
        "theme_slug_taken": _("พื้นที่นี้มีโจทย์ที่ใช้รหัสนี้แล้ว"),
        "round_dates": _("เวลาปิดรับต้องอยู่หลังเวลาเปิดรับ"),
        "round_needs_theme": _("เลือกโจทย์ของรอบนี้อย่างน้อยหนึ่งโจทย์"),
        "theme_not_in_area": _("เลือกได้เฉพาะโจทย์ของพื้นที่นี้"),
        "round_started": _("ลบได้เฉพาะรอบที่ยังไม่เปิดรับ รอบที่เปิดแล้วแก้ไขวันเวลาได้แต่ลบไม่ได้"),
    }
    return messages.get(error.message) or idea_message(error)
