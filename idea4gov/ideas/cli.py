"""`flask ideas import FILE.csv --area SLUG [--dry-run]`: ideas typed in from paper forms."""
from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

ideas_cli = AppGroup("ideas", help="Ideas: bulk import.")

#: Row errors printed before "... and N more".
MAX_ERRORS_SHOWN = 50


def _fail(message: str) -> None:
    click.secho(message, fg="red", err=True)
    raise SystemExit(1)


@ideas_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--area", "slug", required=True, help="Slug of the area the ideas belong to.")
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
def import_command(file: Path, slug: str, dry_run: bool) -> None:
    """Import ideas from a UTF-8 CSV (title, body, theme[, place_name, author_name, submitted_at]); all or nothing."""
    from idea4gov.areas.models import Area
    from idea4gov.audit import services as audit
    from idea4gov.extensions import db
    from idea4gov.ideas import importer, similar

    area = db.session.scalar(sa.select(Area).where(Area.slug == slug))
    if area is None:
        _fail(f"no area {slug!r}")
    try:
        if file.stat().st_size > importer.MAX_BYTES:
            _fail(f"{file}: {file.stat().st_size:,} bytes; the limit is {importer.MAX_BYTES:,} (split the file)")
        raw = file.read_bytes()
    except OSError as error:
        _fail(f"{file}: {error.strerror or error}")
    try:
        result = importer.import_ideas(area, raw, dry_run=dry_run)
    except importer.ImportFileError as error:
        db.session.rollback()
        _fail(f"{file}: {error}; nothing imported")
    if result.errors:
        db.session.rollback()
        similar.forget(area)  # the in-process index may have seen ideas that were rolled back
        for error in result.errors[:MAX_ERRORS_SHOWN]:
            click.secho(str(error), fg="red", err=True)
        if len(result.errors) > MAX_ERRORS_SHOWN:
            click.secho(f"... and {len(result.errors) - MAX_ERRORS_SHOWN} more", fg="red", err=True)
        _fail(f"{len(result.errors)} errors in {result.rows} rows; nothing imported")
    if dry_run:
        db.session.rollback()
        click.echo(f"dry run: {result.rows} rows valid for {area.slug}; nothing written")
        return
    if not result.created:
        _fail(f"{file}: no rows to import")
    audit.record(None, "import_ideas", "area", area.id, area_id=area.id, after=len(result.created),
                 reason=file.name)
    db.session.commit()
    ids = [idea.id for idea in result.created]
    click.echo(f"imported {len(ids)} ideas into {area.slug} (ids {min(ids)}–{max(ids)})")
