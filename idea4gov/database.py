"""Engine settings that keep SQLite safe under concurrent writers."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import Engine


def configure_engine_options(app: Flask) -> None:
    """Give file SQLite a busy timeout so concurrent writers wait instead of failing. SQLite has no
    server whose restart could leave a dead connection in the pool, so it is not pinged before each
    request's first statement (`pool_pre_ping`, kept for PostgreSQL): that ping was an extra statement
    on every request, about a twentieth of a signed-in page's time on the bench."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    if uri.startswith("sqlite"):
        connect_args = dict(options.get("connect_args", {}))
        connect_args.setdefault("timeout", 30)
        options["connect_args"] = connect_args
        options["pool_pre_ping"] = False
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


@sa.event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ANN001
    """Foreign keys on, WAL for file databases (readers never block the writer)."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def is_sqlite(bind: sa.engine.Connection | Engine) -> bool:
    return bind.dialect.name == "sqlite"
