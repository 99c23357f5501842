"""The daily digest: one e-mail a day with everything a member chose to get that way.

A periodic job (every 10 minutes in the worker) queues, from ``FORUM_DIGEST_HOUR``
on (in ``FORUM_DEFAULT_TIMEZONE``), one outbox row per member with notifications
waiting for the digest. Its key names the member and the day, so however often the
job runs and however many workers run it, each member gets one digest a day.
"""
from datetime import timezone
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from .. import clock, outbox
from ..extensions import db
from ..models import OutboxMessage, User
from . import mail
from .delivery import with_targets
from .models import Notification
from .preferences import preferences

DIGEST = "notifications.digest"


def local_now():
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return clock.now().replace(tzinfo=timezone.utc).astimezone(tz)


def queue_due_digests():
    """Queue today's digests once the digest hour has come; returns how many."""
    local = local_now()
    if local.hour < current_app.config["DIGEST_HOUR"]:
        return 0
    day = local.date().isoformat()
    user_ids = db.session.scalars(select(Notification.user_id).distinct().where(
        Notification.email_state == "digest"))
    keys = {f"{DIGEST}:{uid}:{day}": uid for uid in user_ids}
    if not keys:
        return 0
    queued = set(db.session.scalars(select(OutboxMessage.key).where(
        OutboxMessage.key.in_(list(keys)))))
    for key, uid in keys.items():
        if key not in queued:
            outbox.enqueue(DIGEST, {"user_id": uid, "day": day}, key=key,
                           ordering_key=f"digest:{uid}")
    return len(keys) - len(queued)


def compose_digest(payload):
    user = db.session.get(User, payload["user_id"])
    if user is None:
        return
    waiting = list(db.session.scalars(with_targets(select(Notification).where(
        Notification.user_id == user.id, Notification.email_state == "digest"))))
    choices = preferences(user)
    batch = []
    for n in waiting:
        if choices.get(n.kind) == "never":
            n.email_state = "dropped"
        else:
            batch.append(n)
    if batch:
        mail.create(user, batch, kind="digest", key=f"{DIGEST}:{user.id}:{payload['day']}")
