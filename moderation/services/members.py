"""Members as moderators and admins see them: history, trust, role and staff title."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from community.extensions import db
from community.models import Post
from community.models.accounts import ROLES
from community.permissions import require

from . import audit, invalid


def set_role(admin, user, role, reason=""):
    require(admin, "manage_staff", user, message=_l("You cannot change this member's role."))
    if role not in ROLES:
        raise invalid("role", _l("Unknown role."))
    if role == user.role:
        return None
    before, user.role = user.role, role
    db.session.flush()
    return audit.record(admin, "member.role", "user", user.id, reason=reason, before=before,
                        after=role)


def set_staff_title(admin, user, title, reason=""):
    require(admin, "manage_staff", user, message=_l("You cannot change this member's title."))
    title = " ".join((title or "").split()) or None
    if title and len(title) > 60:
        raise invalid("staff_title", _l("Use at most 60 characters."))
    if title == user.staff_title:
        return None
    before, user.staff_title = user.staff_title, title
    db.session.flush()
    return audit.record(admin, "member.staff_title", "user", user.id, reason=reason,
                        before=before, after=title)


def recent_posts(user, limit=20):
    """The member's latest posts in every visibility, for moderators."""
    return list(db.session.scalars(
        select(Post).where(Post.author_id == user.id).options(joinedload(Post.thread))
        .order_by(Post.created_at.desc()).limit(limit)))
