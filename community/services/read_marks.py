"""Where each member stopped reading (issue 14, point 6): the time of the newest post a
member has seen in a thread. A thread whose latest activity is newer has new replies
for them; lists mark it and the thread page leads to the first of them.

Reading a thread page costs two statements (the mark before, the mark moved forward
in one upsert); a list one (the marks of the threads it shows). Visitors have none.
"""
from sqlalchemy import case, select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Post, ReadMark


def _signed_in(user):
    return user is not None and user.is_authenticated


def read(user, thread, posts):
    """``user`` sees ``posts`` of ``thread`` (a page of it): move their mark forward.
    Returns whether replies they had not seen before are on another page (the page
    then leads to the first of them); never on a first visit."""
    before = note(user, thread, posts)
    return (before is not None and thread.last_activity_at > before
            and thread.last_activity_at > max(p.created_at for p in posts))


def note(user, thread, posts):
    """``user`` saw ``posts`` of ``thread``: move their mark forward to the newest of
    them (never back). Returns the mark as it was before (None: first visit)."""
    if not _signed_in(user) or not posts:
        return None
    before = db.session.scalar(select(ReadMark.read_until).where(
        ReadMark.user_id == user.id, ReadMark.thread_id == thread.id))
    newest = max(p.created_at for p in posts)
    if before is None or newest > before:
        insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[
            db.session.get_bind().dialect.name]
        statement = insert(ReadMark).values(user_id=user.id, thread_id=thread.id,
                                            read_until=newest)
        db.session.execute(statement.on_conflict_do_update(
            index_elements=["user_id", "thread_id"],
            set_={"read_until": case((statement.excluded.read_until > ReadMark.read_until,
                                      statement.excluded.read_until),
                                     else_=ReadMark.read_until)}))
    return before


def with_new_replies(user, threads):
    """Ids of those of ``threads`` that ``user`` has read and that have newer
    activity since (one query)."""
    return new_since(user, [(t.id, t.last_activity_at) for t in threads])


def new_since(user, rows):
    """``with_new_replies`` of threads given as (id, latest activity) pairs: what a
    kept list page shows (reader_parts.py)."""
    if not _signed_in(user) or not rows:
        return set()
    latest = dict(rows)
    marks = db.session.execute(select(ReadMark.thread_id, ReadMark.read_until).where(
        ReadMark.user_id == user.id, ReadMark.thread_id.in_(list(latest))))
    return {thread_id for thread_id, read_until in marks if latest[thread_id] > read_until}


def first_new(user, thread):
    """The first post of ``thread`` that ``user`` may read and has not seen, or None."""
    read_until = db.session.scalar(select(ReadMark.read_until).where(
        ReadMark.user_id == user.id, ReadMark.thread_id == thread.id))
    if read_until is None:
        return None
    return db.session.scalar(
        select(Post).where(Post.thread_id == thread.id, Post.visibility == "visible",
                           Post.created_at > read_until)
        .order_by(Post.number).limit(1))
