"""`flask areas ...`: areas, themes and rounds without code (the same services as /admin/areas).

Output is UTF-8 whatever the terminal's locale says (Thai never turns into an encoding error),
and `list` pads its columns by display width, so Thai vowel and tone marks do not skew them.
"""
from __future__ import annotations

import json
import sys
import unicodedata
from datetime import time

import click
import sqlalchemy as sa
from flask.cli import AppGroup

areas_cli = AppGroup("areas", help="Areas (a hierarchy), their themes and rounds, without code.")

IAP2_CHOICES = ["inform", "consult", "involve", "collaborate", "empower"]


def _echo(text: str, err: bool = False, fg: str | None = None) -> None:
    """Print text; when the terminal cannot encode Thai, print UTF-8 bytes instead of failing."""
    stream = sys.stderr if err else sys.stdout
    try:
        text.encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        click.echo(text.encode("utf-8"), err=err)
        return
    click.secho(text, err=err, fg=fg)


def _fail(message: str) -> None:
    _echo(message, err=True, fg="red")
    raise SystemExit(1)


def _refused(error) -> None:  # noqa: ANN001
    """A service's refusal, in Thai (the source language), naming the option at fault."""
    from flask_babel import force_locale

    from idea4gov.areas.messages import service_message
    from idea4gov.extensions import db

    db.session.rollback()
    with force_locale("th"):
        text = service_message(error)
    option = f"--{error.field.replace('_', '-')}: " if error.field else ""
    _fail(f"{option}{text}")


def _area(slug: str):
    from idea4gov.areas.models import Area
    from idea4gov.extensions import db

    area = db.session.scalar(sa.select(Area).where(Area.slug == slug))
    if area is None:
        _fail(f"no area {slug!r} (flask areas list shows them)")
    return area


def width(text: str) -> int:
    """Columns the text takes on a terminal: combining marks (Thai vowels above and below, tone
    marks) take none, wide East Asian characters two."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def _pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def _details_options(command):  # noqa: ANN001, ANN202
    """Options shared by create and update."""
    for option in reversed([
        click.option("--name-th", default=None, help="Thai name."),
        click.option("--name-en", default=None, help="English name."),
        click.option("--description-th", default=None, help="Thai description."),
        click.option("--description-en", default=None, help="English description."),
        click.option("--iap2", "iap2_level", type=click.Choice(IAP2_CHOICES), default=None,
                     help="The level of participation promised (IAP2)."),
        click.option("--promise-th", default=None,
                     help="One paragraph: what happens with residents' input (default: the level's standard promise)."),
        click.option("--promise-en", default=None, help="The promise in English."),
    ]):
        command = option(command)
    return command


def _summary(area) -> str:  # noqa: ANN001
    level = f", IAP2 {area.iap2_level.value}" if area.iap2_level else ""
    return f"{area.slug}: {area.name_th} ({area.state}{level})"


@areas_cli.command("create")
@click.argument("slug")
@_details_options
@click.option("--parent", default=None, help="Slug of the area it belongs to (a municipality's province).")
@click.option("--closed", is_flag=True, help="Create it closed (open it later with `flask areas open`).")
def create(slug: str, parent: str | None, closed: bool, **details: str | None) -> None:
    """Create the area SLUG (lower-case letters, digits, hyphens; permanent)."""
    from idea4gov.areas import manage
    from idea4gov.extensions import db
    from idea4gov.service_errors import ServiceError

    if not details.get("name_th") or not details.get("name_en"):
        _fail("--name-th and --name-en are required")
    try:
        area = manage.create_area(slug, manage.input_from({**details, "parent": parent or ""}), None,
                                  is_open=not closed)
    except ServiceError as error:
        _refused(error)
    db.session.commit()
    _echo(f"created {_summary(area)}")


@areas_cli.command("update")
@click.argument("slug")
@_details_options
@click.option("--parent", default=None, help="Slug of the new parent area.")
@click.option("--top-level", is_flag=True, help="Take the area out from under its parent.")
@click.option("--moderation", type=click.Choice(["pre", "post"]), default=None, help="Moderation mode.")
@click.option("--auto-hide", type=int, default=None, help="Distinct reports that hide an item (1-100).")
@click.option("--days-to-first-answer", type=int, default=None, help="Days to the first answer (1-365).")
@click.option("--votes-follow-rounds/--votes-anytime", default=None, help="Votes only while a round is open.")
@click.option("--comments-follow-rounds/--comments-anytime", default=None,
              help="Comments only while a round is open.")
@click.option("--verified-to-vote/--anyone-votes", default=None,
              help="Only residents with a verified identity (ThaiD / Digital ID) vote.")
@click.option("--verified-to-post/--anyone-posts", default=None,
              help="Only residents with a verified identity post ideas.")
def update(slug: str, parent: str | None, top_level: bool, moderation: str | None, auto_hide: int | None,
           days_to_first_answer: int | None, votes_follow_rounds: bool | None, comments_follow_rounds: bool | None,
           verified_to_vote: bool | None, verified_to_post: bool | None, **details: str | None) -> None:
    """Change what is given of the area SLUG: names, parent, promise, settings (each change audited)."""
    from idea4gov.areas import manage
    from idea4gov.areas.settings import save_settings
    from idea4gov.extensions import db
    from idea4gov.service_errors import ServiceError

    if parent and top_level:
        _fail("--parent and --top-level exclude each other")
    area = _area(slug)
    settings = {name: value for name, value in {
        "moderation_mode": moderation, "auto_hide_reports": auto_hide, "days_to_first_answer": days_to_first_answer,
        "votes_follow_rounds": votes_follow_rounds, "comments_follow_rounds": comments_follow_rounds,
        "verified_to_vote": verified_to_vote, "verified_to_post": verified_to_post,
    }.items() if value is not None}
    try:
        changed = manage.update_area(area, manage.input_from(
            {**details, "parent": "" if top_level else parent}), None)
        changed += save_settings(area, None, **settings) if settings else []
    except ServiceError as error:
        _refused(error)
    db.session.commit()
    _echo(f"updated {_summary(area)}: {', '.join(changed) or 'nothing changed'}")


def _set_state(slug: str, change, done: str) -> None:  # noqa: ANN001
    from idea4gov.extensions import db
    from idea4gov.service_errors import ServiceError

    area = _area(slug)
    try:
        changed = change(area)
    except ServiceError as error:
        _refused(error)
    db.session.commit()
    _echo(f"{area.slug}: {done}" if changed else f"{area.slug}: already {area.state}")


@areas_cli.command("close")
@click.argument("slug")
def close(slug: str) -> None:
    """Close the area SLUG to new ideas (what it has stays readable)."""
    from idea4gov.areas import manage

    _set_state(slug, lambda area: manage.set_open(area, False, None), "closed")


@areas_cli.command("open")
@click.argument("slug")
def open_(slug: str) -> None:
    """Open the area SLUG to new ideas."""
    from idea4gov.areas import manage

    _set_state(slug, lambda area: manage.set_open(area, True, None), "open")


@areas_cli.command("archive")
@click.argument("slug")
@click.option("--reason", default="", help="Why (kept in the audit log).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def archive(slug: str, reason: str, yes: bool) -> None:
    """Archive the area SLUG: read-only everywhere, nothing deleted (undo with `unarchive`)."""
    from idea4gov.areas import manage

    if not yes:
        click.confirm(f"Archive {slug}? It becomes read-only (no ideas, votes or comments)", abort=True)
    _set_state(slug, lambda area: manage.archive(area, None, reason), "archived (read-only)")


@areas_cli.command("unarchive")
@click.argument("slug")
def unarchive(slug: str) -> None:
    """Take the area SLUG out of the archive; it comes back closed."""
    from idea4gov.areas import manage

    _set_state(slug, lambda area: manage.unarchive(area, None), "unarchived, closed (open it when ready)")


@areas_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per area, for scripts.")
@click.option("--no-archived", is_flag=True, help="Leave archived areas out.")
def list_areas(as_json: bool, no_archived: bool) -> None:
    """Print every area as a tree: slug, state, IAP2 level, ideas (with sub-areas), open round, name."""
    from idea4gov.areas import rounds, tree
    from idea4gov.timeutil import to_bangkok

    rows = tree.outline("th", include_archived=not no_archived)
    counts = tree.tree_counts()
    by_area = rounds.rounds_of_areas([row.area.id for row in rows])
    slugs = {row.area.id: row.area.slug for row in rows}
    lines = []
    for row in rows:
        area = row.area
        current = rounds.area_rounds(area, by_area[area.id]).current
        open_round = f"{current[0].title_th} (to {to_bangkok(current[0].closes_at):%Y-%m-%d %H:%M})" if current else ""
        if as_json:
            lines.append(json.dumps({
                "slug": area.slug, "parent": slugs.get(area.parent_id), "depth": row.depth, "status": area.state,
                "iap2_level": area.iap2_level.value if area.iap2_level else None, "ideas": counts.ideas.get(area.id, 0),
                "open_round": current[0].title_th if current else None, "name_th": area.name_th,
                "name_en": area.name_en}, ensure_ascii=False))
        else:
            lines.append([("  " * row.depth) + area.slug, area.state, area.iap2_level.value if area.iap2_level else "-",
                          str(counts.ideas.get(area.id, 0)), open_round or "-", f"{area.name_th} / {area.name_en}"])
    if as_json:
        for line in lines:
            _echo(line)
        return
    if not lines:
        _echo("no areas yet: flask areas create SLUG --name-th ... --name-en ...")
        return
    header = ["SLUG", "STATE", "IAP2", "IDEAS", "OPEN ROUND", "NAME"]
    widths = [max(width(line[i]) for line in [header, *lines]) for i in range(len(header) - 1)]
    for line in [header, *lines]:
        _echo("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(line[:-1])) + "  " + line[-1])


@areas_cli.command("add-theme")
@click.argument("slug")
@click.option("--title-th", required=True, help="Thai title of the theme (โจทย์).")
@click.option("--title-en", required=True, help="English title.")
@click.option("--theme-slug", default="", help="The theme's slug (default: made from the English title).")
def add_theme(slug: str, title_th: str, title_en: str, theme_slug: str) -> None:
    """Add an open theme to the area SLUG."""
    from idea4gov.areas import themes
    from idea4gov.extensions import db
    from idea4gov.service_errors import ServiceError

    area = _area(slug)
    try:
        theme = themes.add_theme(area, title_th, title_en, None, theme_slug)
    except ServiceError as error:
        _refused(error)
    db.session.commit()
    _echo(f"theme {theme.slug} added to {area.slug}: {theme.title_th}")


@areas_cli.command("add-round")
@click.argument("slug")
@click.option("--title-th", required=True, help="Thai title of the round.")
@click.option("--title-en", required=True, help="English title.")
@click.option("--opens", required=True, help="Opening, Bangkok time: 2026-12-01 or 2026-12-01 09:00 (2569 works).")
@click.option("--closes", required=True, help="Closing, Bangkok time; a bare date closes at 23:59:59 that day.")
@click.option("--theme", "theme_slugs", multiple=True, required=True, help="A theme slug of the area (repeat).")
def add_round(slug: str, title_th: str, title_en: str, opens: str, closes: str, theme_slugs: tuple[str, ...]) -> None:
    """Add a round (รอบรับฟังความคิดเห็น) to the area SLUG: its themes take ideas only between its dates."""
    from idea4gov.areas import schedule
    from idea4gov.extensions import db
    from idea4gov.service_errors import ServiceError
    from idea4gov.timeutil import parse_bangkok, to_bangkok

    area = _area(slug)
    try:
        opens_at, closes_at = parse_bangkok(opens, day_time=time.min), parse_bangkok(closes, end_of_day=True)
    except ValueError as error:
        _fail(f"--opens/--closes: {error}")
    try:
        round_ = schedule.save_round(area, schedule.RoundInput(
            title_th, title_en, opens_at, closes_at, schedule.theme_ids_by_slug(area, list(theme_slugs))), None)
    except ServiceError as error:
        _refused(error)
    db.session.commit()
    _echo(f"round {round_.id} added to {area.slug}: {round_.title_th}, "
          f"{to_bangkok(round_.opens_at):%Y-%m-%d %H:%M} – {to_bangkok(round_.closes_at):%Y-%m-%d %H:%M} (Bangkok)")
