"""Subscriptions, notifying members, and read state.

``notify`` is the public entry point for every package that must reach a member
(moderation decisions, sanctions, requests from the support team). Like the core's
services, these functions flush but never commit: the caller commits once, so a
notification and its e-mail job exist exactly when the change that caused them does.
"""
from uuid import uuid4

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from .. import clock
from ..extensions import db
from ..services.listing import Page
from ..models import Thread, User
from ..permissions import can, require
from . import delivery
from .kinds import KINDS
from .models import CategorySubscription, Notification, ThreadSubscription
from .present import is_public


# --- subscriptions --------------------------------------------------------------

def _thread_row(user, thread):
    return db.session.scalar(select(ThreadSubscription).where(
        ThreadSubscription.user_id == user.id, ThreadSubscription.thread_id == thread.id))


def is_watching_thread(user, thread):
    """True when ``user`` watches ``thread`` (one query)."""
    return bool(db.session.scalar(select(ThreadSubscription.active).where(
        ThreadSubscription.user_id == user.id, ThreadSubscription.thread_id == thread.id)))


def watch_thread(user, thread, reason="watched"):
    require(user, "watch", thread)
    require(user, "view_thread", thread)
    row = _thread_row(user, thread)
    if row is None:
        row = ThreadSubscription(user_id=user.id, thread_id=thread.id, reason=reason,
                                 created_at=clock.now())
        db.session.add(row)
    row.active = True
    db.session.flush()
    return row


def unwatch_thread(user, thread):
    """Stop watching; the row stays (inactive) so answering later does not re-subscribe."""
    require(user, "signed_in")
    row = _thread_row(user, thread)
    if row is None:
        row = ThreadSubscription(user_id=user.id, thread_id=thread.id, reason="watched",
                                 created_at=clock.now())
        db.session.add(row)
    row.active = False
    db.session.flush()
    return row


def auto_subscribe(user, thread, reason):
    """Askers and repliers watch the thread, unless they turned this off or once
    stopped watching it."""
    if not user.auto_subscribe or _thread_row(user, thread) is not None:
        return None
    row = ThreadSubscription(user_id=user.id, thread_id=thread.id, reason=reason,
                             created_at=clock.now())
    db.session.add(row)
    db.session.flush()
    return row


def is_watching_category(user, category):
    return db.session.scalar(select(CategorySubscription.id).where(
        CategorySubscription.user_id == user.id,
        CategorySubscription.category_id == category.id)) is not None


def watch_category(user, category):
    require(user, "watch", category)
    if not is_watching_category(user, category):
        db.session.add(CategorySubscription(user_id=user.id, category_id=category.id,
                                            created_at=clock.now()))
        db.session.flush()


def unwatch_category(user, category):
    require(user, "signed_in")
    db.session.execute(db.delete(CategorySubscription).where(
        CategorySubscription.user_id == user.id,
        CategorySubscription.category_id == category.id))


def thread_watchers(thread):
    return list(db.session.scalars(
        select(User).join(ThreadSubscription, ThreadSubscription.user_id == User.id)
        .where(ThreadSubscription.thread_id == thread.id, ThreadSubscription.active.is_(True))))


def category_watchers(category_id):
    return list(db.session.scalars(
        select(User).join(CategorySubscription, CategorySubscription.user_id == User.id)
        .where(CategorySubscription.category_id == category_id)))


# --- notifying ------------------------------------------------------------------

def _event_key(kind, thread, post, actor):
    if kind in ("reply", "official", "mention") and post is not None:
        return f"post:{post.id}"  # one notification per post and person, whatever the kind
    if kind == "accepted" and post is not None:
        return f"accepted:{post.id}"
    if kind == "helpful" and post is not None and actor is not None:
        return f"helpful:{post.id}:{actor.id}"
    if kind == "new_thread" and thread is not None:
        return f"thread:{thread.id}"
    return f"{kind}:{uuid4().hex}"


def notify(user, kind, *, thread=None, post=None, actor=None, data=None, key=None):
    """Tell ``user`` (a User or a user id) about an event; returns the notification,
    or None when it was not created.

    ``kind`` is one of ``kinds.KINDS``. ``data`` (JSON) may carry ``decision``
    (a moderation notice code), ``reason``, ``until`` (ISO date of a sanction),
    ``message`` (a support request: shown in the app, never e-mailed) and ``url``
    (a path on this site to open). ``key`` names the event: the same key reaches
    each person once (pass one when the caller may run twice, e.g. from an outbox
    handler). Nobody is told about their own action, and notifications about
    posts are only created while the thread and post are public.
    """
    if isinstance(user, int):
        user = db.session.get(User, user)
    created = notify_many([user], kind, thread=thread, post=post, actor=actor, data=data, key=key)
    return created[0] if created else None


def notify_many(users, kind, *, thread=None, post=None, actor=None, data=None, key=None):
    """``notify`` for several recipients of one event, in a fixed number of queries."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ValueError(f"unknown notification kind {kind!r}")
    if thread is None and post is not None:
        thread = db.session.get(Thread, post.thread_id)
    if spec.content and not is_public(thread, post):
        return []
    # An erased account (community/services/privacy.py) has an address in the reserved
    # .invalid domain: nobody reads its notifications, so none are made.
    recipients = {u.id: u for u in users if u is not None and not u.email.endswith(".invalid")
                  and (actor is None or u.id != actor.id)
                  and (thread is None or not spec.content or can(u, "view_thread", thread))}
    if not recipients:
        return []
    key = key or _event_key(kind, thread, post, actor)
    taken = set(db.session.scalars(select(Notification.user_id).where(
        Notification.event_key == key, Notification.user_id.in_(list(recipients)))))
    now = clock.now()
    created = [Notification(user_id=uid, kind=kind, event_key=key,
                            thread_id=thread.id if thread is not None else None,
                            post_id=post.id if post is not None else None,
                            actor_id=actor.id if actor is not None else None,
                            data=dict(data or {}), created_at=now)
               for uid in recipients if uid not in taken]
    if not created:
        return []
    db.session.add_all(created)
    db.session.flush()
    db.session.execute(update(User).where(User.id.in_([n.user_id for n in created]))
                       .values(unread_notifications=User.unread_notifications + 1))
    delivery.schedule(created, recipients)
    return created


# --- reading --------------------------------------------------------------------

def mark_read(user, notification_ids=None):
    """Mark some (or all) of ``user``'s notifications read; returns how many changed."""
    query = update(Notification).where(Notification.user_id == user.id,
                                       Notification.read_at.is_(None))
    if notification_ids is not None:
        query = query.where(Notification.id.in_(list(notification_ids)))
    return _mark(user, query)


# What reading a thread's page answers: its posts, answers, votes and mentions.
# Moderation notices and support requests point elsewhere and stay unread.
CONTENT_KINDS = tuple(name for name, kind in KINDS.items() if kind.content)


def mark_thread_read(user, thread):
    """The member read ``thread``: its notifications about posts are read. Free (no
    statement) when the member has nothing unread, as the bell's column says."""
    if not user.unread_notifications:
        return 0
    return _mark(user, update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None),
        Notification.thread_id == thread.id, Notification.kind.in_(CONTENT_KINDS)))


def _mark(user, query):
    """The bell's counter moves by exactly the rows that changed, so concurrent
    notifications are never lost from it."""
    shown = user.unread_notifications or 0   # read before the row changes
    changed = db.session.execute(query.values(read_at=clock.now()),
                                 execution_options={"synchronize_session": False}).rowcount
    if changed:
        db.session.execute(update(User).where(User.id == user.id).values(
            unread_notifications=case((User.unread_notifications > changed,
                                       User.unread_notifications - changed), else_=0)))
        # The page being rendered shows the new count without reading the row again.
        set_committed_value(user, "unread_notifications", max(0, shown - changed))
    return changed


def mark_all_read(user):
    return mark_read(user)


def get_notification(user, notification_id):
    """The member's own notification, or None (another member's is never shown)."""
    return db.session.scalar(
        select(Notification).where(Notification.id == notification_id,
                                   Notification.user_id == user.id)
        .options(joinedload(Notification.actor), joinedload(Notification.thread),
                 joinedload(Notification.post)))


def page_for(user, page=1, per_page=30):
    """The member's notifications, newest first (2 queries)."""
    total = db.session.scalar(select(func.count(Notification.id))
                              .where(Notification.user_id == user.id))
    items = list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id)
        .options(joinedload(Notification.actor), joinedload(Notification.thread),
                 joinedload(Notification.post))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .offset((page - 1) * per_page).limit(per_page)))
    return Page(items=items, page=page, per_page=per_page, total=total)
