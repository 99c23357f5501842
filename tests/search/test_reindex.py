"""``flask --app community search reindex`` and ``search check``, with either backend."""
import shutil
from contextlib import contextmanager

import pytest
from webtest import TestApp

from community import outbox
from community.errors import Conflict
from community.extensions import db
from community.services import threads
from search.engine import backends, index, pg_index, rebuild
from search.models import SearchDocument, SearchTerm, SearchTotal
from tests.conftest import isolated

from .helpers import only_backend, titles


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args):
        return runner.invoke(args=["search", *args], catch_exceptions=False)
    return run


@pytest.fixture
def many(make_category, make_thread):
    category = make_category()
    return [make_thread(category=category, title=f"Printer driver question {n}",
                        body="The printer driver does not install.") for n in range(12)]


def lose_index(backend):
    """The index is gone (a deleted folder, tables emptied by hand)."""
    if backend == "whoosh":
        shutil.rmtree(index.root())
        return
    for model in (SearchDocument, SearchTerm, SearchTotal):
        db.session.execute(db.delete(model))
    db.session.commit()


def reindex_in_batches(backend, progress, batch):
    module = rebuild if backend == "whoosh" else pg_index
    return module.reindex(progress=progress, batch=batch)


@contextmanager
def rebuild_running(backend):
    """Another process holds the rebuild lock."""
    if backend == "postgres":
        with pg_index._rebuild_lock():
            yield
        return
    lock = rebuild._rebuild_lock(index.root())
    try:
        yield
    finally:
        lock.close()


def test_reindex_rebuilds_what_the_database_has(cli, many, search, worker):
    worker()
    result = cli("reindex")
    assert result.exit_code == 0
    assert "Indexing threads" in result.output and "Indexed 12 threads" in result.output
    assert len(titles(search("printer driver"))) == 12
    assert cli("check").exit_code == 0


@only_backend("whoosh")
def test_reindex_builds_a_fresh_generation_and_swaps_it_in(app, cli, many, search, worker):
    worker()
    before = index.live_generation()
    assert cli("reindex").exit_code == 0
    after = index.live_generation()
    assert after != before and after.is_dir()
    assert len(titles(search("printer driver"))) == 12
    cli("reindex")
    generations = sorted(p.name for p in index.root().glob("gen-*"))
    assert generations == sorted([after.name, index.live_generation().name])  # one kept for readers


def test_reindex_restores_a_lost_index(cli, many, search, worker, backend):
    worker()
    lose_index(backend)
    assert titles(search("printer")) == []
    assert cli("reindex").exit_code == 0
    assert len(titles(search("printer"))) == 12


def test_searches_during_a_reindex_never_come_back_empty_and_updates_are_kept(
        app, many, make_thread, worker, backend):
    worker()
    reader = TestApp(isolated(app))
    seen, added = [], []

    def progress(done):
        # In the middle of the rebuild: people search, and the worker indexes a new thread.
        seen.append(len(titles(reader.get("/search", {"q": "printer driver"}))))
        if not added:
            added.append(make_thread(title="Scanner driver is missing"))
            outbox.drain()

    reindex_in_batches(backend, progress, batch=5)
    assert seen == [12, 12, 12]
    assert titles(reader.get("/search", {"q": "scanner"})) == ["Scanner driver is missing"]
    assert backends.current().check().ok


def test_a_second_rebuild_at_the_same_time_is_refused(app, many, backend):
    with rebuild_running(backend):
        with pytest.raises(Conflict):
            backends.current().reindex()
        result = app.test_cli_runner().invoke(args=["search", "reindex"])
        assert result.exit_code == 1 and "Another rebuild" in result.output


def test_check_reports_missing_stale_and_extra_threads_and_fix_mends_them(
        cli, many, make_thread, moderator, worker, backend):
    worker()
    result = cli("check")
    assert result.exit_code == 0 and "The index matches the database." in result.output
    # Changes the index never heard of (outbox rows lost, or written around the application).
    missing = make_thread(title="Never indexed")
    stale, extra = many[0], many[1]
    db.session.execute(db.delete(outbox.OutboxMessage))
    db.session.execute(db.delete(SearchDocument).where(SearchDocument.thread_id == missing.id))
    stale.title = "Renamed behind the index's back"
    threads.get_post(extra.first_post_id).visibility = "deleted"
    extra.visibility = "deleted"
    db.session.commit()
    result = cli("check")
    assert result.exit_code == 1
    assert f"1 missing: {missing.id}" in result.output
    assert f"1 stale: {stale.id}" in result.output
    assert f"1 not visible but indexed: {extra.id}" in result.output
    result = cli("check", "--fix")
    assert ("Queued 3 updates" if backend == "whoosh" else "Updated 3 threads") in result.output
    worker()
    assert cli("check").exit_code == 0


def test_the_worker_builds_a_missing_index_when_there_are_threads(many, backend):
    if backend == "postgres":
        lose_index(backend)   # data written without events (demo generate, a database copy)
    assert backends.current().is_empty()
    db.session.execute(db.delete(outbox.OutboxMessage))
    db.session.commit()
    outbox.run_periodic(force=True)
    assert backends.current().check().indexed == 12



@only_backend("whoosh")
@pytest.mark.database_file     # the processes open connections of their own
def test_a_reindex_in_two_processes_builds_the_same_index(cli, many, make_reply, search,
                                                          worker):
    make_reply(many[3], body="The driver CD is scratched.")
    worker()
    before = {t: titles(search(t)) for t in ("printer driver", "scratched", "printr")}
    result = cli("reindex", "--processes", "2")
    assert result.exit_code == 0 and "Indexed 12 threads" in result.output
    assert {t: titles(search(t)) for t in before} == before
    assert cli("check").exit_code == 0
