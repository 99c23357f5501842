"""``flask --app community search reindex`` and ``search check``."""
import shutil

import pytest
from webtest import TestApp

from community import outbox
from community.services import threads
from community.errors import Conflict
from community.extensions import db
from search.engine import index, rebuild
from tests.conftest import isolated

from .helpers import titles


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


def test_reindex_builds_a_fresh_generation_and_swaps_it_in(app, cli, many, search, worker):
    worker()
    before = index.live_generation()
    result = cli("reindex")
    assert result.exit_code == 0
    assert "Indexing threads" in result.output and "Indexed 12 threads" in result.output
    after = index.live_generation()
    assert after != before and after.is_dir()
    assert len(titles(search("printer driver"))) == 12
    cli("reindex")
    generations = sorted(p.name for p in index.root().glob("gen-*"))
    assert generations == sorted([after.name, index.live_generation().name])  # one kept for readers


def test_reindex_restores_a_deleted_index(cli, many, search, worker):
    worker()
    shutil.rmtree(index.root())
    assert titles(search("printer")) == []
    assert cli("reindex").exit_code == 0
    assert len(titles(search("printer"))) == 12


def test_searches_during_a_reindex_never_come_back_empty_and_updates_are_kept(
        app, many, make_thread, worker):
    worker()
    reader = TestApp(isolated(app))
    seen, added = [], []

    def progress(done):
        # In the middle of the rebuild: people search, and the worker indexes a new thread.
        seen.append(len(titles(reader.get("/search", {"q": "printer driver"}))))
        if not added:
            added.append(make_thread(title="Scanner driver is missing"))
            outbox.drain()

    rebuild.reindex(progress=progress, batch=5)
    assert seen == [12, 12, 12]
    assert titles(reader.get("/search", {"q": "scanner"})) == ["Scanner driver is missing"]
    assert rebuild.check().ok


def test_a_second_rebuild_at_the_same_time_is_refused(app, many):
    lock = rebuild._rebuild_lock(index.root())
    try:
        with pytest.raises(Conflict):
            rebuild.reindex()
        result = app.test_cli_runner().invoke(args=["search", "reindex"])
        assert result.exit_code == 1 and "Another rebuild" in result.output
    finally:
        lock.close()


def test_check_reports_missing_stale_and_extra_threads_and_fix_queues_them(
        cli, many, make_thread, moderator, worker):
    worker()
    result = cli("check")
    assert result.exit_code == 0 and "The index matches the database." in result.output
    # Changes whose outbox rows were lost (as if written around the application).
    missing = make_thread(title="Never indexed")
    stale, extra = many[0], many[1]
    db.session.execute(db.delete(outbox.OutboxMessage))
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
    assert "Queued 3 updates" in result.output
    worker()
    assert cli("check").exit_code == 0


def test_the_worker_builds_a_missing_index_when_there_are_threads(many):
    assert index.live_generation() is None
    db.session.execute(db.delete(outbox.OutboxMessage))   # e.g. data imported without events
    db.session.commit()
    outbox.run_periodic(force=True)
    assert index.doc_count(index.live_generation()) == 12
