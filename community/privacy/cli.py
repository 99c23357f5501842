"""Commands for operators: ``flask --app community users export EMAIL --output FILE``,
``users erase EMAIL --reason TEXT``, ``privacy report`` and ``privacy purge``."""
import os

import click
from flask.cli import AppGroup

from . import exports as privacy_exports
from . import retention as privacy_retention
from ..cli import users_cli
from ..errors import ServiceError
from ..extensions import db
from ..services import accounts, privacy

privacy_cli = AppGroup("privacy", help="What is held about members, and for how long.")


def _member(email):
    user = accounts.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with e-mail {email}.")
    return user


@click.command("export")
@click.argument("email")
@click.option("--output", required=True, type=click.Path(dir_okay=False),
              help="Where to write the ZIP (readable by its owner only).")
def export_user(email, output):
    """Write everything held about the member with EMAIL to a ZIP (as "Download my data")."""
    user = _member(email)
    data = privacy_exports.zip_bytes(user)
    descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    privacy.log("export", user=user, source="cli")
    db.session.commit()
    click.echo(f"Wrote the data of {email} to {output} ({len(data):,} bytes).")


@click.command("erase")
@click.argument("email")
@click.option("--reason", required=True, help="Why (kept in the record; never the data).")
@click.option("--delete-posts", is_flag=True, help="Replace the member's posts by a tombstone "
                                                   "and purge their earlier versions.")
@click.option("--spam", is_flag=True, help="A spam account: its posts are deleted too.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_user(email, reason, delete_posts, spam, yes):
    """Erase the member with EMAIL: anonymise the account everywhere (docs/privacy.md)."""
    user = _member(email)
    if not yes:
        click.confirm(f"Erase {user.name} <{email}> for good"
                      f"{' with their posts' if delete_posts or spam else ''}?", abort=True)
    try:
        entry = privacy.erase(user, None, reason, delete_posts=delete_posts, spam=spam)
    except ServiceError as error:
        details = "; ".join(f"{field}: {message}" for field, message in error.fields.items())
        raise click.ClickException(f"{error.message} {details}".strip())
    db.session.commit()
    done = ", ".join(f"{what} {n}" for what, n in sorted(entry.details.items())
                     if isinstance(n, int))
    click.echo(f"Erased account {user.id}, now “{user.name}” ({entry.details['mode']}"
               f"{'; ' + done if done else ''}).")


def _age(oldest):
    days = privacy_retention.age_in_days(oldest)
    return "–" if days is None else f"{days} d"


@privacy_cli.command("report")
def report():
    """What is held, how old the oldest of each kind is, and how long it may be kept."""
    rows = [("What", "Rows", "Oldest", "Kept")]
    for rule, count, oldest in privacy_retention.report():
        rows.append((str(rule.title), f"{count:,}", _age(oldest), f"{rule.days()} d"))
    for title, count, oldest in privacy_retention.totals():
        rows.append((title, f"{count:,}", _age(oldest), "until erased"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) if i == 0 else cell.rjust(width)
                             for i, (cell, width) in enumerate(zip(row, widths))))


@privacy_cli.command("purge")
def purge():
    """Run every retention job now (the worker runs them every hour)."""
    for rule in privacy.retention_rules():
        if rule.job:
            changed = rule.purge(rule.cutoff())
            db.session.commit()
            click.echo(f"{rule.name}: {changed} rows deleted or cut down")


def init_app(app):
    users_cli.add_command(export_user)
    users_cli.add_command(erase_user)
    app.cli.add_command(privacy_cli)
