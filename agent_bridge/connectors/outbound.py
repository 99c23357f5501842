"""Ticket events → outbox rows → the helpdesk.

The receiver of ``ticket_event`` builds the event as the helpdesk will see it (a
snapshot taken in the transaction of the change) and queues it in the outbox with
the ticket as ordering key, so a ticket's events reach the helpdesk in the order
they happened. The event's ``id`` is the outbox key and the ``Idempotency-Key``:
it never changes across retries.
"""
import logging
import uuid
from datetime import timedelta

from sqlalchemy import update

from community import clock, outbox
from community.extensions import db
from community.models import OutboxMessage, Post, Thread, User
from community.notifications.links import external_url

from . import consent, registry

log = logging.getLogger(__name__)

KIND = "bridge.deliver"
MAX_WAIT = timedelta(hours=1)


def iso(value):
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def on_ticket_event(sender, ticket, event, data, event_id=None, **extra):
    """Queue the event for the ticket's connector, unless it stays in the forum or
    came from that very helpdesk (which must never get its own news back)."""
    connector = registry.get(ticket.connector, sender.config)
    if not connector.outbound or data.get("source") == ticket.connector:
        return
    body = build_event(ticket, event, data, event_id)
    outbox.enqueue(KIND, {"connector": ticket.connector, "event": body},
                   key=f"bridge-event-{event_id}" if event_id else body["id"],
                   ordering_key=f"bridge-ticket-{ticket.id}")


def build_event(ticket, event, data, event_id=None):
    thread = db.session.get(Thread, ticket.thread_id)
    asker = db.session.get(User, thread.author_id)
    assignee = db.session.get(User, ticket.assignee_id) if ticket.assignee_id else None
    body = {
        # Unique beyond this database (a helpdesk may serve several forums, and a
        # restored backup reuses row ids), and fixed once queued: retries reuse it.
        "id": f"forum-event-{event_id or 0}-{uuid.uuid4().hex[:12]}",
        "event": event,
        "occurred_at": iso(clock.now()),
        "ticket": {
            "id": ticket.id, "external_id": ticket.external_id, "status": ticket.status,
            "priority": ticket.priority, "reason": ticket.reason,
            "reason_detail": ticket.reason_detail, "created_at": iso(ticket.created_at),
            "due_at": iso(ticket.due_at),
            "assignee": {"name": assignee.name, "email": assignee.email} if assignee else None,
        },
        "thread": {
            "id": thread.id, "title": thread.title, "status": thread.status,
            "created_at": iso(thread.created_at),
            "url": external_url("threads.show", thread_id=thread.id, slug=thread.slug),
        },
        "customer": consent.customer_contact(asker),
        "data": _event_data(event, thread, data),
    }
    return body


def _event_data(event, thread, data):
    # The core's events name the customer with their e-mail address; only the
    # consent-aware ``customer`` block of the event may say who they are.
    data = {k: v for k, v in data.items() if k != "customer"}
    if event == "created":
        question = db.session.get(Post, thread.first_post_id) if thread.first_post_id else None
        data["question"] = question.body if question else ""
    post_id = data.get("post_id")
    if post_id:
        post = db.session.get(Post, post_id)
        for key in ("post_id", "body", "external_id"):  # all said once, in ``post``
            data.pop(key, None)
        # The forum's own posts carry a forum-* id: a helpdesk that echoes one back is ignored.
        data["post"] = {"id": post.id, "external_id": post.external_id or f"forum-post-{post.id}",
                        "official": post.is_official, "body": post.body,
                        "url": external_url("threads.show", thread_id=thread.id,
                                            slug=thread.slug, _anchor=f"post-{post.id}")}
    return data


def deliver(payload):
    event = payload["event"]
    connector = registry.get(payload["connector"])
    try:
        if outbox.is_retry():  # an earlier attempt may have reached the helpdesk
            connector.redeliver(event)
        else:
            connector.deliver(event)
    except outbox.RetryLater as exc:
        raise outbox.RetryLater(str(exc), seconds=exc.seconds or _wait(event)) from None
    _pull_forward_the_rest()


def _wait(event):
    """Exponential backoff without a counter: wait as long as the event has waited
    so far (at least 5 s, at most an hour), so the gaps double: 5, 10, 20, 40 s, ..."""
    waited = int((clock.now() - _parse(event["occurred_at"])).total_seconds())
    return min(MAX_WAIT.total_seconds(), max(5, waited))


def _parse(value):
    from datetime import datetime
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")


def _pull_forward_the_rest():
    """The helpdesk answered again: what waits for a later retry may go now."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.kind == KIND, OutboxMessage.status == "pending",
               OutboxMessage.last_error.is_not(None), OutboxMessage.run_after > clock.now())
        .values(run_after=clock.now()))
