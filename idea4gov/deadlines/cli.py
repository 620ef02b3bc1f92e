"""`flask holidays load|list`: the holiday calendar behind working-day deadlines."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

holidays_cli = AppGroup("holidays", help="The holiday calendar (working-day deadlines).")


@holidays_cli.command("load")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A CSV like idea4gov/deadlines/data/holidays_th.csv (default: the shipped list).")
def load(path: Path | None) -> None:
    """Add the days of the shipped list (or FILE) that the calendar does not have yet."""
    from idea4gov.deadlines import services
    from idea4gov.extensions import db

    try:
        added = services.load_shipped(path or services.HOLIDAYS_FILE)
    except (KeyError, ValueError) as error:
        db.session.rollback()
        click.secho(f"cannot read the holiday list: {error}", fg="red", err=True)
        raise SystemExit(1) from error
    db.session.commit()
    click.echo(f"holidays: {added} days added")


@holidays_cli.command("list")
@click.option("--year", type=int, default=None, help="Year, Buddhist era (2569) or CE (2026); default this year.")
def list_days(year: int | None) -> None:
    """Print the calendar's days off of one year, one per line."""
    from idea4gov.deadlines import services
    from idea4gov.timeutil import BUDDHIST_ERA_OFFSET, to_bangkok, utcnow

    year = year or to_bangkok(utcnow()).year
    if year > 2400:
        year -= BUDDHIST_ERA_OFFSET
    for row in services.holidays_in(year):
        state = "" if row.is_active else "\t(removed: a working day)"
        click.echo(f"{row.day.isoformat()}\t{row.kind.value}\t{row.name_th}\t{row.name_en}{state}")
