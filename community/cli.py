"""Command line: ``flask --app community users|categories|demo|import|worker|config``."""
import re

import click
from flask import current_app
from flask.cli import AppGroup

from . import config, outbox, outbox_claims
from . import worker as worker_loop
from .services import accounts, categories as category_service
from .errors import ValidationError
from .extensions import db

users_cli = AppGroup("users", help="Create accounts and API tokens.")
categories_cli = AppGroup("categories", help="Manage categories.")
config_cli = AppGroup("config", help="Show the settings.")


def _fail(error):
    details = "; ".join(f"{field}: {message}" for field, message in error.fields.items())
    raise click.ClickException(f"{error.message} {details}".strip())


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["customer", "moderator", "agent", "admin"]),
              default="customer", show_default=True)
@click.option("--password", required=True)
@click.option("--title", "staff_title", default=None, help="Staff title shown with posts.")
def create_user(email, name, role, password, staff_title):
    """Create a user with any role."""
    try:
        user = accounts.create_user(email, name, password, role=role, staff_title=staff_title)
    except ValidationError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="CLI", show_default=True, help="Name of the token.")
def create_token(email, name):
    """Print a new API token for the user with EMAIL."""
    user = accounts.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with e-mail {email}.")
    _, plaintext = accounts.create_token(user, name)
    db.session.commit()
    click.echo(plaintext)


@categories_cli.command("create")
@click.option("--name", required=True)
@click.option("--description", default="")
def create_category(name, description):
    """Add a category."""
    try:
        category = category_service.create_category(name, description)
    except ValidationError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"Created category {category.name} (/c/{category.slug}).")


@config_cli.command("docs")
def config_docs():
    """Print the settings table of docs/operations.md: the core's and each loaded feature's."""
    click.echo(config.markdown_table(current_app.extensions.get("forum_settings")))


def _kind_patterns(ctx, param, value):
    """``--kinds``/``--exclude-kinds``: comma-separated glob patterns (``*``, ``?``)."""
    if value is None:
        return None
    patterns = [pattern.strip() for pattern in value.split(",") if pattern.strip()]
    for pattern in patterns:
        # No [...] classes: the same pattern is matched by SQL LIKE in the claim.
        if not re.fullmatch(r"[\w.*?-]+", pattern):
            raise click.BadParameter(f"{pattern!r}: use letters, digits, '.', '_', '-', "
                                     "'*' (any characters) and '?' (one character)")
    if not patterns:
        raise click.BadParameter("give at least one pattern, e.g. 'bridge.*'")
    if param.name == "kinds":
        for pattern in patterns:
            if not outbox.known_kinds([pattern]):
                # A typo would leave this worker serving nothing, silently.
                raise click.BadParameter(f"no outbox kind matches {pattern!r} (kinds: "
                                         f"{', '.join(outbox.known_kinds(['*']))})")
    return patterns


@click.command("worker")
@click.option("--once", is_flag=True, help="Run what is due now, then exit.")
@click.option("--kinds", metavar="PATTERNS", callback=_kind_patterns,
              help="Serve only outbox rows of these kinds: comma-separated glob patterns, "
                   "e.g. 'bridge.*' for a worker of the helpdesk deliveries alone.")
@click.option("--exclude-kinds", metavar="PATTERNS", callback=_kind_patterns,
              help="Never serve rows of these kinds, e.g. 'bridge.*' when another worker "
                   "serves them.")
def worker(once, kinds, exclude_kinds):
    """Run outbox deliveries and periodic jobs; SIGTERM/SIGINT stop it after the current row."""
    problem = outbox_claims.database_problem()
    if problem:
        raise click.ClickException(problem)
    if not once:
        click.echo(f"Worker running (database {db.engine.url.render_as_string(hide_password=True)}"
                   f"{'; kinds ' + ','.join(kinds) if kinds else ''}"
                   f"{'; not ' + ','.join(exclude_kinds) if exclude_kinds else ''}; lease "
                   f"{current_app.config['OUTBOX_LEASE_SECONDS']:g} s).")
    worker_loop.work(once=once, kinds=kinds, exclude_kinds=exclude_kinds or ())
    if once:
        click.echo(f"Done; {outbox.pending_count()} rows still pending.")


def init_app(app):
    from .demo.cli import demo_cli
    from .importing.cli import import_cli
    for command in (users_cli, categories_cli, config_cli, demo_cli, import_cli, worker):
        app.cli.add_command(command)
