"""Business rules of events, one module per part of the cycle; services flush, never commit.

events        create, edit, publish, cancel; linked challenges and partner agencies
registration  register (online, or on site with the event's join code), cancel, the waitlist, check-in
teams         form, join by link, leave; organisers rearrange
proposals     draft, attachments, final before the deadline; linked ideas and groups
judging       the shared rubric (idea4gov.shortlists.rubric) over the final proposals
outcomes      taken forward (agency, project), parked, declined, with a public reason
survey        the participants' verdict, once each
report        the figures OPDC publishes, small counts suppressed
certificates  signed verification links
reminders     the e-mail and in-app reminder before the event (`flask events remind`)
"""
from __future__ import annotations

from idea4gov.audit import services as audit
from idea4gov.auth.models import User
from idea4gov.events.models import Event


def record(by: User | None, action: str, event: Event, *, target_type: str = "event", target_id: int | None = None,
           **values: object) -> None:
    """Audit an organiser's change, filed under the event's first area."""
    area_id = min(event.area_ids) if event.areas else None
    audit.record(by, action, target_type, event.id if target_id is None else target_id, area_id=area_id, **values)
