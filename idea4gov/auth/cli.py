"""`flask users ...`: make staff accounts and grant or revoke roles from the command line."""
from __future__ import annotations

import secrets

import click
import sqlalchemy as sa
from flask.cli import AppGroup

users_cli = AppGroup("users", help="Accounts and staff roles.")

ROLE_NAMES = ["resident", "moderator", "officer", "organiser", "admin", "programme_viewer"]


def _fail(message: str) -> None:
    click.secho(message, fg="red", err=True)
    raise SystemExit(1)


def _area(slug: str | None):
    from idea4gov.areas.models import Area
    from idea4gov.extensions import db

    if slug is None:
        return None
    area = db.session.scalar(sa.select(Area).where(Area.slug == slug))
    if area is None:
        _fail(f"no area {slug!r}")
    return area


def _check_role_area(role: str, slug: str | None) -> None:
    if role in ("moderator", "officer", "organiser") and not slug:
        _fail(f"--area is required for the {role} role (admin and programme_viewer are global)")
    if role in ("admin", "programme_viewer", "resident") and slug:
        _fail(f"--area does not apply to the {role} role")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLE_NAMES), default="resident", show_default=True)
@click.option("--area", "slug", default=None, help="Area slug; required for moderator, officer, organiser "
              "(admin and programme_viewer are global).")
@click.option("--name", default=None, help="Display name (defaults to the part of the e-mail before @).")
@click.option("--password", envvar="IDEA4GOV_USER_PASSWORD", default=None,
              help="Password for a new account (or IDEA4GOV_USER_PASSWORD); a random one is printed if omitted.")
def create(email: str, role: str, slug: str | None, name: str | None, password: str | None) -> None:
    """Create an account (or use the existing one) and grant it ROLE in --area."""
    from email_validator import EmailNotValidError, validate_email

    from idea4gov.auth import services, staff
    from idea4gov.auth.models import Role
    from idea4gov.auth.passwords import MAX_LENGTH, MIN_LENGTH, is_common
    from idea4gov.extensions import db

    _check_role_area(role, slug)
    area = _area(slug)
    user = services.find_by_email(email)
    generated = None
    if user is None:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError as error:
            _fail(f"invalid e-mail: {error}")
        if password is None:
            password = generated = secrets.token_urlsafe(12)
        if not MIN_LENGTH <= len(password) <= MAX_LENGTH or is_common(password):
            _fail(f"password must be {MIN_LENGTH}–{MAX_LENGTH} characters and not a common one")
        user = services.register(email, name or email.split("@")[0], password)
    elif user.deleted_at is not None:
        _fail(f"{email} belongs to an erased account")
    try:
        changed = staff.grant(user, Role(role), area) if role != "resident" else False
        db.session.commit()
    except staff.RoleError as error:
        db.session.rollback()
        _fail(str(error))
    where = f" in {area.slug}" if area else ""
    click.echo(f"{user.email}: {role}{where}" + ("" if changed or role == "resident" else " (already held)"))
    if generated:
        click.echo(f"password (shown once): {generated}")


@users_cli.command("revoke")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLE_NAMES[1:]), required=True)
@click.option("--area", "slug", default=None, help="Area slug; required for staff roles.")
def revoke(email: str, role: str, slug: str | None) -> None:
    """Take ROLE in --area away from an account."""
    from idea4gov.auth import services, staff
    from idea4gov.auth.models import Role
    from idea4gov.extensions import db

    _check_role_area(role, slug)
    area = _area(slug)
    user = services.find_by_email(email)
    if user is None:
        _fail(f"no account {email!r}")
    changed = staff.revoke(user, Role(role), area)
    db.session.commit()
    click.echo(f"{user.email}: {role} revoked" if changed else f"{user.email} did not hold {role}")


@users_cli.command("list")
@click.option("--staff", is_flag=True, help="Only admins and people with a staff role.")
def list_users(staff: bool) -> None:
    """Print accounts with their roles, one per line."""
    from idea4gov.areas.models import Area
    from idea4gov.auth.models import Role, StaffRole, User
    from idea4gov.extensions import db

    roles: dict[int, list[str]] = {}
    for row in db.session.execute(sa.select(StaffRole.user_id, StaffRole.role, Area.slug).join(Area)):
        roles.setdefault(row.user_id, []).append(f"{row.role.value}@{row.slug}")
    query = sa.select(User).where(User.deleted_at.is_(None)).order_by(User.id)
    if staff:
        query = query.where(sa.or_(User.role.in_([Role.admin, Role.programme_viewer]),
                                   User.id.in_(list(roles) or [-1])))
    for user in db.session.scalars(query):
        labels = ([user.role.value] if user.may_view_programme else []) + roles.get(user.id, [])
        blocked = " blocked" if user.blocked_at else ""
        click.echo(f"{user.id}\t{user.email}\t{','.join(labels) or 'resident'}{blocked}")
