"""The default: tickets are worked on in the forum's own agent desk (``/desk``)."""
from .base import Connector as _Base


class Connector(_Base):
    name = "builtin"
    outbound = False

    def deliver(self, event):
        # Nothing leaves the forum; the desk reads the tickets directly.
        return None
