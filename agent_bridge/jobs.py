"""The sweep as a periodic job of the worker (every minute)."""
from datetime import timedelta

from flask import current_app

from community import outbox

from . import escalation


def register():
    outbox.periodic("agent_bridge.sweep", timedelta(minutes=1))(run_sweep)


def run_sweep():
    """Apps without the bridge (FORUM_FEATURES) share the process-wide job list."""
    if "agent_bridge" in current_app.extensions:
        escalation.sweep()
