"""`flask events remind`: the reminder before each event (run hourly from cron)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

events_cli = AppGroup("events", help="Events (hackathons, workshops, forums).")


@events_cli.command("remind")
@click.option("--hours", default=48, show_default=True, type=click.IntRange(1, 24 * 14),
              help="Remind participants of events starting within this many hours.")
def remind(hours: int) -> None:
    """E-mail (and notify in-app) each accepted participant once before their event starts."""
    from idea4gov.events.services.reminders import due_events, remind_event
    from idea4gov.extensions import db

    total = events = 0
    for event in due_events(hours):
        sent = remind_event(event)
        total += sent
        events += 1 if sent else 0
    db.session.commit()  # the queued mails go out after this commit
    click.echo(f"reminded: {total} participants of {events} events starting within {hours} hours")
