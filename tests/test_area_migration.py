"""The migration that gathers area settings into `area_settings` keeps every existing value and
every row that points at an area (SQLite rebuilds `areas`: no ON DELETE action may fire), and
gives them back on downgrade. Runs on SQLite and, when configured, on PostgreSQL."""
from __future__ import annotations

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from idea4gov.extensions import db
from tests.test_migrations import _alembic_config, empty_db_app  # noqa: F401  (fixture: an empty database)

REVISION = "bfe27427b578"
NOW = "2026-11-01 03:00:00"


def _rows(sql: str) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(sa.text(sql))]


def _insert_old_rows() -> None:
    """Two areas as the previous schema kept them, with what hangs on them."""
    statements = [
        "INSERT INTO areas (id, slug, name_th, name_en, description_th, description_en, is_open, created_at, "
        f"moderation_mode, auto_hide_reports) VALUES (1, 'saensuk', 'แสนสุข', 'Saensuk', '', '', true, '{NOW}', "
        "'pre', 7), "
        f"(2, 'huawiang', 'หัวเวียง', 'Hua Wiang', '', '', false, '{NOW}', 'post', 3)",
        "INSERT INTO triage_settings (area_id, days_to_first_answer) VALUES (1, 30)",
        "INSERT INTO themes (id, area_id, slug, title_th, title_en, is_open, position) VALUES "
        "(1, 1, 'beach', 'ชายหาด', 'Beach', true, 0), (2, 2, 'tourism', 'ท่องเที่ยว', 'Tourism', true, 0)",
        f"INSERT INTO agencies (id, area_id, name_th, name_en, email, created_at) VALUES (1, 1, 'กองช่าง', '', '', '{NOW}')",
        "INSERT INTO audit_entries (area_id, action, target_type, target_id, before, after, reason, created_at) "
        f"VALUES (2, 'area_settings', 'area', 2, 'open', 'closed', '', '{NOW}')",
    ]
    with db.engine.begin() as conn:
        for statement in statements:
            conn.execute(sa.text(statement))


def test_settings_move_into_one_place_with_every_value_kept_and_come_back_on_downgrade(empty_db_app):  # noqa: F811
    previous = ScriptDirectory.from_config(_alembic_config()).get_revision(REVISION).down_revision
    upgrade(revision=previous)
    _insert_old_rows()

    upgrade(revision=REVISION)
    assert _rows("SELECT area_id, moderation_mode, auto_hide_reports, days_to_first_answer FROM area_settings "
                 "ORDER BY area_id") == [(1, "pre", 7, 30), (2, "post", 3, 14)]
    assert _rows("SELECT id, parent_id, archived_at, iap2_level, promise_th FROM areas ORDER BY id") == [
        (1, None, None, None, ""), (2, None, None, None, "")]
    # Nothing that points at an area was deleted or unlinked by the rebuild.
    assert _rows("SELECT id, area_id FROM themes ORDER BY id") == [(1, 1), (2, 2)]
    assert _rows("SELECT area_id FROM agencies") == [(1,)]
    assert _rows("SELECT area_id FROM audit_entries") == [(2,)]
    assert "triage_settings" not in sa.inspect(db.engine).get_table_names()
    if db.engine.dialect.name == "sqlite":
        assert _rows("PRAGMA foreign_keys") == [(1,)], "the migration must turn foreign keys back on"
    # The new constraints hold: an archived area is closed, an area is not its own parent.
    for statement in ("UPDATE areas SET archived_at = '2026-12-01 00:00:00' WHERE id = 1",
                      "UPDATE areas SET parent_id = 1 WHERE id = 1"):
        try:
            with db.engine.begin() as conn:
                conn.execute(sa.text(statement))
        except sa.exc.IntegrityError:
            continue
        raise AssertionError(f"accepted: {statement}")

    downgrade(revision=previous)
    assert _rows("SELECT id, moderation_mode, auto_hide_reports FROM areas ORDER BY id") == [(1, "pre", 7), (2, "post", 3)]
    assert _rows("SELECT area_id, days_to_first_answer FROM triage_settings ORDER BY area_id") == [(1, 30), (2, 14)]
    assert _rows("SELECT id, area_id FROM themes ORDER BY id") == [(1, 1), (2, 2)]
