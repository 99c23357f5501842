"""Thread tools: pin, lock, close and reopen, move, rename and retag, mark as
duplicate, merge, escalate. Moving and merging are the core's
(``community/services/thread_moves.py``, which keeps every counter right); this module adds
the permission, moderation's marks and the audit entry."""
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from community import clock, events
from community.services import thread_moves, threads
from community.errors import Conflict, NotFound, ValidationError
from community.inputs import id_number
from community.extensions import db
from community.models import Post, Thread
from community.permissions import require

from .. import cache
from ..models import AuditEntry, ThreadState
from . import audit, invalid


@dataclass
class Marks:
    """A thread's moderation marks as pages and permission checks read them (most
    threads have no ThreadState row; then all marks are off)."""
    locked: bool = False
    duplicate_of_id: int | None = None
    merged_into_id: int | None = None

    @property
    def duplicate_of(self):
        return db.session.get(Thread, self.duplicate_of_id) if self.duplicate_of_id else None

    @property
    def merged_into(self):
        return db.session.get(Thread, self.merged_into_id) if self.merged_into_id else None


def marks_columns(thread_id):
    """Scalar subqueries for ``Marks``: other lookups can share the statement."""
    def column(attribute):
        return select(attribute).where(ThreadState.thread_id == thread_id).scalar_subquery()
    return [column(ThreadState.locked), column(ThreadState.duplicate_of_id),
            column(ThreadState.merged_into_id)]


def remember_marks(thread_id, row):
    marks = Marks(bool(row[0]), row[1], row[2])
    cache.put("thread_state", thread_id, marks)
    return marks


def state_of(thread_id):
    """The thread's marks, memoised per request: the thread page, its banner and
    every permission check on it share one query."""
    return cache.memo("thread_state", thread_id, lambda: remember_marks(
        thread_id, db.session.execute(select(*marks_columns(thread_id))).one()))


def _state(thread):
    state = db.session.get(ThreadState, thread.id)
    if state is None:
        state = ThreadState(thread_id=thread.id, locked=False)
        db.session.add(state)
    state.updated_at = clock.now()
    cache.forget("thread_state", thread.id)
    return state


def find_thread(reference):
    """A thread from its number or its URL (``/t/123-slug``)."""
    match = re.fullmatch(r"\s*(\d+)\s*", reference or "") or re.search(r"/t/(\d+)", reference or "")
    thread_id = id_number(match.group(1)) if match else None
    thread = db.session.get(Thread, thread_id) if thread_id else None
    if thread is None:
        raise ValidationError(_l("No such thread."),
                              fields={"target": _l("Enter the number or URL of a thread.")})
    return thread


def set_pinned(moderator, thread, pinned, reason=""):
    require(moderator, "review")
    if thread.pinned == pinned:
        return None
    thread.pinned = pinned
    db.session.flush()
    return audit.record(moderator, "thread.pin" if pinned else "thread.unpin", "thread",
                        thread.id, reason=reason)


def set_status(moderator, thread, action, reason=""):
    """close | reopen | lock | unlock. Lock = closed and frozen for members (no edits,
    votes or accepting); reopening or unlocking also clears a duplicate mark."""
    require(moderator, "review")
    if action not in ("close", "reopen", "lock", "unlock"):
        raise invalid("action", _l("Unknown action."))
    marks = state_of(thread.id)
    before = {"status": thread.status, "locked": marks.locked}
    locked = action == "lock" or (action == "close" and marks.locked)
    status = "closed" if action in ("close", "lock") else "open"
    clears_duplicate = action in ("reopen", "unlock") and marks.duplicate_of_id is not None
    if before == {"status": status, "locked": locked} and not clears_duplicate:
        return None  # already so (another moderator was faster): nothing to record
    state = _state(thread)
    state.locked = locked
    if action in ("reopen", "unlock"):
        state.duplicate_of_id = None
    with audit.action():
        threads.set_thread_status(moderator, thread, "closed" if action in ("close", "lock")
                                  else "open")
    db.session.flush()
    return audit.record(moderator, f"thread.{action}", "thread", thread.id, reason=reason,
                        before=before, after={"status": thread.status, "locked": state.locked})


def move(moderator, thread, category, reason=""):
    require(moderator, "review")
    if category.id == thread.category_id:
        raise invalid("category", _l("The thread is already in this category."))
    old = thread_moves.move_thread(moderator, thread, category)
    if old is None:
        return None  # another moderator moved it there a moment earlier
    return audit.record(moderator, "thread.move", "thread", thread.id, reason=reason,
                        before=old.id, after=category.id)


def rename(moderator, thread, title, tags, reason=""):
    """New title and tags through the core's edit (the old title is kept as a revision)."""
    require(moderator, "review")
    question = db.session.get(Post, thread.first_post_id)
    before = {"title": thread.title, "tags": [t.name for t in threads.load_tags(thread)]}
    with audit.action():
        revision = threads.edit_post(moderator, question, question.body, title=title,
                                     tags=tags, reason=reason)
    if revision is None:
        return None
    return audit.record(moderator, "thread.rename", "thread", thread.id, reason=reason,
                        before=before, after={"title": thread.title,
                                              "tags": [t.name for t in thread.tags]})


def _check_target(thread, other, what):
    if other.id == thread.id:
        raise invalid("target", _l("Choose another thread."))
    state = state_of(other.id)
    if other.visibility != "visible" or state.merged_into_id:
        raise invalid("target", _l("The %(what)s must be a visible thread.", what=what))


def mark_duplicate(moderator, thread, original, reason=""):
    require(moderator, "review")
    _check_target(thread, original, _l("original"))
    if state_of(thread.id).duplicate_of_id == original.id and thread.status == "closed":
        return None  # already marked so
    state = _state(thread)
    state.duplicate_of_id = original.id
    with audit.action():
        threads.set_thread_status(moderator, thread, "closed")
    db.session.flush()
    return audit.record(moderator, "thread.mark_duplicate", "thread", thread.id, reason=reason,
                        original=original.id)


def merge(moderator, source, target, reason=""):
    """Move every reply of ``source`` into ``target`` (numbered by time, authors kept);
    ``source`` keeps its question, is soft-deleted and its URL redirects to ``target``."""
    require(moderator, "review")
    thread_moves.lock_threads(source, target)
    # Checked under the locks: another moderator may have merged either thread meanwhile
    # (into the other one, say), and merging into a merged thread would lose both.
    cache.forget("thread_state", source.id)
    cache.forget("thread_state", target.id)
    _check_target(source, target, _l("target"))
    if state_of(source.id).merged_into_id is not None:  # another moderator was faster
        raise Conflict(_merged_message(source), code="already_merged")
    with audit.action():
        moved = thread_moves.merge_threads(moderator, source, target)
        _state(source).merged_into_id = target.id
        for column in (ThreadState.merged_into_id, ThreadState.duplicate_of_id):
            db.session.execute(update(ThreadState).where(column == source.id)
                               .values({column.key: target.id})
                               .execution_options(synchronize_session=False))
    db.session.flush()
    return audit.record(moderator, "thread.merge", "thread", source.id, reason=reason,
                        into=target.id, moved_posts=moved)


def _merged_message(source):
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "thread.merge",
                                 AuditEntry.target_id == source.id)
        .options(joinedload(AuditEntry.actor)).order_by(AuditEntry.id.desc()).limit(1))
    who = entry.actor.name if entry is not None and entry.actor is not None else _l("someone")
    return str(_l("Already merged by %(name)s into thread %(id)s; nothing was changed by your "
                  "click.", name=who, id=state_of(source.id).merged_into_id))


def escalate(moderator, thread, reason="", urgent=False):
    """Ask the support team to answer: the agent bridge listens to this core event."""
    require(moderator, "review")
    events.escalation_requested.send(current_app._get_current_object(), thread=thread,
                                     user=moderator, reason=(reason or "").strip(),
                                     urgent=bool(urgent))
    return audit.record(moderator, "thread.escalate", "thread", thread.id, reason=reason,
                        urgent=bool(urgent))


def get_thread(thread_id):
    thread = db.session.get(Thread, thread_id)
    if thread is None:
        raise NotFound(_l("This thread does not exist."))
    return thread
