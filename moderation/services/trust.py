"""Trust levels and per-category moderation modes.

new:     link and rate limits; in "new members pre-moderated" categories the first
         posts (until MOD_TRUST_APPROVED_POSTS are approved) wait for review
member:  earned automatically after enough approved (visible) posts and days
trusted: set by a moderator; skips the spam heuristics
Staff (moderators, agents, admins) are always trusted. A moderator may also set
"new" by hand: then every post waits in pre-moderated categories.
The new members' posting rate also holds for every member during the first
MOD_NEW_MEMBER_MIN_HOURS after joining, whatever their level (``spam.rate_applies``).
"""
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from community import clock
from community.extensions import db
from community.models import Post
from community.permissions import require

from ..labels import TRUST_LEVELS
from ..models import CategorySettings, MemberTrust
from . import audit, invalid

LEVELS = tuple(TRUST_LEVELS)


def approved_posts_column(user_id):
    """The count of the member's approved (visible) posts, as a scalar subquery."""
    return select(func.count(Post.id)).where(
        Post.author_id == user_id, Post.visibility == "visible").scalar_subquery()


def approved_posts(user):
    return db.session.scalar(select(approved_posts_column(user.id)))


def manual_level_column(user_id):
    return select(MemberTrust.level).where(MemberTrust.user_id == user_id).scalar_subquery()


def manual_level(user):
    row = db.session.get(MemberTrust, user.id)
    return row.level if row and row.level != "auto" else None


def trust_level(user):
    if user.is_staff:
        return "trusted"
    return manual_level(user) or _earned(user, approved_posts)


def _earned(user, approved):
    """"member" once old enough and with enough approved posts; ``approved`` is the
    count or a function computing it (only asked when the age allows)."""
    config = current_app.config
    if clock.now() - user.created_at < timedelta(days=config["MOD_TRUST_MIN_DAYS"]):
        return "new"
    count = approved(user) if callable(approved) else approved
    return "member" if count >= config["MOD_TRUST_APPROVED_POSTS"] else "new"


def first_posts_wait(user, level):
    """Whether a post by ``user`` waits in a "new members pre-moderated" category."""
    if level != "new":
        return False
    manual = manual_level(user)
    return manual == "new" or approvals_needed(manual, approved_posts(user)) > 0


def level_from(user, manual, approved):
    """``trust_level`` from what was read already: the level a moderator set (None for
    automatic) and the count of approved posts."""
    if user.is_staff:
        return "trusted"
    return manual or _earned(user, approved)


def approvals_needed(manual, approved):
    """Approved posts a new member still needs before their posts in "new members
    pre-moderated" categories appear at once; None when a moderator set "new" by hand
    (then they wait until a moderator changes it)."""
    if manual == "new":
        return None
    return max(0, current_app.config["MOD_TRUST_APPROVED_POSTS"] - approved)


def levels(users, approved_counts):
    """Trust of several members at once (one query), e.g. for the review queue."""
    ids = [u.id for u in users if not u.is_staff]
    manual = dict(db.session.execute(
        select(MemberTrust.user_id, MemberTrust.level)
        .where(MemberTrust.user_id.in_(ids), MemberTrust.level != "auto")).all()) if ids else {}
    return {u.id: "trusted" if u.is_staff else manual.get(u.id)
            or _earned(u, approved_counts.get(u.id, 0)) for u in users}


def set_trust(moderator, user, level, reason=""):
    """Set a member's level by hand, or hand it back to the automatic rule (level "auto")."""
    require(moderator, "set_trust", user)
    if level not in LEVELS + ("auto",):
        raise invalid("level", _l("Unknown trust level."))
    row = db.session.get(MemberTrust, user.id)
    before = row.level if row else "auto"
    if before == level:
        return
    if row is None:
        db.session.add(MemberTrust(user_id=user.id, level=level, set_by_id=moderator.id,
                                   set_at=clock.now()))
    else:
        row.level, row.set_by_id, row.set_at = level, moderator.id, clock.now()
    db.session.flush()
    audit.record(moderator, "member.trust", "user", user.id, reason=reason, before=before,
                 after=level)


def category_mode(category_id):
    row = db.session.get(CategorySettings, category_id)
    return row.mode if row else "open"


def category_modes():
    rows = db.session.execute(select(CategorySettings.category_id, CategorySettings.mode))
    return dict(rows.all())
