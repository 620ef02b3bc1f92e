"""`flask triage remind` (overdue digests to agencies) and `flask agencies ...` (create, add officers)."""
from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

triage_cli = AppGroup("triage", help="Officer triage.")
agencies_cli = AppGroup("agencies", help="Agencies (หน่วยงาน) of an area.")


def _fail(message: str) -> None:
    click.secho(message, fg="red", err=True)
    raise SystemExit(1)


def _area(slug: str):
    from idea4gov.areas.models import Area
    from idea4gov.extensions import db

    area = db.session.scalar(sa.select(Area).where(Area.slug == slug))
    if area is None:
        _fail(f"no area {slug!r}")
    return area


@triage_cli.command("remind")
@click.option("--area", "slug", default=None, help="Only this area (default: every area).")
def remind(slug: str | None) -> None:
    """E-mail each agency (its officers and its own address) a digest of its overdue ideas."""
    from idea4gov.areas.models import Area
    from idea4gov.extensions import db
    from idea4gov.triage.services.reminders import send_digests

    areas = [_area(slug)] if slug else list(db.session.scalars(sa.select(Area).order_by(Area.id)))
    total = {"agencies": 0, "ideas": 0, "mails": 0}
    for area in areas:
        counts = send_digests(area)
        for key in total:
            total[key] += counts[key]
    db.session.commit()  # the queued mails go out after this commit
    click.echo("reminded: {agencies} agencies about {ideas} overdue ideas, {mails} e-mails".format(**total))


@agencies_cli.command("create")
@click.option("--area", "slug", required=True, help="Area slug.")
@click.option("--name-en", default="", help="English name.")
@click.option("--email", default="", help="The agency's shared mailbox for digests.")
@click.argument("name_th")
def create(slug: str, name_th: str, name_en: str, email: str) -> None:
    """Create an agency NAME_TH in --area (does nothing if it exists)."""
    from idea4gov.extensions import db
    from idea4gov.triage.models import Agency
    from idea4gov.triage.services.agencies import save_agency

    area = _area(slug)
    if db.session.scalar(sa.select(Agency.id).where(Agency.area_id == area.id, Agency.name_th == name_th.strip())):
        click.echo(f"{name_th}: already exists in {area.slug}")
        return
    agency = save_agency(area, None, name_th, name_en, email)
    db.session.commit()
    click.echo(f"agency {agency.id}: {agency.name_th} in {area.slug}")


@agencies_cli.command("add-member")
@click.option("--area", "slug", required=True, help="Area slug.")
@click.argument("agency_name")
@click.argument("email")
def add_member(slug: str, agency_name: str, email: str) -> None:
    """Attach the officer EMAIL (officer role in --area required) to AGENCY_NAME."""
    from idea4gov.auth.services import find_by_email
    from idea4gov.extensions import db
    from idea4gov.ideas.services import ServiceError
    from idea4gov.triage.models import Agency
    from idea4gov.triage.services.agencies import add_member as add

    area = _area(slug)
    agency = db.session.scalar(sa.select(Agency).where(Agency.area_id == area.id, Agency.name_th == agency_name))
    user = find_by_email(email)
    if agency is None:
        _fail(f"no agency {agency_name!r} in {slug}")
    if user is None:
        _fail(f"no account {email!r}")
    try:
        changed = add(agency, user, None)
    except ServiceError:
        _fail(f"{email} is not an officer of {slug}: flask users create {email} --role officer --area {slug}")
    db.session.commit()
    click.echo(f"{email}: member of {agency.name_th}" + ("" if changed else " (already)"))
