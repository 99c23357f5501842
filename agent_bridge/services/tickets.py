"""Tickets: open one per thread, change status, priority and assignee, post the
official reply, confirm an answer, internal notes, and the timeline.

Like the core's services these functions flush but never commit. Every change
appends a ``TicketEvent`` and, for the events a helpdesk cares about, sends
``events.ticket_event`` through ``publish`` so connectors can queue a delivery
in the same transaction.
"""
import logging
from contextvars import ContextVar
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from community import clock
from community.services import threads
from community.errors import Conflict, NotFound, ValidationError
from community.extensions import db
from community.models import Post, Thread, User
from community.permissions import require

from .. import events
from . import metrics_log
from ..dbutil import insert_ignoring_duplicate
from ..models import ACTIVE_STATUSES, PRIORITIES, PRIORITY_RANK, STATUSES, Ticket, TicketEvent, Watch
from .rules import rule_for

log = logging.getLogger(__name__)

PUBLISHED = ("created", "updated", "customer_replied", "solved", "private_detail", "erasure")


def _app():
    return current_app._get_current_object()


# --- timeline and publishing -----------------------------------------------------

def record(ticket, kind, actor=None, **data):
    """Append one event to the ticket's timeline; returns it (flushed, with an id)."""
    when = clock.now()
    entry = TicketEvent(ticket_id=ticket.id, kind=kind, actor_id=actor.id if actor else None,
                        data=data, created_at=when)
    db.session.add(entry)
    ticket.updated_at = when
    db.session.flush()
    return entry


def publish(ticket, event, data, event_id=None):
    """Tell connectors about a ticket event (``created``, ``updated``,
    ``customer_replied``, ``solved``, ``private_detail``, ``erasure``: the asker's
    account was erased, see ``services/privacy_export.py``)."""
    if event not in PUBLISHED:
        raise ValueError(f"unknown ticket event {event!r}")
    events.ticket_event.send(_app(), ticket=ticket, event=event, data=dict(data),
                             event_id=event_id)


def timeline(ticket):
    return list(db.session.scalars(
        select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)
        .options(db.joinedload(TicketEvent.actor))
        .order_by(TicketEvent.created_at, TicketEvent.id)))


def person(user):
    return {"id": user.id, "name": user.name, "email": user.email} if user else None


# --- opening ---------------------------------------------------------------------

def due_time(priority, start, category_id=None):
    """When the first response is due: the priority's hours after ``start``, counted
    in business hours when the category's escalation rule counts them."""
    window = timedelta(hours=current_app.config[f"BRIDGE_DUE_{priority.upper()}_HOURS"])
    if category_id is None:
        return start + window
    return rule_for(category_id).deadline(start, window)


def open_ticket(thread, reason, *, priority="normal", detail="", actor=None, source="sweep",
                at=None):
    """The thread's ticket, opened now (or ``at``: when the thread was written, for a
    ticket its own question opens) or already there. Returns (ticket, created)."""
    now = at or clock.now()
    # INSERT ... ON CONFLICT DO NOTHING: the unique constraint, not a check-then-insert,
    # decides which of several concurrent sweeps or clicks opens the ticket.
    new_id = insert_ignoring_duplicate(Ticket, ["thread_id"], dict(
        thread_id=thread.id, status="new", priority=priority, reason=reason,
        reason_detail=(detail or "")[:500], connector=current_app.config["BRIDGE_CONNECTOR"],
        created_at=now, updated_at=now, due_at=due_time(priority, now, thread.category_id)))
    ticket = db.session.scalar(select(Ticket).where(Ticket.thread_id == thread.id)
                               .execution_options(populate_existing=True))
    db.session.execute(db.delete(Watch).where(Watch.thread_id == thread.id))
    if new_id is None:
        _escalated_again(ticket, reason, priority, detail, actor, source)
        return ticket, False
    entry = record(ticket, "created", actor, reason=reason, priority=priority,
                   detail=ticket.reason_detail, source=source)
    metrics_log.fact("escalated", thread.id, seconds=int((now - thread.created_at)
                                                           .total_seconds()))
    log.info("ticket %s opened for thread %s: %s %s (%s)", ticket.id, thread.id, reason,
             ticket.reason_detail, source)
    publish(ticket, "created", {"reason": reason, "priority": priority,
                                "detail": ticket.reason_detail, "source": source},
            event_id=entry.id)
    if current_app.config["BRIDGE_AUTO_ASSIGN"]:
        from .assignment import next_agent
        agent = next_agent()
        if agent is not None:
            assign(ticket, agent, actor=None, source="auto")
    return ticket, True


def _escalated_again(ticket, reason, priority, detail, actor, source):
    """A manual escalation of a thread that has a ticket: reopen it if it was done,
    raise its priority if asked for a higher one."""
    if source == "sweep":
        return
    if not ticket.is_active:
        set_status(ticket, "open", actor=actor, source=source)
    if PRIORITY_RANK[priority] < PRIORITY_RANK[ticket.priority]:
        set_priority(ticket, priority, actor=actor, source=source)
    record(ticket, "escalated_again", actor, reason=reason, detail=(detail or "")[:500],
           source=source)


# --- changes ---------------------------------------------------------------------

def set_status(ticket, status, *, actor=None, source="desk", note=None):
    if status not in STATUSES:
        raise ValidationError(_l("Unknown status."), fields={"status": _l("Unknown status.")})
    old = ticket.status
    if old == status:
        return ticket
    ticket.status = status
    now = clock.now()
    if status == "solved":
        ticket.solved_at = now
        metrics_log.fact("ticket_solved", ticket.thread_id,
                         seconds=int((now - ticket.created_at).total_seconds()))
    elif status in ACTIVE_STATUSES:
        ticket.solved_at = None
    data = {"status": status, "previous": old, "source": source}
    if note:
        data["note"] = note
    entry = record(ticket, "status", actor, **data)
    publish(ticket, "solved" if status == "solved" else "updated", data, event_id=entry.id)
    return ticket


def set_priority(ticket, priority, *, actor=None, source="desk"):
    if priority not in PRIORITIES:
        raise ValidationError(_l("Unknown priority."),
                              fields={"priority": _l("Unknown priority.")})
    if priority == ticket.priority:
        return ticket
    old, ticket.priority = ticket.priority, priority
    if ticket.first_response_at is None:
        thread = db.session.get(Thread, ticket.thread_id)
        ticket.due_at = due_time(priority, ticket.created_at, thread.category_id)
    data = {"priority": priority, "previous": old, "source": source}
    entry = record(ticket, "priority", actor, **data)
    publish(ticket, "updated", data, event_id=entry.id)
    return ticket


def is_agent(user):
    return getattr(user, "role", None) in ("agent", "admin")


def assign(ticket, assignee, *, actor=None, source="desk"):
    """Give the ticket to ``assignee`` (an agent or admin), or to nobody with None."""
    if assignee is not None and not is_agent(assignee):
        raise ValidationError(_l("Only agents can be assigned tickets."),
                              fields={"assignee": _l("Only agents can be assigned tickets.")})
    new_id = assignee.id if assignee else None
    if new_id == ticket.assignee_id:
        return ticket
    ticket.assignee_id = new_id
    ticket.assigned_at = clock.now() if assignee else None
    if assignee is not None and ticket.status == "new":
        ticket.status = "open"
    data = {"assignee": person(assignee), "source": source}
    entry = record(ticket, "assigned", actor, **data)
    publish(ticket, "updated", data, event_id=entry.id)
    return ticket


def claim(ticket, agent):
    require(agent, "use_desk")
    if ticket.assignee_id not in (None, agent.id):
        raise Conflict(_l("Another agent has already claimed this ticket."), code="claimed")
    return assign(ticket, agent, actor=agent, source="desk")


def add_note(ticket, agent, body):
    body = (body or "").strip()
    if not body:
        raise ValidationError(_l("Please write a note."), fields={"body": _l("Please write a note.")})
    if len(body) > 10_000:
        raise ValidationError(_l("Please keep it under %(n)d characters.", n=10_000),
                              fields={"body": _l("Please keep it under %(n)d characters.",
                                                 n=10_000)})
    return record(ticket, "note", agent, body=body)


# --- official replies ------------------------------------------------------------

def post_official_reply(ticket, body, agent, *, external_id=None, accept=False, solve=False,
                        source=None):
    """Post ``body`` in the thread as the official reply of ``agent`` (a staff User).

    Idempotent by ``external_id``: a reply already posted under that id is returned
    instead of being posted again. The ticket then waits for the customer
    (pending); with ``solve`` it is solved; with ``accept`` it is solved with the
    reply as the confirmed answer.
    """
    if not is_agent(agent):
        raise ValidationError(_l("Only agents can post official replies."),
                              fields={"agent": _l("Only agents can post official replies.")})
    source = source or ("desk" if external_id is None else ticket.connector)
    # Replies to one ticket are serialised (row lock on PostgreSQL), so the check for
    # an earlier post with this external id cannot race; posts.external_id is unique
    # besides, so a duplicate could at worst fail, never appear twice.
    db.session.execute(select(Ticket.id).where(Ticket.id == ticket.id).with_for_update())
    if external_id is not None:
        existing = _post_by_external_id(external_id)
        if existing is not None:
            return existing
    thread = db.session.get(Thread, ticket.thread_id)
    token = _from_desk.set(True)
    try:
        post = threads.reply(agent, thread, body, is_official=True)
    finally:
        _from_desk.reset(token)
    post.external_id = external_id
    db.session.flush()
    _note_first_response(ticket, post)
    data = {"post_id": post.id, "body": post.body, "agent": person(agent),
            "external_id": external_id, "source": source}
    entry = record(ticket, "official_reply", agent, **data)
    publish(ticket, "updated", {"kind": "official_reply", **data}, event_id=entry.id)
    if accept:
        confirm_answer(ticket, post, agent, source=source)
    elif solve:
        set_status(ticket, "solved", actor=agent, source=source)
    elif ticket.status in ("new", "open"):
        set_status(ticket, "pending", actor=agent, source=source)
    return post


# Set while the desk posts a reply, so the thread's post_created receiver leaves the
# ticket to post_official_reply.
_from_desk = ContextVar("agent_bridge_from_desk", default=False)


def _note_first_response(ticket, post):
    """The answer's own time, which the thread shows beside it (an imported answer, as
    the demo's, was written before it was loaded)."""
    if ticket.first_response_at is None:
        now = post.created_at or clock.now()
        ticket.first_response_at = now
        metrics_log.fact("ticket_first_response", ticket.thread_id,
                         seconds=int((now - ticket.created_at).total_seconds()))


def staff_replied(thread, post, agent):
    """An agent answered in the public thread itself rather than from the desk: that
    is the ticket's first response too, and the ticket waits for the customer."""
    if _from_desk.get():
        return
    ticket = ticket_for_thread(thread.id)
    if ticket is None or ticket.status not in ACTIVE_STATUSES:
        return
    _note_first_response(ticket, post)
    record(ticket, "staff_replied", agent, post_id=post.id)
    if ticket.status in ("new", "open"):
        set_status(ticket, "pending", actor=agent, source="thread")


def _post_by_external_id(external_id):
    return db.session.scalar(select(Post).where(Post.external_id == external_id))


def confirm_answer(ticket, post, agent, *, source="desk"):
    """The support team confirms ``post`` as the thread's answer; the ticket is solved."""
    if post.thread_id != ticket.thread_id:
        raise NotFound(_l("This post does not exist."))
    threads.accept_answer(agent, post)
    record(ticket, "confirmed", agent, post_id=post.id, source=source)
    set_status(ticket, "solved", actor=agent, source=source)
    return post


# --- loading ---------------------------------------------------------------------

def get_ticket(ticket_id):
    ticket = db.session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound(_l("This ticket does not exist."))
    return ticket


def ticket_for_thread(thread_id):
    return db.session.scalar(select(Ticket).where(Ticket.thread_id == thread_id))


def agents():
    """Everyone who may work on tickets, for the assign menus. Password-less
    stand-ins for external helpdesk agents (connectors) cannot log in: left out."""
    return list(db.session.scalars(select(User).where(User.role.in_(("agent", "admin")),
                                                      User.password_hash.is_not(None))
                                   .order_by(User.name)))
