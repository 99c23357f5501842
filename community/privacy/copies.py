"""The copies of members' texts that every part of the site shares: outbox payloads
(helpdesk events, index updates, mails waiting to be sent), the data of
notifications, and the stored e-mails (community/notifications/mail.py).

An erasure or a redaction rewrites them with its ``Scrubber`` after every part has
rewritten its own (community/services/privacy.py), in the same transaction.
"""
from sqlalchemy import or_, select

from ..extensions import db
from ..models import MailMessage, Notification, OutboxMessage
from .scrub import rewrite_json, rows_containing, scrub_mail


def scrub(scrubber, post_ids=(), thread_ids=(), actor_ids=(), counts=None):
    """Rewrite the shared copies. E-mails are found through what they are about (the
    notifications they carry name their posts, threads and actors), since their text
    is quoted-printable and cannot be searched; payloads and notification data are
    found by their text."""
    if not scrubber:
        return
    changed = {
        "outbox_payloads": rewrite_json(
            rows_containing(OutboxMessage, OutboxMessage.payload, scrubber), "payload", scrubber),
        "notifications": rewrite_json(
            rows_containing(Notification, Notification.data, scrubber), "data", scrubber),
        "emails": _scrub_mails(scrubber, post_ids, thread_ids, actor_ids),
    }
    db.session.flush()
    if counts is not None:
        for what, n in changed.items():
            counts.count(what, n)


def _scrub_mails(scrubber, post_ids, thread_ids, actor_ids):
    about = [condition for condition in (
        Notification.post_id.in_(list(post_ids)) if post_ids else None,
        Notification.thread_id.in_(list(thread_ids)) if thread_ids else None,
        Notification.actor_id.in_(list(actor_ids)) if actor_ids else None) if condition is not None]
    if not about:
        return 0
    mail_ids = select(Notification.mail_id).where(Notification.mail_id.is_not(None), or_(*about))
    conditions = [MailMessage.id.in_(mail_ids)]
    if thread_ids:
        conditions.append(MailMessage.thread_id.in_(list(thread_ids)))
    changed = 0
    for message in db.session.scalars(select(MailMessage).where(or_(*conditions))):
        raw = scrub_mail(message.raw, scrubber)
        subject = scrubber.text(message.subject)
        if raw is not None or subject != message.subject:
            message.raw = raw or message.raw
            message.subject = subject
            changed += 1
    return changed
