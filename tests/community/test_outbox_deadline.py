"""A row's run has a deadline (FORUM_OUTBOX_RUN_TIMEOUT_SECONDS): a hung handler no
longer keeps its lease renewed forever. The worker gives the row up as a failed
attempt, logs it once and goes on; the row runs again after its backoff (counted
toward FORUM_OUTBOX_MAX_ATTEMPTS), and the hung run, if it ever returns, finishes
nothing. The tests move the clock instead of waiting for the deadline."""
import logging
import threading
from datetime import timedelta

import pytest

from community import clock, outbox, outbox_claims, worker
from community.extensions import db
from community.models import OutboxMessage
from tests.conftest import POSTGRES_URL


@pytest.fixture
def hung(make_app, tmp_path):
    """An app on a database with connections of its own per thread (a SQLite file, or
    PostgreSQL), with a handler ``test.hang`` that hangs until the test lets it go
    and ``test.ok`` that does its work; ``hung.runs`` lists what ran."""
    database = {} if POSTGRES_URL else {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/worker.db",
        "SQLALCHEMY_ENGINE_OPTIONS": {}}
    app = make_app(FORUM_FEATURES=(), OUTBOX_MAX_ATTEMPTS=2, OUTBOX_RUN_TIMEOUT_SECONDS=600,
                   **database)
    state = type("Hung", (), {})()
    state.app, state.runs, state.release = app, [], threading.Event()
    state.started = threading.Semaphore(0)

    def hang(payload):
        state.runs.append(("hang", outbox.is_retry()))
        # What the run writes (sent when it finishes): it must vanish if the run is
        # given up. (Not flushed here: on SQLite a run that hangs holding the one write
        # lock stops every writer, the worker's giving up included, until it ends.)
        outbox.enqueue("test.ok", {"n": "effect"}, key=f"effect-{len(state.runs)}",
                       delay=timedelta(days=1))
        state.started.release()
        if not state.release.wait(60):
            raise AssertionError("the test never let the handler go")

    outbox.register_handler(app, "test.hang", hang)
    outbox.register_handler(app, "test.ok", lambda payload: state.runs.append(
        ("ok", payload["n"])))
    with app.app_context():
        if not POSTGRES_URL:
            db.create_all()
        yield state
        state.release.set()  # every thread left behind ends before the database goes
        for thread in list(outbox._left_behind):
            thread.join(timeout=30)
        db.session.remove()


def past_the_deadline(hung, seconds=601):
    """Once the hung handler has started, move the clock past its deadline."""
    def move():
        assert hung.started.acquire(timeout=30)
        clock.travel(timedelta(seconds=seconds))
    mover = threading.Thread(target=move)
    mover.start()
    return mover


def rows():
    db.session.expire_all()
    return {row.key: row for row in OutboxMessage.query.order_by(OutboxMessage.id)}


def test_a_hung_run_is_given_up_once_past_its_deadline_and_the_worker_goes_on(hung, caplog):
    clock.freeze()
    outbox.enqueue("test.hang", {}, key="hang")
    outbox.enqueue("test.ok", {"n": 1}, key="ok-1")
    db.session.commit()
    mover = past_the_deadline(hung)
    with caplog.at_level(logging.INFO, logger="community"):
        assert outbox.run_due() == 1            # the row after it ran
    mover.join()
    assert hung.runs == [("hang", False), ("ok", 1)]
    given_up = rows()["hang"]
    assert (given_up.status, given_up.attempts, given_up.claim_token,
            given_up.claimed_until) == ("pending", 1, None, None)   # no lease left to renew
    assert "FORUM_OUTBOX_RUN_TIMEOUT_SECONDS (600 s)" in given_up.last_error
    assert given_up.run_after == clock.now() + outbox.backoff(1)
    said = [r for r in caplog.records if "hang" in r.getMessage()]
    assert [(r.levelname, "attempt 1 failed" in r.getMessage()) for r in said] == [
        ("WARNING", True)]                      # said once
    assert "effect-1" not in rows()

    # The hung handler returns at last: its run can no longer finish the row, and what
    # it wrote is rolled back (quietly: it was said when it was given up).
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="community"):
        hung.release.set()
        for thread in outbox._left_behind:
            thread.join(timeout=30)
    assert rows()["hang"].status == "pending" and "effect-1" not in rows()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]

    # After its backoff any worker runs it again, as a retry.
    assert outbox_claims.claim(kinds=["test.hang"]) == []
    clock.travel(outbox.backoff(1))
    assert outbox.run_due() == 1
    assert hung.runs[-1] == ("hang", True)
    assert (rows()["hang"].status, rows()["hang"].attempts) == ("done", 2)


def test_runs_given_up_count_toward_the_attempts_until_the_row_fails(hung, caplog):
    clock.freeze()
    outbox.enqueue("test.hang", {}, key="hang")
    db.session.commit()
    for attempt in (1, 2):
        mover = past_the_deadline(hung)
        with caplog.at_level(logging.WARNING, logger="community"):
            worker.work(once=True)              # the worker's own round
        mover.join()
        clock.travel(outbox.backoff(attempt))
    row = rows()["hang"]
    assert (row.status, row.attempts, row.claim_token) == ("failed", 2, None)
    assert "given up" in row.last_error
    assert [r.levelname for r in caplog.records if "hang" in r.getMessage()] == [
        "WARNING", "ERROR"]                     # the second: failed for good
    assert outbox.run_due() == 0


def test_a_run_within_its_deadline_is_not_disturbed(hung):
    clock.freeze()
    outbox.enqueue("test.hang", {}, key="hang")
    db.session.commit()
    mover = past_the_deadline(hung, seconds=599)

    def let_go():
        mover.join()
        hung.release.set()
    threading.Thread(target=let_go).start()
    assert outbox.run_due() == 1
    assert (rows()["hang"].status, rows()["hang"].attempts) == ("done", 1)
    assert "effect-1" in rows()


def test_without_a_deadline_rows_run_in_the_workers_own_thread(hung):
    seen = []
    outbox.register_handler(hung.app, "test.where", lambda payload: seen.append(
        threading.current_thread()))
    for n in (1, 2, 3):
        outbox.enqueue("test.where", {}, key=f"where-{n}")
    db.session.commit()
    hung.app.config["OUTBOX_RUN_TIMEOUT_SECONDS"] = 0
    assert outbox.run_due() == 3
    assert seen == [threading.current_thread()] * 3
