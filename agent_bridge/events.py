"""Signals of the agent bridge. Connectors connect receivers to turn ticket events
into outbox deliveries; like the core's signals they are sent inside the
transaction of the change, so a receiver's outbox row commits with it.
"""
from blinker import Namespace

_signals = Namespace()

ticket_event = _signals.signal("bridge-ticket-event")
"""Sender: the app. Kwargs: ticket (a ``Ticket``, flushed, with an id), event (one of
``created``, ``updated``, ``customer_replied``, ``solved``, ``private_detail``,
``erasure``),
data (a JSON-able dict; ``data["source"]`` names where the change came from:
``sweep``, ``desk``, ``api``, ``thread``, ``moderation`` or the connector's name,
so a connector never sends back what it delivered itself), event_id (the id of
the ``TicketEvent`` row that recorded it: unique, usable as an idempotency key)."""
