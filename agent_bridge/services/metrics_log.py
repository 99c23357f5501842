"""Facts for the service dashboard, written once when they happen (see MetricEvent)."""
from community import clock

from ..dbutil import insert_ignoring_duplicate
from ..models import MetricEvent


def fact(kind, thread_id, seconds=None, at=None):
    """Record ``kind`` for the thread unless it was recorded before; True when new."""
    return insert_ignoring_duplicate(MetricEvent, ["kind", "thread_id"], dict(
        kind=kind, thread_id=thread_id, seconds=seconds, created_at=at or clock.now())) is not None
