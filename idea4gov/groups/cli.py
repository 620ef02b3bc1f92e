"""`flask grouping recompute [--area SLUG]`: rebuild groups of similar ideas, never in a request;
`flask grouping place`: place ideas still waiting for the worker."""
from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

grouping_cli = AppGroup("grouping", help="Groups of similar ideas and the issues inside them.")


@grouping_cli.command("recompute")
@click.option("--area", "slug", default=None, help="Only this area (slug); all areas by default.")
def recompute(slug: str | None) -> None:
    """Regroup the published ideas of every area (or one) from their stored words: topics and the
    issues inside them (officers' issue decisions are kept)."""
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
    totals = {"ideas": 0, "groups": 0, "grouped": 0, "issues": 0}
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
               f"{totals['grouped']} ideas in groups, {totals['issues']} issues")


@grouping_cli.command("enqueue")
@click.option("--area", "slug", default=None, help="Only this area (slug); all areas by default.")
def enqueue(slug: str | None) -> None:
    """Queue a regroup of every area (or one) for the RQ worker (e.g. from cron)."""
    from idea4gov import jobs
    from idea4gov.areas.models import Area
    from idea4gov.extensions import db

    query = sa.select(Area).order_by(Area.id)
    if slug:
        query = query.where(Area.slug == slug)
    areas = list(db.session.scalars(query))
    if not areas:
        click.secho(f"no area {slug!r}" if slug else "no areas yet", fg="red", err=True)
        raise SystemExit(1)
    if jobs.redis_connection() is None:
        click.secho("REDIS_URL is not set: background jobs are off; run `flask grouping recompute` instead",
                    fg="red", err=True)
        raise SystemExit(1)
    for area in areas:
        job = jobs.enqueue_regroup(area.id)
        click.echo(f"{area.slug}: queued as {job.id}")
    click.echo(f"queued {len(areas)} regroups on Redis; a `flask jobs worker` runs them")


@grouping_cli.command("place")
@click.option("--area", "slug", default=None, help="Only this area (slug); all areas by default.")
def place(slug: str | None) -> None:
    """Place the published ideas still waiting for their group and issue (the worker was down and
    its queue lost, or a process stopped before its work after the response), against every idea
    published now."""
    from idea4gov.areas.models import Area
    from idea4gov.extensions import db
    from idea4gov.groups.services import place_published_job
    from idea4gov.ideas.models import Idea

    query = sa.select(Idea.id).where(Idea.awaiting_placement.is_(True)).order_by(Idea.id)
    if slug:
        area_id = db.session.scalar(sa.select(Area.id).where(Area.slug == slug))
        if area_id is None:
            click.secho(f"no area {slug!r}", fg="red", err=True)
            raise SystemExit(1)
        query = query.where(Idea.area_id == area_id)
    waiting = list(db.session.scalars(query))
    placed = sum(place_published_job(idea_id) for idea_id in waiting)
    click.echo(f"{len(waiting)} ideas were waiting: {placed} placed, {len(waiting) - placed} left as they were "
               f"(no longer public, or placed meanwhile)")


jobs_cli = AppGroup("jobs", help="Background jobs (RQ on Redis).")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Run what is queued, then exit.")
def worker(burst: bool) -> None:
    """Run an RQ worker for this app's queue (needs REDIS_URL)."""
    from flask import current_app

    from idea4gov import jobs

    if not current_app.config.get("REDIS_URL"):
        click.secho("REDIS_URL is not set: background jobs are off", fg="red", err=True)
        raise SystemExit(1)
    jobs.run_worker(current_app._get_current_object(), burst=burst)
