"""What a member's next question or answer meets, read before they type it: a review
by a moderator first (pre-moderation) and the new members' posting rate, each with
why and until when. The pages show it above the forms (``hooks.write_notice``);
``holds.policy`` applies the same rules when the post is sent. The third state, a
sanction, is ``sanctions.active``.

On the thread page the values are read in the statement the page already makes for
the thread's marks (``hooks.redirect_merged_thread``): the page's query count stays.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from community.extensions import db
from community.models import Thread
from community.services import categories

from .. import cache
from ..models import CategorySettings
from . import spam, trust


@dataclass(frozen=True)
class Standing:
    review: str | None = None            # "category": every post there waits for review;
                                         # "new_member": a new member's first posts wait
    approvals_needed: int | None = None  # "new_member": approved posts still to come
                                         # (None: until a moderator changes the level)
    categories: tuple = ()               # asking in no chosen category: where it would wait
    next_post_at: datetime | None = None  # the posting rate is used up until then


NOTHING = Standing()


def columns(user_id, category_id, window_start=None):
    """Scalar subqueries for ``from_row``: the member's manual trust level, approved
    posts, posts in the rate window (count, oldest) and the category's mode.
    ``category_id`` is a value or a scalar subquery; values may be bound parameters."""
    return [trust.manual_level_column(user_id), trust.approved_posts_column(user_id),
            *spam.rate_window_columns(user_id, window_start),
            select(CategorySettings.mode).where(CategorySettings.category_id == category_id)
            .scalar_subquery()]


def thread_columns(user_id, thread_id, window_start=None):
    return columns(user_id, select(Thread.category_id).where(Thread.id == thread_id)
                   .scalar_subquery(), window_start)


def _facts(user, row):
    manual, approved, recent, oldest = row[:4]
    manual = None if manual == "auto" else manual
    level = trust.level_from(user, manual, approved)
    rate = spam.next_post_at(recent, oldest) if spam.rate_applies(user, level) else None
    return level, manual, approved, rate


def _review(level, manual, approved, mode):
    """Why a post in a category of ``mode`` waits (as ``holds.policy`` decides), and the
    approvals a new member still needs."""
    if mode == "all":
        return "category", None
    if mode == "new_members" and level == "new":
        needed = trust.approvals_needed(manual, approved)
        if needed != 0:
            return "new_member", needed
    return None, None


def from_row(user, row):
    """The standing from the values of ``columns``."""
    if user.is_staff:
        return NOTHING
    level, manual, approved, rate = _facts(user, row)
    review, needed = _review(level, manual, approved, row[4])
    return Standing(review, needed, next_post_at=rate)


def remember(user, thread_id, row):
    cache.put("standing", (user.id, thread_id), from_row(user, row))


def for_thread(user, thread):
    """Before answering in ``thread`` (memoised per request)."""
    if user.is_staff:
        return NOTHING
    return cache.memo("standing", (user.id, thread.id), lambda: from_row(
        user, db.session.execute(select(*columns(user.id, thread.category_id))).one()))


def for_ask(user, category=None):
    """Before asking, in ``category`` or, with none chosen yet, in any category: then
    ``categories`` names those where the question would wait."""
    if user.is_staff:
        return NOTHING
    if category is not None:
        return from_row(user, db.session.execute(select(*columns(user.id, category.id))).one())
    level, manual, approved, rate = _facts(
        user, db.session.execute(select(*columns(user.id, None)[:4])).one())
    modes = trust.category_modes()
    waits = [(c.name, *_review(level, manual, approved, modes.get(c.id, "open")))
             for c in categories.all_categories()]
    held = [(name, review, needed) for name, review, needed in waits if review]
    first_posts = [needed for _, review, needed in held if review == "new_member"]
    return Standing("new_member" if first_posts else "category" if held else None,
                    first_posts[0] if first_posts else None,
                    tuple(name for name, _, _ in held), rate)
