"""Demo data of the programme features: the holiday calendar, a programme viewer, a join code."""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.areas.models import Area
from idea4gov.auth import services as auth_services
from idea4gov.auth import staff
from idea4gov.auth.models import Role
from idea4gov.extensions import db

#: Reads /programme (results by fiscal year) and nothing else.
DEMO_PROGRAMME_VIEWER = ("programme@example.org", "ผู้ติดตามผลการดำเนินงาน (ตัวอย่าง)")
#: The demo workshop's join code (Saensuk); a new one is opened when the last has expired.
DEMO_JOIN_LABEL = "เวทีประชาคมชายหาดบางแสน (ตัวอย่าง)"
DEMO_JOIN_HOURS = 72


def seed_programme(password: str) -> dict[str, int]:
    """Idempotent: the shipped holidays that are missing, the demo programme viewer, and an open
    demo join code in Saensuk. Returns how many of each were added."""
    from idea4gov.deadlines.services import load_shipped
    from idea4gov.joincodes import services as joincodes
    from idea4gov.joincodes.models import JoinCode

    added = {"holidays": load_shipped(), "join_codes": 0}
    email, name = DEMO_PROGRAMME_VIEWER
    viewer = auth_services.find_by_email(email)
    if viewer is None:
        viewer = auth_services.register(email, name, password)
    staff.grant(viewer, Role.programme_viewer, None)
    area = db.session.scalar(sa.select(Area).where(Area.slug == "saensuk"))
    admin = auth_services.find_by_email("admin@example.org")
    if area is not None and admin is not None:
        codes = db.session.scalars(sa.select(JoinCode).where(JoinCode.area_id == area.id,
                                                             JoinCode.label == DEMO_JOIN_LABEL))
        if not any(code.state() == "open" for code in codes):
            joincodes.open_code(area, admin, DEMO_JOIN_LABEL, DEMO_JOIN_HOURS, 200)
            added["join_codes"] = 1
    return added
