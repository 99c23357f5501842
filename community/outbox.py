"""The transactional outbox and the worker that runs it.

``enqueue`` adds a row to the current transaction, so the work exists exactly
when the change that caused it was committed. The worker claims due rows
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers can run), calls the
handler registered for the row's kind, and marks it done; a failing handler is
retried with exponential backoff until ``OUTBOX_MAX_ATTEMPTS``. Rows that share an
``ordering_key`` run strictly one after another.

Handlers and periodic jobs (escalation sweep, digests) are registered per app by
each package's ``init_app`` (``register_handler``, ``register_periodic``: the
``outbox.*`` hooks of community/hooks.py) and run by the same worker loop.

A worker may serve only some kinds (glob patterns over ``kind``, e.g. ``bridge.*``),
so that one slow peer, such as a helpdesk, holds up only the worker that serves it.
"""
import contextvars
import fnmatch
import logging
import time
import traceback
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, exists, false, or_, select, true
from sqlalchemy.orm import aliased

from . import clock, hooks
from .extensions import db
from .models import OutboxMessage

log = logging.getLogger(__name__)

CLAIM_SECONDS = 300
MAX_BACKOFF_SECONDS = 3600

_retry = contextvars.ContextVar("outbox_retry", default=False)


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
    next_run: object = None


def is_retry():
    """Inside a handler: whether its row ran before (it failed, was put off, or a
    worker stopped while running it), so what it does outside may already have
    happened once. A handler whose peer cannot discard repeats looks first."""
    return _retry.get()


def register_handler(app, kind, fn):
    """In ``app``, ``fn(payload)`` runs the outbox rows of ``kind``."""
    if hooks.registered("outbox.handler", kind, app=app):
        raise ValueError(f"outbox kind {kind!r} has a handler already")
    hooks.add(app, "outbox.handler", fn, key=kind)


def register_periodic(app, name, every, fn):
    """In ``app``, the worker runs ``fn()`` every ``every`` (a timedelta)."""
    hooks.add(app, "outbox.periodic", PeriodicJob(name, every, fn), key=name)


def _handler(kind):
    found = hooks.registered("outbox.handler", kind)
    return found[0] if found else None


def periodic_jobs():
    """The current app's periodic jobs, by name."""
    return {name: jobs[0] for name, jobs in hooks.registered("outbox.periodic").items()}


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


def backoff(attempts):
    return timedelta(seconds=min(MAX_BACKOFF_SECONDS, 5 * 2 ** max(0, attempts - 1)))


def known_kinds(patterns):
    """The registered kinds that match any of the glob ``patterns``."""
    return sorted(kind for kind in hooks.registered("outbox.handler")
                  if any(fnmatch.fnmatchcase(kind, pattern) for pattern in patterns))


def _kind_like(pattern):
    # Glob to LIKE: ``*`` any characters, ``?`` one; LIKE's own wildcards are literal.
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return OutboxMessage.kind.like(escaped.replace("*", "%").replace("?", "_"), escape="\\")


def _kinds_served(kinds, exclude_kinds):
    """Rows whose kind matches one of ``kinds`` (any kind when None) and none of
    ``exclude_kinds``."""
    served = true() if kinds is None else or_(false(), *map(_kind_like, kinds))
    if exclude_kinds:
        served = and_(served, ~or_(*map(_kind_like, exclude_kinds)))
    return served


def _claim(limit, kinds=None, exclude_kinds=()):
    now = clock.now()
    earlier = aliased(OutboxMessage)
    blocked = exists().where(
        earlier.ordering_key == OutboxMessage.ordering_key,
        earlier.id < OutboxMessage.id,
        earlier.status == "pending",
    )
    query = (
        select(OutboxMessage)
        .where(
            OutboxMessage.status == "pending",
            OutboxMessage.run_after <= now,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
            or_(OutboxMessage.ordering_key.is_(None), ~blocked),
            _kinds_served(kinds, exclude_kinds),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=OutboxMessage)
    )
    rows = list(db.session.scalars(query))
    for row in rows:
        if row.claimed_until is not None:
            # Every run clears its claim, so an expired one means a worker stopped mid-run.
            row.last_error = row.last_error or "a worker stopped while running it"
        row.claimed_until = now + timedelta(seconds=CLAIM_SECONDS)
    db.session.commit()
    return [row.id for row in rows]


def _run_one(row_id):
    row = db.session.get(OutboxMessage, row_id)
    if row is None or row.status != "pending":
        return False
    fn = _handler(row.kind)
    retry = _retry.set(bool(row.attempts or row.last_error))
    try:
        if fn is None:
            raise LookupError(f"no handler registered for {row.kind!r} (feature switched off?)")
        fn(dict(row.payload or {}))
    except RetryLater as exc:
        db.session.rollback()
        row = db.session.get(OutboxMessage, row_id)
        row.claimed_until = None
        row.run_after = clock.now() + (timedelta(seconds=exc.seconds) if exc.seconds
                                       else backoff(row.attempts + 1))
        row.last_error = str(exc)
        db.session.commit()
        return False
    except Exception as exc:  # noqa: BLE001 - any failure is retried, never lost
        db.session.rollback()
        row = db.session.get(OutboxMessage, row_id)
        row.attempts += 1
        row.claimed_until = None
        row.last_error = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000]
        if row.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
            row.status = "failed"
            log.error("outbox %s %s failed for good: %s", row.kind, row.key, row.last_error)
        else:
            row.run_after = clock.now() + backoff(row.attempts)
            log.warning("outbox %s %s attempt %d failed: %s", row.kind, row.key, row.attempts,
                        row.last_error)
        db.session.commit()
        return False
    finally:
        _retry.reset(retry)
    row.status = "done"
    row.attempts += 1
    row.done_at = clock.now()
    row.claimed_until = None
    row.last_error = None
    db.session.commit()
    return True


def run_due(limit=100, kinds=None, exclude_kinds=()):
    """Run the outbox rows that are due now (of the kinds matching the glob patterns
    ``kinds``, all when None, and not ``exclude_kinds``). Returns how many succeeded."""
    done = 0
    while True:
        ids = _claim(limit, kinds, exclude_kinds)
        if not ids:
            return done
        progressed = 0
        for row_id in ids:
            if _run_one(row_id):
                done += 1
                progressed += 1
        if progressed == 0:
            return done


def run_periodic(force=False):
    """Run the periodic jobs that are due (all of them when ``force``)."""
    now = clock.now()
    ran = []
    for job in list(periodic_jobs().values()):
        if force or job.next_run is None or job.next_run <= now:
            try:
                job.func()
                db.session.commit()
            except Exception:  # noqa: BLE001 - a failing job must not stop the worker
                db.session.rollback()
                log.exception("periodic job %s failed", job.name)
            job.next_run = now + job.every
            ran.append(job.name)
    return ran


def drain():
    """Run everything due now, inline (tests and single-process mode)."""
    return run_due()


def work(once=False, kinds=None, exclude_kinds=()):
    """The worker loop: due outbox rows (of the kinds given, as in ``run_due``) and
    periodic jobs, until interrupted."""
    poll = current_app.config["WORKER_POLL_SECONDS"]
    while True:
        run_periodic(force=once)
        run_due(kinds=kinds, exclude_kinds=exclude_kinds)
        db.session.remove()
        if once:
            return
        time.sleep(poll)


def pending_count():
    return db.session.scalar(
        select(db.func.count()).select_from(OutboxMessage).where(
            and_(OutboxMessage.status == "pending")))
