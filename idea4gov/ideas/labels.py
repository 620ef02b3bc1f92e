"""Translated labels of idea statuses, for templates and exports."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from idea4gov.ideas.models import IdeaStatus

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
