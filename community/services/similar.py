"""Similar threads: where a feature that can find threads alike (search) serves the
features that want them (the agent desk), which may not import it.

The provider is the ``similar.threads`` hook (community/hooks.py), kept per app, so
an app without the providing feature has none and callers fall back to their own
means. A provider is called as
``provider(title, body, limit=n, exclude=thread_id)`` and returns up to about ``n``
suggestions, best first: thread ids, or objects with a ``thread_id``.
"""
from sqlalchemy import select

from .. import hooks
from ..extensions import db
from ..models import Thread

# With ``solved_only`` the provider is asked for this many times ``limit``: the
# unsolved ones among its suggestions are dropped here.
SOLVED_HEADROOM = 4


def similar_threads(title, body="", *, exclude_id=None, limit=5, solved_only=False):
    """Ids of up to ``limit`` visible threads like ``title``/``body``, best first
    (only solved ones with ``solved_only``), or None when no provider is registered.
    One query besides the provider's own."""
    provider = hooks.registered("similar.threads")
    if provider is None:
        return None
    wanted = limit * SOLVED_HEADROOM if solved_only else limit
    found = provider(title or "", body or "", limit=wanted, exclude=exclude_id)
    ids = [getattr(item, "thread_id", item) for item in found]
    ids = [i for i in dict.fromkeys(ids) if i != exclude_id]
    if not ids:
        return []
    query = select(Thread.id).where(Thread.id.in_(ids), Thread.visibility == "visible")
    if solved_only:
        query = query.where(Thread.accepted_post_id.is_not(None))
    keep = set(db.session.scalars(query))
    return [i for i in ids if i in keep][:limit]
