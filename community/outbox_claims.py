"""How outbox rows are held: a worker's claim on them, its lease, and the conditional
UPDATEs that start and finish a run only while the claim still holds.

A claim takes a few due rows with one atomic ``UPDATE … RETURNING`` that puts a new
random token on them (``FOR UPDATE SKIP LOCKED`` inside it on PostgreSQL; SQLite runs
the statement under its single write lock, version 3.35 or later), so two workers
never get the same row. The lease (``OUTBOX_LEASE_SECONDS``) is renewed while the
rows run; a row whose lease ran out may be claimed again by any worker, and then
the first run can no longer finish it. community/outbox.py runs the handlers.
"""
import logging
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, exists, false, or_, select, true, update
from sqlalchemy.orm import aliased

from . import clock
from .extensions import db
from .models import OutboxMessage

log = logging.getLogger(__name__)

BATCH = 3                  # rows one claim takes: a few, so none waits long behind others
LEASE_SECONDS = 300        # the default of OUTBOX_LEASE_SECONDS
ABANDONED = "the worker stopped while running it"


@dataclass(frozen=True)
class Claim:
    """A row this worker holds: only the run that still finds ``token`` on it may finish it."""
    id: int
    token: str


def database_problem():
    """Why workers cannot claim rows safely in this database, or None."""
    if db.engine.dialect.name == "sqlite" and sqlite3.sqlite_version_info < (3, 35):
        return (f"SQLite {sqlite3.sqlite_version} cannot claim outbox rows atomically "
                "(UPDATE … RETURNING needs 3.35 or later): upgrade it or use PostgreSQL.")
    return None


def lease():
    return timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])


def _kind_like(column, pattern):
    # Glob to LIKE: ``*`` any characters, ``?`` one; LIKE's own wildcards are literal.
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(escaped.replace("*", "%").replace("?", "_"), escape="\\")


def _kinds_served(column, kinds, exclude_kinds):
    """Rows whose kind matches one of ``kinds`` (any kind when None) and none of
    ``exclude_kinds``."""
    served = true() if kinds is None else or_(false(), *(_kind_like(column, k) for k in kinds))
    if exclude_kinds:
        served = and_(served, ~or_(*(_kind_like(column, k) for k in exclude_kinds)))
    return served


def _claimable(row, now):
    """Pending, due, and held by nobody (or by a worker whose lease ran out)."""
    return and_(row.status == "pending", row.run_after <= now,
                or_(row.claimed_until.is_(None), row.claimed_until < now))


# --- claiming -----------------------------------------------------------------------

def claim(limit=BATCH, kinds=None, exclude_kinds=(), first_of=()):
    """Take up to ``limit`` due rows for this worker, and besides them the oldest due
    row of each kind in ``first_of``; commits. Returns their Claims, in id order.
    First fails the rows whose last allowed run killed its worker."""
    now = clock.now()
    _fail_abandoned(now)
    # The candidates are chosen from an alias: a subquery over ``outbox`` itself would
    # be correlated to the UPDATE's table and lose its FROM.
    candidate, earlier = aliased(OutboxMessage, name="candidate"), aliased(OutboxMessage)
    blocked = exists().where(earlier.ordering_key == candidate.ordering_key,
                             earlier.id < candidate.id, earlier.status == "pending")

    def due(name, size, *served):
        # A CTE, so PostgreSQL picks and locks the rows once: a subquery may run again
        # for each row the UPDATE changes, skip the rows it has just claimed, and take
        # more.
        return (select(candidate.id)
                .where(_claimable(candidate, now),
                       or_(candidate.ordering_key.is_(None), ~blocked), *served)
                .order_by(candidate.id).limit(size)
                .with_for_update(skip_locked=True, of=candidate)
                .cte(name))
    chosen = [due(f"first_{n}", 1, candidate.kind == kind) for n, kind in enumerate(first_of)]
    # ``limit`` rows besides those (PostgreSQL would skip the rows the first ones locked
    # in this statement anyway; SQLite does not lock).
    chosen.append(due("due", limit, _kinds_served(candidate.kind, kinds, exclude_kinds),
                      *(candidate.id.not_in(select(first.c.id)) for first in chosen)))
    token = secrets.token_hex(16)
    ids = db.session.scalars(
        update(OutboxMessage)
        .where(or_(*(OutboxMessage.id.in_(select(cte.c.id)) for cte in chosen)),
               _claimable(OutboxMessage, now))
        .values(claim_token=token, claimed_until=now + lease())
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)).all()
    db.session.commit()
    return [Claim(row_id, token) for row_id in sorted(ids)]


def _fail_abandoned(now):
    """Rows whose last allowed run started and never ended: the worker died running
    them (each such run counted as an attempt when it started)."""
    for kind, key, attempts in db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == "pending", OutboxMessage.claim_token.is_not(None),
                   OutboxMessage.claimed_until < now,
                   OutboxMessage.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"])
            .values(status="failed", claim_token=None, claimed_until=None, last_error=ABANDONED)
            .returning(OutboxMessage.kind, OutboxMessage.key, OutboxMessage.attempts)
            .execution_options(synchronize_session=False)):
        log.error("outbox %s %s failed for good: %s, %d times", kind, key, ABANDONED, attempts)


def release(token):
    """Give back the rows of a claim that were not run (the worker is stopping)."""
    db.session.execute(update(OutboxMessage)
                       .where(OutboxMessage.claim_token == token,
                              OutboxMessage.status == "pending")
                       .values(claim_token=None, claimed_until=None)
                       .execution_options(synchronize_session=False))
    db.session.commit()


class LeaseKeeper:
    """While a batch runs, renews the lease of its rows every third of the lease, on a
    connection of its own (a handler may wait on a helpdesk far longer than a lease).
    Not for an in-memory SQLite database: it has one connection and one process."""

    def __init__(self, token):
        self.token, self.engine = token, db.engine
        self.seconds = current_app.config["OUTBOX_LEASE_SECONDS"]
        self._stop = threading.Event()
        self._thread = None
        if self.engine.url.database not in (None, "", ":memory:"):
            self._thread = threading.Thread(target=self._run, name="outbox-lease", daemon=True)

    def __enter__(self):
        if self._thread is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self):
        table = OutboxMessage.__table__
        failed = False
        while not self._stop.wait(self.seconds / 3):
            try:
                with self.engine.begin() as conn:
                    conn.execute(update(table)
                                 .where(table.c.claim_token == self.token,
                                        table.c.status == "pending")
                                 .values(claimed_until=clock.now()
                                         + timedelta(seconds=self.seconds)))
            except Exception as error:  # noqa: BLE001 - the run's own finish decides
                if not failed:  # said once: the worker logs the outage itself
                    log.warning("outbox: could not renew the lease of claim %s: %s",
                                self.token[:8], str(error).splitlines()[0])
                failed = True


def start(claim):
    """Count the attempt and renew the lease, if the claim still holds; commits.
    Returns the row (kind, key, payload, attempts, last_error), or None when another
    worker has it now."""
    started = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == claim.id, OutboxMessage.claim_token == claim.token,
               OutboxMessage.status == "pending")
        .values(attempts=OutboxMessage.attempts + 1, claimed_until=clock.now() + lease())
        .returning(OutboxMessage.kind, OutboxMessage.key, OutboxMessage.payload,
                   OutboxMessage.attempts, OutboxMessage.last_error)
        .execution_options(synchronize_session=False)).first()
    db.session.commit()
    return started


_given_up = set()   # claims whose run this process gave up (outbox.run_watched)


def give_up(claim):
    """The run of ``claim`` went on too long: this worker gives the row up. Returns the
    row (kind, key, attempts), still claimed, for the caller to end it as a failed
    attempt (``finish``); None when the run ended or lost its claim meanwhile. From
    then on the late run's own finish fails quietly and rolls back."""
    _given_up.add(claim)
    row = db.session.execute(
        select(OutboxMessage.kind, OutboxMessage.key, OutboxMessage.attempts)
        .where(OutboxMessage.id == claim.id, OutboxMessage.claim_token == claim.token,
               OutboxMessage.status == "pending")).first()
    if row is None:
        _given_up.discard(claim)
    return row


def finish(claim, row, **values):
    """End the run in the current transaction, if the claim still holds; commits.
    A lost claim rolls back everything the run wrote."""
    finished = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == claim.id, OutboxMessage.claim_token == claim.token)
        .values(claim_token=None, claimed_until=None, **values)
        .execution_options(synchronize_session=False))
    if finished.rowcount != 1:
        db.session.rollback()
        if claim in _given_up:  # said when it was given up
            _given_up.discard(claim)
            log.info("outbox %s %s: a run given up for its deadline ended; its changes are "
                     "rolled back", row.kind, row.key)
        else:
            log.warning("outbox %s %s: the lease ran out and another worker took the row "
                        "over; this run's changes are rolled back", row.kind, row.key)
        return False
    db.session.commit()
    return True
