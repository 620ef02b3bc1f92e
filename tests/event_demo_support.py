"""The demo's events: a past hackathon whose report reads like OPDC's (79 participants, 6 proposals, 4 taken
forward, satisfaction and return figures), and an upcoming forum open for registration. `tests/test_seed.py`
runs the seed (twice, and on a database of the previous version) and calls `assert_events_demo`."""
from __future__ import annotations

import re

import sqlalchemy as sa

from idea4gov.events.models import Event, EventKind, EventState, Outcome, Proposal
from idea4gov.extensions import db
from idea4gov.seed import demo_events


def assert_events_demo(client) -> None:  # noqa: ANN001
    hackathon = db.session.scalar(sa.select(Event).where(Event.title_th == demo_events.HACKATHON["title_th"]))
    forum = db.session.scalar(sa.select(Event).where(Event.title_th == demo_events.FORUM["title_th"]))
    assert hackathon.kind == EventKind.hackathon and hackathon.has_ended() and hackathon.state == EventState.published
    assert forum.kind == EventKind.forum and not forum.has_started()
    outcomes = list(db.session.scalars(sa.select(Proposal.outcome).where(Proposal.event_id == hackathon.id)))
    assert len(outcomes) == 6 and outcomes.count(Outcome.taken_forward) == 4
    carried = list(db.session.scalars(sa.select(Proposal).where(Proposal.event_id == hackathon.id,
                                                                Proposal.outcome_project_id.is_not(None))))
    assert carried and all(p.outcome == Outcome.taken_forward and p.outcome_project.area_id in hackathon.area_ids
                           for p in carried)  # the demo's projects carry proposals taken forward
    html = client.get(f"/events/{hackathon.id}/report").get_data(as_text=True)
    assert re.search(r'data-testid="fig-participants">79<', html)
    assert re.search(r'data-testid="fig-taken-forward">4 จาก 6<', html)
    assert re.search(r'data-testid="fig-satisfaction">9\d\.\d %<', html) and re.search(r'fig-return">77.4 %<', html)
    listing = client.get("/events/").get_data(as_text=True)
    assert demo_events.FORUM["title_th"] in listing and demo_events.HACKATHON["title_th"] in listing
    page = client.get(f"/events/{forum.id}").get_data(as_text=True)
    assert 'data-testid="register-link"' not in page  # anonymous: log in first
    assert "เข้าสู่ระบบเพื่อลงทะเบียน" in page
