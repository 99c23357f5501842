"""Keeping the index true: every change of a thread becomes an outbox row in the same
transaction (receivers of the core's events), and the worker applies it after the
commit by reading the thread as it is then. A crash before the commit loses nothing
(there was no change); a crash after it leaves the row for the next worker run.

The handler is idempotent (it writes what the database says now), so rows need no
ordering and a row applied twice does no harm.
"""
import secrets


from community import events, outbox
from community.extensions import db
from community.models import OutboxMessage

from . import documents
from ..engine import index

KIND = "search.engine.index"
BUSY_RETRY_SECONDS = 5


def enqueue(*thread_ids):
    """Queue an index update of these threads with the current transaction."""
    queued = {row.payload["thread_id"] for row in db.session.new
              if isinstance(row, OutboxMessage) and row.kind == KIND}
    for thread_id in dict.fromkeys(thread_ids):
        if thread_id is None or thread_id in queued:
            continue
        outbox.enqueue(KIND, {"thread_id": int(thread_id)},
                       key=f"{KIND}:{thread_id}:{secrets.token_hex(8)}")


def apply_update(payload):
    """Write one thread as the database has it now (or remove it from the index)."""
    update_threads([payload["thread_id"]])


def update_threads(thread_ids):
    try:
        with index.write_lock(timeout=index.LOCK_TIMEOUT) as base:
            path = index.ensure_live(base)
            index.apply(path, documents.load(thread_ids))
            index.note_changed(base, thread_ids)
    except index.IndexBusy as error:
        raise outbox.RetryLater(str(error), seconds=BUSY_RETRY_SECONDS) from error


# --- Receivers of the core's events --------------------------------------------------------------

def _thread(sender, thread, **_):
    enqueue(thread.id)


def _thread_updated(sender, thread, changes=None, **_):
    merged_from = (changes or {}).get("merged_from")
    enqueue(thread.id, merged_from[1] if merged_from else None)


def connect(app):
    for signal in (events.thread_created, events.post_created, events.post_edited,
                   events.post_visibility_changed, events.answer_accepted,
                   events.thread_status_changed):
        signal.connect(_thread, sender=app)
    events.thread_updated.connect(_thread_updated, sender=app)


# --- Self-healing ----------------------------------------------------------------------------------

def ensure_index():
    """Build the index when there is none but there are threads (a fresh install whose
    data came in without events, or a deleted index folder). Runs when the worker starts."""
    from ..engine import rebuild
    if index.live_generation() is None and documents.visible_thread_count():
        rebuild.reindex()
