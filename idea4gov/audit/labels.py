"""The audit log in people's words: translated actions, object types and states, and links.

Entries store short codes (`approve`, `idea`, `published`); this module turns them into
labels in the reader's language, and an entry's object into a link to its page. A code
with no label yet (a feature added later) is shown as stored, never hidden.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from idea4gov.areas.models import Area, Theme
from idea4gov.audit.models import AuditEntry
from idea4gov.extensions import db
from idea4gov.ideas.labels import STATUS_LABELS, VISIBILITY_LABELS
from idea4gov.ideas.models import Comment
from idea4gov.moderation.forms import ACTION_LABELS as MODERATION_LABELS

ACTION_LABELS = {
    # moderation: the queue's own buttons, and the rule that hides on reports
    **MODERATION_LABELS,
    "auto_hide": _l("ซ่อนอัตโนมัติ (มีผู้รายงานครบ)"),
    # users and roles
    "grant_role": _l("ให้สิทธิ์"),
    "revoke_role": _l("ถอนสิทธิ์"),
    "block": _l("ระงับผู้ใช้"),
    "unblock": _l("ยกเลิกการระงับผู้ใช้"),
    # sign-in providers (the state is the provider's name)
    "oidc_signup": _l("สร้างบัญชีด้วยผู้ให้บริการยืนยันตัวตน"),
    "oidc_link": _l("เชื่อมต่อผู้ให้บริการยืนยันตัวตน"),
    "oidc_unlink": _l("ยกเลิกการเชื่อมต่อผู้ให้บริการยืนยันตัวตน"),
    "verified_identity": _l("ยืนยันตัวตนแล้ว"),
    "verified_identity_lost": _l("ไม่มีผู้ให้บริการที่ยืนยันตัวตนแล้ว"),
    # areas
    "area_settings": _l("เปลี่ยนการตั้งค่าพื้นที่"),
    "area_create": _l("สร้างพื้นที่"),
    "area_update": _l("แก้ไขพื้นที่"),
    "area_move": _l("ย้ายพื้นที่ไปอยู่ใต้พื้นที่อื่น"),
    "area_archive": _l("เก็บพื้นที่ถาวร"),
    "area_unarchive": _l("นำพื้นที่กลับจากที่เก็บถาวร"),
    "theme_create": _l("เพิ่มโจทย์"),
    "theme_rename": _l("แก้ชื่อโจทย์"),
    "theme_move": _l("เลื่อนลำดับโจทย์"),
    "round_create": _l("เพิ่มรอบรับฟังความคิดเห็น"),
    "round_update": _l("แก้ไขรอบรับฟังความคิดเห็น"),
    "round_delete": _l("ลบรอบรับฟังความคิดเห็น"),
    "add_holiday": _l("เพิ่มวันหยุด"),
    "remove_holiday": _l("นำวันหยุดออก"),
    "open_join_code": _l("เปิดรหัสเข้าร่วม"),
    "close_join_code": _l("ปิดรหัสเข้าร่วม"),
    "join_code_register": _l("สมัครสมาชิกผ่านรหัสเข้าร่วม"),
    "join_code_idea": _l("เสนอไอเดียผ่านรหัสเข้าร่วม"),
    "join_code_comment": _l("แสดงความคิดเห็นผ่านรหัสเข้าร่วม"),
    "join_code_vote": _l("สนับสนุนผ่านรหัสเข้าร่วม"),
    "join_code_unvote": _l("ถอนการสนับสนุนผ่านรหัสเข้าร่วม"),
    "import_ideas": _l("นำเข้าไอเดียจากแบบฟอร์มกระดาษ"),
    "enqueue_regroup": _l("สั่งจัดกลุ่มไอเดียใหม่"),
    # triage
    "route": _l("ส่งต่อหน่วยงาน"),
    "set_status": _l("เปลี่ยนสถานะ"),
    "merge": _l("รวมไอเดียที่ซ้ำ"),
    "unmerge": _l("ยกเลิกการรวมไอเดีย"),
    "create_agency": _l("เพิ่มหน่วยงาน"),
    "edit_agency": _l("แก้ไขหน่วยงาน"),
    "add_agency_member": _l("เพิ่มเจ้าหน้าที่ในหน่วยงาน"),
    "remove_agency_member": _l("นำเจ้าหน้าที่ออกจากหน่วยงาน"),
    "triage_settings": _l("เปลี่ยนจำนวนวันที่ต้องตอบ"),
    "routing_rule": _l("ตั้งกฎการส่งต่อ"),
    # issues (the same problem reported again)
    "issue_status": _l("ตอบทั้งเรื่อง (ทุกรายงานในเรื่องเดียวกัน)"),
    "issue_route": _l("ส่งต่อทั้งเรื่องให้หน่วยงาน"),
    "issue_split": _l("แยกรายงานออกจากเรื่อง"),
    "issue_move": _l("ย้ายรายงานไปอยู่อีกเรื่อง"),
    # projects and proof of action
    "project_create": _l("สร้างโครงการ"),
    "project_update": _l("แก้ไขโครงการ"),
    "project_status": _l("เปลี่ยนสถานะโครงการ"),
    "project_link_ideas": _l("เชื่อมไอเดียกับโครงการ"),
    "project_unlink_idea": _l("นำไอเดียออกจากโครงการ"),
    "milestone_add": _l("เพิ่มขั้นตอนของโครงการ"),
    "milestone_update": _l("ปรับขั้นตอนของโครงการ"),
    "dispute": _l("ผู้ติดตามโต้แย้งว่ายังไม่เสร็จ"),
    # shortlists
    "shortlist_create": _l("สร้างรายการคัดเลือก"),
    "shortlist_update": _l("แก้ไขรายการคัดเลือก"),
    "shortlist_add_ideas": _l("เพิ่มไอเดียในรายการคัดเลือก"),
    "shortlist_move": _l("เลื่อนลำดับไอเดีย"),
    "shortlist_remove_idea": _l("นำไอเดียออกจากรายการคัดเลือก"),
    "shortlist_note": _l("บันทึกหมายเหตุของไอเดีย"),
    "shortlist_add_criterion": _l("เพิ่มเกณฑ์ให้คะแนน"),
    "shortlist_remove_criterion": _l("ลบเกณฑ์ให้คะแนน"),
    "shortlist_add_judge": _l("เชิญกรรมการ"),
    "shortlist_remove_judge": _l("นำกรรมการออก"),
    "shortlist_score": _l("ให้คะแนน"),
    # events
    "event_create": _l("สร้างกิจกรรม"),
    "event_update": _l("แก้ไขกิจกรรม"),
    "event_publish": _l("เผยแพร่กิจกรรม"),
    "event_cancel": _l("ยกเลิกกิจกรรม"),
    "event_accept": _l("รับผู้ลงทะเบียนเข้าร่วม"),
    "event_waitlist": _l("ย้ายผู้ลงทะเบียนไปรายชื่อสำรอง"),
    "event_cancel_registration": _l("ยกเลิกการลงทะเบียนของผู้เข้าร่วม"),
    "event_check_in": _l("เช็กอินผู้เข้าร่วม"),
    "event_undo_check_in": _l("ยกเลิกการเช็กอิน"),
    "event_team_rename": _l("เปลี่ยนชื่อทีม"),
    "event_team_move": _l("ย้ายผู้เข้าร่วมไปทีมอื่น"),
    "event_team_remove_member": _l("นำผู้เข้าร่วมออกจากทีม"),
    "event_team_add_member": _l("เพิ่มผู้เข้าร่วมเข้าทีม"),
    "event_team_delete": _l("ลบทีม"),
    "event_add_criterion": _l("เพิ่มเกณฑ์ให้คะแนนข้อเสนอ"),
    "event_remove_criterion": _l("ลบเกณฑ์ให้คะแนนข้อเสนอ"),
    "event_add_judge": _l("เชิญกรรมการตัดสินข้อเสนอ"),
    "event_remove_judge": _l("นำกรรมการตัดสินข้อเสนอออก"),
    "event_score": _l("ให้คะแนนข้อเสนอ"),
    "event_outcome": _l("บันทึกผลลัพธ์ของข้อเสนอ"),
    "join_code_event": _l("ลงทะเบียนหรือเช็กอินกิจกรรมผ่านรหัสเข้าร่วม"),
}

TARGET_LABELS = {
    "idea": _l("ไอเดีย"),
    "comment": _l("ความคิดเห็น"),
    "user": _l("ผู้ใช้"),
    "area": _l("พื้นที่"),
    "theme": _l("โจทย์"),
    "agency": _l("หน่วยงาน"),
    "shortlist": _l("รายการคัดเลือก"),
    "round": _l("รอบรับฟังความคิดเห็น"),
    "holiday": _l("วันหยุด"),
    "join_code": _l("รหัสเข้าร่วม"),
    "issue": _l("เรื่องเดียวกัน"),
    "project": _l("โครงการ"),
    "event": _l("กิจกรรม"),
    "registration": _l("การลงทะเบียนกิจกรรม"),
    "team": _l("ทีม"),
    "proposal": _l("ข้อเสนอจากกิจกรรม"),
}

#: Stored states that are codes; anything else (numbers, names) is shown as stored.
STATE_LABELS = {
    **{visibility.value: label for visibility, label in VISIBILITY_LABELS.items()},
    **{status.value: label for status, label in STATUS_LABELS.items()},
    "resident": _l("ผู้ใช้ทั่วไป"),
    "moderator": _l("ผู้ดูแลเนื้อหา"),
    "officer": _l("เจ้าหน้าที่"),
    "organiser": _l("ผู้จัดกิจกรรม"),
    "admin": _l("ผู้ดูแลระบบ"),
    "active": _l("ใช้งานได้"),
    # events
    "hackathon": _l("แฮกกาธอน"),
    "workshop": _l("เวิร์กช็อป"),
    "forum": _l("เวทีรับฟังความคิดเห็น"),
    "draft": _l("ฉบับร่าง"),
    "cancelled": _l("ยกเลิกแล้ว"),
    "accepted": _l("ได้ที่นั่ง"),
    "waitlisted": _l("รายชื่อสำรอง"),
    "checked_in": _l("เช็กอินแล้ว"),
    "taken_forward": _l("นำไปดำเนินการต่อ"),
    "parked": _l("พักไว้ก่อน"),
    "blocked": _l("ถูกระงับ"),
    "verified": _l("ยืนยันตัวตนแล้ว"),
    # area settings, stored as "open/post/3"
    "open": _l("เปิดรับไอเดีย"),
    "closed": _l("ปิดรับไอเดีย"),
    "post": _l("ตรวจหลังเผยแพร่"),
    "pre": _l("ตรวจก่อนเผยแพร่"),
    # projects
    "planned": _l("วางแผนแล้ว"),
    "done": _l("เสร็จแล้ว"),  # "cancelled" as for events, above
}

#: Actions whose before/after hold an agency id, or a user id.
AGENCY_STATES = {"route", "routing_rule", "issue_route"}
USER_STATES = {"add_agency_member", "remove_agency_member"}
#: Actions whose before/after hold an issue id.
ISSUE_STATES = {"issue_move", "issue_split"}


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def action_choices(present: list[str]) -> list[tuple[str, str]]:
    """The action filter's choices: every labelled action, and any other action the log holds."""
    choices = [(code, str(label)) for code, label in ACTION_LABELS.items()]
    choices += [(code, code) for code in sorted(set(present) - set(ACTION_LABELS))]
    return choices


@dataclass(frozen=True)
class Described:
    entry: AuditEntry
    action: str
    target: str
    #: What the object is called now (an idea's title, a user's e-mail…), when known.
    name: str
    url: str | None
    before: str
    after: str


#: Longest object name shown in a row.
NAME_MAX = 60


def describe(entries: list[AuditEntry], locale: str) -> list[Described]:
    """Labels, names and links for a page of entries, with a fixed number of queries."""
    comment_ideas = _comment_ideas([e.target_id for e in entries if e.target_type == "comment"])
    area_ids = {e.target_id for e in entries if e.target_type == "area"}
    theme_ids = {e.target_id for e in entries if e.target_type == "theme"}
    themes = {t.id: t for t in db.session.scalars(sa.select(Theme).where(Theme.id.in_(theme_ids)))} if theme_ids else {}
    area_ids |= {t.area_id for t in themes.values()}
    areas = {a.id: a for a in db.session.scalars(sa.select(Area).where(Area.id.in_(area_ids)))} if area_ids else {}
    agencies = _agency_names(entries, locale)
    names = _names(entries, locale, areas, themes, agencies)
    result = []
    for entry in entries:
        name = names.get((entry.target_type, entry.target_id), "")
        result.append(Described(
            entry=entry,
            action=action_label(entry.action),
            target=f"{TARGET_LABELS.get(entry.target_type, entry.target_type)} #{entry.target_id}",
            name=name if len(name) <= NAME_MAX else name[:NAME_MAX - 1] + "…",
            url=_url(entry, comment_ideas, areas, themes),
            before=_state(entry, entry.before, agencies),
            after=_state(entry, entry.after, agencies),
        ))
    return result


def _names(entries: list[AuditEntry], locale: str, areas: dict[int, Area], themes: dict[int, Theme],
           agencies: dict[str, str]) -> dict[tuple[str, int], str]:
    from idea4gov.auth.models import User
    from idea4gov.events.models import Event, Proposal, Team
    from idea4gov.ideas.models import Idea
    from idea4gov.projects.models import Project
    from idea4gov.shortlists.models import Shortlist

    names: dict[tuple[str, int], str] = {}
    for kind, column, label in (("idea", Idea.id, Idea.title), ("user", User.id, User.email),
                                ("shortlist", Shortlist.id, Shortlist.name), ("project", Project.id, Project.title),
                                ("event", Event.id, Event.title_th), ("team", Team.id, Team.name),
                                ("proposal", Proposal.id, Proposal.title)):
        ids = {e.target_id for e in entries if e.target_type == kind}
        if ids:
            names.update(((kind, row_id), text) for row_id, text in
                         db.session.execute(sa.select(column, label).where(column.in_(ids))))
    issue_ids = {e.target_id for e in entries if e.target_type == "issue"}
    if issue_ids:
        from idea4gov.groups.models import IdeaIssue

        names.update((("issue", issue_id), title) for issue_id, title in db.session.execute(
            sa.select(IdeaIssue.id, Idea.title).join(Idea, Idea.id == IdeaIssue.representative_id)
            .where(IdeaIssue.id.in_(issue_ids))))
    names.update((("area", area_id), area.name(locale)) for area_id, area in areas.items())
    names.update((("theme", theme_id), theme.title(locale)) for theme_id, theme in themes.items())
    names.update((("agency", int(agency_id)), name) for agency_id, name in agencies.items())
    return names


def _comment_ideas(comment_ids: list[int]) -> dict[int, int]:
    if not comment_ids:
        return {}
    return dict(db.session.execute(sa.select(Comment.id, Comment.idea_id).where(Comment.id.in_(comment_ids))).all())


def _agency_names(entries: list[AuditEntry], locale: str) -> dict[str, str]:
    from idea4gov.triage.models import Agency

    ids = {int(value) for e in entries if e.action in AGENCY_STATES
           for value in (e.before, e.after) if value.isdigit()}
    ids |= {e.target_id for e in entries if e.target_type == "agency"}
    if not ids:
        return {}
    return {str(a.id): a.name(locale) for a in db.session.scalars(sa.select(Agency).where(Agency.id.in_(ids)))}


def _url(entry: AuditEntry, comment_ideas: dict[int, int], areas: dict[int, Area],
         themes: dict[int, Theme]) -> str | None:
    kind, target = entry.target_type, entry.target_id
    if kind == "idea":
        return url_for("ideas.show", idea_id=target)
    if kind == "comment" and target in comment_ideas:
        return url_for("ideas.show", idea_id=comment_ideas[target], _anchor=f"comment-{target}")
    if kind == "user":
        return url_for("admin.user", user_id=target)
    if kind == "area" and target in areas:
        return url_for("admin.area_settings", slug=areas[target].slug)
    if kind == "theme" and target in themes and themes[target].area_id in areas:
        return url_for("triage.settings", slug=areas[themes[target].area_id].slug)
    if kind == "agency":
        return url_for("triage.agency", agency_id=target)
    if kind == "shortlist":
        return url_for("shortlists.show", shortlist_id=target)
    if kind == "issue":
        return url_for("triage.issue", issue_id=target)
    if kind == "project":
        return url_for("projects.show", project_id=target)
    if kind == "event":
        return url_for("eventadmin.dashboard", event_id=target)
    return None


def _state(entry: AuditEntry, value: str, agencies: dict[str, str]) -> str:
    if not value:
        return ""
    if entry.action in AGENCY_STATES:
        return agencies.get(value, f"{TARGET_LABELS['agency']} #{value}")
    if entry.action in USER_STATES and value.isdigit():
        return f"{TARGET_LABELS['user']} #{value}"
    if entry.action in ISSUE_STATES and value.isdigit():
        return f"{TARGET_LABELS['issue']} #{value}"
    # Compound states such as an area's "open/post/3" read part by part.
    return " / ".join(str(STATE_LABELS.get(part, part)) for part in value.split("/"))
