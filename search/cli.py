"""``flask --app community search reindex|check``."""
import os

import click
from flask.cli import AppGroup

from community.errors import Conflict
from community.extensions import db

from .engine import backends
from .services import documents, updates

search_cli = AppGroup("search", help="Rebuild and check the search index.")
SHOWN = 20


@search_cli.command("reindex")
@click.option("--processes", type=click.IntRange(1, 16), default=min(4, os.cpu_count() or 1),
              show_default=True, help="Processes that index a share of the threads each "
                                      "(Whoosh backend).")
def reindex(processes):
    """Rebuild the index from the database; searches keep being answered meanwhile
    (Whoosh: from the live index until the new one replaces it)."""
    total = documents.visible_thread_count()
    try:
        with click.progressbar(length=total, label="Indexing threads", show_pos=True,
                               show_eta=True) as bar:
            count = backends.current().reindex(progress=bar.update, processes=processes)
    except Conflict as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Indexed {count} threads into {backends.current().location()}.")


@search_cli.command("check")
@click.option("--fix", is_flag=True, help="Queue index updates for the threads found wrong.")
def check(fix):
    """Report threads missing from the index, stale in it, or in it though not visible."""
    report = backends.current().check()
    click.echo(f"{report.visible} visible threads, {report.indexed} in the index.")
    for label, ids in (("missing", report.missing), ("stale", report.stale),
                       ("not visible but indexed", report.extra)):
        if ids:
            shown = ", ".join(str(i) for i in ids[:SHOWN]) + (" …" if len(ids) > SHOWN else "")
            click.echo(f"{len(ids)} {label}: {shown}")
    if report.ok:
        click.echo("The index matches the database.")
        return
    if fix:
        updates.changed(*report.wrong)
        db.session.commit()
        if backends.current().synchronous:
            click.echo(f"Updated {len(report.wrong)} threads in the index.")
        else:
            click.echo(f"Queued {len(report.wrong)} updates for the worker.")
    click.get_current_context().exit(1)
