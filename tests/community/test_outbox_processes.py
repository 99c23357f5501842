"""Exactly once with real worker processes on PostgreSQL (issue 13, point 4).

``flask --app community worker`` processes deliver ticket events to a helpdesk on
loopback that answers each call after 1 to 3 seconds and sometimes drops the
connection, with a lease of 2 seconds, so every call outlives the lease and the
workers must renew it. The helpdesk honours ``Idempotency-Key`` as the webhook
contract asks (a repeat is answered, not applied again), and counts what a worker
sent after it had been answered: a double run shows there even when the
idempotency key hides it from the ticket. The tests wait for what they can
observe (the helpdesk's requests, the outbox rows, the worker's log) up to a
deadline; they never sleep to let something happen.
"""
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from community.extensions import db
from community.models import OutboxMessage
from tests import conftest
from tests.agent_bridge.connectors.conftest import SECRET, app  # noqa: F401 - the forum

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(
    not conftest.POSTGRES_URL,
    reason="needs FORUM_TEST_DATABASE_URL: worker processes share one PostgreSQL database")]

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 2
KIND = "bridge.deliver"


class Helpdesk:
    """A helpdesk on loopback. ``delays(n)`` gives the answer time of the n-th call,
    ``drops(n)`` whether it loses its connection: ``"before"`` the helpdesk applied
    the event or ``"after"`` (the worker cannot tell which). With ``hold``, the first
    call waits until ``release()``."""

    def __init__(self):
        self.applied = defaultdict(list)   # ticket id -> event ids, in the order applied
        self.calls = Counter()             # event id -> calls that reached the helpdesk
        self.answered = Counter()          # event id -> calls answered 200
        self.in_flight = self.most_in_flight = self.arrivals = 0
        self._lock, self._release = threading.Lock(), threading.Event()
        self.delays, self.drops, self.hold = (lambda n: 0.0), (lambda n: None), False
        helpdesk = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                helpdesk._serve(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/forum-events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _serve(self, request):
        event = json.loads(request.rfile.read(int(request.headers["Content-Length"])))
        with self._lock:
            self.arrivals += 1
            number, key = self.arrivals, request.headers["Idempotency-Key"]
            self.calls[key] += 1
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            drop = self.drops(number)
            if drop != "before" and key not in self.applied[event["ticket"]["id"]]:
                self.applied[event["ticket"]["id"]].append(key)
        try:
            if self.hold and number == 1:
                self._release.wait(60)
            else:
                self._release.wait(self.delays(number))
            if drop:
                request.close_connection = True  # no answer at all
                return
            body = b'{"ok":true}'
            request.send_response(200)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body)
            request.wfile.flush()
            with self._lock:
                self.answered[key] += 1
        except OSError:
            pass  # the worker is gone
        finally:
            with self._lock:
                self.in_flight -= 1

    def release(self):
        self._release.set()

    def close(self):
        self.release()
        self.server.shutdown()
        self.server.server_close()


class Relay:
    """A TCP relay to PostgreSQL that the test can cut (every connection dropped, new
    ones refused) and restore, as a failover or a network cut does."""

    def __init__(self, host, port):
        self.target, self.up, self.refused = (host, port), True, 0
        self._open, self._every, self._lock = [], [], threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                with self._lock:
                    self.refused += 1
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._open += [client, upstream]
                self._every += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        _shut((source, sink))

    def cut(self):
        self.up = False
        with self._lock:
            sockets, self._open = self._open, []
        _shut(sockets)

    def restore(self):
        self.up = True

    def close(self):
        self.listener.close()
        self.cut()
        for end in self._every:
            end.close()


def _shut(sockets):
    for end in sockets:
        try:
            end.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # closed already


class Workers:
    """``flask --app community worker --kinds bridge.*`` processes, each with an
    instance folder of its own (as on another host); their log goes to a file."""

    def __init__(self, tmp_path, helpdesk):
        self.tmp_path, self.helpdesk, self.running = tmp_path, helpdesk, []

    def start(self, name, database_url=None):
        env = {**os.environ, "FORUM_DATABASE_URL": database_url or conftest.POSTGRES_URL,
               "FORUM_SECRET_KEY": "test-secret", "FORUM_INSTANCE_PATH": str(self.tmp_path / name),
               "FORUM_BRIDGE_CONNECTOR": "webhook", "FORUM_BRIDGE_WEBHOOK_URL": self.helpdesk.url,
               "FORUM_BRIDGE_WEBHOOK_SECRET": SECRET, "FORUM_BRIDGE_CONNECTOR_TIMEOUT": "5",
               "FORUM_BASE_URL": "https://community.example.com",
               "FORUM_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
               "FORUM_WORKER_POLL_SECONDS": "0.1"}
        log = open(self.tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "community", "worker", "--kinds", "bridge.*"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        process.log, process.name = log, name
        self.running.append(process)
        return process

    def log(self, process):
        return (self.tmp_path / f"{process.name}.log").read_text()

    def stop(self, process, sig=signal.SIGTERM, timeout=60):
        process.send_signal(sig)
        code = process.wait(timeout=timeout)
        process.log.close()
        self.running.remove(process)
        return code

    def close(self):
        for process in list(self.running):
            self.stop(process, signal.SIGKILL)


@pytest.fixture
def helpdesk():
    """This module's helpdesk: ``app`` (the connector tests' fixture) sends to it."""
    desk = Helpdesk()
    yield desk
    desk.close()


@pytest.fixture
def workers(tmp_path, helpdesk):
    group = Workers(tmp_path, helpdesk)
    yield group
    group.close()


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.05)  # polling observable state, with a deadline


def tickets_with_events(make_thread, make_user, count):
    """``count`` escalated threads, each ticket with three events for the helpdesk
    (created, priority raised, waiting for the customer), each change committed as a
    request commits it. Returns the event ids per ticket in the order they happened."""
    from agent_bridge.services import escalation, tickets
    moderator, agent = make_user(role="moderator"), make_user(role="agent")
    for n in range(count):
        ticket, _ = escalation.escalate(moderator, make_thread(), f"Please help ({n})")
        db.session.commit()
        tickets.set_priority(ticket, "high", actor=agent)
        db.session.commit()
        tickets.set_status(ticket, "pending", actor=agent)
        db.session.commit()
    expected = defaultdict(list)
    for (payload,) in db.session.execute(select(OutboxMessage.payload)
                                         .where(OutboxMessage.kind == KIND)
                                         .order_by(OutboxMessage.id)):
        expected[payload["event"]["ticket"]["id"]].append(payload["event"]["id"])
    db.session.rollback()
    assert len(expected) == count and {len(keys) for keys in expected.values()} == {3}
    return dict(expected)


def deliveries():
    """{event id: (status, attempts)} of the helpdesk deliveries, as the database has them."""
    found = {payload["event"]["id"]: (status, attempts)
             for payload, status, attempts in db.session.execute(
                 select(OutboxMessage.payload, OutboxMessage.status, OutboxMessage.attempts)
                 .where(OutboxMessage.kind == KIND))}
    db.session.rollback()
    return found


def all_done():
    return {status for status, _ in deliveries().values()} == {"done"}


def test_two_workers_with_a_short_lease_deliver_every_event_once_in_order(
        make_thread, make_user, helpdesk, workers):
    rng = random.Random(13)
    helpdesk.delays = lambda n: rng.uniform(1, 3)
    helpdesk.drops = lambda n: {3: "after", 5: "before"}.get(n)
    first, second = workers.start("worker-a"), workers.start("worker-b")
    expected = tickets_with_events(make_thread, make_user, count=3)  # while they start
    wait_until(all_done, 120, "every event delivered")

    assert dict(helpdesk.applied) == expected  # each event once, in order per ticket
    assert set(helpdesk.answered.values()) == {1}  # no event sent again once answered
    assert helpdesk.arrivals >= 11  # the two dropped calls were retried
    assert helpdesk.most_in_flight == 2  # both workers delivered, at the same time
    assert workers.stop(first) == 0 and workers.stop(second) == 0  # SIGTERM: a clean stop


def test_a_worker_killed_mid_delivery_and_started_again_loses_and_doubles_nothing(
        make_thread, make_user, helpdesk, workers):
    helpdesk.delays, helpdesk.hold = (lambda n: 0.2), True
    doomed = workers.start("worker")
    expected = tickets_with_events(make_thread, make_user, count=2)
    wait_until(lambda: helpdesk.in_flight == 1, 60, "the first delivery under way")
    assert workers.stop(doomed, signal.SIGKILL) == -signal.SIGKILL
    helpdesk.release()
    [killed] = list(helpdesk.calls)
    restarted = workers.start("worker")
    wait_until(all_done, 90, "every event delivered after the restart")

    assert dict(helpdesk.applied) == expected
    assert helpdesk.calls[killed] == 2 and helpdesk.answered[killed] == 1  # sent again, once
    assert {n for key, n in helpdesk.calls.items() if key != killed} == {1}
    attempts = {key: n for key, (_, n) in deliveries().items()}
    assert attempts.pop(killed) == 2  # the run the worker did not survive counted
    assert set(attempts.values()) == {1}
    assert workers.stop(restarted) == 0


def test_a_worker_rides_out_a_database_outage_and_says_so_once(
        make_thread, make_user, helpdesk, workers):
    helpdesk.delays = lambda n: 0.5
    url = make_url(conftest.POSTGRES_URL)
    relay = Relay(url.host or "127.0.0.1", url.port or 5432)
    try:
        worker = workers.start("worker", url.set(host="127.0.0.1", port=relay.port)
                               .render_as_string(hide_password=False))
        expected = tickets_with_events(make_thread, make_user, count=2)
        wait_until(lambda: helpdesk.arrivals >= 1, 60, "the first delivery under way")
        relay.cut()
        wait_until(lambda: "cannot be reached" in workers.log(worker), 30, "the outage logged")
        wait_until(lambda: relay.refused >= 2, 30, "the worker trying again, twice")
        relay.restore()
        wait_until(all_done, 90, "every event delivered after the outage")
        assert workers.stop(worker) == 0
    finally:
        relay.close()
    log = workers.log(worker)
    assert log.count("the database cannot be reached") == 1, log
    assert log.count("the database answers again") == 1, log
    assert dict(helpdesk.applied) == expected
