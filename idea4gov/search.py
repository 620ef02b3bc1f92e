"""Thai-aware full-text search over the stored PyThaiNLP words of each idea.

Neither SQLite FTS5 nor PostgreSQL can split Thai into words, so every idea stores its
PyThaiNLP words space-joined in `ideas.search_tokens` when it is written, and a query is
tokenized the same way. SQLite matches with the FTS5 table `ideas_fts` (kept in step by
triggers); PostgreSQL with `to_tsvector('simple', search_tokens)` and a GIN index. Every
query word must appear (AND).
"""
from __future__ import annotations

import sqlalchemy as sa

from idea4gov.grouping import search_terms, tokenize

#: Longest query we tokenize; longer input is cut (search boxes are short).
QUERY_MAX_CHARS = 200
QUERY_MAX_WORDS = 12


#: The space-joined words stored with an idea (the engine's own function).
tokens_for_storage = search_terms


def query_words(query: str) -> list[str]:
    """Distinct words of a search query, in order."""
    words = tokenize((query or "")[:QUERY_MAX_CHARS])
    return list(dict.fromkeys(words))[:QUERY_MAX_WORDS]


def match_clause(id_column: sa.ColumnElement, tokens_column: sa.ColumnElement, words: list[str],
                 dialect: str) -> sa.ColumnElement[bool]:
    """A WHERE clause true for rows whose stored words include every query word."""
    if not words:
        return sa.true()
    if dialect == "postgresql":
        return sa.func.to_tsvector(sa.literal_column("'simple'"), tokens_column).op("@@")(
            sa.func.plainto_tsquery(sa.literal_column("'simple'"), " ".join(words))
        )
    # FTS5: each word a quoted string (quotes doubled), all required.
    fts_query = " ".join('"' + word.replace('"', '""') + '"' for word in words)
    matching = sa.text("SELECT rowid FROM ideas_fts WHERE ideas_fts MATCH :fts_query").bindparams(
        fts_query=fts_query
    ).columns(sa.column("rowid", sa.Integer))
    return id_column.in_(matching)


#: The SQLite triggers that keep `ideas_fts` in step with `ideas.search_tokens`.
#: SQLite batch migrations rebuild `ideas` (copy, drop, rename), which drops them: any
#: migration that batch-alters `ideas` calls `restore_sqlite_triggers(op)` at its end.
SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS ideas_fts_ai AFTER INSERT ON ideas BEGIN "
    "INSERT INTO ideas_fts(rowid, search_tokens) VALUES (new.id, new.search_tokens); END",
    "CREATE TRIGGER IF NOT EXISTS ideas_fts_ad AFTER DELETE ON ideas BEGIN "
    "INSERT INTO ideas_fts(ideas_fts, rowid, search_tokens) VALUES ('delete', old.id, old.search_tokens); END",
    "CREATE TRIGGER IF NOT EXISTS ideas_fts_au AFTER UPDATE OF search_tokens ON ideas BEGIN "
    "INSERT INTO ideas_fts(ideas_fts, rowid, search_tokens) VALUES ('delete', old.id, old.search_tokens); "
    "INSERT INTO ideas_fts(rowid, search_tokens) VALUES (new.id, new.search_tokens); END",
)


def restore_sqlite_triggers(op) -> None:  # noqa: ANN001  (alembic.op)
    """Create the FTS5 triggers again after a batch rebuild of `ideas` (no-op elsewhere)."""
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
