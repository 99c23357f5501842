"""Statements of reasons: what a member is told about decisions on their content,
account or flags.

Each notice is a row (shown on /mod/notices) plus an outbox row of kind
``moderation.notify`` in the same transaction. The notifications feature does not
exist yet; when it does, its handler for that kind delivers the notice (e-mail,
in-app badge). Until then the handler below only marks the row done, so the
outbox never piles up and nothing is sent outside.
"""
import logging

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from community import clock, outbox
from community.extensions import db

from ..models import Notice

log = logging.getLogger(__name__)
NOTIFY_KIND = "moderation.notify"
# Decisions against a member that they may appeal once.
APPEALABLE = ("post_rejected", "post_hidden", "post_deleted", "silenced", "suspended")


def notify(user_id, kind, post=None, thread_id=None, sanction=None, reason_code="", reason=""):
    notice = Notice(user_id=user_id, kind=kind, post_id=post.id if post is not None else None,
                    thread_id=thread_id or (post.thread_id if post is not None else None),
                    sanction_id=sanction.id if sanction is not None else None,
                    reason_code=reason_code or "", reason=(reason or "").strip(),
                    appealable=kind in APPEALABLE, created_at=clock.now())
    db.session.add(notice)
    db.session.flush()
    outbox.enqueue(NOTIFY_KIND, {"notice_id": notice.id, "user_id": user_id, "kind": kind},
                   key=f"{NOTIFY_KIND}:{notice.id}", ordering_key=f"user:{user_id}")
    return notice


@outbox.handler(NOTIFY_KIND)
def deliver(payload):
    """Placeholder delivery: the notice is already visible on /mod/notices."""
    log.debug("moderation notice %s for user %s (no notifications feature yet)",
              payload.get("notice_id"), payload.get("user_id"))


def for_member(user):
    return list(db.session.scalars(
        select(Notice).where(Notice.user_id == user.id)
        .options(joinedload(Notice.post), joinedload(Notice.thread), joinedload(Notice.sanction))
        .order_by(Notice.created_at.desc(), Notice.id.desc()).limit(200)))


def edit_reasons(user_id, thread_id):
    """post id -> reason of the latest moderator edit, for the author's own posts."""
    rows = db.session.execute(
        select(Notice.post_id, Notice.reason).where(
            Notice.user_id == user_id, Notice.thread_id == thread_id,
            Notice.kind == "post_edited").order_by(Notice.id))
    return {post_id: reason for post_id, reason in rows}
