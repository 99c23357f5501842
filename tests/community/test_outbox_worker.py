"""The worker loop (issue 13, points 2 and 3), in process: SIGTERM stops it after the row
it is running, done rows go after ``OUTBOX_KEEP_DAYS``, and a periodic job runs once per
cluster, not once per worker."""
import os
import signal
import threading
from datetime import timedelta

from community import clock, outbox, outbox_claims, worker
from community.extensions import db
from community.models import OutboxMessage


def rows():
    db.session.expire_all()
    return OutboxMessage.query.order_by(OutboxMessage.id).all()


def test_sigterm_stops_the_worker_after_the_row_it_is_running(make_app):
    app = make_app(FORUM_FEATURES=())
    seen = []

    def deliver(payload):
        seen.append(payload["n"])
        if payload["n"] == 1:
            os.kill(os.getpid(), signal.SIGTERM)  # the operator stops the worker now

    outbox.register_handler(app, "test.deliver", deliver)
    with app.app_context():
        for n in (1, 2, 3):
            outbox.enqueue("test.deliver", {"n": n}, key=f"deliver-{n}")
        db.session.commit()
        before = signal.getsignal(signal.SIGTERM)
        worker.work()  # returns instead of being killed
        assert signal.getsignal(signal.SIGTERM) is before
        assert seen == [1]
        assert [(row.status, row.attempts, row.claim_token) for row in rows()] == [
            ("done", 1, None), ("pending", 0, None), ("pending", 0, None)]
        # The rows it had claimed are given back: another worker takes them at once.
        assert [held.id for held in outbox_claims.claim()] == [row.id for row in rows()[1:]]
        db.session.remove()


def test_done_rows_are_deleted_after_the_keep_days(make_app):
    app = make_app(FORUM_FEATURES=(), OUTBOX_KEEP_DAYS=14, OUTBOX_MAX_ATTEMPTS=1)
    outbox.register_handler(app, "test.ok", lambda payload: None)
    outbox.register_handler(app, "test.broken", lambda payload: 1 / 0)

    def worker_once():
        result = app.test_cli_runner().invoke(args=["worker", "--once"])
        assert result.exit_code == 0, result.output
        db.session.remove()
        return {row.key: row.status for row in rows()}

    with app.app_context():
        outbox.enqueue("test.ok", {}, key="old")
        outbox.enqueue("test.broken", {}, key="broken")
        db.session.commit()
        assert worker_once() == {"old": "done", "broken": "failed"}
        clock.travel(timedelta(days=10))
        outbox.enqueue("test.ok", {}, key="recent")
        db.session.commit()
        assert worker_once() == {"old": "done", "broken": "failed", "recent": "done"}
        clock.travel(timedelta(days=3, hours=23))  # "old" was done 13 days 23 hours ago
        assert worker_once() == {"old": "done", "broken": "failed", "recent": "done"}
        clock.travel(timedelta(hours=2))  # and now 14 days 1 hour ago
        assert worker_once() == {"broken": "failed", "recent": "done"}  # failures stay


def test_a_periodic_job_runs_once_per_cluster_and_an_each_worker_job_in_every_worker(
        worker_app):
    first, second = worker_app(), worker_app()
    ran, lock = [], threading.Lock()
    for name, app in (("a", first), ("b", second)):
        def tick(name=name):
            with lock:
                ran.append(("sweep", name))

        def beat(name=name):
            with lock:
                ran.append(("heartbeat", name))
        outbox.register_periodic(app, "test.sweep", timedelta(minutes=1), tick)
        outbox.register_periodic(app, "test.heartbeat", timedelta(minutes=1), beat,
                                 each_worker=True)
    clock.freeze()
    start = threading.Barrier(2)

    def round_of(app, together=False):
        with app.app_context():
            if together:
                start.wait(timeout=10)
            outbox.run_periodic()
            db.session.remove()

    both = [threading.Thread(target=round_of, args=(app, True)) for app in (first, second)]
    for thread in both:
        thread.start()
    for thread in both:
        thread.join(timeout=30)
    assert sorted(job for job, _ in ran) == ["heartbeat", "heartbeat", "sweep"]
    ran.clear()
    clock.travel(timedelta(seconds=30))
    round_of(first), round_of(second)
    assert ran == []
    clock.travel(timedelta(seconds=31))
    round_of(second), round_of(first)
    assert ran == [("sweep", "b"), ("heartbeat", "b"), ("heartbeat", "a")]
