"""Members as moderators and admins see them: history, trust, role and staff title."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from community.extensions import db
from community.models import Post
from community.models.accounts import ROLES
from community.permissions import require

from . import audit, invalid


def set_staff(admin, user, role, title, reason=""):
    """Role and staff title in one change: one audit entry ``member.staff`` with the
    fields that changed (None when nothing did)."""
    require(admin, "manage_staff", user, message=_l("You cannot change this member's role."))
    if role not in ROLES:
        raise invalid("role", _l("Unknown role."))
    title = " ".join((title or "").split()) or None
    if title and len(title) > 60:
        raise invalid("staff_title", _l("Use at most 60 characters."))
    before = {"role": user.role, "staff_title": user.staff_title}
    after = {"role": role, "staff_title": title}
    changed = [key for key in before if before[key] != after[key]]
    if not changed:
        return None
    user.role, user.staff_title = role, title
    db.session.flush()
    return audit.record(admin, "member.staff", "user", user.id, reason=reason,
                        before={k: before[k] for k in changed},
                        after={k: after[k] for k in changed})


def recent_posts(user, limit=20):
    """The member's latest posts in every visibility, for moderators."""
    return list(db.session.scalars(
        select(Post).where(Post.author_id == user.id).options(joinedload(Post.thread))
        .order_by(Post.created_at.desc()).limit(limit)))
