"""Thread tools: pin, lock, close and reopen, move, rename and retag, mark as
duplicate, merge, escalate. Counters go through the core's ``refresh_counters``."""
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from community import clock, events, threads
from community.errors import Conflict, NotFound, ValidationError
from community.inputs import id_number
from community.extensions import db
from community.models import Category, Post, Thread
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


def _lock(*to_lock):
    ids = sorted(t.id for t in to_lock)
    db.session.execute(select(Thread.id).where(Thread.id.in_(ids)).order_by(Thread.id)
                       .with_for_update())
    for thread in to_lock:
        db.session.refresh(thread)


def _snapshot(thread):
    """What the thread adds to its category's counters (as the core counts it)."""
    visible = thread.visibility == "visible"
    return visible, (thread.reply_count + 1) if visible else 0, visible and thread.is_solved


def _refresh_latest(category):
    latest = db.session.execute(
        select(Thread.id, Thread.last_activity_at)
        .where(Thread.category_id == category.id, Thread.visibility == "visible")
        .order_by(Thread.last_activity_at.desc()).limit(1)).first()
    category.last_thread_id = latest.id if latest else None
    category.last_activity_at = latest.last_activity_at if latest else None


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
    _lock(thread)
    old = db.session.get(Category, thread.category_id)
    visible, posts, solved = _snapshot(thread)
    old.thread_count = Category.thread_count - int(visible)
    old.post_count = Category.post_count - posts
    old.solved_count = Category.solved_count - int(solved)
    thread.category_id = category.id
    db.session.flush()
    if old.last_thread_id == thread.id:
        _refresh_latest(old)
    threads.refresh_counters(thread, was_visible=False, had_posts=0, was_solved=False)
    events.thread_updated.send(current_app._get_current_object(), thread=thread, user=moderator,
                               changes={"category": (old.id, category.id)})
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
    _check_target(source, target, _l("target"))
    _lock(source, target)
    cache.forget("thread_state", source.id)
    if state_of(source.id).merged_into_id is not None:  # another moderator was faster
        raise Conflict(_merged_message(source), code="already_merged")
    with audit.action():
        carry = source.accepted_post_id if target.accepted_post_id is None else None
        threads.remove_accepted_answer(moderator, source)
        source_before, target_before = _snapshot(source), _snapshot(target)
        moved = db.session.execute(
            update(Post).where(Post.thread_id == source.id, Post.number > 1)
            .values(thread_id=target.id).execution_options(synchronize_session=False)).rowcount
        db.session.expire_all()
        _renumber(target)
        threads.refresh_counters(target, *target_before)
        threads.refresh_counters(source, *source_before)
        question = db.session.get(Post, source.first_post_id)
        threads.set_post_visibility(moderator, question, "deleted")
        threads.set_thread_status(moderator, source, "closed")
        _state(source).merged_into_id = target.id
        for column in (ThreadState.merged_into_id, ThreadState.duplicate_of_id):
            db.session.execute(update(ThreadState).where(column == source.id)
                               .values({column.key: target.id})
                               .execution_options(synchronize_session=False))
        if carry:
            threads.accept_answer(moderator, db.session.get(Post, carry))
        events.thread_updated.send(current_app._get_current_object(), thread=target,
                                   user=moderator, changes={"merged_from": (None, source.id)})
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


def _renumber(thread):
    ids = db.session.scalars(select(Post.id).where(Post.thread_id == thread.id, Post.number > 1)
                             .order_by(Post.created_at, Post.id))
    rows = [{"id": post_id, "number": number} for number, post_id in enumerate(ids, start=2)]
    if rows:
        db.session.execute(update(Post), rows)


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
