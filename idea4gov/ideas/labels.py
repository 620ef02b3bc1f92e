"""Translated labels of idea statuses and moderation states, for templates and exports."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from idea4gov.ideas.models import Idea, IdeaStatus, Visibility

STATUS_LABELS = {
    IdeaStatus.received: _l("ได้รับแล้ว"),
    IdeaStatus.under_review: _l("กำลังพิจารณา"),
    IdeaStatus.accepted: _l("รับไปดำเนินการ"),
    IdeaStatus.in_progress: _l("กำลังดำเนินการ"),
    IdeaStatus.implemented: _l("ดำเนินการแล้ว"),
    IdeaStatus.declined: _l("ไม่รับดำเนินการ"),
    IdeaStatus.duplicate: _l("ซ้ำกับไอเดียอื่น"),
}


def status_label(status: IdeaStatus) -> str:
    return str(STATUS_LABELS.get(status, status.value))


#: What the author (or a moderator) sees while an idea is not public.
VISIBILITY_LABELS = {
    Visibility.pending: _l("รอตรวจสอบ"),
    Visibility.published: _l("เผยแพร่อยู่"),
    Visibility.hidden: _l("ถูกซ่อนจากสาธารณะ"),
    Visibility.rejected: _l("ไม่ผ่านการตรวจสอบ"),
}


def idea_state_label(idea: Idea) -> str:
    """The status an idea shows: its moderation state until it is public, then what agencies did."""
    if idea.visibility != Visibility.published:
        return str(VISIBILITY_LABELS[idea.visibility])
    return status_label(idea.status)
