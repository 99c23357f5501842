"""Keeping the index true: receivers of the core's events note every thread a
transaction changes, and the backend writes it as the database has it then.

- PostgreSQL backend (``synchronous``): the threads are written just before the
  transaction commits, in it (``before_commit``): the change and its index rows
  commit together or not at all.
- Whoosh: each change becomes an outbox row in the same transaction, and the worker
  applies it after the commit by reading the thread as it is then. A crash before
  the commit loses nothing (there was no change); a crash after it leaves the row
  for the next worker run. The handler is idempotent (it writes what the database
  says now), so rows need no ordering and a row applied twice does no harm.
"""
import secrets

from sqlalchemy import event
from sqlalchemy.orm import Session

from community import events, outbox, outbox_batches
from community.extensions import db
from community.models import OutboxMessage

from ..engine import backends
from ..engine.backend import Busy
from . import documents

KIND = "search.index"
BUSY_RETRY_SECONDS = 5
PENDING = "search.changed_threads"     # in Session.info: threads to write before the commit


def changed(*thread_ids):
    """These threads changed in the current transaction: write them with it, or queue
    their update for the worker."""
    if backends.current().synchronous:
        db.session.info.setdefault(PENDING, set()).update(
            int(i) for i in thread_ids if i is not None)
    else:
        enqueue(*thread_ids)


def _write_changed(session):
    """``before_commit``: the outermost commit writes the threads its transaction changed."""
    if PENDING not in session.info or session.in_nested_transaction():
        return
    thread_ids = session.info.pop(PENDING)
    if thread_ids:
        backends.current().apply(thread_ids, session=session)


def _forget_changed(session, previous_transaction):
    if not session.in_transaction():
        session.info.pop(PENDING, None)


def enqueue(*thread_ids):
    """Queue an index update of these threads with the current transaction."""
    queued = {row.payload["thread_id"] for row in db.session.new
              if isinstance(row, OutboxMessage) and row.kind == KIND}
    for thread_id in dict.fromkeys(thread_ids):
        if thread_id is None or thread_id in queued:
            continue
        outbox.enqueue(KIND, {"thread_id": int(thread_id)},
                       key=f"{KIND}:{thread_id}:{secrets.token_hex(8)}")


def apply_updates(payloads):
    """Write the threads of these rows as the database has them now (or remove them
    from the index), each once, in one index commit."""
    update_threads(dict.fromkeys(p["thread_id"] for p in payloads))


def update_threads(thread_ids):
    try:
        backends.current().apply(thread_ids)
    except Busy as error:
        raise outbox.RetryLater(str(error), seconds=BUSY_RETRY_SECONDS) from error


# --- Receivers of the core's events --------------------------------------------------------------

def _thread(sender, thread, **_):
    changed(thread.id)


def _thread_updated(sender, thread, changes=None, **_):
    merged_from = (changes or {}).get("merged_from")
    changed(thread.id, merged_from[1] if merged_from else None)


def _threads_imported(sender, thread_ids, **_):
    changed(*thread_ids)


def register(app):
    """The worker's handler: every due update of a run in one index commit."""
    outbox.register_handler(app, KIND, outbox_batches.batched(KIND, apply_updates))


def connect(app):
    for signal in (events.thread_created, events.post_created, events.post_edited,
                   events.post_visibility_changed, events.answer_accepted,
                   events.thread_status_changed):
        signal.connect(_thread, sender=app)
    events.thread_updated.connect(_thread_updated, sender=app)
    events.threads_imported.connect(_threads_imported, sender=app)
    # Once per process, for every session: only sessions with changed threads act.
    if not event.contains(Session, "before_commit", _write_changed):
        event.listen(Session, "before_commit", _write_changed)
        event.listen(Session, "after_soft_rollback", _forget_changed)


# --- Self-healing ----------------------------------------------------------------------------------

def ensure_index():
    """Build the index when there is none but there are threads (a fresh install whose
    data came in without events, or a deleted index folder). Runs when the worker starts."""
    backend = backends.current()
    if backend.is_empty() and documents.visible_thread_count():
        backend.reindex()
