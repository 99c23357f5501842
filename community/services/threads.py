"""Threads and posts: ask, reply, edit, vote helpful, accept an answer, visibility.

Every write goes through these functions, from the HTML views, the JSON API, the
CLI and the feature packages alike. They flush but never commit: the caller
commits once, so signal receivers can add outbox and audit rows to the same
transaction.
"""
import weakref
from dataclasses import dataclass, field
from functools import cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, func, inspect, select, true
from sqlalchemy.orm import contains_eager

from .. import clock, events, hooks, markup
from ..dbutil import insert_ignoring_duplicate
from ..errors import Conflict, NotFound, ValidationError
from ..extensions import db
from ..models import Category, Post, PostRevision, Tag, Thread, Vote
from ..permissions import require
from ..text import normalize_tag, slugify

TITLE_LENGTH = (8, 200)
BODY_LENGTH = (10, 50_000)



@dataclass(frozen=True)
class Write:
    """A question, reply or edit about to be saved, as the ``write.check`` hooks see
    it: ``texts`` maps the fields that will be public to their text (lengths already
    checked); ``confirmed`` holds what the writer confirmed (``public_data``)."""
    user: object
    action: str                      # "ask", "reply" or "edit"
    texts: dict
    thread: object = None            # None when asking
    post: object = None              # the post being edited
    official: bool = False           # an agent's official reply
    confirmed: frozenset = field(default_factory=frozenset)


def _length_errors(fields, imported):
    """The length rules of new posts; imported history keeps its texts as written, so
    for it only what the title column cannot hold (or no title at all) is refused."""
    if imported:
        title = fields.get("title")
        return {"title": title[1]} if title and not 0 < len(title[0]) <= TITLE_LENGTH[1] \
            else {}
    return {name: error for name, (_, error) in fields.items() if error}


def _check_write(write, imported):
    """Let features refuse a write before anything is saved (raise a ServiceError).
    Imported and demo content was public already: it is published as it is."""
    if imported:
        return
    for check in hooks.registered("write.check"):
        check(write)


def _app():
    return current_app._get_current_object()


def clean_title(title):
    title = " ".join((title or "").split())
    low, high = TITLE_LENGTH
    if len(title) < low:
        return title, _l("Please describe your question in at least %(n)d characters.", n=low)
    if len(title) > high:
        return title, _l("Please keep the title under %(n)d characters.", n=high)
    return title, None


def clean_body(body):
    body = (body or "").strip()
    low, high = BODY_LENGTH
    if len(body) < low:
        return body, _l("Please write at least %(n)d characters.", n=low)
    if len(body) > high:
        return body, _l("Please keep it under %(n)d characters.", n=high)
    return body, None


def clean_tags(tags):
    if isinstance(tags, str):
        tags = tags.split(",")
    names = []
    for raw in tags or []:
        name = normalize_tag(str(raw))
        if name and name not in names:
            names.append(name)
    limit = current_app.config["MAX_TAGS"]
    if len(names) > limit:
        return names, _l("Use at most %(n)d tags.", n=limit)
    if any(len(name) < 2 for name in names):
        return names, _l("Each tag needs at least 2 characters.")
    return names, None


def _tags(names):
    if not names:
        return []
    existing = {t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(names)))}
    result = []
    for name in names:
        tag = existing.get(name)
        if tag is None:
            tag = Tag(name=name)
            db.session.add(tag)
        result.append(tag)
    return result


def _initial_visibility(user, category, thread, title, body, imported=False):
    if imported:
        return "visible"
    for policy in hooks.registered("write.visibility"):
        if policy(user, category, thread, title, body) == "pending":
            return "pending"
    return "visible"


def create_thread(user, category, title, body, tags=(), created_at=None, confirmed=(),
                  imported=False):
    """Ask a question in ``category``; returns the new thread. ``confirmed``: what the
    asker confirmed when a feature asked (``public_data``); ``imported``: content from
    another forum or the demo, published as it is (no length rules but the title's
    column, no holds, no write checks)."""
    require(user, "ask", category)
    title, title_error = clean_title(title)
    body, body_error = clean_body(body)
    tag_names, tags_error = clean_tags(tags)
    fields = _length_errors({"title": (title, title_error), "body": (body, body_error)},
                            imported)
    if tags_error:
        fields["tags"] = tags_error
    if fields:
        raise ValidationError(_l("Please correct the marked fields."), fields=fields)
    _check_write(Write(user, "ask", {"title": title, "body": body},
                       confirmed=frozenset(confirmed)), imported)
    when = created_at or clock.now()
    visibility = _initial_visibility(user, category, None, title, body, imported)
    thread = Thread(category_id=category.id, author_id=user.id, title=title,
                    slug=slugify(title), created_at=when, last_activity_at=when,
                    visibility=visibility, last_author_id=user.id)
    thread.tags = _tags(tag_names)
    db.session.add(thread)
    db.session.flush()
    post = Post(thread_id=thread.id, author_id=user.id, number=1, body=body,
                body_html=markup.render(body), visibility=visibility, created_at=when)
    db.session.add(post)
    db.session.flush()
    thread.first_post_id = post.id
    refresh_counters(thread, was_visible=False, had_posts=0, was_solved=False)
    events.thread_created.send(_app(), thread=thread, post=post, user=user)
    return thread


def _reread(row, **options):
    """Read ``row``'s columns again (its loaded relationships stay loaded)."""
    db.session.flush()  # a refresh drops unflushed changes
    db.session.refresh(row, [attr.key for attr in inspect(type(row)).column_attrs], **options)
    return row


def _lock_thread(thread):
    """Lock the thread's row until commit and read it again.

    Every writer of a thread's counters and accepted answer holds this lock (a row
    lock on PostgreSQL; SQLite lets one writer in at a time), so the thread as read
    now is what its category has counted, not a copy loaded before another writer
    committed: counting from such a copy is how a category's post_count drifted.
    A thread ``lock_thread`` read in this transaction is current already: nobody
    else can have written it since.
    """
    if thread.id in _locked_now():
        db.session.flush()
        return thread
    return _reread(thread, with_for_update=True)


def _locked_now():
    """Ids of the threads ``lock_thread`` locked in the current transaction."""
    transaction = db.session().get_transaction()
    mark = db.session.info.get(_LOCKED)
    if transaction is None or mark is None or mark[0]() is not transaction:
        return set()
    return mark[1]


_LOCKED = "threads.locked"  # in Session.info: (weakref to the transaction, thread ids)


def lock_thread(thread_id):
    """The thread, read with its row lock taken (``_lock_thread``) for a write that
    follows in this transaction, or NotFound: one statement where reading it, then
    locking it, would be two. Its category comes with it (not locked: writers change
    a category's counters by SQL expressions)."""
    db.session.flush()  # a row read again drops unflushed changes
    thread = db.session.scalar(
        select(Thread).join(Thread.category).options(contains_eager(Thread.category))
        .where(Thread.id == thread_id).with_for_update(of=Thread)
        .execution_options(populate_existing=True))
    if thread is None:
        raise NotFound(_l("This thread does not exist."))
    locked = _locked_now()
    if not locked:
        db.session.info[_LOCKED] = (weakref.ref(db.session().get_transaction()), locked)
    locked.add(thread.id)
    return thread


def _lock_thread_of(post):
    """Lock the thread ``post`` is in and read both again (a merge may move the post)."""
    while True:
        thread = _lock_thread(db.session.get(Thread, post.thread_id))
        if _reread(post).thread_id == thread.id:
            return thread


def reply(user, thread, body, created_at=None, is_official=False, confirmed=(), imported=False):
    """Add a reply to ``thread``; returns the new post (``confirmed``, ``imported``: as
    for ``create_thread``)."""
    require(user, "reply", thread, message=_l("This thread is closed for new replies.")
            if thread.status != "open" else None)
    body, body_error = clean_body(body)
    fields = _length_errors({"body": (body, body_error)}, imported)
    if fields:
        raise ValidationError(_l("Please correct the marked fields."), fields=fields)
    _check_write(Write(user, "reply", {"body": body}, thread=thread, official=is_official,
                       confirmed=frozenset(confirmed)), imported)
    _lock_thread(thread)
    number = (db.session.scalar(select(func.max(Post.number)).where(Post.thread_id == thread.id))
              or 0) + 1
    category = db.session.get(Category, thread.category_id)
    visibility = _initial_visibility(user, category, thread, None, body, imported)
    before = _snapshot(thread)
    post = Post(thread_id=thread.id, author_id=user.id, number=number, body=body,
                body_html=markup.render(body), visibility=visibility, is_official=is_official,
                created_at=created_at or clock.now())
    db.session.add(post)
    db.session.flush()
    refresh_counters(thread, *before)
    events.post_created.send(_app(), thread=thread, post=post, user=user)
    return post


def edit_post(user, post, body, title=None, tags=None, reason="", confirmed=()):
    """Change a post's text (and the thread's title and tags for the question).

    The earlier text is kept as a revision. ``confirmed``: as for ``create_thread``.
    """
    require(user, "edit_post", post)
    thread = db.session.get(Thread, post.thread_id)
    body, body_error = clean_body(body)
    fields = {"body": body_error} if body_error else {}
    if post.is_question and title is not None:
        title, title_error = clean_title(title)
        if title_error:
            fields["title"] = title_error
    if post.is_question and tags is not None:
        tag_names, tags_error = clean_tags(tags)
        if tags_error:
            fields["tags"] = tags_error
    if fields:
        raise ValidationError(_l("Please correct the marked fields."), fields=fields)
    title_changed = post.is_question and title is not None and title != thread.title
    if body == post.body and not title_changed and (not post.is_question or tags is None):
        return None
    texts = {"title": title, "body": body} if post.is_question and title is not None \
        else {"body": body}
    _check_write(Write(user, "edit", texts, thread=thread, post=post, official=post.is_official,
                       confirmed=frozenset(confirmed)), imported=False)
    revision = PostRevision(post_id=post.id, editor_id=user.id, body=post.body,
                            title=thread.title if post.is_question else None,
                            reason=(reason or "")[:200], created_at=clock.now())
    db.session.add(revision)
    post.body = body
    post.body_html = markup.render(body)
    post.edited_at = clock.now()
    post.edited_by_id = user.id
    changes = {}
    if title_changed:
        changes["title"] = (thread.title, title)
        thread.title = title
        thread.slug = slugify(title)
    if post.is_question and tags is not None:
        old = [t.name for t in load_tags(thread)]
        thread.tags = _tags(tag_names)
        if old != tag_names:
            changes["tags"] = (old, tag_names)
    db.session.flush()
    events.post_edited.send(_app(), post=post, thread=thread, user=user, revision=revision)
    if changes:
        events.thread_updated.send(_app(), thread=thread, user=user, changes=changes)
    return revision


def toggle_helpful(user, post):
    """Vote a reply helpful, or take the vote back. Returns True when the vote now stands.

    The counts move by the vote rows the statements actually deleted or inserted: the
    same person's requests racing each other (one token, many clicks) neither fail on
    the unique vote nor take one vote back twice.
    """
    _lock_thread_of(post)
    require(user, "vote_helpful", post,
            message=_l("You cannot vote on your own posts.") if user.is_authenticated
            and user.id == post.author_id else None)
    delta = -db.session.execute(
        delete(Vote).where(Vote.post_id == post.id, Vote.user_id == user.id)).rowcount
    if not delta:
        delta = int(insert_ignoring_duplicate(Vote, ["post_id", "user_id"], {
            "post_id": post.id, "user_id": user.id, "created_at": clock.now()}) is not None)
    if delta:  # only visible replies can be voted on, and the thread sums exactly those
        post.helpful_count = Post.helpful_count + delta
        db.session.execute(db.update(Thread).where(Thread.id == post.thread_id)
                           .values(helpful_count=Thread.helpful_count + delta))
        db.session.flush()
        events.post_voted.send(_app(), post=post, user=user, helpful=delta > 0)
    else:  # another request of the same person voted meanwhile: read the count it left
        db.session.expire(post, ["helpful_count"])
    return delta >= 0


def accept_answer(user, post):
    """Mark ``post`` as the accepted answer of its thread (replacing any earlier one)."""
    thread = _lock_thread_of(post)
    require(user, "accept_answer", thread)
    if post.is_question or post.visibility != "visible":
        raise Conflict(_l("Only a visible answer can be accepted."), code="not_acceptable")
    if thread.accepted_post_id == post.id:
        return thread
    before = _snapshot(thread)
    previous = thread.accepted_post_id
    thread.accepted_post_id = post.id
    thread.accepted_by_id = user.id
    thread.accepted_at = clock.now()
    db.session.flush()
    refresh_counters(thread, *before)
    events.answer_accepted.send(_app(), thread=thread, post=post, previous_post_id=previous,
                                user=user)
    return thread


def remove_accepted_answer(user, thread):
    _lock_thread(thread)
    require(user, "accept_answer", thread)
    if thread.accepted_post_id is None:
        return thread
    _clear_accepted(thread, user)
    return thread


def _clear_accepted(thread, user):
    before = _snapshot(thread)
    previous = thread.accepted_post_id
    thread.accepted_post_id = None
    thread.accepted_by_id = None
    thread.accepted_at = None
    db.session.flush()
    refresh_counters(thread, *before)
    events.answer_accepted.send(_app(), thread=thread, post=None, previous_post_id=previous,
                                user=user)


def set_post_visibility(user, post, visibility):
    """Show, hold, hide or soft-delete a post. Content is never removed.

    Hiding the accepted answer makes the thread unsolved again; hiding the
    question hides the whole thread.
    """
    if visibility not in ("visible", "pending", "hidden", "deleted"):
        raise ValidationError(_l("Unknown visibility."), fields={"visibility": visibility})
    thread = _lock_thread_of(post)
    old = post.visibility
    if old == visibility:
        return post
    before = _snapshot(thread)
    post.visibility = visibility
    db.session.flush()
    if visibility != "visible" and thread.accepted_post_id == post.id:
        _clear_accepted(thread, user)
        before = _snapshot(thread)
    refresh_counters(thread, *before)
    events.post_visibility_changed.send(_app(), post=post, thread=thread, old=old,
                                        new=visibility, user=user)
    return post


def set_thread_status(user, thread, status):
    if status not in ("open", "closed"):
        raise ValidationError(_l("Unknown status."), fields={"status": status})
    old = thread.status
    if old != status:
        thread.status = status
        db.session.flush()
        events.thread_status_changed.send(_app(), thread=thread, old=old, new=status, user=user)
    return thread


def _snapshot(thread):
    """What ``thread`` adds to its category's counters (visible, posts, solved,
    unanswered); read under ``_lock_thread``."""
    visible = thread.visibility == "visible"
    return (visible, (thread.reply_count + 1) if visible else 0, visible and thread.is_solved,
            visible and thread.reply_count == 0)


def refresh_counters(thread, was_visible, had_posts, was_solved, was_unanswered=False):
    """Recompute the thread's counters and apply the difference to its category.

    Callers hold ``_lock_thread`` and took ``was_visible, had_posts, was_solved,
    was_unanswered`` from ``_snapshot`` under it; the category's counters change by SQL
    expressions, as writers of its other threads change them at the same time.
    """
    question, replies, helpful, last_id, last_author_id, last_at = db.session.execute(
        _counters_statement(), {"thread_id": thread.id, "first_post_id": thread.first_post_id}
    ).one()
    thread.visibility = question  # the question as committed, not as loaded
    if last_id is None:  # nothing visible: the question stands for the thread
        last = db.session.get(Post, thread.first_post_id)
        last_id, last_author_id, last_at = last.id, last.author_id, last.created_at
    thread.reply_count = replies
    thread.helpful_count = helpful
    thread.last_post_id = last_id
    thread.last_author_id = last_author_id
    thread.last_activity_at = last_at
    visible = thread.visibility == "visible"
    posts = (replies + 1) if visible else 0
    solved = visible and thread.is_solved
    unanswered = visible and replies == 0
    category = db.session.get(Category, thread.category_id)
    category.thread_count = Category.thread_count + (int(visible) - int(was_visible))
    category.post_count = Category.post_count + (posts - had_posts)
    category.solved_count = Category.solved_count + (int(solved) - int(was_solved))
    category.unanswered_count = Category.unanswered_count + (int(unanswered)
                                                             - int(was_unanswered))
    if visible and (category.last_activity_at is None
                    or thread.last_activity_at >= category.last_activity_at):
        category.last_activity_at = thread.last_activity_at
        category.last_thread_id = thread.id
    elif not visible and category.last_thread_id == thread.id:
        _refresh_category_latest(category)
    db.session.flush()


@cache
def _counters_statement():
    """What ``refresh_counters`` reads, in one round trip: the question's visibility,
    the visible replies and their helpful votes, and the last visible post (none when
    nothing is visible). Built once per process."""
    thread_id, first_post_id = bindparam("thread_id"), bindparam("first_post_id")
    replies = (select(func.count(Post.id).label("replies"),
                      func.coalesce(func.sum(Post.helpful_count), 0).label("helpful"))
               .where(Post.thread_id == thread_id, Post.visibility == "visible",
                      Post.number > 1).subquery("replies"))
    last = (select(Post.id, Post.author_id, Post.created_at)
            .where(Post.thread_id == thread_id, Post.visibility == "visible")
            .order_by(Post.number.desc()).limit(1).subquery("last"))
    question = select(Post.visibility).where(Post.id == first_post_id).scalar_subquery()
    return (select(question, replies.c.replies, replies.c.helpful, last.c.id, last.c.author_id,
                   last.c.created_at)
            .select_from(replies.outerjoin(last, true())))


def _refresh_category_latest(category):
    latest = db.session.execute(
        select(Thread.id, Thread.last_activity_at)
        .where(Thread.category_id == category.id, Thread.visibility == "visible")
        .order_by(Thread.last_activity_at.desc()).limit(1)).first()
    category.last_thread_id = latest.id if latest else None
    category.last_activity_at = latest.last_activity_at if latest else None


def load_tags(thread):
    """Load a thread's tags once (relationships never load lazily by accident)."""
    if "tags" in inspect(thread).unloaded:
        db.session.refresh(thread, ["tags"])
    return thread.tags


def get_thread(thread_id):
    thread = db.session.get(Thread, thread_id)
    if thread is None:
        raise NotFound(_l("This thread does not exist."))
    return thread


def get_post(post_id):
    post = db.session.get(Post, post_id)
    if post is None:
        raise NotFound(_l("This post does not exist."))
    return post
