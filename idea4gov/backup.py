"""`flask db backup [--out PATH]` and `flask db restore PATH [--yes]` (added to Flask-Migrate's `db` group).

SQLite: the sqlite3 online backup API, a consistent copy while the app keeps serving.
PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore --clean --single-transaction`.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask_migrate.cli import db as db_cli


class BackupError(Exception):
    """A backup or restore that cannot be done, with a message for the operator."""


def _url() -> sa.engine.URL:
    return sa.engine.make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _sqlite_path(url: sa.engine.URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError(f"cannot back up this SQLite database ({url.database or 'in memory'}): use a file")
    return Path(url.database)


def _libpq(url: sa.engine.URL) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password (it goes in PGPASSWORD, out of `ps`), and the environment."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client (Debian: apt-get install postgresql-client)")
    return path


def default_path(kind: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = "sqlite3" if kind == "sqlite" else "dump"
    return Path(current_app.instance_path) / "backups" / f"idea4gov-{stamp}.{suffix}"


def backup(out: Path | None = None) -> Path:
    """Write a consistent copy of the database to `out` (or a timestamped file) and return its path."""
    url = _url()
    kind = url.get_backend_name()
    if kind not in ("sqlite", "postgresql"):
        raise BackupError(f"no backup method for {kind}")
    out = Path(out) if out else default_path(kind)
    out.parent.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        target = sqlite3.connect(out)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        target_url, env = _libpq(url)
        result = subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(out), target_url],
                                env=env, capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return out


def restore(path: Path) -> None:
    """Replace the database's contents with the backup at `path`."""
    from idea4gov.extensions import db

    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    url = _url()
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old pages or tables
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is not a sound SQLite database")
            target = sqlite3.connect(_sqlite_path(url))
            try:
                source.backup(target)
            finally:
                target.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} is not a SQLite backup: {error}") from error
        finally:
            source.close()
    elif url.get_backend_name() == "postgresql":
        target_url, env = _libpq(url)
        result = subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                                 "--exit-on-error", "--dbname", target_url, str(path)],
                                env=env, capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"no restore method for {url.get_backend_name()}")
    from idea4gov.ideas import similar

    similar.forget()  # ids may have changed under the cached similarity indexes


@db_cli.command("backup")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write it; default instance/backups/idea4gov-<UTC time>.sqlite3|.dump")
def backup_command(out: Path | None) -> None:
    """Back up the database (SQLite online backup, or pg_dump custom format)."""
    try:
        path = backup(out)
    except BackupError as error:
        click.secho(str(error), fg="red", err=True)
        raise SystemExit(1) from error
    click.echo(f"backup written to {path} ({path.stat().st_size} bytes)")


@db_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace ALL data in the database with the backup at PATH."""
    if not yes:
        click.confirm(f"Replace every row in {_url().render_as_string()} with {path}?", abort=True)
    try:
        restore(path)
    except BackupError as error:
        click.secho(str(error), fg="red", err=True)
        raise SystemExit(1) from error
    click.echo(f"restored from {path}")
