"""The sweep as a periodic job of the worker (every minute)."""
from datetime import timedelta

from community import outbox

from .services import escalation

SWEEP_EVERY = timedelta(minutes=1)


def init_app(app):
    outbox.register_periodic(app, "agent_bridge.sweep", SWEEP_EVERY, escalation.sweep)
