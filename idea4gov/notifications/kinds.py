"""The message of each kind of notification; `{title}` and other keys come from `data`.

Each feature adds its kinds here, so the list page can translate every one of them.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

MESSAGES = {
    "idea_held": _l("ไอเดีย “{title}” รอตรวจสอบก่อนเผยแพร่"),
    "idea_approved": _l("ไอเดีย “{title}” ผ่านการตรวจสอบและเผยแพร่แล้ว"),
    "idea_rejected": _l("ไอเดีย “{title}” ไม่ผ่านการตรวจสอบ"),
    "idea_hidden": _l("ไอเดีย “{title}” ถูกซ่อนโดยผู้ดูแลเนื้อหา"),
    "idea_restored": _l("ไอเดีย “{title}” กลับมาแสดงแล้ว"),
    "comment_held": _l("ความคิดเห็นของคุณในไอเดีย “{title}” รอตรวจสอบก่อนเผยแพร่"),
    "comment_approved": _l("ความคิดเห็นของคุณในไอเดีย “{title}” ผ่านการตรวจสอบและเผยแพร่แล้ว"),
    "comment_rejected": _l("ความคิดเห็นของคุณในไอเดีย “{title}” ไม่ผ่านการตรวจสอบ"),
    "comment_hidden": _l("ความคิดเห็นของคุณในไอเดีย “{title}” ถูกซ่อนโดยผู้ดูแลเนื้อหา"),
    "comment_restored": _l("ความคิดเห็นของคุณในไอเดีย “{title}” กลับมาแสดงแล้ว"),
    # To the residents who reported something a moderator kept public.
    "idea_report_dismissed": _l("ผู้ดูแลเนื้อหาตรวจสอบไอเดีย “{title}” ที่คุณรายงานแล้ว เห็นว่าไม่ผิดกติกา จึงยังแสดงต่อไป"),
    "comment_report_dismissed": _l("ผู้ดูแลเนื้อหาตรวจสอบความคิดเห็นในไอเดีย “{title}” ที่คุณรายงานแล้ว "
                                   "เห็นว่าไม่ผิดกติกา จึงยังแสดงต่อไป"),
    "shortlist_judge": _l("คุณได้รับเชิญเป็นกรรมการให้คะแนนรายการคัดเลือก “{name}”"),
    # Triage: `{status}` is shown in the reader's language from `status_key`.
    "idea_status": _l("ไอเดีย “{title}” ที่คุณติดตามเปลี่ยนสถานะเป็น “{status}”"),
    "idea_merged": _l("ไอเดีย “{title}” ซ้ำกับ “{target_title}” จึงถูกรวมไว้ด้วยกัน การสนับสนุนย้ายไปที่ไอเดียนั้นแล้ว"),
    "idea_unmerged": _l("ยกเลิกการรวมไอเดีย “{title}” กับ “{target_title}” แล้ว การสนับสนุนกลับเป็นเหมือนเดิม"),
    # Projects and proof of action.
    "idea_project": _l("ไอเดีย “{title}” ที่คุณติดตามกลายเป็นโครงการ “{project_title}”"),
    "project_done": _l("โครงการ “{project_title}” แจ้งว่าเสร็จแล้ว ช่วยยืนยันว่าเสร็จจริงหรือไม่"),
    "project_disputed": _l("ผู้ติดตามแจ้งว่าโครงการ “{project_title}” ยังไม่เสร็จ เรื่องกลับไปให้เจ้าหน้าที่ตรวจสอบอีกครั้ง"),
    "idea_disputed": _l("ผู้ติดตามแจ้งว่าไอเดีย “{title}” ยังไม่ได้ดำเนินการจริง เรื่องกลับมาที่กระดานคัดแยก"),
    # Events: `{title}` is the event's Thai title (`{title_en}` its English one).
    "event_judge": _l("คุณได้รับเชิญเป็นกรรมการให้คะแนนข้อเสนอของกิจกรรม “{title}”"),
    "event_accepted": _l("ผู้จัดรับคุณเข้าร่วมกิจกรรม “{title}” แล้ว"),
    "event_promoted": _l("มีที่นั่งว่าง คุณได้เลื่อนจากรายชื่อสำรองเป็นผู้เข้าร่วมกิจกรรม “{title}” แล้ว"),
    "event_reminder": _l("เตือนความจำ: กิจกรรม “{title}” ที่คุณลงทะเบียนไว้ใกล้จะเริ่มแล้ว"),
    "event_cancelled": _l("กิจกรรม “{title}” ที่คุณลงทะเบียนไว้ถูกยกเลิก"),
    "event_outcome": _l("ข้อเสนอ “{title}” ของทีมคุณได้รับการบันทึกผลลัพธ์แล้ว"),
}


def _with_status(data: dict) -> dict:
    """The values a message shows: the status label in the page's language, and an event's English
    title on English pages when it has one."""
    if "status_key" in data:
        from idea4gov.ideas.labels import status_label
        from idea4gov.ideas.models import IdeaStatus

        try:
            data = {**data, "status": status_label(IdeaStatus(data["status_key"]))}
        except ValueError:
            pass
    if data.get("title_en"):
        from idea4gov.i18n import current_locale

        if current_locale() == "en":
            data = {**data, "title": data["title_en"]}
    return data


def message(kind: str, data: dict) -> str:
    """The translated text of a notification; unknown kinds or keys never raise."""
    template = MESSAGES.get(kind)
    if template is None:
        return kind
    try:
        return str(template).format(**_with_status(data))
    except (KeyError, IndexError, ValueError):
        return str(template)


def message_html(kind: str, data: dict) -> Markup:
    """`message` for a page, escaped, with each title or name people typed marked with its language
    when it differs from the page's (WCAG 3.1.2: `idea4gov.a11y.user_text`)."""
    from idea4gov.a11y import user_text

    template = MESSAGES.get(kind)
    if template is None:
        return escape(kind)
    values = {key: user_text(value) if isinstance(value, str) else value for key, value in _with_status(data).items()}
    try:
        return escape(str(template)).format(**values)
    except (KeyError, IndexError, ValueError):
        return escape(str(template))
