"""The interface every connector implements, and what the health page shows of it.

A connector is one module in this package with a ``Connector`` subclass named in
``registry.CONNECTORS``. ``deliver`` carries one ticket event to the helpdesk;
``poll`` (optional) brings the helpdesk's news back; ``health`` says whether the
helpdesk can be reached and is set up. Adding Zendesk is one module more.
"""
from dataclasses import dataclass, field


@dataclass
class Health:
    ok: bool
    # Short, for people: "reachable", "HTTP 401 from rt.example.com", ...
    summary: str
    details: dict = field(default_factory=dict)


class Connector:
    """Base class. ``config`` is the app config; connectors read their settings from it."""

    name = "builtin"
    # False: tickets are worked on in the forum's own desk; nothing leaves the forum.
    outbound = False
    # Whether ``poll`` does anything (the worker runs it every ``poll_every`` seconds).
    polls = False

    def __init__(self, config):
        self.config = config

    def deliver(self, event):
        """Carry ``event`` (the dict built by ``outbound.build_event``) to the helpdesk.

        Must be safe to repeat with the same ``event["id"]``. Raises
        ``community.outbox.RetryLater`` when the helpdesk is down or slow (the outbox
        keeps the event and tries again), any other exception when the helpdesk
        refused it.
        """
        raise NotImplementedError

    def redeliver(self, event):
        """Carry ``event`` again: an earlier attempt may have reached the helpdesk
        (its answer was lost to a timeout, or the worker stopped while it ran).

        The default is ``deliver``, enough for a helpdesk that honours the
        ``Idempotency-Key``. A helpdesk API without such keys (RT) looks first
        whether the earlier attempt arrived, so nothing is posted twice.
        """
        return self.deliver(event)

    def poll(self):
        """Fetch what happened in the helpdesk since the last poll and apply it."""

    def poll_every(self):
        return 60

    def health(self):
        """A live check of the helpdesk (short timeout); returns ``Health``."""
        return Health(True, "built in")

    def settings_problem(self):
        """What is missing in the configuration, or None."""
        return None
