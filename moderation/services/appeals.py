"""Appeals: a member contests a decision once; the appeal waits in the queue."""
from flask_babel import lazy_gettext as _l

from community import clock
from community.services import threads
from community.errors import Forbidden, NotFound
from community.extensions import db
from community.models import Post
from community.permissions import can

from ..models import Notice, ReviewItem, Sanction
from . import audit, invalid, items, notices, sanctions


def get_notice(user, notice_id):
    """The member's own notice; others' notices do not exist for them."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.user_id != getattr(user, "id", None):
        raise NotFound(_l("No such notice."))
    return notice


def appeal(user, notice, text):
    if not can(user, "appeal", notice):
        raise Forbidden(_l("This decision cannot be appealed (again)."), code="not_appealable")
    text = (text or "").strip()
    if not 10 <= len(text) <= 2000:
        raise invalid("text", _l("Please explain in 10 to 2000 characters."))
    notice.appealed_at = clock.now()
    open_post_id = None
    if notice.post_id is not None:
        post = db.session.get(Post, notice.post_id)
        items.lock_post(post)
        open_post_id = None if items.open_item(post.id) else post.id
    item = ReviewItem(kind="appeal", post_id=notice.post_id, open_post_id=open_post_id,
                      user_id=user.id, notice_id=notice.id, text=text, created_at=clock.now())
    db.session.add(item)
    db.session.flush()
    return item


def decide(moderator, item, granted, reason_code="", reason=""):
    """Called by the queue once the item is claimed."""
    notice = db.session.get(Notice, item.notice_id)
    post = db.session.get(Post, notice.post_id) if notice.post_id else None
    sanction = db.session.get(Sanction, notice.sanction_id) if notice.sanction_id else None
    if granted:
        if post is not None and post.visibility != "visible":
            with audit.action():
                threads.set_post_visibility(moderator, post, "visible")
        if sanction is not None and sanction.is_active(clock.now()):
            sanctions.lift(moderator, sanction, reason, quiet=True)
    notices.notify(item.user_id, "appeal_granted" if granted else "appeal_denied", post=post,
                   thread_id=notice.thread_id, sanction=sanction, reason_code=reason_code,
                   reason=reason)
    target = ("post", post.id) if post is not None else ("user", item.user_id)
    return audit.record(moderator, "appeal.grant" if granted else "appeal.deny", *target,
                        reason_code, reason, notice_id=notice.id, decision=notice.kind)
