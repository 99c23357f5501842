"""Capabilities of the search package."""
from community.permissions import has_role, rule


@rule("search")
def _search(user, obj):
    """Everyone may search: the index holds only what everyone may read."""
    return True


@rule("view_search_stats")
def _view_search_stats(user, obj):
    return has_role(user, "moderator", "agent", "admin")
