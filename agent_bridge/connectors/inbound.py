"""Events that come back from a helpdesk: official replies and status changes.

Each is applied exactly once: its external id is inserted into
``bridge_inbound_events`` first (insert-or-ignore on a unique constraint), and only
the transaction that inserted it applies the event. A reply whose id marks it as
the forum's own (``forum-…``) is never posted back.
"""
import logging

from flask_babel import lazy_gettext as _l

from community import clock
from community.errors import NotFound, ValidationError
from community.extensions import db

from ..services import tickets
from ..dbutil import insert_ignoring_duplicate
from ..models import STATUSES, Ticket
from . import agents
from .models import InboundEvent

log = logging.getLogger(__name__)

FORUM_PREFIX = "forum-"


def claim(connector, external_id, kind, ticket=None, outcome="applied", note=""):
    """Record the event; False when it was recorded before (a repeat)."""
    new_id = insert_ignoring_duplicate(InboundEvent, ["connector", "external_id"], dict(
        connector=connector, external_id=external_id, kind=kind,
        ticket_id=ticket.id if ticket else None, outcome=outcome, note=note[:200],
        received_at=clock.now()))
    return new_id is not None


def linked_ticket(connector, ticket_id):
    ticket = db.session.get(Ticket, ticket_id) if ticket_id is not None else None
    if ticket is None or ticket.connector != connector:
        raise NotFound(_l("No ticket with this id is handled by this helpdesk."),
                       code="unknown_ticket")
    return ticket


def reply(connector, ticket, external_id, body, *, agent_id, agent_name, agent_email=None,
          accept=False):
    """Post an agent's reply as the official reply, once. Returns (outcome, post)."""
    if external_id.startswith(FORUM_PREFIX):
        claim(connector, external_id, "reply", ticket, "ignored", "originated in the forum")
        log.info("%s: reply %s on ticket %s originated in the forum; not posted back",
                 connector, external_id, ticket.id)
        return "ignored", None
    if not claim(connector, external_id, "reply", ticket):
        return "duplicate", None
    agent = agents.forum_account(connector, agent_id, agent_name, agent_email)
    post = tickets.post_official_reply(ticket, body, agent, external_id=f"{connector}:{external_id}",
                                       accept=accept, source=connector)
    log.info("%s: reply %s posted on ticket %s as post %s", connector, external_id, ticket.id,
             post.id)
    return "applied", post


def status(connector, ticket, external_id, new_status, note=None):
    """Apply a status change made in the helpdesk, once. Returns the outcome."""
    if new_status not in STATUSES:
        raise ValidationError(_l("Unknown status."), fields={"status": _l("Unknown status.")})
    if not claim(connector, external_id, "status", ticket):
        return "duplicate"
    tickets.set_status(ticket, new_status, source=connector, note=note)
    return "applied"
