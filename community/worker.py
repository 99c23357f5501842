"""The worker process (``flask --app community worker``): periodic jobs and due outbox
rows, round after round, until SIGTERM or SIGINT.

- A stop signal is noted, not raised: the worker finishes the row it is running,
  gives back the rows it claimed and has not started, and returns.
- A database it cannot reach (a failover, a restart, a network cut) ends nothing:
  the round is abandoned, logged once per outage, and tried again after a backoff
  (1 s, doubling up to 30 s) until the database answers. Rows stay in the database,
  so nothing is lost; a row whose run was cut off runs again when its lease ends.
"""
import logging
import signal
import threading
import time

from flask import current_app

from . import outbox
from .extensions import db

log = logging.getLogger(__name__)

FIRST_BACKOFF_SECONDS = 1
MAX_BACKOFF_SECONDS = 30


class StopSignals:
    """``with StopSignals(stop):`` SIGTERM and SIGINT set the event ``stop`` instead of
    ending the process (only the main thread can set signal handlers)."""
    SIGNALS = (signal.SIGTERM, signal.SIGINT)

    def __init__(self, stop):
        self.stop, self._previous = stop, {}

    def _noted(self, signum, frame):
        if not self.stop.is_set():
            log.info("worker: %s received, stopping after the current row",
                     signal.Signals(signum).name)
        self.stop.set()

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self._previous = {sig: signal.signal(sig, self._noted) for sig in self.SIGNALS}
        return self

    def __exit__(self, *exc):
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


class Outage:
    """The database could not be reached: one log line when it starts, one when it
    ends, and the backoff between the tries in between."""

    def __init__(self):
        self.since, self.tries = None, 0

    def failed(self, error):
        if self.since is None:
            self.since = time.monotonic()
            log.error("worker: the database cannot be reached (%s); retrying with backoff "
                      "until it can, nothing is lost", _first_line(error))
        self.tries += 1
        return min(MAX_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS * 2 ** (self.tries - 1))

    def succeeded(self):
        if self.since is not None:
            log.warning("worker: the database answers again after %.0f s",
                        time.monotonic() - self.since)
        self.since, self.tries = None, 0


def _first_line(error):
    return str(getattr(error, "orig", None) or error).strip().splitlines()[0][:300]


def work(once=False, kinds=None, exclude_kinds=(), stop=None):
    """Run periodic jobs and due outbox rows (of the kinds given, as in
    ``outbox.run_due``) until ``stop`` is set or a stop signal comes; with ``once``,
    one round (what is due now), whose database errors are raised."""
    poll = current_app.config["WORKER_POLL_SECONDS"]
    stop = stop or threading.Event()
    outage = Outage()
    with StopSignals(stop):
        while not stop.is_set():
            try:
                outbox.run_periodic(stop=stop)
                outbox.run_due(kinds=kinds, exclude_kinds=exclude_kinds, stop=stop)
            except Exception as error:
                db.session.remove()
                if once:
                    raise
                if outbox.is_outage(error):
                    stop.wait(outage.failed(error))
                else:  # a bug, not an outage: said every time, tried again less often
                    log.exception("worker: the round failed")
                    stop.wait(MAX_BACKOFF_SECONDS)
                continue
            finally:
                db.session.remove()
            outage.succeeded()
            if once:
                return
            stop.wait(poll)
    log.info("worker: stopped")
