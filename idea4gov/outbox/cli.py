"""`flask outbox deliver` (now, or from cron) and `flask outbox status`."""
from __future__ import annotations

import click
from flask.cli import AppGroup

outbox_cli = AppGroup("outbox", help="Messages waiting to go out (e-mail, later LINE).")


@outbox_cli.command("deliver")
def deliver() -> None:
    """Deliver every message whose time has come (what the background worker does)."""
    from idea4gov.outbox import services

    totals = services.deliver_due()
    click.echo(f"sent {totals['sent']}, to retry {totals['retry']}, failed {totals['failed']}")


@outbox_cli.command("status")
def status() -> None:
    """Count messages by status."""
    from idea4gov.outbox import services

    counts = services.counts()
    click.echo(", ".join(f"{name} {count}" for name, count in counts.items()))
    if counts["failed"]:
        click.secho(f"{counts['failed']} messages failed: see /admin/outbox", fg="red")
