"""Receivers of the core's events, connected per app in ``init_app``.

They run inside the transaction of the change, so notifications and their e-mail
jobs are committed together with it. Posts held for review (``pending``) notify
nobody until a moderator makes them visible.
"""
from .. import events, outbox
from ..extensions import db
from ..models import Post, Thread, User
from . import service
from .mentions import mentioned_users

MENTIONS = "notifications.mentions"


def announce_thread(thread, post):
    """A question became public: mentions in it and the category's watchers."""
    author = db.session.get(User, post.author_id)
    service.notify_many(mentioned_users(post), "mention", thread=thread, post=post,
                        actor=author)
    service.notify_many(service.category_watchers(thread.category_id), "new_thread",
                        thread=thread, post=post, actor=author)


def announce_post(thread, post):
    """A reply became public: the people it mentions, then the thread's watchers
    (one notification per person and post, so a mention is not also a reply)."""
    author = db.session.get(User, post.author_id)
    service.notify_many(mentioned_users(post), "mention", thread=thread, post=post,
                        actor=author)
    service.notify_many(service.thread_watchers(thread),
                        "official" if post.is_official else "reply", thread=thread, post=post,
                        actor=author)


def thread_created(sender, thread, post, user, **_):
    service.auto_subscribe(user, thread, "asked")
    if post.visibility == "visible":
        announce_thread(thread, post)


def post_created(sender, thread, post, user, **_):
    service.auto_subscribe(user, thread, "replied")
    if post.visibility == "visible":
        announce_post(thread, post)


def post_visibility_changed(sender, post, thread, old, new, user, **_):
    """A held post approved: announced now, as if it had just been written."""
    if old != "pending" or new != "visible":
        return
    if post.is_question:
        announce_thread(thread, post)
    else:
        announce_post(thread, post)


def post_edited(sender, post, thread, user, revision, **_):
    """Names added by an edit are told (names mentioned before were told already).
    Checked by the worker after the commit: another receiver of this event may
    still hold the edited post for review."""
    outbox.enqueue(MENTIONS, {"post_id": post.id}, key=f"{MENTIONS}:{revision.id}")


def mentions_after_edit(payload):
    post = db.session.get(Post, payload["post_id"])
    thread = db.session.get(Thread, post.thread_id) if post is not None else None
    if post is not None and service.is_public(thread, post):
        author = db.session.get(User, post.author_id)
        service.notify_many(mentioned_users(post), "mention", thread=thread, post=post,
                        actor=author)


def answer_accepted(sender, thread, post, previous_post_id, user, **_):
    if post is not None:
        service.notify(db.session.get(User, post.author_id), "accepted", thread=thread,
                       post=post, actor=user)


def post_voted(sender, post, user, helpful, **_):
    if helpful:
        service.notify(db.session.get(User, post.author_id), "helpful", post=post, actor=user)


def connect(app):
    events.thread_created.connect(thread_created, sender=app)
    events.post_created.connect(post_created, sender=app)
    events.post_visibility_changed.connect(post_visibility_changed, sender=app)
    events.post_edited.connect(post_edited, sender=app)
    events.answer_accepted.connect(answer_accepted, sender=app)
    events.post_voted.connect(post_voted, sender=app)
