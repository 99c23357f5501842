"""Statements of reasons: what a member is told about decisions on their content,
account or flags.

Each decision is a ``Notice`` row, the statement itself (shown with its reason and
the appeal form on /mod/notices), and a notification of the core's notifications
(the bell, and e-mail as the member chose), created in the same transaction. The
notification only says what happened and links to the statement: it is written
in the member's language when shown, and names no moderator.
"""
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from community import clock
from community.extensions import db
from community.models import Thread
from community.notifications import service as notifications

from ..models import Notice

# Decisions against a member that they may appeal once.
APPEALABLE = ("post_rejected", "post_hidden", "post_deleted", "silenced", "suspended")
# Notices about the member's account; the rest are about posts and flags.
ACCOUNT = ("silenced", "suspended", "sanction_lifted")


def notify(user_id, kind, post=None, thread_id=None, sanction=None, reason_code="", reason=""):
    notice = Notice(user_id=user_id, kind=kind, post_id=post.id if post is not None else None,
                    thread_id=thread_id or (post.thread_id if post is not None else None),
                    sanction_id=sanction.id if sanction is not None else None,
                    reason_code=reason_code or "", reason=(reason or "").strip(),
                    appealable=kind in APPEALABLE, created_at=clock.now())
    db.session.add(notice)
    db.session.flush()
    _tell(notice, post, sanction)
    return notice


def _tell(notice, post, sanction):
    """The member's notification, pointing at the statement on /mod/notices."""
    data = {"decision": notice.kind, "reason_code": notice.reason_code,
            "url": f"/mod/notices#notice-{notice.id}"}
    if notice.reason:
        data["reason"] = notice.reason
    if sanction is not None and notice.kind in ACCOUNT and sanction.ends_at is not None:
        data["until"] = sanction.ends_at.isoformat()
    about_account = notice.kind in ACCOUNT or (sanction is not None and post is None)
    thread = db.session.get(Thread, notice.thread_id) if notice.thread_id else None
    notifications.notify(notice.user_id, "sanction" if about_account else "moderation",
                         thread=None if about_account else thread,
                         post=None if about_account else post, data=data,
                         key=f"moderation.notice:{notice.id}")


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
