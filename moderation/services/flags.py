"""Members flag posts; enough distinct flaggers hide a post until it is reviewed."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from community import clock
from community.services import threads
from community.errors import Conflict
from community.extensions import db
from community.permissions import require

from ..labels import FLAG_REASONS, URGENT_FLAG_REASONS
from ..models import Flag
from . import audit, invalid, items

URGENT_PRIORITY = 10


def my_flag(user, post):
    return db.session.scalar(select(Flag).where(Flag.post_id == post.id, Flag.user_id == user.id))


def flag_post(user, post, reason, text=""):
    """Record ``user``'s flag on ``post``; returns the flag."""
    require(user, "flag", post, message=_l("You cannot flag this post."))
    text = " ".join((text or "").split())
    if reason not in FLAG_REASONS:
        raise invalid("reason", _l("Please choose a reason."))
    if reason == "other" and len(text) < 5:
        raise invalid("text", _l("Please tell the moderators what is wrong."))
    if len(text) > 500:
        raise invalid("text", _l("Please keep it under 500 characters."))
    items.lock_post(post)
    if my_flag(user, post) is not None:
        raise Conflict(_l("You have already flagged this post. The moderators will look at it."),
                       code="already_flagged")
    flag = Flag(post_id=post.id, user_id=user.id, reason=reason, text=text, created_at=clock.now())
    db.session.add(flag)
    item = items.open_or_create(post, "flagged")
    if reason in URGENT_FLAG_REASONS:
        item.priority = max(item.priority, URGENT_PRIORITY)
    db.session.flush()
    _hide_when_enough(post, item, user)
    return flag


def _hide_when_enough(post, item, user):
    flaggers = len(items.open_flags(post.id))
    if post.visibility == "visible" and flaggers >= current_app.config["MOD_FLAGS_TO_HIDE"]:
        with audit.action():  # one entry, the automatic hide, even if an answer is un-accepted
            threads.set_post_visibility(user, post, "hidden")
        item.auto_hidden = True
        db.session.flush()
        audit.record(None, "post.auto_hide", "post", post.id, flags=flaggers)
