"""`flask shortlists export ID --format csv|xlsx|json --out FILE`."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

shortlists_cli = AppGroup("shortlists", help="Hackathon shortlists.")


@shortlists_cli.command("export")
@click.argument("shortlist_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
def export_command(shortlist_id: int, fmt: str, out: Path) -> None:
    """Write a shortlist, with its ranking and scores, as CSV (UTF-8 with BOM), XLSX or JSON."""
    from idea4gov.extensions import db
    from idea4gov.shortlists import export
    from idea4gov.shortlists.models import Shortlist

    shortlist = db.session.get(Shortlist, shortlist_id)
    if shortlist is None:
        click.secho(f"no shortlist {shortlist_id}", fg="red", err=True)
        raise SystemExit(1)
    from idea4gov.links import base_url

    body = export.render(shortlist, fmt, base_url())
    try:
        out.write_bytes(body)
    except OSError as error:
        click.secho(f"{out}: {error.strerror or error}", fg="red", err=True)
        raise SystemExit(1) from error
    click.echo(f"wrote {out} ({fmt}, {len(shortlist.items)} ideas, {len(body):,} bytes)")
