"""Search: Whoosh index, German/English analysis, similar questions, reindex.

Imports ``community``; nothing imports this package. The capability is being
built (issue "Search and deflection"); until then ``init_app`` registers nothing.
"""


def init_app(app):
    """Register the search blueprint, CLI, outbox handlers and signal receivers."""
