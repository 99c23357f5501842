"""The transactional outbox: work saved with the change that caused it, run by workers.

``enqueue`` adds a row to the current transaction, so the work exists exactly
when the change that caused it was committed. A worker (community/worker.py)
claims a few due rows at a time with a claim token (community/outbox_claims.py:
two workers never get the same row) and runs each:

- start: one conditional UPDATE counts the attempt and renews the lease, only if
  the claim still holds; committed before the handler runs, so a run the worker
  does not survive counts as an attempt too;
- the handler registered for the row's kind, while a thread renews the lease;
- finish, in the handler's own transaction, only if the claim still holds
  (``UPDATE … WHERE id = :id AND claim_token = :mine``). A run whose lease ran out
  and whose row another worker took over rolls back what its handler wrote.

A failing handler is retried with exponential backoff until ``OUTBOX_MAX_ATTEMPTS``;
a row whose runs kept killing the worker is failed once its lease runs out after
the last attempt. A run has a deadline, ``OUTBOX_RUN_TIMEOUT_SECONDS``: ``run_due``
runs each row in a thread of its own and waits for it that long at most; a run still
going then (a hung handler) is given up as a failed attempt, which takes the claim
off the row, so its lease is no longer renewed and any worker may run it again after
its backoff. A Python thread cannot be killed: the hung one is left behind, and if
its handler ever returns, its finish finds the claim gone and rolls back what it
wrote. Rows that share an ``ordering_key`` run strictly one after
another. Handlers that talk to the outside stay idempotent (``is_retry()``): a run
may be repeated after a crash or a lost lease.

Handlers and periodic jobs (escalation sweep, digests) are registered per app by
each package's ``init_app`` (``register_handler``, ``register_periodic``: the
``outbox.*`` hooks of community/hooks.py). A periodic job runs once per cluster:
the worker whose conditional UPDATE moves the job's ``periodic_runs`` row forward
runs it (with ``each_worker=True``, every worker process runs it, e.g. a heartbeat)
and records on that row how long the run took and when one last succeeded (read by
``/metrics``, the same on every host).
Done rows are deleted after ``OUTBOX_KEEP_DAYS`` by the outbox's own periodic job.

A worker may serve only some kinds (glob patterns over ``kind``, e.g. ``bridge.*``),
so that one slow peer, such as a helpdesk, holds up only the worker that serves it.
"""
import contextvars
import fnmatch
import logging
import threading
import time
import traceback
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, delete, select, true, update
from sqlalchemy.exc import InterfaceError, OperationalError

from . import clock, dbutil, hooks, logging_setup
from .extensions import db
from .models import OutboxMessage
from .models.outbox import PeriodicRun
from .outbox_claims import BATCH, LeaseKeeper, claim, finish, give_up, release, start

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 3600

_retry = contextvars.ContextVar("outbox_retry", default=False)
_running = contextvars.ContextVar("outbox_running", default=None)


WATCH_SECONDS = 0.05   # how often the worker looks whether a row's run ended or is overdue


class RunTimeout(Exception):
    """A row's run went on past ``OUTBOX_RUN_TIMEOUT_SECONDS`` and was given up."""


class RetryLater(Exception):
    """Raised by a handler to be retried after ``seconds`` without counting as an error."""

    def __init__(self, message, seconds=None):
        super().__init__(message)
        self.seconds = seconds


@dataclass
class PeriodicJob:
    name: str
    every: timedelta
    func: object
    each_worker: bool = False


def is_retry():
    """Inside a handler: whether its row ran before (it failed, was put off, or a
    worker stopped while running it), so what it does outside may already have
    happened once. A handler whose peer cannot discard repeats looks first."""
    return _retry.get()


def running_claim():
    """Inside a handler: the Claim of the row it runs (community/outbox_batches.py
    takes over the worker's other claimed rows of the kind)."""
    return _running.get()


def register_handler(app, kind, fn):
    """In ``app``, ``fn(payload)`` runs the outbox rows of ``kind``."""
    if hooks.registered("outbox.handler", kind, app=app):
        raise ValueError(f"outbox kind {kind!r} has a handler already")
    hooks.add(app, "outbox.handler", fn, key=kind)


def register_periodic(app, name, every, fn, each_worker=False):
    """In ``app``, a worker runs ``fn()`` every ``every`` (a timedelta): one worker of
    the cluster, or every worker process with ``each_worker`` (e.g. a heartbeat)."""
    hooks.add(app, "outbox.periodic", PeriodicJob(name, every, fn, each_worker), key=name)


def _handler(kind):
    found = hooks.registered("outbox.handler", kind)
    return found[0] if found else None


def periodic_jobs():
    """The current app's periodic jobs, by name (with the outbox's own clean-up)."""
    jobs = {name: jobs[0] for name, jobs in hooks.registered("outbox.periodic").items()}
    jobs.setdefault(CLEANUP.name, CLEANUP)
    return jobs


def enqueue(kind, payload, key, ordering_key=None, delay=None):
    """Add work to the current transaction. A key already queued is not queued again."""
    for pending in db.session.new:
        if isinstance(pending, OutboxMessage) and pending.key == key:
            return pending
    existing = db.session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
    if existing is not None:
        return existing
    row = OutboxMessage(kind=kind, payload=payload, key=key, ordering_key=ordering_key,
                        run_after=clock.now() + (delay or timedelta(0)), created_at=clock.now())
    db.session.add(row)
    return row


def is_outage(error):
    """Whether ``error`` says the database cannot be reached (rather than refused a
    statement): the worker waits for it, nothing has failed."""
    return isinstance(error, (OperationalError, InterfaceError)) or bool(
        getattr(error, "connection_invalidated", False))


def backoff(attempts):
    return timedelta(seconds=min(MAX_BACKOFF_SECONDS, 5 * 2 ** max(0, attempts - 1)))


def known_kinds(patterns):
    """The registered kinds that match any of the glob ``patterns``."""
    return sorted(kind for kind in hooks.registered("outbox.handler")
                  if any(fnmatch.fnmatchcase(kind, pattern) for pattern in patterns))


def run(claim):
    """Run one claimed row. Returns whether it is done (by this run)."""
    row = start(claim)
    if row is None:
        return False
    attempts = row.attempts
    fn = _handler(row.kind)
    retry = _retry.set(attempts > 1 or row.last_error is not None)
    running = _running.set(claim)
    # Every line logged while the row runs (its failure too) names the row.
    with logging_setup.outbox_row(row.kind, row.key):
        try:
            if fn is None:
                raise LookupError(f"no handler registered for {row.kind!r} "
                                  "(feature switched off?)")
            fn(dict(row.payload or {}))
        except RetryLater as exc:
            db.session.rollback()
            finish(claim, row, attempts=OutboxMessage.attempts - 1,  # a put-off is no attempt
                   run_after=clock.now() + (timedelta(seconds=exc.seconds) if exc.seconds
                                            else backoff(attempts)),
                   last_error=str(exc))
            return False
        except Exception as exc:  # noqa: BLE001 - any failure is retried, never lost
            db.session.rollback()
            _failed(claim, row, attempts, exc)
            return False
        finally:
            _retry.reset(retry)
            _running.reset(running)
    return finish(claim, row, status="done", done_at=clock.now(), last_error=None)


def _failed(claim, row, attempts, exc):
    error = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000]
    final = attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
    values = {"status": "failed"} if final else {"run_after": clock.now() + backoff(attempts)}
    if finish(claim, row, last_error=error, **values):
        if final:
            log.error("outbox %s %s failed for good: %s", row.kind, row.key, error)
        else:
            log.warning("outbox %s %s attempt %d failed: %s", row.kind, row.key, attempts, error)


def run_watched(claim, timeout):
    """``run(claim)`` in a thread of its own, waited for ``timeout`` seconds at most
    (by ``clock``, so tests move time instead of waiting). A run still going then is
    given up: a failed attempt, logged once; its thread is left behind (it cannot be
    killed) and can no longer finish the row. Returns whether the row is done."""
    app = current_app._get_current_object()
    outcome = {}

    def target():
        # A new app context: a session (and connection) of the run's own.
        with app.app_context():
            try:
                outcome["done"] = run(claim)
            except BaseException as error:  # noqa: BLE001 - raised again in the worker
                outcome["error"] = error

    context = contextvars.copy_context()   # the caller's log fields, as inline
    thread = threading.Thread(target=context.run, args=(target,), daemon=True,
                              name=f"outbox-row-{claim.id}")
    deadline = clock.now() + timedelta(seconds=timeout)
    thread.start()
    while True:
        thread.join(WATCH_SECONDS)
        if not thread.is_alive():
            break
        if clock.now() >= deadline:
            _give_up(claim, timeout, thread)
            return False
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("done", False)


_left_behind = []   # threads of runs given up that had not ended yet


def _give_up(claim, timeout, thread):
    _left_behind[:] = [t for t in _left_behind if t.is_alive()] + [thread]
    error = RunTimeout(f"ran longer than FORUM_OUTBOX_RUN_TIMEOUT_SECONDS ({timeout:g} s) "
                       f"and was given up; runs given up still going in this worker: "
                       f"{len(_left_behind)}")
    row = give_up(claim)
    if row is not None:
        with logging_setup.outbox_row(row.kind, row.key):
            _failed(claim, row, row.attempts, error)


def _watching(timeout):
    """Whether rows run in a thread of their own under a deadline: not without one,
    and not on an in-memory SQLite database (one connection, one thread at a time)."""
    return bool(timeout) and db.engine.url.database not in (None, "", ":memory:")


def run_due(kinds=None, exclude_kinds=(), stop=None, batch=BATCH, timeout=None):
    """Run the outbox rows that are due now (of the kinds matching the glob patterns
    ``kinds``, all when None, and not ``exclude_kinds``), a few claimed at a time,
    until none is left or ``stop`` (a threading.Event) is set: then after the row
    running. Each run is given up after ``timeout`` seconds (default
    ``OUTBOX_RUN_TIMEOUT_SECONDS``; 0: no deadline, the rows run in this thread).
    Returns how many this call completed."""
    if timeout is None:
        timeout = current_app.config["OUTBOX_RUN_TIMEOUT_SECONDS"]
    watched = _watching(timeout)
    turns = _batched_kinds(kinds, exclude_kinds)
    done = 0
    while not (stop is not None and stop.is_set()):
        # Each round, the oldest due row of each batched kind first (its handler takes
        # every due row of the kind), then a few rows in the order they were written:
        # a worker serving every kind would otherwise reach the search index's rows
        # only after all the notifications queued before them, and under steady
        # writes the index would fall ever further behind (bench/RESULTS.md, "Index
        # lag"). Nothing waits more than a round for its turn.
        claims = claim(batch, kinds, exclude_kinds, first_of=turns)
        if not claims:
            return done
        progressed = 0
        with LeaseKeeper(claims[0].token):
            for held in claims:
                if stop is not None and stop.is_set():
                    release(held.token)
                    return done
                if run_watched(held, timeout) if watched else run(held):
                    done += 1
                    progressed += 1
        if progressed == 0:
            return done
    return done


def _batched_kinds(kinds, exclude_kinds):
    """The kinds with a batched handler (community/outbox_batches.py) this worker
    serves."""
    served = known_kinds(kinds or ["*"])
    excluded = set(known_kinds(exclude_kinds)) if exclude_kinds else set()
    return [kind for kind in served if kind not in excluded
            and getattr(_handler(kind), "batch_kind", None) == kind]


def drain():
    """Run everything due now, inline and without a deadline (tests and
    single-process mode)."""
    return run_due(timeout=0)


def pending_count():
    return db.session.scalar(
        select(db.func.count()).select_from(OutboxMessage).where(
            and_(OutboxMessage.status == "pending")))


# --- periodic jobs ----------------------------------------------------------------

def delete_done():
    """The outbox's own periodic job: done rows older than ``OUTBOX_KEEP_DAYS`` go."""
    cutoff = clock.now() - timedelta(days=current_app.config["OUTBOX_KEEP_DAYS"])
    deleted = db.session.execute(
        delete(OutboxMessage).where(OutboxMessage.status == "done", OutboxMessage.done_at < cutoff)
        .execution_options(synchronize_session=False)).rowcount
    if deleted:
        log.info("outbox: deleted %d done rows older than %s", deleted, cutoff.date())
    return deleted


CLEANUP = PeriodicJob("outbox.delete_done", timedelta(hours=1), delete_done)


def _take_turn(job, now, force=False):
    """Whether this worker runs ``job`` now; commits. The cluster shares one
    ``periodic_runs`` row per job: only the worker whose UPDATE finds it due (or
    inserts it) moves it forward, so on both databases one worker wins."""
    if job.each_worker:
        return _take_local_turn(job, now, force)
    known = current_app.extensions.setdefault("outbox_next_runs", {})
    if not force and job.name in known and known[job.name] > now:
        return False  # another worker moved it here: it only moves forward
    moved = db.session.execute(
        update(PeriodicRun).where(PeriodicRun.name == job.name,
                                  true() if force else PeriodicRun.next_run_at <= now)
        .values(next_run_at=now + job.every, last_run_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if not moved:
        moved = dbutil.insert_ignoring_duplicate(
            PeriodicRun, ["name"], {"name": job.name, "next_run_at": now + job.every,
                                    "last_run_at": now}) is not None
    if moved:
        known[job.name] = now + job.every
    else:
        known[job.name] = db.session.scalar(
            select(PeriodicRun.next_run_at).where(PeriodicRun.name == job.name))
    db.session.commit()
    return moved


def _take_local_turn(job, now, force):
    local = current_app.extensions.setdefault("outbox_local_runs", {})
    if not force and job.name in local and local[job.name] > now:
        return False
    local[job.name] = now + job.every
    return True


def run_periodic(force=False, stop=None):
    """Run the periodic jobs that are due (all of them when ``force``), those of the
    cluster only in the worker that wins their turn. Returns the names run."""
    now = clock.now()
    ran = []
    for job in list(periodic_jobs().values()):
        if stop is not None and stop.is_set():
            break
        if not _take_turn(job, now, force):
            continue
        started, succeeded = time.monotonic(), False
        try:
            job.func()
            db.session.commit()
            succeeded = True
        except Exception as error:  # a failing job must not stop the worker ...
            db.session.rollback()
            if is_outage(error):
                raise  # ... but a database that cannot be reached is the worker's to wait for
            log.exception("periodic job %s failed", job.name)
        if not job.each_worker:
            _record_run(job, time.monotonic() - started, succeeded)
        ran.append(job.name)
    return ran


def _record_run(job, seconds, succeeded):
    """How long the cluster's run of ``job`` took and whether it ended well, on its
    ``periodic_runs`` row (``/metrics`` reads it, the same on every host); commits."""
    values = {"last_duration_seconds": round(seconds, 6)}
    if succeeded:
        values["last_succeeded_at"] = clock.now()
    db.session.execute(update(PeriodicRun).where(PeriodicRun.name == job.name).values(**values)
                       .execution_options(synchronize_session=False))
    db.session.commit()
