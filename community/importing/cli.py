"""``flask --app community import threads``."""
import contextlib
import multiprocessing
import os

import click
from flask.cli import AppGroup

from .. import markup

import_cli = AppGroup("import", help="Import content from another forum.")


def _install(plugins):
    for plugin in plugins:
        markup.use(plugin)


POOL_FROM = 500   # texts to render at once that make starting the processes worth it


@contextlib.contextmanager
def _renderer(jobs):
    """``map`` for one job; for more, a pool of processes once a batch brings enough
    texts (rendering is most of an import). Started fresh ("spawn": forking a process
    that runs threads can deadlock the children), each with the renderer's plugins
    this app registered."""
    pool = None

    def mapper(fn, texts):
        nonlocal pool
        if jobs <= 1 or (pool is None and len(texts) < POOL_FROM):
            return map(fn, texts)
        if pool is None:
            pool = multiprocessing.get_context("spawn").Pool(
                jobs, initializer=_install, initargs=(tuple(markup._plugins),))
        return pool.imap(fn, texts, chunksize=64)
    try:
        yield mapper
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()


@import_cli.command("threads")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--map", "map_file", type=click.Path(dir_okay=False, writable=True),
              help="Write JSON Lines {external_id, thread_id} for every imported or "
                   "already present thread.")
@click.option("--batch", type=click.IntRange(min=1), default=500, show_default=True,
              help="Threads per database transaction.")
@click.option("--jobs", type=click.IntRange(min=1), default=min(4, os.cpu_count() or 1),
              show_default=True, help="Processes that render the texts (Markdown to HTML).")
@click.option("--index/--no-index", default=True, show_default=True,
              help="Make the imported threads searchable before the command ends "
                   "(otherwise the worker does it).")
def import_threads_command(file, map_file, batch, jobs, index):
    """Import threads from FILE, JSON Lines with one thread per line:

    \b
    {"external_id": "...", "category": "...", "title": "...", "body": "...",
     "author": {"name": "...", "email": "..."}, "created_at": "2024-03-01T09:30:00Z",
     "tags": ["..."], "replies": [{"body": "...", "author": {...}, "created_at": "...",
     "external_id": "...", "accepted": true}]}

    History is imported as it was written: the rules for new posts (lengths, links,
    rates, blocked words, holds) do not apply. Lines whose external_id is already
    there are skipped, so a file can be imported again. What had to be adapted is
    reported as a warning, lines that cannot be understood as rejected, both on stderr
    with their line number and field; the exit status is 1 when a line was rejected.
    """
    from .importer import import_threads, make_searchable

    with _renderer(jobs) as mapper:
        summary = import_threads(file, map_path=map_file, batch_size=batch, mapper=mapper)
    click.echo(str(summary))
    if index:
        click.echo("Indexing for search…")
        result = make_searchable()
        if result is None:
            click.echo("Search is switched off here: nothing to index.")
        elif result[1]:
            click.echo(f"{result[1]} index updates are still waiting: the worker applies "
                       "them (flask --app community worker).")
        else:
            click.echo("Searchable now.")
    if summary.rejected:
        raise SystemExit(1)
