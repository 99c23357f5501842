"""``flask --app community import threads``."""
import click
from flask.cli import AppGroup

import_cli = AppGroup("import", help="Import content from another forum.")


@import_cli.command("threads")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--map", "map_file", type=click.Path(dir_okay=False, writable=True),
              help="Write JSON Lines {external_id, thread_id} for every imported or "
                   "already present thread.")
@click.option("--batch", type=click.IntRange(min=1), default=200, show_default=True,
              help="Lines per database commit.")
def import_threads_command(file, map_file, batch):
    """Import threads from FILE, JSON Lines with one thread per line:

    \b
    {"external_id": "...", "category": "...", "title": "...", "body": "...",
     "author": {"name": "...", "email": "..."}, "created_at": "2024-03-01T09:30:00Z",
     "tags": ["..."], "replies": [{"body": "...", "author": {...}, "created_at": "..."}]}

    Lines whose external_id is already there are skipped, so a file can be imported
    again. Bad lines are reported on stderr with their number and skipped; the exit
    status is 1 when any line failed.
    """
    from .importer import import_threads

    summary = import_threads(file, map_path=map_file, batch_size=batch)
    click.echo(f"Imported {summary.imported} threads ({summary.replies} replies), skipped "
               f"{summary.skipped} already there, failed {summary.failed}.")
    if summary.failed:
        raise SystemExit(1)
