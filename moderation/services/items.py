"""Review items: finding, opening and claiming them."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from community import clock
from community.errors import Conflict, NotFound
from community.extensions import db
from community.models import Post, User
from community.template_helpers import dt

from ..labels import RESOLUTIONS, label
from ..models import Flag, ReviewItem


def lock_post(post):
    """Serialise moderation of one post (row lock on PostgreSQL; SQLite locks the file)."""
    db.session.execute(select(Post.id).where(Post.id == post.id).with_for_update())
    db.session.refresh(post)


def open_item(post_id):
    return db.session.scalar(select(ReviewItem).where(ReviewItem.open_post_id == post_id))


def get_item(item_id):
    item = db.session.get(ReviewItem, item_id)
    if item is None:
        raise NotFound(_l("This review item does not exist."))
    return item


def open_or_create(post, kind, **fields):
    """The post's open item, or a new one. Call with the post locked (``lock_post``)."""
    item = open_item(post.id)
    if item is not None:
        return item
    item = ReviewItem(kind=kind, post_id=post.id, open_post_id=post.id, user_id=post.author_id,
                      created_at=clock.now(), **fields)
    db.session.add(item)
    db.session.flush()
    return item


def claim(item, moderator, resolution, expected_version, reason=""):
    """Resolve ``item`` if it is still open at ``expected_version``.

    One conditional UPDATE: when two moderators act at once, exactly one of them
    changes the row; the other gets a Conflict saying what happened instead.
    """
    result = db.session.execute(
        update(ReviewItem)
        .where(ReviewItem.id == item.id, ReviewItem.state == "open",
               ReviewItem.version == expected_version)
        .values(state="resolved", open_post_id=None, version=ReviewItem.version + 1,
                resolved_at=clock.now(), resolved_by_id=moderator.id, resolution=resolution,
                resolution_reason=(reason or "").strip())
        .execution_options(synchronize_session=False))
    db.session.refresh(item)
    if result.rowcount != 1:
        raise Conflict(describe_change(item), code="already_handled")
    return item


def close_for_post(post, moderator, resolution, reason=""):
    """A moderator acted on the post outside the queue: its open item is done too."""
    item = open_item(post.id)
    if item is not None:
        claim(item, moderator, resolution, item.version, reason)
    return item


def bump(item):
    """A moderator changed the item's post without deciding (e.g. edited it)."""
    db.session.execute(update(ReviewItem).where(ReviewItem.id == item.id)
                       .values(version=ReviewItem.version + 1)
                       .execution_options(synchronize_session=False))
    db.session.refresh(item)


def describe_change(item):
    if item.state == "resolved":
        who = db.session.get(User, item.resolved_by_id) if item.resolved_by_id else None
        return str(_l("Already handled: %(name)s %(what)s this post on %(when)s. Nothing was "
                      "changed by your click.",
                      name=who.name if who else _l("someone"),
                      what=label(RESOLUTIONS, item.resolution), when=dt(item.resolved_at)))
    return str(_l("Another moderator changed this item since you loaded the page (for example "
                  "edited the post). Please look at it again; nothing was changed by your click."))


def open_flags(post_id):
    return list(db.session.scalars(select(Flag).where(Flag.post_id == post_id,
                                                      Flag.state == "open")))


def close_flags(post_id, moderator, state):
    """Mark the post's open flags upheld or dismissed; returns the flaggers' ids."""
    flags = open_flags(post_id)
    for flag in flags:
        flag.state, flag.resolved_at, flag.resolved_by_id = state, clock.now(), moderator.id
    db.session.flush()
    return [flag.user_id for flag in flags]
