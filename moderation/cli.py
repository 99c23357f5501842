"""``flask --app community moderation ...``"""
import click
from flask.cli import AppGroup

from community.services import accounts
from community.extensions import db

from .services import queue, spam

moderation_cli = AppGroup("moderation", help="Review queue and blocked words.")


@moderation_cli.command("blocked-words-starters")
@click.argument("admin_email")
def blocked_words_starters(admin_email):
    """Add the German and English starter list of blocked words (as ADMIN_EMAIL)."""
    admin = accounts.find_by_email(admin_email)
    if admin is None or admin.role != "admin":
        raise click.ClickException(f"No admin with e-mail {admin_email}.")
    added = spam.add_starters(admin)
    db.session.commit()
    click.echo(f"Added {len(added)} blocked words.")


@moderation_cli.command("queue")
def queue_size():
    """Print how many items wait in the review queue."""
    click.echo(f"{queue.open_count()} items wait for review.")

