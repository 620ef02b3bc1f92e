"""Migration drift test: an empty database upgraded by the migrations matches the models.

The same check as `flask db check`, run through migrations/env.py (so its `include_name`
filter hides the hand-made search objects: SQLite's FTS5 table, PostgreSQL's GIN index), on
a fresh SQLite file and, when IDEA4GOV_TEST_DATABASE_URL is set, on PostgreSQL in a schema
of its own (the session's tables in `public` are not touched).
"""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from flask_migrate import downgrade, upgrade

from config import TestingConfig
from idea4gov import create_app
from idea4gov.extensions import db

#: PostgreSQL schema the migrations run in (dropped before and after).
PG_SCHEMA = "idea4gov_migration_check"
#: Tables the models define; after `downgrade base` none may be left.
MODEL_TABLES = {"users", "api_tokens", "areas", "themes", "ideas", "votes", "comments", "reports"}


def _backends() -> list:
    params = [pytest.param("sqlite", id="sqlite")]
    if os.environ.get("IDEA4GOV_TEST_DATABASE_URL"):
        params.append(pytest.param("postgresql", id="postgresql"))
    return params


@pytest.fixture(params=_backends())
def empty_db_app(request, tmp_path) -> Iterator[Flask]:
    """An app on an EMPTY database: a new SQLite file, or an empty PostgreSQL schema."""
    engine_options: dict = {}
    if request.param == "postgresql":
        url = os.environ["IDEA4GOV_TEST_DATABASE_URL"]
        _reset_schema(url, create=True)
        # Everything unqualified (the tables, alembic_version, reflection) goes to PG_SCHEMA.
        engine_options = {"connect_args": {"options": f"-csearch_path={PG_SCHEMA}"}}
    else:
        url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        SQLALCHEMY_ENGINE_OPTIONS = {**TestingConfig.SQLALCHEMY_ENGINE_OPTIONS, **engine_options}

    app = create_app(Config)
    with app.app_context():
        assert _table_names() == set(), "the database under test must start empty"
        yield app
        db.session.remove()
        db.engine.dispose()
    if request.param == "postgresql":
        _reset_schema(url, create=False)


def _reset_schema(url: str, create: bool) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
            if create:
                conn.execute(sa.text(f"CREATE SCHEMA {PG_SCHEMA}"))
    finally:
        engine.dispose()


def _alembic_config():
    return current_app.extensions["migrate"].migrate.get_config()


def _table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def _schema_diffs() -> list:
    """compare_metadata as env.py configures it (include_name, batch mode): the diffs left."""
    config = _alembic_config()
    script = ScriptDirectory.from_config(config)
    diffs: list = []

    def compare(_revision, context: MigrationContext) -> list:
        diffs.extend(compare_metadata(context, context.opts["target_metadata"]))
        return []

    with EnvironmentContext(config, script, fn=compare):
        script.run_env()
    return diffs


def _current_heads() -> tuple[str, ...]:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_heads()


def _search_objects() -> set[str]:
    """The hand-made search structures present (on SQLite with FTS5's own shadow tables)."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.execute(sa.text(
                "SELECT name FROM sqlite_master WHERE name LIKE 'ideas_fts%' AND type IN ('table', 'trigger')"
            ))
        else:
            rows = conn.execute(sa.text(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'ix_ideas_search_tsv'"
            ))
        return {row[0] for row in rows}


def _expected_search_objects() -> set[str]:
    if db.engine.dialect.name == "sqlite":
        return {"ideas_fts", "ideas_fts_ai", "ideas_fts_ad", "ideas_fts_au"}
    return {"ix_ideas_search_tsv"}


def _assert_search_finds_thai_word() -> None:
    """An idea written after the upgrade is found by one Thai word of its body."""
    from idea4gov.areas.models import Area, Theme
    from idea4gov.areas.services import IdeaQuery, ideas_select
    from idea4gov.auth import services as auth_services
    from idea4gov.ideas import services as idea_services

    author = auth_services.register("migrations@example.org", "ทดสอบ ไมเกรชัน", "correct-horse-battery-9")
    area = Area(slug="bangsaen", name_th="บางแสน", name_en="Bang Saen", description_th="ทดสอบ", description_en="Test")
    area.themes.append(Theme(slug="beach", title_th="ขยะชายหาด", title_en="Beach litter"))
    db.session.add(area)
    db.session.flush()
    idea = idea_services.create_idea(area, author, idea_services.IdeaInput(
        "เพิ่มถังขยะริมชายหาดบางแสน", "ขยะบนชายหาดเยอะมาก อยากให้เทศบาลเพิ่มถังขยะทุก 100 เมตร", area.themes[0]
    ))
    db.session.commit()
    found = db.session.scalars(ideas_select(area, IdeaQuery(q="ชายหาด"))).all()
    missing = db.session.scalars(ideas_select(area, IdeaQuery(q="รถไฟฟ้า"))).all()
    assert [row.id for row in found] == [idea.id]
    assert missing == []


def test_migrations_have_a_single_head(empty_db_app):
    heads = ScriptDirectory.from_config(_alembic_config()).get_heads()
    assert len(heads) == 1, f"branched migrations, merge them: {heads}"


def test_upgrade_of_an_empty_database_matches_the_models(empty_db_app):
    upgrade()

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert _current_heads() == (head,)
    assert MODEL_TABLES <= _table_names()
    assert _expected_search_objects() <= _search_objects()
    assert _schema_diffs() == []
    command.check(_alembic_config())  # `flask db check`: raises AutogenerateDiffsDetected on drift
    _assert_search_finds_thai_word()


def test_downgrade_to_base_then_upgrade_again(empty_db_app):
    upgrade()

    downgrade(revision="base")
    assert _current_heads() == ()
    assert _table_names() <= {"alembic_version"}, "downgrade base left tables behind"
    assert _search_objects() == set()

    upgrade()
    assert _current_heads() == (ScriptDirectory.from_config(_alembic_config()).get_current_head(),)
    assert MODEL_TABLES <= _table_names()
    assert _expected_search_objects() <= _search_objects()
    assert _schema_diffs() == []
    _assert_search_finds_thai_word()


def _dummy(column: sa.Column, n: int):  # noqa: ANN202
    """A value for a NOT NULL column without a default, by its type."""
    if isinstance(column.type, sa.Boolean):
        return False
    if isinstance(column.type, sa.Integer):
        return n
    if isinstance(column.type, (sa.DateTime, sa.Date)):
        from datetime import UTC, datetime

        return datetime.now(UTC)
    return f"x{n}"


def _insert(conn, name: str, **values) -> int:
    """Insert one row in the table as the database has it now, filling required columns."""
    table = sa.Table(name, sa.MetaData(), autoload_with=conn)
    row = {column.name: _dummy(column, 1) for column in table.columns
           if not column.nullable and column.server_default is None and not column.primary_key}
    row.update(values)
    return conn.execute(table.insert().values(**row)).inserted_primary_key[0]


def _insert_dependents(conn) -> tuple:
    """An area with a theme, an idea by the first account, a vote and a comment by the second."""
    author, voter = conn.execute(sa.text("SELECT id FROM users ORDER BY id LIMIT 2")).scalars().all()
    area = _insert(conn, "areas", slug="old-area")
    theme = _insert(conn, "themes", area_id=area, slug="beach")
    idea = _insert(conn, "ideas", area_id=area, theme_id=theme, author_id=author, status="received",
                   visibility="published")
    _insert(conn, "votes", idea_id=idea, user_id=voter)
    _insert(conn, "comments", idea_id=idea, author_id=voter, visibility="published")
    return _dependents(conn)


def _dependents(conn) -> tuple:
    return (conn.execute(sa.text("SELECT author_id FROM ideas")).all(),
            conn.execute(sa.text("SELECT idea_id, user_id FROM votes")).all(),
            conn.execute(sa.text("SELECT author_id FROM comments")).all())


def test_session_tokens_are_given_to_every_existing_account(empty_db_app):
    """The revocable-sessions revision keeps every account row working, each with a token of its own."""
    import time

    from idea4gov.auth import services as auth_services
    from idea4gov.auth import sessions
    from idea4gov.auth.passwords import hash_password

    script = ScriptDirectory.from_config(_alembic_config())
    upgrade(revision=script.get_revision("c9606cce5641").down_revision)
    password_hash = hash_password("correct-horse-battery-9")
    with db.engine.begin() as conn:
        for n in (1, 2, 3):
            conn.execute(sa.text(
                "INSERT INTO users (email, display_name, password_hash, role, pdpa_consent_at, created_at, "
                "blocked_reason) VALUES (:email, :name, :hash, 'resident', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '')"),
                {"email": f"old{n}@example.org", "name": f"บัญชีเก่า {n}", "hash": password_hash})
        before = _insert_dependents(conn)
    upgrade()
    with db.engine.connect() as conn:
        # Rows pointing at users kept (a rebuild of `users` would null authors and delete votes).
        assert _dependents(conn) == before
        tokens = dict(conn.execute(sa.text("SELECT email, session_token FROM users")).all())
    assert len(tokens) == 3 and len(set(tokens.values())) == 3
    assert all(token and len(token) >= 40 for token in tokens.values())
    for email, token in tokens.items():
        user = auth_services.authenticate(email, "correct-horse-battery-9")
        assert user is not None and user.get_id() == f"{user.id}:{token}"
        assert sessions.load(f"{user.id}:{token}:{int(time.time()) + 60}") == user
        assert sessions.load(str(user.id)) is None  # a session from before the upgrade names no token
    assert _schema_diffs() == []
    db.session.remove()
    downgrade(revision=script.get_revision("c9606cce5641").down_revision)  # and back: nothing lost either
    with db.engine.connect() as conn:
        assert _dependents(conn) == before


def test_upgrading_a_database_of_the_first_release_keeps_every_row(empty_db_app):
    """A database made by the first release, holding accounts, an idea, a vote and a comment, is
    upgraded through every revision to today's: nothing is deleted or unlinked on the way
    (SQLite rebuilds tables in batch mode; migrations/env.py keeps foreign keys off meanwhile)."""
    script = ScriptDirectory.from_config(_alembic_config())
    first = script.get_base()
    upgrade(revision=first)
    with db.engine.begin() as conn:
        for n in (1, 2):
            _insert(conn, "users", email=f"first{n}@example.org", role="resident")
        before = _insert_dependents(conn)
        counts = {table: conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
                  for table in ("users", "areas", "themes", "ideas", "votes", "comments")}
    upgrade()
    with db.engine.connect() as conn:
        assert _dependents(conn) == before
        assert {table: conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
                for table in counts} == counts
        if conn.dialect.name == "sqlite":  # enforced again for the app, and nothing dangling
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    assert _schema_diffs() == []
