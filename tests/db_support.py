"""Database helpers for tests."""
from __future__ import annotations

from contextlib import contextmanager

import sqlalchemy as sa

from idea4gov.extensions import db


@contextmanager
def count_queries():
    """Count the SQL statements run inside the block (N+1 guards)."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args):  # noqa: ANN001
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
