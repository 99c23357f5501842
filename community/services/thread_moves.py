"""Moving threads and replies: a thread into another category, replies into another
thread, a whole thread merged into another.

The bookkeeping of ``community/services/threads.py`` applied to moves, by its rules: the
threads are locked (lower id first) and every counter is recomputed by
``refresh_counters`` or moved by SQL expressions under those locks, so the threads'
replies, helpful votes and last activity and their categories' threads, posts,
solved and unanswered threads and latest thread stay equal to what the rows say. Moved replies
keep their authors, dates, votes and visibility, and the replies of both threads
are numbered 2, 3, ... again, without gaps. The core's events are sent.

Like every core service these functions flush but never commit, and they check no
permission and write no audit entry: the caller (moderation's thread tools)
decides who may move what, and records it.
"""
from sqlalchemy import select, true, update

from .. import clock, events
from ..extensions import db
from ..models import Category, Post, Thread
from .threads import (_app, _lock_thread, _refresh_category_latest, _snapshot,
                      refresh_counters, set_post_visibility, set_thread_status)


def lock_threads(*threads):
    """Lock the threads' rows until commit, lower id first, and read them again.

    Every move locks the threads it changes in this one order, so two moves between
    the same threads in opposite directions wait for each other instead of deadlocking.
    """
    for thread in sorted({t.id: t for t in threads}.values(), key=lambda t: t.id):
        _lock_thread(thread)


def move_thread(user, thread, category):
    """Move ``thread`` into ``category``: the category it leaves counts it no more
    (threads, posts, solved, latest thread), the new one counts it. Sends
    ``thread_updated`` with ``changes={"category": (old_id, new_id)}``.

    Returns the category the thread left, or None when it already was in ``category``
    (someone moved it a moment earlier).
    """
    _lock_thread(thread)
    if thread.category_id == category.id:
        return None
    old = db.session.get(Category, thread.category_id)
    visible, posts, solved, unanswered = _snapshot(thread)
    old.thread_count = Category.thread_count - int(visible)
    old.post_count = Category.post_count - posts
    old.solved_count = Category.solved_count - int(solved)
    old.unanswered_count = Category.unanswered_count - int(unanswered)
    thread.category_id = category.id
    db.session.flush()
    _forget_as_latest(old, thread)
    refresh_counters(thread, was_visible=False, had_posts=0, was_solved=False)
    events.thread_updated.send(_app(), thread=thread, user=user,
                               changes={"category": (old.id, category.id)})
    return old


def move_posts(user, posts, target):
    """Move replies of one thread into ``target``, where all replies are numbered again
    by time (the source's close up, in their order). If the source's accepted answer
    moves, the source is unsolved, and ``target`` takes it as its accepted answer (by
    ``user``, now) unless it has one; ``answer_accepted`` is sent for each change.
    Sends ``thread_updated`` for both threads with
    ``changes={"moved_posts": (source_id, target_id)}``.

    Returns the number of posts moved: 0 when they already are in ``target``. A
    question cannot be moved (``move_thread`` or ``merge_threads`` take it along),
    nor replies of several threads at once: ValueError.
    """
    ids = sorted({post.id for post in posts})
    if not ids:
        return 0
    source = _lock_source(ids, target)
    if source.id == target.id:
        return 0
    if db.session.scalar(select(Post.id).where(Post.id.in_(ids), Post.number == 1).limit(1)):
        raise ValueError("move_posts moves replies; a question stays with its thread")
    moved = _move_replies(user, source, target, Post.id.in_(ids))
    for thread in (source, target):
        events.thread_updated.send(_app(), thread=thread, user=user,
                                   changes={"moved_posts": (source.id, target.id)})
    return moved


def merge_threads(user, source, target):
    """Move every reply of ``source`` into ``target`` (as ``move_posts`` does, the
    accepted answer included); then ``source``, left with its question, is
    soft-deleted and closed (the core's ``set_post_visibility`` and
    ``set_thread_status``, with their events). Sends ``thread_updated`` for ``target``
    with ``changes={"merged_from": (None, source_id)}``.

    Returns the number of replies moved. Merging a thread into itself: ValueError.
    """
    if source.id == target.id:
        raise ValueError("a thread cannot be merged into itself")
    lock_threads(source, target)
    moved = _move_replies(user, source, target, true())
    set_post_visibility(user, db.session.get(Post, source.first_post_id), "deleted")
    set_thread_status(user, source, "closed")
    events.thread_updated.send(_app(), thread=target, user=user,
                               changes={"merged_from": (None, source.id)})
    return moved


def _lock_source(ids, target):
    """Lock the thread the posts ``ids`` are in, and ``target``; the posts' thread is
    read again under the lock (a merge may have moved them meanwhile)."""
    while True:
        found = _threads_of(ids)
        if len(found) != 1:
            raise ValueError("move_posts moves replies of one thread at a time")
        source = db.session.get(Thread, found.pop())
        lock_threads(source, target)
        if _threads_of(ids) == {source.id}:
            return source


def _threads_of(ids):
    return set(db.session.scalars(select(Post.thread_id).where(Post.id.in_(ids)).distinct()))


def _move_replies(user, source, target, which):
    """Move the replies of ``source`` that match ``which`` (a condition on Post) into
    ``target``, both threads locked: numbers, accepted answer and counters as
    ``move_posts`` says. Returns the number of posts moved."""
    moving = (Post.thread_id == source.id, Post.number > 1, which)
    accepted = source.accepted_post_id
    takes_accepted = accepted is not None and db.session.scalar(
        select(Post.id).where(*moving, Post.id == accepted)) is not None
    carried = takes_accepted and target.accepted_post_id is None
    source_before, target_before = _snapshot(source), _snapshot(target)
    db.session.flush()
    moved = db.session.execute(
        update(Post).where(*moving).values(thread_id=target.id)
        .execution_options(synchronize_session=False)).rowcount
    if not moved:
        return 0
    _renumber(source, Post.number)
    _renumber(target, Post.created_at)
    for row in list(db.session.identity_map.values()):  # their thread and number changed
        if isinstance(row, Post):
            db.session.expire(row)
    if takes_accepted:
        _set_accepted(source, None, None)
    if carried:
        _set_accepted(target, accepted, user)
    refresh_counters(target, *target_before)
    refresh_counters(source, *source_before)
    _forget_as_latest(db.session.get(Category, source.category_id), source)
    if takes_accepted:
        events.answer_accepted.send(_app(), thread=source, post=None, previous_post_id=accepted,
                                    user=user)
    if carried:
        events.answer_accepted.send(_app(), thread=target, post=db.session.get(Post, accepted),
                                    previous_post_id=None, user=user)
    return moved


def _set_accepted(thread, post_id, user):
    thread.accepted_post_id = post_id
    thread.accepted_by_id = user.id if user is not None else None
    thread.accepted_at = clock.now() if post_id is not None else None


def _renumber(thread, order):
    """Number the thread's replies 2, 3, ... by ``order`` (then id); only rows whose
    number changes are written."""
    rows = db.session.execute(select(Post.id, Post.number).where(
        Post.thread_id == thread.id, Post.number > 1).order_by(order, Post.id)).all()
    changed = [{"id": row.id, "number": number}
               for number, row in enumerate(rows, start=2) if row.number != number]
    if changed:
        db.session.execute(update(Post), changed)


def _forget_as_latest(category, thread):
    """``thread`` lost activity in ``category`` (it left, or its latest replies did):
    if it was the category's latest thread, find the latest again."""
    if db.session.scalar(select(Category.last_thread_id)
                         .where(Category.id == category.id)) == thread.id:
        _refresh_category_latest(category)
        db.session.flush()
