"""The demo has agencies in each pilot area and a demo officer who can open the triage board."""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.extensions import db
from idea4gov.triage.models import Agency, AgencyMember, StatusChange


def test_demo_officer_sees_the_board_with_agencies(runner, client):
    from idea4gov.seed import DEMO_PASSWORD

    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Agency)) == 8
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AgencyMember)) == 3
    answered = db.session.scalar(sa.select(sa.func.count()).select_from(StatusChange))
    assert answered == 6
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0  # twice: nothing more
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StatusChange)) == answered
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Agency)) == 8
    response = client.post("/auth/login", {"email": "officer-saensuk@example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    board = client.get("/triage/saensuk")
    assert board.status_code == 200 and "กองสาธารณสุขและสิ่งแวดล้อม" in board.get_data(as_text=True)
    assert client.get("/triage/huawiang").status_code == 403
