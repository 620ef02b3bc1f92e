"""Thai (and English) text for the codes that project, proof-of-action and rating services raise."""
from __future__ import annotations

from flask_babel import gettext as _

from idea4gov.service_errors import ServiceError


def service_message(error: ServiceError) -> str:
    details = error.details
    messages = {
        "area_archived": _("พื้นที่นี้ถูกเก็บถาวรแล้ว อ่านได้อย่างเดียว"),
        "title_length": _("ชื่อโครงการต้องยาว 5–200 ตัวอักษร"),
        "description_too_long": _("รายละเอียดยาวเกิน 10,000 ตัวอักษร"),
        "fiscal_year_range": _("ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2569"),
        "budget_invalid": _("งบประมาณต้องเป็นจำนวนเงินบาท เช่น 1,250,000 หรือ 1250000.50"),
        "budget_negative": _("งบประมาณต้องไม่ติดลบ"),
        "budget_decimals": _("งบประมาณมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง (สตางค์)"),
        "budget_too_large": _("งบประมาณมากเกินไป"),
        "date_invalid": _("วันที่ไม่ถูกต้อง ใช้รูปแบบ 2569-10-01 หรือ 1/10/2569"),
        "date_range": _("ปีของวันที่ต้องอยู่ระหว่าง พ.ศ. 2533 ถึง 2693"),
        "ends_before_start": _("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"),
        "agency_not_in_area": _("กรุณาเลือกหน่วยงานของพื้นที่นี้"),
        "source_too_long": _("แหล่งงบประมาณยาวเกิน 200 ตัวอักษร"),
        "place_too_long": _("ชื่อสถานที่ยาวเกิน 200 ตัวอักษร"),
        "status_unchanged": _("สถานะเดิม กรุณาเลือกสถานะใหม่หรือเขียนรายงานความคืบหน้า"),
        "report_required": _("เมื่อโครงการเสร็จ กรุณาเขียนรายงานผลถึงประชาชนอย่างน้อย 10 ตัวอักษร"),
        "note_too_long": _("ข้อความยาวเกินไป"),
        "photos_only_done": _("แนบภาพได้เมื่อโครงการเสร็จแล้วเท่านั้น"),
        "too_many_photos": _("แนบภาพได้ไม่เกิน 4 ภาพ"),
        "photo_too_large": _("ภาพใหญ่เกิน 5 MB"),
        "photo_type": _("ไฟล์นี้ไม่ใช่ภาพ JPEG, PNG, WebP หรือ GIF ที่เปิดได้"),
        "photo_empty": _("ไฟล์ภาพว่างเปล่า"),
        "too_many_ideas": _("โครงการหนึ่งมีไอเดียได้ไม่เกิน 500 เรื่อง"),
        "idea_not_in_area": _("ไอเดียหมายเลข %(id)s ไม่ได้อยู่ในพื้นที่นี้", id=details.get("idea_id", "")),
        "idea_not_linkable": _("ไอเดียหมายเลข %(id)s ยังไม่เผยแพร่หรือถูกรวมกับไอเดียอื่นแล้ว",
                               id=details.get("idea_id", "")),
        "idea_in_project": _("ไอเดียหมายเลข %(id)s อยู่ในโครงการหมายเลข %(project)s แล้ว",
                             id=details.get("idea_id", ""), project=details.get("project_id", "")),
        "idea_ids_invalid": _("ใส่หมายเลขไอเดียคั่นด้วยจุลภาค เช่น 12, 15, 31"),
        "no_such_idea": _("ไม่พบไอเดียหมายเลข %(id)s", id=details.get("idea_id", "")),
        "idea_not_linked": _("ไอเดียนี้ไม่ได้อยู่ในโครงการนี้"),
        "milestone_title": _("ชื่อขั้นตอนต้องยาว 2–200 ตัวอักษร"),
        "plan_type": _("กรุณาเลือกแผนจากรายการ"),
        "blocked": _("บัญชีของคุณถูกระงับ จึงทำรายการนี้ไม่ได้"),
        "not_a_follower": _("เฉพาะผู้เสนอและผู้สนับสนุนของไอเดียนี้เท่านั้นที่ตอบได้"),
        "round_closed": _("รอบการยืนยันนี้ปิดแล้ว"),
        "score_range": _("กรุณาเลือกคะแนน 1 ถึง 5"),
        "comment_too_long": _("ความคิดเห็นยาวเกิน 1,000 ตัวอักษร"),
        "not_answered": _("ให้คะแนนได้หลังจากหน่วยงานตอบไอเดียนี้แล้ว"),
        "rating_locked": _("เปลี่ยนคะแนนได้ภายใน 30 วันหลังให้คะแนนครั้งแรกเท่านั้น"),
    }
    return messages.get(error.message, _("ทำรายการไม่สำเร็จ"))
