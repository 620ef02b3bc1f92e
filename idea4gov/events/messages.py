"""User-facing text of event service errors, translated at request time (Thai, or English)."""
from __future__ import annotations

from flask_babel import gettext as _

from idea4gov.i18n import lazy_function
from idea4gov.service_errors import ServiceError


def service_message(error: ServiceError) -> str:
    d = error.details
    messages = {
        "title_required": lambda: _("กรุณาใส่ชื่อกิจกรรม"),
        "too_long": lambda: _("ยาวเกิน %(max)d ตัวอักษร", max=d.get("max", 0)),
        "bad_url": lambda: _("ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https://"),
        "place_required": lambda: _("กรุณาใส่สถานที่ หรือลิงก์ของกิจกรรมออนไลน์"),
        "ends_before_start": lambda: _("เวลาสิ้นสุดต้องอยู่หลังเวลาเริ่ม"),
        "too_long_event": lambda: _("กิจกรรมหนึ่งยาวได้ไม่เกิน %(days)d วัน", days=d.get("days", 14)),
        "capacity_range": lambda: _("จำนวนที่นั่งต้องเป็น 1–%(max)d", max=d.get("max", 0)),
        "team_size_range": lambda: _("สมาชิกต่อทีมต้องเป็น 1–20 คน"),
        "registration_window": lambda: _("เวลาปิดลงทะเบียนต้องอยู่หลังเวลาเปิดลงทะเบียน"),
        "registration_after_end": lambda: _("ต้องปิดลงทะเบียนก่อนกิจกรรมสิ้นสุด"),
        "deadline_outside_event": lambda: _("กำหนดส่งข้อเสนอต้องอยู่ระหว่างเวลาเริ่มและเวลาสิ้นสุดของกิจกรรม"),
        "theme_not_here": lambda: _("เลือกได้เฉพาะโจทย์ของพื้นที่ของกิจกรรม"),
        "too_many_groups": lambda: _("เชื่อมกลุ่มไอเดียได้ไม่เกิน %(max)d กลุ่ม", max=d.get("max", 0)),
        "group_not_here": lambda: _("ไม่พบกลุ่มไอเดียเลขที่นี้ในพื้นที่ของกิจกรรม"),
        "agency_not_here": lambda: _("เลือกได้เฉพาะหน่วยงานของพื้นที่ของกิจกรรม"),
        "shortlist_not_here": lambda: _("เลือกได้เฉพาะรายการคัดเลือกของพื้นที่ของกิจกรรมที่คุณดูได้"),
        "areas_required": lambda: _("กรุณาเลือกอย่างน้อยหนึ่งพื้นที่"),
        "not_organiser_here": lambda: _("คุณสร้างกิจกรรมได้เฉพาะในพื้นที่ที่คุณเป็นผู้จัดกิจกรรม"),
        "area_archived": lambda: _("พื้นที่นี้ถูกเก็บถาวรแล้ว จึงสร้างกิจกรรมใหม่ไม่ได้"),
        "capacity_below_accepted": lambda: _("มีผู้ได้ที่นั่งแล้ว %(n)d คน จำนวนที่นั่งต้องไม่น้อยกว่านี้",
                                             n=d.get("accepted", 0)),
        "reason_required": lambda: _("กรุณาใส่เหตุผล"),
        "demographics_need_consent": lambda: _("ถ้าต้องการระบุภาคส่วนหรือช่วงอายุ กรุณาติ๊กยินยอม หรือเลือก “ไม่ระบุ”"),
        "event_not_open": lambda: _("กิจกรรมนี้ไม่เปิดรับลงทะเบียน"),
        "registration_closed": lambda: _("กิจกรรมนี้ไม่ได้เปิดรับลงทะเบียนออนไลน์ในขณะนี้ ถ้าอยู่ที่งาน สแกนรหัสเข้าร่วมของกิจกรรม"),
        "event_over": lambda: _("กิจกรรมนี้จบไปแล้ว"),
        "too_late_to_cancel": lambda: _("กิจกรรมเริ่มแล้ว จึงยกเลิกการลงทะเบียนไม่ได้"),
        "event_full": lambda: _("ที่นั่งเต็มแล้ว เพิ่มจำนวนที่นั่งหรือย้ายผู้เข้าร่วมคนอื่นไปรายชื่อสำรองก่อน"),
        "already_checked_in": lambda: _("ผู้เข้าร่วมนี้เช็กอินแล้ว ยกเลิกการเช็กอินก่อน"),
        "check_in_needs_seat": lambda: _("เช็กอินได้เฉพาะผู้ที่ได้ที่นั่งแล้ว รับเข้าร่วมก่อน"),
        "not_participant": lambda: _("เฉพาะผู้ที่ได้ที่นั่งในกิจกรรมนี้จึงตั้งหรือเข้าร่วมทีมได้"),
        "teams_closed": lambda: _("หมดเวลาตั้งหรือเปลี่ยนทีมแล้ว"),
        "team_name_required": lambda: _("กรุณาตั้งชื่อทีม"),
        "team_name_taken": lambda: _("มีทีมชื่อนี้ในกิจกรรมแล้ว"),
        "team_full": lambda: _("ทีมนี้มีสมาชิกครบแล้ว"),
        "already_in_team": lambda: _("คุณอยู่ในทีมหนึ่งของกิจกรรมนี้แล้ว ออกจากทีมเดิมก่อน"),
        "bad_invite": lambda: _("ลิงก์เชิญนี้ใช้ไม่ได้ (อาจถูกเปลี่ยนแล้ว) ขอลิงก์ใหม่จากสมาชิกของทีม"),
        "not_in_team": lambda: _("คุณไม่ได้อยู่ในทีมนี้"),
        "team_not_here": lambda: _("ไม่พบทีมนี้ในกิจกรรม"),
        "team_not_empty": lambda: _("ลบได้เฉพาะทีมที่ไม่มีสมาชิกและยังไม่มีข้อเสนอ"),
        "too_many_links": lambda: _("ใส่ได้ไม่เกิน %(max)d รายการ", max=d.get("max", 0)),
        "unknown_ideas": lambda: _("ไม่พบไอเดียที่เผยแพร่แล้วในพื้นที่ของกิจกรรม: %(items)s", items=d.get("items", "")),
        "unknown_groups": lambda: _("ไม่พบกลุ่มไอเดียในพื้นที่ของกิจกรรม: %(items)s", items=d.get("items", "")),
        "deadline_passed": lambda: _("เลยกำหนดส่งข้อเสนอแล้ว จึงแก้ไขไม่ได้"),
        "title_length": lambda: _("ชื่อข้อเสนอต้องยาว %(min)d–%(max)d ตัวอักษร", min=d.get("min", 0), max=d.get("max", 0)),
        "cost_range": lambda: _("งบประมาณต้องเป็นจำนวนเต็มบาท ไม่ติดลบ"),
        "already_final": lambda: _("ข้อเสนอนี้ส่งเป็นฉบับสุดท้ายแล้ว กด “กลับไปแก้ไข” ก่อนถ้าต้องการแก้"),
        "incomplete": lambda: _("บันทึกฉบับร่างแล้ว แต่ยังส่งเป็นฉบับสุดท้ายไม่ได้ กรุณาเขียนส่วนที่ยังขาดให้ครบ"),
        "has_outcome": lambda: _("ข้อเสนอนี้มีผลลัพธ์แล้ว จึงกลับไปเป็นฉบับร่างไม่ได้"),
        "too_many_files": lambda: _("แนบรูปได้ไม่เกิน %(max)d รูป", max=d.get("max", 0)),
        "outcome_needs_final": lambda: _("บันทึกผลลัพธ์ได้เฉพาะข้อเสนอฉบับสุดท้าย"),
        "outcome_reason_length": lambda: _("เหตุผลต้องยาว %(min)d–%(max)d ตัวอักษร", min=d.get("min", 0),
                                           max=d.get("max", 0)),
        "outcome_agency_required": lambda: _("กรุณาเลือกหน่วยงานที่นำข้อเสนอไปดำเนินการต่อ"),
        "outcome_project_other_area": lambda: _("เลือกได้เฉพาะโครงการของพื้นที่ที่จัดกิจกรรมนี้"),
        "survey_participants_only": lambda: _("แบบสอบถามนี้สำหรับผู้ที่เช็กอินเข้าร่วมกิจกรรมแล้ว"),
        "survey_closed": lambda: _("แบบสอบถามของกิจกรรมนี้ยังไม่เปิดหรือปิดแล้ว"),
        "satisfaction_range": lambda: _("กรุณาเลือกระดับความพึงพอใจ 1–5"),
        "survey_answered": lambda: _("คุณตอบแบบสอบถามของกิจกรรมนี้แล้ว ขอบคุณค่ะ"),
    }
    text = messages.get(error.message)
    if text is not None:
        return text()
    from idea4gov.shortlists.messages import service_message as rubric_message
    from idea4gov.triage.messages import service_message as photo_message

    fallback = _("ทำรายการไม่สำเร็จ กรุณาลองใหม่")
    message = rubric_message(error)
    return photo_message(error) if message == fallback else message


@lazy_function("event_error")
def error_text(code: str, details: dict | None = None) -> str:
    """A refused action's message, for a flash translated on the page that shows it."""
    return service_message(ServiceError(code, **(details or {})))
