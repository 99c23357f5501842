"""When a notification is e-mailed: at once, folded into the thread's next mail,
in the daily digest, or never.

Each notification to be mailed at once gets an outbox row ``notifications.compose``
(key per notification, ordering key per person and thread, so two workers never
compose the same person's thread mail at the same time). The row runs no earlier
than ``FORUM_MAIL_WINDOW_MINUTES`` after the last mail about that thread to that
person; when it runs it puts *all* of that person's waiting notifications of the
thread into one mail, and the rows of the folded ones find nothing left to do.
"""
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import clock, outbox
from ..extensions import db
from ..models import Thread, User
from . import mail
from .models import MailMessage, Notification
from .preferences import choices_for, preferences

COMPOSE = "notifications.compose"


def _window():
    return timedelta(minutes=current_app.config["MAIL_WINDOW_MINUTES"])


def _last_mail_times(user_ids, thread_id):
    if thread_id is None:
        return {}
    return dict(db.session.execute(
        select(MailMessage.user_id, func.max(MailMessage.created_at))
        .where(MailMessage.user_id.in_(list(user_ids)), MailMessage.thread_id == thread_id)
        .group_by(MailMessage.user_id)).all())


def _wait(last, now):
    """Time left in the mail window after a mail sent at ``last``."""
    if last is None:
        return timedelta(0)
    return max(timedelta(0), last + _window() - now)


def schedule(notifications, users):
    """Set each new notification's e-mail state and queue the mails due at once.
    All ``notifications`` are of one kind and one thread (one event)."""
    if not notifications:
        return
    first = notifications[0]
    choices = choices_for([n.user_id for n in notifications], first.kind)
    last = _last_mail_times(choices, first.thread_id)
    now = clock.now()
    for n in notifications:
        choice = choices[n.user_id]
        if choice == "never" or not users[n.user_id].email:
            n.email_state = "none"
        elif choice == "digest":
            n.email_state = "digest"
        else:
            n.email_state = "queued"
            thread_part = n.thread_id if n.thread_id is not None else f"n{n.id}"
            outbox.enqueue(COMPOSE, {"notification_id": n.id}, key=f"{COMPOSE}:{n.id}",
                           ordering_key=f"mail:{n.user_id}:{thread_part}",
                           delay=_wait(last.get(n.user_id), now))


def with_targets(query):
    """Load what a mail shows of each notification (actor, thread, post) at once."""
    return query.options(joinedload(Notification.actor), joinedload(Notification.thread),
                         joinedload(Notification.post)).order_by(Notification.id)


def _waiting(user_id, thread_id):
    return list(db.session.scalars(with_targets(select(Notification).where(
        Notification.user_id == user_id, Notification.thread_id == thread_id,
        Notification.email_state == "queued"))))


def _apply_current_choices(user, notifications):
    """A member who changed their mind since: "never" drops, "digest" defers."""
    kept, choices = [], preferences(user)
    for n in notifications:
        choice = choices.get(n.kind, "never")
        if choice == "never":
            n.email_state = "dropped"
        elif choice == "digest":
            n.email_state = "digest"
        else:
            kept.append(n)
    return kept


def compose(payload):
    """Compose the mail of one notification together with the others waiting for
    the same person and thread; wait for the end of the mail window first."""
    first = db.session.scalar(with_targets(select(Notification).where(
        Notification.id == payload["notification_id"])))
    if first is None or first.email_state != "queued":
        return  # folded into an earlier mail
    user = db.session.get(User, first.user_id)
    thread = db.session.get(Thread, first.thread_id) if first.thread_id is not None else None
    if thread is None:
        batch = [first]
    else:
        wait = _wait(_last_mail_times([user.id], thread.id).get(user.id), clock.now())
        if wait > timedelta(0):
            raise outbox.RetryLater("inside the mail window", seconds=wait.total_seconds())
        batch = _waiting(user.id, thread.id)
    batch = _apply_current_choices(user, batch)
    if batch:
        mail.create(user, batch, kind="thread" if thread is not None else "notice",
                    key=f"{COMPOSE}:{first.id}", thread=thread)
