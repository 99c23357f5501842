"""The transactional outbox: exactly-once enqueue, retries with backoff, ordering, worker CLI."""
from datetime import timedelta

import pytest

from community import clock, outbox, outbox_claims
from community.extensions import db
from community.models import OutboxMessage


class Calls(list):
    flaky = None


@pytest.fixture
def calls(app):
    seen = Calls()
    flaky = {"failures": 0}

    def record(payload):
        if flaky["failures"] > 0:
            flaky["failures"] -= 1
            raise ConnectionError("helpdesk unreachable")
        seen.append(payload["n"])

    outbox.register_handler(app, "test.record", record)  # this app's only
    seen.flaky = flaky
    return seen


def test_enqueue_is_part_of_the_transaction_and_idempotent(app, calls):
    outbox.enqueue("test.record", {"n": 1}, key="k1")
    outbox.enqueue("test.record", {"n": 1}, key="k1")
    db.session.rollback()
    assert OutboxMessage.query.count() == 0
    outbox.enqueue("test.record", {"n": 1}, key="k1")
    db.session.commit()
    outbox.enqueue("test.record", {"n": 1}, key="k1")
    db.session.commit()
    assert OutboxMessage.query.count() == 1
    assert outbox.drain() == 1
    assert outbox.drain() == 0
    assert calls == [1]


def test_failures_are_retried_with_backoff_then_delivered_once(app, calls):
    calls.flaky["failures"] = 2
    outbox.enqueue("test.record", {"n": 7}, key="k7")
    db.session.commit()
    assert outbox.drain() == 0
    row = OutboxMessage.query.one()
    assert row.attempts == 1 and "helpdesk unreachable" in row.last_error
    assert outbox.drain() == 0  # not due yet: nothing runs before the backoff has passed
    clock.travel(timedelta(seconds=5))
    assert outbox.drain() == 0
    clock.travel(timedelta(seconds=10))
    assert outbox.drain() == 1
    assert calls == [7]
    db.session.expire_all()
    assert OutboxMessage.query.one().status == "done"


def test_handlers_know_a_retry_after_a_failure_a_put_off_or_a_stopped_worker(app):
    seen = []
    behaviour = ["fail", "later", "ok"]

    def run(payload):
        seen.append((payload["n"], outbox.is_retry()))
        step = behaviour.pop(0) if payload["n"] == 1 else "ok"
        if step == "fail":
            raise ConnectionError("timed out")
        if step == "later":
            raise outbox.RetryLater("helpdesk busy", seconds=5)

    outbox.register_handler(app, "test.retry", run)
    outbox.enqueue("test.retry", {"n": 1}, key="r1")
    outbox.enqueue("test.retry", {"n": 2}, key="r2")
    db.session.commit()
    clock.freeze()
    outbox.drain()
    for _ in range(2):
        clock.travel(timedelta(seconds=10))
        outbox.drain()
    assert seen == [(1, False), (2, False), (1, True), (1, True)]
    assert not outbox.is_retry()  # only inside a handler

    # A worker started a row and stopped before it finished: its lease runs out.
    outbox.enqueue("test.retry", {"n": 3}, key="r3")
    db.session.commit()
    [held] = outbox_claims.claim()
    assert outbox_claims.start(held)
    clock.travel(timedelta(seconds=outbox_claims.LEASE_SECONDS + 1))
    seen.clear()
    assert outbox.drain() == 1
    assert seen == [(3, True)]


def test_row_fails_for_good_after_max_attempts(app, calls):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 3
    calls.flaky["failures"] = 99
    outbox.enqueue("test.record", {"n": 1}, key="k")
    db.session.commit()
    for _ in range(5):
        outbox.drain()
        clock.travel(timedelta(hours=1))
    row = OutboxMessage.query.one()
    assert row.status == "failed" and row.attempts == 3 and calls == []


def test_rows_with_an_ordering_key_run_in_order(app, calls):
    calls.flaky["failures"] = 1
    for n in (1, 2, 3):
        outbox.enqueue("test.record", {"n": n}, key=f"o{n}", ordering_key="ticket-1")
    outbox.enqueue("test.record", {"n": 9}, key="other", ordering_key="ticket-2")
    db.session.commit()
    outbox.drain()
    assert calls == [9]  # 1 failed; 2 and 3 wait for it
    clock.travel(timedelta(minutes=1))
    outbox.drain()
    assert calls == [9, 1, 2, 3]


def test_a_batched_kind_gets_a_turn_every_round_not_after_everything_before_it(
        app, calls, monkeypatch):
    """A worker serving every kind: the index's rows queued behind many notifications
    run in the first round, all together, and the others keep their order."""
    from community.outbox_batches import batched
    batches = []
    outbox.register_handler(app, "test.batch", batched(
        "test.batch", lambda payloads: batches.append(sorted(p["n"] for p in payloads))))
    for n in range(10):
        outbox.enqueue("test.record", {"n": n}, key=f"r{n}")
    for n in (100, 101):
        outbox.enqueue("test.batch", {"n": n}, key=f"b{n}")
    db.session.commit()
    first_round = _first_round(monkeypatch)
    outbox.run_due(stop=first_round, timeout=0)
    # the oldest row of the batched kind (its handler took the other), then BATCH rows
    # in the order they were written
    assert batches == [[100, 101]]
    assert calls == list(range(outbox_claims.BATCH))
    outbox.drain()
    assert calls == list(range(10)) and batches == [[100, 101]]


def _first_round(monkeypatch):
    """A ``stop`` for run_due that is set once the rows of its first claim have run."""
    seen = {"claimed": None, "ran": 0}
    claim, run = outbox.claim, outbox.run

    def claiming(*args, **kwargs):
        held = claim(*args, **kwargs)
        if seen["claimed"] is None:
            seen["claimed"] = len(held)
        return held

    def running(held):
        seen["ran"] += 1
        return run(held)
    monkeypatch.setattr(outbox, "claim", claiming)
    monkeypatch.setattr(outbox, "run", running)

    class Stop:
        def is_set(self):
            return seen["claimed"] is not None and seen["ran"] >= seen["claimed"]
    return Stop()


def test_unknown_kind_is_kept_and_reported_not_lost(app):
    outbox.enqueue("nobody.handles.this", {}, key="x")
    db.session.commit()
    outbox.drain()
    row = OutboxMessage.query.one()
    assert row.status == "pending" and "no handler registered" in row.last_error


def test_worker_once_runs_due_rows_and_periodic_jobs(app, calls):
    ran = []
    outbox.register_periodic(app, "test.job", timedelta(minutes=1), lambda: ran.append(1))
    outbox.enqueue("test.record", {"n": 3}, key="w")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "0 rows still pending" in result.output
    assert calls == [3] and ran == [1]
