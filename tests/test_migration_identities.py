"""The sign-in providers / verified residents / LINE notices migration on a database that holds data:
every row stays (nothing is rebuilt), nobody becomes verified, no area starts asking for it."""
from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from test_migrations import _dependents, _insert_dependents, empty_db_app  # noqa: F401  (fixture)

from idea4gov.extensions import db

BEFORE = "f209d1e5842a"
REVISION = "9a898c83b7be"


def test_every_row_is_kept_and_the_new_columns_start_neutral(empty_db_app):  # noqa: F811
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        for n in (1, 2):
            conn.execute(sa.text(
                "INSERT INTO users (email, display_name, password_hash, role, pdpa_consent_at, created_at, "
                "blocked_reason, session_token) VALUES (:email, 'เดิม', 'x', 'resident', CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP, '', :token)"), {"email": f"old{n}@example.org", "token": f"t{n}"})
        before = _insert_dependents(conn)
        conn.execute(sa.text("INSERT INTO area_settings (area_id) SELECT id FROM areas"))
        conn.execute(sa.text("UPDATE ideas SET vote_count = 1"))
    upgrade(revision=REVISION)
    with db.engine.connect() as conn:
        assert _dependents(conn) == before  # authors, votes and comments all still there
        assert conn.execute(sa.text("SELECT COUNT(*) FROM users WHERE verified_at IS NULL AND person_key IS NULL "
                                    "AND show_verified_badge = false")).scalar_one() == 2
        assert conn.execute(sa.text("SELECT vote_count, verified_vote_count FROM ideas")).one() == (1, 0)
        assert conn.execute(sa.text("SELECT person_key FROM votes")).scalars().all() == [None]
        assert conn.execute(sa.text("SELECT verified_to_vote, verified_to_post FROM area_settings")).one() \
            in ((False, False), (0, 0))
    downgrade(revision=BEFORE)
    with db.engine.connect() as conn:
        assert _dependents(conn) == before
    upgrade()
