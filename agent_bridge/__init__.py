"""Agent bridge: escalation sweep, tickets, agent desk, helpdesk connectors.

Imports ``community``; nothing imports this package. The capability is being
built (issue "Agent bridge"); until then ``init_app`` registers nothing.
"""


def init_app(app):
    """Register the desk blueprint, CLI, periodic sweep and signal receivers."""
