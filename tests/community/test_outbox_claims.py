"""Exactly once under faults (issue 13, points 1 and 2), in process and fast: workers
claim rows with a token, only a run whose claim still holds finishes its row, a run
the worker did not survive counts as an attempt. "Two workers" are two apps on one
SQLite file, each with its own connections, as two worker processes on one host."""
import logging
import threading
import time
from collections import Counter
from datetime import timedelta

from sqlalchemy import select
from webtest import TestApp

from community import clock, outbox, outbox_claims
from community.extensions import db
from community.models import MailMessage, OutboxMessage
from tests.conftest import login


def rows(**where):
    db.session.expire_all()
    return OutboxMessage.query.filter_by(**where).order_by(OutboxMessage.id).all()


def test_two_workers_on_one_sqlite_file_never_run_the_same_row(worker_app):
    ROWS = 30  # noqa: N806
    first, second = worker_app(), worker_app()
    ran, lock = Counter(), threading.Lock()
    # Each worker's first row waits until the other has run one too: on a loaded
    # machine one thread could otherwise drain every row before the other starts.
    started = {"a": threading.Event(), "b": threading.Event()}

    def count(payload):
        me = threading.current_thread().name
        with lock:
            ran[payload["n"], me] += 1
        if not started[me].is_set():
            started[me].set()
            started["b" if me == "a" else "a"].wait(timeout=30)

    for app in (first, second):
        outbox.register_handler(app, "test.count", count)
    with first.app_context():
        for n in range(ROWS):
            outbox.enqueue("test.count", {"n": n}, key=f"count-{n}")
        db.session.commit()
    start = threading.Barrier(2)

    def drain(app):
        with app.app_context():
            start.wait(timeout=10)
            outbox.drain()
            db.session.remove()

    workers = [threading.Thread(target=drain, args=(app,), name=name)
               for app, name in ((first, "a"), (second, "b"))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    per_row = Counter(n for n, _ in ran.elements())
    assert sorted(per_row) == list(range(ROWS)) and set(per_row.values()) == {1}
    assert {name for _, name in ran} == {"a", "b"}  # both took part


def test_a_run_that_lost_its_lease_does_not_finish_and_its_changes_roll_back(
        worker_app, caplog):
    first, second = worker_app(), worker_app()
    runs = []

    def deliver(payload):
        runs.append(payload)
        if len(runs) == 1:
            # The first worker's run takes longer than its lease and it cannot renew
            # it (think of a stalled process): the second worker takes the row over.
            clock.travel(timedelta(seconds=outbox_claims.LEASE_SECONDS + 1))
            taken_over = threading.Thread(target=lambda: _drain(second))
            taken_over.start()
            taken_over.join(timeout=30)
        outbox.enqueue("test.effect", {}, key=f"effect-of-run-{len(runs)}",
                       delay=timedelta(days=1))

    for app in (first, second):
        outbox.register_handler(app, "test.deliver", deliver)
    with first.app_context():
        outbox.enqueue("test.deliver", {}, key="deliver")
        db.session.commit()
        with caplog.at_level(logging.WARNING, logger="community.outbox_claims"):
            assert outbox.drain() == 0
        assert "another worker took the row over" in caplog.text
        [row] = rows(kind="test.deliver")
        assert row.status == "done" and row.attempts == 2 and row.claim_token is None
        # What the handler wrote is there once: the second run's, not the first's.
        assert [effect.key for effect in rows(kind="test.effect")] == ["effect-of-run-2"]


def _drain(app):
    with app.app_context():
        assert outbox.drain() == 1
        db.session.remove()


def test_a_row_claimed_by_a_worker_is_not_claimed_again_until_its_lease_ends(app):
    outbox.register_handler(app, "test.noop", lambda payload: None)
    count = outbox_claims.BATCH + 2
    for n in range(count):
        outbox.enqueue("test.noop", {}, key=f"noop-{n}")
    db.session.commit()
    first = outbox_claims.claim()
    assert len(first) == outbox_claims.BATCH  # a few at a time, not everything
    second = outbox_claims.claim()
    assert len(second) == 2 and not {c.id for c in first} & {c.id for c in second}
    assert outbox_claims.claim() == []
    clock.travel(timedelta(seconds=outbox_claims.LEASE_SECONDS + 1))
    third = outbox_claims.claim(limit=count)
    assert {c.id for c in third} == {c.id for c in first + second}
    assert not outbox.run(first[0])  # the old claim no longer holds: nothing runs
    assert all(outbox.run(held) for held in third)
    assert [row.status for row in rows()] == ["done"] * count


def test_a_run_that_kills_the_worker_counts_until_the_row_fails_and_admins_see_it(
        make_app, make_thread, make_reply, make_user, caplog):
    app = make_app(OUTBOX_MAX_ATTEMPTS=2, BASE_URL="http://localhost")
    with app.app_context():
        make_reply(make_thread(author=make_user(email="anna@example.com")))
        outbox.run_due(exclude_kinds=["notifications.send"])  # the mail is composed
        for _ in range(2):
            [held] = outbox_claims.claim(kinds=["notifications.send"])
            assert outbox_claims.start(held)  # the worker starts sending ...
            db.session.remove()               # ... and dies (the row is left claimed)
            assert outbox_claims.claim(kinds=["notifications.send"]) == []
            clock.travel(timedelta(seconds=outbox_claims.LEASE_SECONDS + 1))
        with caplog.at_level(logging.ERROR):
            outbox.drain()
        [send] = rows(kind="notifications.send")
        assert (send.status, send.attempts) == ("failed", 2)
        assert "failed for good: the worker stopped while running it, 2 times" in caplog.text
        assert MailMessage.query.one().status == "queued"  # never sent, and not lost
        browser = TestApp(app, extra_environ={"HTTP_HOST": "localhost"})
        login(browser, make_user(role="admin"))
        page = browser.get("/admin/mailbox")
        assert "Given up after 2 attempts: the worker stopped while running it" in page.text
        db.session.remove()


def test_claimed_rows_not_started_cost_no_attempt_when_the_worker_dies(app):
    seen = []
    outbox.register_handler(app, "test.seen", lambda payload: seen.append(outbox.is_retry()))
    for n in range(3):
        outbox.enqueue("test.seen", {}, key=f"seen-{n}")
    db.session.commit()
    first, *_waiting = outbox_claims.claim()
    assert outbox_claims.start(first)
    db.session.remove()  # the worker dies while running the first of its three rows
    clock.travel(timedelta(seconds=outbox_claims.LEASE_SECONDS + 1))
    assert outbox.drain() == 3
    assert [row.attempts for row in rows()] == [2, 1, 1]
    assert seen == [True, False, False]  # only the row that was running may have acted


def test_a_run_longer_than_its_lease_keeps_the_row_by_renewing_it(worker_app):
    first, second = worker_app(OUTBOX_LEASE_SECONDS=0.3), worker_app(OUTBOX_LEASE_SECONDS=0.3)
    seen = {}

    def deliver(payload):
        # A slow helpdesk: the call lasts until the first lease would have run out
        # and the renewed one is still running, as this run's own row shows.
        def leased_until():
            return db.session.scalar(select(OutboxMessage.claimed_until)
                                     .where(OutboxMessage.key == "slow"))
        first_lease, deadline = leased_until(), time.monotonic() + 10
        while not clock.now() > first_lease or not leased_until() > clock.now():
            assert time.monotonic() < deadline, "the lease was not renewed"
            time.sleep(0.01)  # polling the row's lease, with a deadline
        other = threading.Thread(target=lambda: seen.update(taken=_claim_in(second)))
        other.start()
        other.join(timeout=30)

    outbox.register_handler(first, "test.slow", deliver)
    with first.app_context():
        outbox.enqueue("test.slow", {}, key="slow")
        db.session.commit()
        assert outbox.drain() == 1
        assert seen == {"taken": []}  # the other worker found the row held
        [row] = rows()
        assert (row.status, row.attempts) == ("done", 1)


def _claim_in(app):
    with app.app_context():
        claims = outbox_claims.claim()
        db.session.remove()
    return claims
