"""Two sweeps in separate processes and a moderator's escalation at the same moment
produce exactly one ticket per thread (PostgreSQL: real concurrent transactions)."""
import multiprocessing
import os
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community import clock
from community.services import threads
from community.extensions import db

POSTGRES_URL = os.environ.get("FORUM_TEST_DATABASE_URL")
THREADS = 25

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL, reason="needs FORUM_TEST_DATABASE_URL: SQLite serialises all writers, "
                             "so only PostgreSQL shows concurrent transactions")


def _worker(role, barrier, instance, results):
    from community import create_app
    from community.extensions import db as worker_db
    app = create_app({"SQLALCHEMY_DATABASE_URI": POSTGRES_URL, "SECRET_KEY": "test",
                      "INSTANCE_PATH": instance, "SERVER_NAME": "localhost", "TESTING": True})
    with app.app_context():
        from agent_bridge.services import escalation
        from community.models import Thread, User
        worker_db.session.execute(select(1))  # connect before the start line
        barrier.wait(timeout=60)
        if role == "sweep":
            results.put((role, len(escalation.sweep())))
        else:
            moderator = worker_db.session.scalar(select(User).where(User.role == "moderator"))
            created = 0
            for thread in worker_db.session.scalars(select(Thread).order_by(Thread.id)):
                _ticket, new = escalation.escalate(moderator, thread, "Press enquiry",
                                                   source="moderation")
                worker_db.session.commit()
                created += int(new)
            results.put((role, created))
        worker_db.session.remove()


def test_concurrent_sweeps_and_manual_escalation_make_one_ticket_per_thread(
        app, tmp_path, make_user, make_category):
    from agent_bridge.models import Ticket, TicketEvent
    customer = make_user()
    make_user(role="moderator")  # the one who escalates by hand
    category = make_category()
    past = clock.now() - timedelta(hours=13)
    for n in range(THREADS):
        threads.create_thread(customer, category, f"Question number {n} for the team",
                              "Nobody has answered this yet.", created_at=past)
    db.session.commit()
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(3), context.Queue()
    processes = [context.Process(target=_worker, args=(role, barrier, str(tmp_path / role),
                                                       results))
                 for role in ("sweep", "sweep", "escalate")]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    created = sorted(results.get(timeout=5) for _ in processes)
    db.session.expire_all()
    per_thread = db.session.execute(select(Ticket.thread_id, func.count(Ticket.id))
                                    .group_by(Ticket.thread_id)).all()
    assert len(per_thread) == THREADS and {count for _, count in per_thread} == {1}
    assert sum(count for _, count in created) == THREADS  # each ticket counted by one opener
    assert db.session.scalar(select(func.count(TicketEvent.id))
                             .where(TicketEvent.kind == "created")) == THREADS
