"""Receivers of the core's events, connected per app in ``init_app``."""
from community import events
from community.permissions import is_moderator

from .services import audit, holds, items, notices


def post_created(sender, thread, post, user, **_):
    holds.after_post_created(post, user)


def post_edited(sender, post, thread, user, revision, **_):
    holds.after_post_edited(post, thread, user)
    if user.id == post.author_id or not is_moderator(user):
        return
    item = items.open_item(post.id)
    if item is not None:
        items.bump(item)  # a decision taken on the unedited text must be looked at again
    notices.notify(post.author_id, "post_edited", post=post, reason=revision.reason)
    if not audit.inside_action():
        audit.record(user, "post.edit", "post", post.id, reason=revision.reason,
                     thread_id=thread.id,
                     before={"body": revision.body, "title": revision.title},
                     after={"body": post.body, "title": thread.title if post.is_question else None})


def answer_accepted(sender, thread, post, previous_post_id, user, **_):
    """A moderator using the core's accept buttons in someone else's thread."""
    if audit.inside_action() or not is_moderator(user) or user.id == thread.author_id:
        return
    audit.record(user, "thread.accept_answer" if post is not None else "thread.remove_answer",
                 "thread", thread.id, post_id=post.id if post is not None else None,
                 previous_post_id=previous_post_id)


def connect(app):
    events.thread_created.connect(post_created, sender=app)
    events.post_created.connect(post_created, sender=app)
    events.post_edited.connect(post_edited, sender=app)
    events.answer_accepted.connect(answer_accepted, sender=app)
