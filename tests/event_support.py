"""Shared set-up for the event tests: an area with an agency and ideas, an organiser, an event under way."""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from idea4gov.events.models import EventKind
from idea4gov.events.services import events as event_services
from idea4gov.events.services import registration
from idea4gov.extensions import db
from idea4gov.timeutil import utcnow

HACKATHON = "MY BETTER COUNTRY HACKATHON แสนสุข ๒๕๖๙"


def event_input(starts_in: timedelta = timedelta(hours=-1), length: timedelta = timedelta(days=1), **overrides):
    """An EventInput starting `starts_in` from now (negative: already started)."""
    start = utcnow() + starts_in
    values = dict(kind=EventKind.hackathon, title_th=HACKATHON, title_en="MY BETTER COUNTRY HACKATHON Saensuk",
                  description_th="ชวนคนแสนสุขมาออกแบบทางแก้ขยะชายหาด", description_en="Design fixes for beach litter",
                  starts_at=start, ends_at=start + length, place="หอประชุมเทศบาลเมืองแสนสุข", online_url="",
                  capacity=80, team_size_max=6)
    values.update(overrides)
    return event_services.EventInput(**values)


def make_event(areas, organiser, publish: bool = True, **kwargs):
    event = event_services.create_event(organiser, list(areas), event_input(**kwargs))
    if publish:
        event_services.publish(event, organiser)
    db.session.commit()
    return event


def seat(event, user, checked_in: bool = False, by=None, demographics=registration.NONE):
    """Register `user` the way the service does (registration window or not), optionally checked in."""
    from idea4gov.events.models import Registration

    row = registration.registration_of(event, user)
    if row is None:
        registration.lock(event)
        if registration._take_seat(event):  # noqa: SLF001  (set-up without the window rules)
            row = Registration(event_id=event.id, user_id=user.id, status=registration.RegistrationStatus.accepted,
                               accepted_at=utcnow())
        else:
            row = Registration(event_id=event.id, user_id=user.id, status=registration.RegistrationStatus.waitlisted,
                               waitlisted_at=utcnow())
        db.session.add(row)
        registration.set_demographics(row, demographics)
    if checked_in:
        row.checked_in_at = utcnow()
    db.session.commit()
    return row


def png_bytes(size=(40, 30), color=(200, 30, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


@dataclass
class EventWorld:
    area: object
    organiser: object
    agency: object
    ideas: list
    event: object
    people: list = field(default_factory=list)


@pytest.fixture(name="ew")
def event_world(app, make_area, make_staff, make_idea, make_user):
    """Saensuk with an agency and two ideas; its organiser; a published hackathon under way (started an hour
    ago, ends tomorrow, 80 seats)."""
    from idea4gov.triage.services import agencies

    area = make_area(slug="saensuk")
    organiser = make_staff("organiser", area, display_name="ผู้จัด แสนสุข")
    agency = agencies.save_agency(area, make_staff("admin"), "กองสาธารณสุขและสิ่งแวดล้อม", "Public Health Division", "")
    db.session.commit()
    ideas = [make_idea(area=area, title="เพิ่มถังขยะแยกประเภทริมหาดบางแสน"),
             make_idea(area=area, title="จัดเวรเก็บขยะชายหาดทุกเช้าวันหยุด")]
    event = make_event([area], organiser)
    return EventWorld(area=area, organiser=organiser, agency=agency, ideas=ideas, event=event)
