"""The receipts / working-day migration on a database that already holds data: every row stays
(SQLite rebuilds tables that other rows refer to), and the new columns are filled sensibly."""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from test_migrations import empty_db_app  # noqa: F401  (fixture: an app on an empty database)

from idea4gov.extensions import db

BEFORE = "c88c78291f21"
REVISION = "4775ca536de1"


def _rows(sql: str) -> list:
    return db.session.execute(sa.text(sql)).all()


def _count(table: str) -> int:
    return db.session.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()


def _seed_old_schema() -> None:
    """Rows as the previous version wrote them, through plain SQL."""
    now = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    statements = [
        ("INSERT INTO users (id, email, display_name, password_hash, role, pdpa_consent_at, created_at, "
         "blocked_reason, show_name_in_exports) VALUES (:id, :email, 'ทดสอบ', 'x', :role, :now, :now, '', false)",
         [{"id": 1, "email": "resident@example.org", "role": "resident", "now": now},
          {"id": 2, "email": "officer@example.org", "role": "resident", "now": now}]),
        ("INSERT INTO areas (id, slug, name_th, name_en, description_th, description_en, is_open, moderation_mode, "
         "auto_hide_reports, created_at) VALUES (:id, :slug, 'พื้นที่', 'Area', '', '', true, 'post', 3, :now)",
         [{"id": 1, "slug": "saensuk", "now": now}, {"id": 2, "slug": "huawiang", "now": now}]),
        ("INSERT INTO themes (id, area_id, slug, title_th, title_en, is_open, position) "
         "VALUES (:id, :id, 'beach', 'ชายหาด', 'Beach', true, 0)", [{"id": 1}, {"id": 2}]),
        ("INSERT INTO agencies (id, area_id, name_th, name_en, email, created_at) "
         "VALUES (1, 1, 'กองช่าง', 'Works', '', :now)", [{"now": now}]),
        ("INSERT INTO staff_roles (user_id, area_id, role, granted_at) VALUES (2, 1, 'officer', :now)", [{"now": now}]),
        ("INSERT INTO agency_members (agency_id, user_id, created_at) VALUES (1, 2, :now)", [{"now": now}]),
        ("INSERT INTO ideas (id, area_id, theme_id, author_id, title, body, search_tokens, visibility, status, "
         "moderation_note, vote_count, comment_count, created_at, updated_at, first_answered_at, agency_id) "
         "VALUES (:id, :area, :area, 1, 'ไอเดียเดิม', 'รายละเอียด', '', 'published', :status, '', 1, 1, :created, "
         ":created, :answered, :agency)",
         [{"id": 1, "area": 1, "status": "accepted", "created": datetime(2025, 12, 31, 18, 0, tzinfo=UTC),
           "answered": now, "agency": 1},  # 1 Jan 2569 in Bangkok
          {"id": 2, "area": 1, "status": "under_review", "created": datetime(2025, 12, 31, 16, 0, tzinfo=UTC),
           "answered": now, "agency": None},  # 31 Dec 2568 in Bangkok; only a bare status change
          {"id": 3, "area": 1, "status": "received", "created": datetime(2026, 2, 1, tzinfo=UTC),
           "answered": None, "agency": None},
          {"id": 4, "area": 2, "status": "received", "created": datetime(2026, 3, 1, tzinfo=UTC),
           "answered": None, "agency": None}]),
        ("INSERT INTO status_changes (idea_id, actor_id, before, after, answer, created_at) "
         "VALUES (:idea, 2, 'received', :after, :answer, :when)",
         [{"idea": 1, "after": "under_review", "answer": "", "when": datetime(2026, 1, 5, tzinfo=UTC)},
          {"idea": 1, "after": "accepted", "answer": "เทศบาลรับข้อเสนอนี้แล้ว", "when": datetime(2026, 1, 9, tzinfo=UTC)},
          {"idea": 2, "after": "under_review", "answer": "", "when": now}]),
        ("INSERT INTO votes (idea_id, user_id, created_at) VALUES (1, 2, :now)", [{"now": now}]),
        ("INSERT INTO comments (id, idea_id, author_id, body, visibility, moderation_note, created_at) "
         "VALUES (:id, 1, :author, 'ความคิดเห็น', 'published', '', :now)",
         [{"id": 1, "author": 2, "now": now}, {"id": 2, "author": 1, "now": now}]),
        ("INSERT INTO reports (reporter_id, comment_id, reason, details, created_at) "
         "VALUES (1, 1, 'spam', '', :now)", [{"now": now}]),
    ]
    for sql, rows in statements:
        db.session.execute(sa.text(sql), rows)
    if db.engine.dialect.name == "postgresql":  # ids were given by hand: move the sequences past them
        for table in ("users", "areas", "themes", "agencies", "ideas", "comments"):
            db.session.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                       f"(SELECT MAX(id) FROM {table}))"))
    db.session.commit()


def test_upgrade_keeps_every_row_and_fills_the_new_columns(empty_db_app):  # noqa: F811
    upgrade(revision=BEFORE)
    _seed_old_schema()
    tables = ("users", "areas", "ideas", "votes", "comments", "reports", "status_changes", "agency_members",
              "staff_roles")
    before = {table: _count(table) for table in tables}
    db.session.remove()

    upgrade(revision=REVISION)

    assert {table: _count(table) for table in tables} == before
    assert dict(_rows("SELECT slug, ref_code FROM areas")) == {"saensuk": "SNS", "huawiang": "HWN"}
    references = dict(_rows("SELECT id, reference FROM ideas"))
    # Numbered by area and Buddhist year of posting (Bangkok time), oldest first.
    assert references == {2: "SNS-2568-00001", 1: "SNS-2569-00001", 3: "SNS-2569-00002", 4: "HWN-2569-00001"}
    assert sorted(_rows("SELECT area_id, year, last_number FROM reference_counters")) == [
        (1, 2568, 1), (1, 2569, 2), (2, 2569, 1)]
    answered = {idea_id: value for idea_id, value in _rows("SELECT id, first_answered_at FROM ideas")}
    assert answered[2] is None and answered[3] is None  # a bare status change is no answer
    first = answered[1] if isinstance(answered[1], datetime) else datetime.fromisoformat(str(answered[1]))
    assert first.replace(tzinfo=None) == datetime(2026, 1, 9)
    assert dict(_rows("SELECT id, agency_id FROM comments")) == {1: 1, 2: None}
    assert _count("holidays") >= 40
    # The new role is accepted, and new ideas continue the sequence.
    db.session.execute(sa.text("UPDATE users SET role = 'programme_viewer' WHERE id = 1"))
    db.session.commit()
    db.session.remove()
    upgrade()  # the models below are today's: the later revisions too
    from idea4gov.areas.models import Area
    from idea4gov.auth.models import User
    from idea4gov.ideas import services

    area = db.session.get(Area, 1)
    idea = services.create_idea(area, db.session.get(User, 2), services.IdeaInput(
        "ไอเดียใหม่หลังย้ายข้อมูล", "ขยะบนชายหาดเยอะมาก อยากให้เทศบาลเพิ่มถังขยะทุก 100 เมตร", area.themes[0]))
    db.session.commit()
    year = idea.reference.split("-")[1]
    assert idea.reference == f"SNS-{year}-{3 if year == '2569' else 1:05d}"
    db.session.remove()

    downgrade(revision=BEFORE)
    assert {table: _count(table) for table in tables} == {**before, "ideas": before["ideas"] + 1}
    assert _rows("SELECT role FROM users WHERE id = 1") == [("resident",)]
