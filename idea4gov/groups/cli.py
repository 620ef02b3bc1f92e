"""`flask grouping recompute [--area SLUG]`: rebuild groups of similar ideas, never in a request."""
from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

grouping_cli = AppGroup("grouping", help="Groups of similar ideas.")


@grouping_cli.command("recompute")
@click.option("--area", "slug", default=None, help="Only this area (slug); all areas by default.")
def recompute(slug: str | None) -> None:
    """Regroup the published ideas of every area (or one) from their stored words."""
    from idea4gov.areas.models import Area
    from idea4gov.extensions import db
    from idea4gov.groups.services import recompute_area
    from idea4gov.ideas import similar

    query = sa.select(Area).order_by(Area.id)
    if slug:
        query = query.where(Area.slug == slug)
    areas = list(db.session.scalars(query))
    if not areas:
        click.secho(f"no area {slug!r}" if slug else "no areas yet: run `flask seed demo` first", fg="red", err=True)
        raise SystemExit(1)
    totals = {"ideas": 0, "groups": 0, "grouped": 0}
    with click.progressbar(areas, label="regrouping", item_show_func=lambda a: a.slug if a else "") as bar:
        for area in bar:
            try:
                counts = recompute_area(area)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - one red line, then a non-zero exit
                db.session.rollback()
                click.secho(f"\n{area.slug}: regrouping failed: {error}", fg="red", err=True)
                raise SystemExit(1) from error
            similar.forget(area)
            for key in totals:
                totals[key] += counts[key]
    click.echo(f"regrouped {len(areas)} areas: {totals['ideas']} ideas, {totals['groups']} groups, "
               f"{totals['grouped']} ideas in groups")
