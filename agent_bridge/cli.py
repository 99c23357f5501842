"""``flask --app community bridge ...``"""
import click
from flask.cli import AppGroup

from community.extensions import db

from .services import escalation

bridge_cli = AppGroup("bridge", help="Escalation sweep of the agent bridge.")


@bridge_cli.command("sweep")
def sweep():
    """Open tickets for the unresolved threads whose window has passed (idempotent)."""
    opened = escalation.sweep()
    db.session.commit()
    for ticket in opened:
        click.echo(f"ticket {ticket.id}: thread {ticket.thread_id} ({ticket.reason}"
                   f"{', ' + ticket.reason_detail if ticket.reason_detail else ''})")
    click.echo(f"{len(opened)} threads escalated.")

