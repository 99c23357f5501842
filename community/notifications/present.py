"""What a notification says to its recipient, for the list page and for e-mails.

Everything shown is checked against what the recipient may see *now*: a post that
was hidden after the notification was created is not named any more.
"""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_datetime

from ..markup import plain_text
from ..permissions import can
from .kinds import KINDS, headline
from .links import safe_path

SNIPPET_LENGTH = 400


@dataclass
class Item:
    notification: object
    headline: str
    title: str | None      # thread title, when the recipient may see it
    snippet: str | None    # text of the post (content kinds only)
    reason: str | None     # a moderator's reason
    message: str | None    # a support request's text (in the app only, never e-mailed)
    until: str | None      # end of a sanction, formatted for the recipient
    url: str | None
    unread: bool


def is_public(thread, post):
    """Content everybody may see: only then may a notification point at it."""
    return ((thread is None or thread.visibility == "visible")
            and (post is None or post.visibility == "visible"))


def visible_title(user, notification):
    thread = notification.thread
    if thread is None:
        return None
    spec = KINDS.get(notification.kind)
    if spec is not None and spec.content:
        return thread.title if is_public(thread, notification.post) else None
    if can(user, "view_thread", thread) or thread.author_id == user.id:
        return thread.title
    return None


def deliverable(user, notification):
    """May this notification still be sent (e-mail) to ``user``?"""
    spec = KINDS.get(notification.kind)
    if spec is None:
        return False
    if spec.content:
        return is_public(notification.thread, notification.post) and (
            notification.thread is None or can(user, "view_thread", notification.thread))
    return True


def describe(user, notification, link, absolute=lambda path: path, for_mail=False):
    """An ``Item`` for ``notification``. ``link(endpoint, **values)`` builds URLs
    (``url_for`` on pages, ``links.external_url`` in e-mails); ``absolute`` turns a
    site path into a link."""
    n = notification
    spec = KINDS.get(n.kind)
    title = visible_title(user, n)
    actor = n.actor.name if n.actor is not None else None
    data = n.data or {}
    url = snippet = None
    if spec is not None and spec.content:
        if title is not None:
            if n.post is not None and not n.post.is_question:
                url = link("threads.post", post_id=n.post.id)
                snippet = plain_text(n.post.body_html, limit=SNIPPET_LENGTH)
            else:
                url = link("threads.show", thread_id=n.thread.id, slug=n.thread.slug)
                if n.post is not None:
                    snippet = plain_text(n.post.body_html, limit=SNIPPET_LENGTH)
    elif spec is not None:
        path = safe_path(data.get("url"))
        if path:
            url = absolute(path)
        elif title is not None and can(user, "view_thread", n.thread):
            url = link("threads.show", thread_id=n.thread.id, slug=n.thread.slug)
    message = data.get("message") if n.kind == "support_request" and not for_mail else None
    return Item(notification=n, headline=headline(n, actor, title), title=title,
                snippet=snippet, reason=data.get("reason") or None, message=message or None,
                until=_until(data.get("until")), url=url, unread=n.read_at is None)


def _until(value):
    try:
        moment = datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
    return format_datetime(moment, "medium") if moment else None
