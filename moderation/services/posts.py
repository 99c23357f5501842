"""A moderator acting on one post from its tools page (outside the queue)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from community.errors import Conflict, ValidationError
from community.extensions import db
from community.models import PostRevision
from community.permissions import require

from ..labels import DECISION_REASONS
from ..models import AuditEntry, Flag
from . import decisions, invalid, items, threadtools

# action -> visibilities it may start from
ALLOWED_FROM = {"hide": ("visible", "pending"), "delete": ("visible", "pending", "hidden"),
                "restore": ("hidden", "deleted", "pending")}


def moderate(moderator, post, action, expected_visibility, reason_code="", reason=""):
    """Hide, soft-delete or restore ``post``. ``expected_visibility`` is what the
    moderator saw: if someone changed it meanwhile, nothing happens (Conflict)."""
    require(moderator, "review")
    if action not in ALLOWED_FROM:
        raise invalid("action", _l("Unknown action."))
    if reason_code and reason_code not in DECISION_REASONS or (
            action in decisions.NEEDS_REASON and not reason_code):
        raise ValidationError(_l("Please choose a reason: the member will be told."),
                              fields={"reason_code": _l("Please choose a reason.")})
    items.lock_post(post)
    if post.visibility != expected_visibility:
        raise Conflict(changed_message(post), code="already_changed")
    if post.visibility not in ALLOWED_FROM[action]:
        raise ValidationError(_l("This action is not possible for this post now."))
    if action == "restore" and post.is_question and _merged(post.thread_id):
        raise ValidationError(_l("This question was merged into another thread; its answers "
                                 "live there now, so it stays deleted."))
    if action == "restore" and post.visibility == "pending":
        action = "approve"  # publishing a held post is an approval, and the author is told so
    item = items.close_for_post(post, moderator, action, reason)
    return decisions.apply(moderator, post, action, reason_code, reason, item=item)


def _merged(thread_id):
    return threadtools.state_of(thread_id).merged_into_id is not None


def changed_message(post):
    last = db.session.scalar(
        select(AuditEntry).where(AuditEntry.target_type == "post", AuditEntry.target_id == post.id)
        .options(joinedload(AuditEntry.actor)).order_by(AuditEntry.id.desc()).limit(1))
    who = last.actor.name if last is not None and last.actor is not None else _l("someone")
    return str(_l("This post was changed meanwhile (by %(name)s): it is now \"%(state)s\". "
                  "Nothing was changed by your click.", name=who, state=post.visibility))


def revisions(post):
    return list(db.session.scalars(
        select(PostRevision).where(PostRevision.post_id == post.id)
        .options(joinedload(PostRevision.editor)).order_by(PostRevision.created_at.desc())))


def all_flags(post):
    return list(db.session.scalars(select(Flag).where(Flag.post_id == post.id)
                                   .options(joinedload(Flag.user)).order_by(Flag.created_at)))
