"""The review queue: what waits, with its context, and the decisions on it."""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from community.errors import Conflict, ValidationError
from community.extensions import db
from community.services.listing import Page
from community.models import Post, Thread
from community.permissions import require

from ..labels import DECISION_REASONS
from ..models import Flag, ReviewItem, Sanction
from . import appeals, decisions, items, threadtools

ACTIONS = {
    "pending": ("approve", "reject", "delete"),
    "flagged": ("dismiss", "hide", "delete", "escalate"),
    "appeal": ("grant", "deny"),
}
KINDS = tuple(ACTIONS)


@dataclass
class Entry:
    item: ReviewItem
    post: Post | None
    thread: Thread | None
    question: Post | None
    flags: list = field(default_factory=list)
    author: dict = field(default_factory=dict)


def open_items(page=1, per_page=20, kind=None):
    """Open items, most urgent first and then oldest first, with their context
    (a fixed number of queries per page)."""
    conditions = [ReviewItem.state == "open"]
    if kind in KINDS:
        conditions.append(ReviewItem.kind == kind)
    total = db.session.scalar(select(func.count(ReviewItem.id)).where(*conditions))
    rows = list(db.session.scalars(
        select(ReviewItem).where(*conditions)
        .options(joinedload(ReviewItem.user), joinedload(ReviewItem.notice),
                 joinedload(ReviewItem.post).joinedload(Post.thread).joinedload(Thread.category))
        .order_by(ReviewItem.priority.desc(), ReviewItem.created_at, ReviewItem.id)
        .limit(per_page).offset((page - 1) * per_page)))
    return Page(_with_context(rows), page, per_page, total)


def _with_context(rows):
    posts = [r.post for r in rows if r.post is not None]
    question_ids = {p.thread.first_post_id for p in posts if not p.is_question}
    questions = {q.id: q for q in db.session.scalars(
        select(Post).where(Post.id.in_(question_ids)))} if question_ids else {}
    flags = {}
    if posts:
        for flag in db.session.scalars(
                select(Flag).where(Flag.post_id.in_([p.id for p in posts]), Flag.state == "open")
                .options(joinedload(Flag.user)).order_by(Flag.created_at)):
            flags.setdefault(flag.post_id, []).append(flag)
    history = author_history({r.user_id for r in rows})
    return [Entry(r, r.post, r.post.thread if r.post else None,
                  questions.get(r.post.thread.first_post_id) if r.post else None,
                  flags.get(r.post_id, []), history.get(r.user_id, {})) for r in rows]


def author_history(user_ids):
    """Posts by visibility, flags received and sanctions for each author (3 queries)."""
    if not user_ids:
        return {}
    history = {uid: {"visible": 0, "pending": 0, "hidden": 0, "deleted": 0, "flags": 0,
                     "upheld": 0, "sanctions": 0} for uid in user_ids}
    for uid, visibility, count in db.session.execute(
            select(Post.author_id, Post.visibility, func.count(Post.id))
            .where(Post.author_id.in_(user_ids)).group_by(Post.author_id, Post.visibility)):
        history[uid][visibility] = count
    for uid, total, upheld in db.session.execute(
            select(Post.author_id, func.count(Flag.id),
                   func.sum(case((Flag.state == "upheld", 1), else_=0)))
            .join(Post, Post.id == Flag.post_id).where(Post.author_id.in_(user_ids))
            .group_by(Post.author_id)):
        history[uid]["flags"], history[uid]["upheld"] = total, upheld or 0
    for uid, count in db.session.execute(
            select(Sanction.user_id, func.count(Sanction.id))
            .where(Sanction.user_id.in_(user_ids)).group_by(Sanction.user_id)):
        history[uid]["sanctions"] = count
    return history


def open_count():
    return db.session.scalar(select(func.count(ReviewItem.id)).where(ReviewItem.state == "open"))


def resolve(moderator, item_id, action, version, reason_code="", reason="", urgent=False):
    """Decide an open item. A stale ``version`` (another moderator was faster, or
    changed it) raises Conflict with what happened; nothing is changed then."""
    require(moderator, "review")
    item = items.get_item(item_id)
    if item.state != "open" or item.version != version:
        raise Conflict(items.describe_change(item), code="already_handled")  # before validating
    if action not in ACTIONS.get(item.kind, ()):
        raise ValidationError(_l("This action is not possible for this item."),
                              fields={"action": _l("Not possible here.")})
    needs_reason = action in decisions.NEEDS_REASON or action == "deny"
    if reason_code and reason_code not in DECISION_REASONS or needs_reason and not reason_code:
        raise ValidationError(_l("Please choose a reason: the member will be told."),
                              fields={"reason_code": _l("Please choose a reason.")})
    if item.post_id is not None:
        items.lock_post(db.session.get(Post, item.post_id))
    items.claim(item, moderator, action, version, reason)
    if item.kind == "appeal":
        return appeals.decide(moderator, item, action == "grant", reason_code, reason)
    post = db.session.get(Post, item.post_id)
    if action == "escalate":
        thread = db.session.get(Thread, post.thread_id)
        decisions.settle_flags(moderator, post, "upheld")
        return threadtools.escalate(moderator, thread, reason, urgent)
    return decisions.apply(moderator, post, action, reason_code, reason, item=item)
