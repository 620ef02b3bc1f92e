"""`flask seed demo`: the three pilot areas (under their provinces, with promises and rounds) with demo
residents, ideas, votes and comments."""
from __future__ import annotations

import click
from flask.cli import AppGroup

seed_cli = AppGroup("seed", help="Load demo data.")

#: Password of every demo resident (documented in the README; demo data only).
DEMO_PASSWORD = "idea4gov-demo-2567"


@seed_cli.command("demo")
@click.option("--password", default=DEMO_PASSWORD, show_default=True, help="Password for the demo residents.")
def demo(password: str) -> None:
    """Create the pilot areas with realistic Thai demo data; safe to run twice."""
    from idea4gov.extensions import db
    from idea4gov.seed.services import seed_demo

    try:
        counts = seed_demo(password)
        db.session.commit()
    except Exception as error:  # noqa: BLE001 - report any failure as one red line
        db.session.rollback()
        click.secho(f"seed failed: {error}", fg="red", err=True)
        raise SystemExit(1) from error
    click.echo(
        "seeded: {areas} areas, {themes} new themes, {rounds} new rounds, {users} new accounts, {ideas} new ideas, "
        "{votes} new votes, {comments} new comments, {points} new idea points, {projects} new projects, "
        "{events} new events".format(**counts)
    )
