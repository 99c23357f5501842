"""The agent bridge's share of privacy by design (community/services/privacy.py).

- Export: the member's tickets (status and the steps they saw: never the agents'
  internal notes or names), the private details they gave, their consent to share
  their address with the helpdesk.
- Erasure: private details and consent go; the desk's copies of the member's texts
  (timeline entries, escalation details) are rewritten like the posts; every ticket
  of the member's threads records an ``erasure`` event, which a helpdesk connector
  delivers (docs/helpdesk-connectors.md): the helpdesk anonymises its copy.
- Redaction: the desk's copies of the post.
- Detection: the spans of the public-data warning's patterns (IBAN, phone, e-mail,
  contract number), offered to moderators and agents for redaction.
- Retention: private details are cut out ``FORUM_BRIDGE_PRIVATE_DETAILS_DAYS`` after
  their ticket was solved or closed.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from community.extensions import db
from community.models import OutboxMessage, Thread
from community.privacy.record import Activity
from community.privacy.scrub import rewrite_json, rewrite_text, rows_containing
from community.services import privacy
from community.services.privacy import ExportPart, RetentionRule, Span

from ..connectors.models import ContactConsent
from ..models import PrivateRequest, Ticket, TicketEvent
from . import tickets
from .privacy import (
    _EMAIL,
    _IBAN,
    _NUMBER,
    _PHONE,
    KINDS,
    SCAN_LIMIT,
    _iban_valid,
    _phone_like,
)

# The timeline steps a customer saw happen (the rest is the agents' work).
CUSTOMER_STEPS = ("created", "status", "official_reply", "customer_replied", "accepted",
                  "confirmed", "private_request", "private_detail", "erasure")
DONE = ("solved", "closed")
DELIVER_KIND = "bridge.deliver"


def iso(value):
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


# --- Export ---------------------------------------------------------------------------------

def _tickets(user):
    own = list(db.session.scalars(select(Ticket).join(Thread, Thread.id == Ticket.thread_id)
                                  .where(Thread.author_id == user.id).order_by(Ticket.id)))
    steps = {}
    for event in db.session.scalars(select(TicketEvent).where(
            TicketEvent.ticket_id.in_([t.id for t in own]),
            TicketEvent.kind.in_(CUSTOMER_STEPS)).order_by(TicketEvent.id)):
        data = event.data or {}
        steps.setdefault(event.ticket_id, []).append({
            "step": event.kind, "at": iso(event.created_at), "status": data.get("status"),
            "post_id": data.get("post_id"), "message": data.get("message")})
    rows = [{"ticket_id": t.id, "thread_id": t.thread_id, "status": t.status,
             "priority": t.priority, "reason": t.reason, "opened_at": iso(t.created_at),
             "solved_at": iso(t.solved_at), "steps": steps.get(t.id, [])} for t in own]
    # An agent's tickets: which, and since when (the customers' data is theirs).
    rows += [{"ticket_id": t_id, "assigned_to_me_at": iso(at)}
             for t_id, at in db.session.execute(select(Ticket.id, Ticket.assigned_at)
                                                .where(Ticket.assignee_id == user.id))]
    return rows


def _private_details(user):
    return [{"ticket_id": r.ticket_id, "question": r.message, "answer": r.answer,
             "asked_at": iso(r.created_at), "answered_at": iso(r.answered_at)}
            for r in db.session.scalars(select(PrivateRequest).where(
                PrivateRequest.customer_id == user.id).order_by(PrivateRequest.id))]


def _consent(user):
    row = db.session.get(ContactConsent, user.id)
    return [{"helpdesk_may_see_my_email": True, "since": iso(row.granted_at)}] if row else []


PARTS = (
    ExportPart("tickets", _l("Your questions the support team took on"),
               ("bridge_tickets", "bridge_ticket_events"), _tickets),
    ExportPart("private_details", _l("Private details you gave the support team"),
               ("bridge_private_requests",), _private_details),
    ExportPart("helpdesk_consent", _l("Your consent to share your e-mail address with the "
                                      "helpdesk"), ("bridge_contact_consents",), _consent),
)


# --- Erasure and redaction --------------------------------------------------------------------

def erase(erasure):
    user = erasure.user
    erasure.count("helpdesk_consent", db.session.execute(
        db.delete(ContactConsent).where(ContactConsent.user_id == user.id)).rowcount)
    requests = list(db.session.scalars(select(PrivateRequest).where(
        PrivateRequest.customer_id == user.id, PrivateRequest.answer.is_not(None))))
    for request in requests:
        request.answer = privacy.MARKER
    _cut_private_details_from_deliveries(requests)
    erasure.count("private_details", len(requests))
    _rewrite_desk_copies(erasure)
    _announce_erasure(erasure)


def _rewrite_desk_copies(change):
    """Timeline entries (official replies, notes, names of people), escalation details
    and the agents' questions: wherever the member's texts were copied."""
    scrubber = change.scrubber
    change.count("desk_entries", rewrite_json(
        rows_containing(TicketEvent, TicketEvent.data, scrubber), "data", scrubber)
        + rewrite_text(rows_containing(Ticket, Ticket.reason_detail, scrubber),
                       "reason_detail", scrubber)
        + rewrite_text(rows_containing(PrivateRequest, PrivateRequest.message, scrubber),
                       "message", scrubber))
    db.session.flush()


def _announce_erasure(erasure):
    """Each ticket of the member's threads records the erasure and tells the helpdesk
    (once: the event's id is the delivery's key)."""
    mode = "anonymise" if erasure.mode == "anonymise" else "delete_posts"
    for ticket in db.session.scalars(select(Ticket).join(Thread, Thread.id == Ticket.thread_id)
                                     .where(Thread.author_id == erasure.user.id)):
        entry = tickets.record(ticket, "erasure", erasure.actor, mode=mode)
        tickets.publish(ticket, "erasure", {"mode": mode, "source": "privacy",
                                            "anonymous_email": privacy.erased_email(erasure.user)},
                        event_id=entry.id)
        erasure.count("helpdesk_erasure_events", 1)


def _cut_private_details_from_deliveries(requests):
    """Helpdesk events still carrying a removed private detail (waiting, or kept done);
    a ticket's events share its ordering key (``connectors/outbound.py``)."""
    request_ids = {r.id for r in requests}
    if not request_ids:
        return
    keys = {f"bridge-ticket-{r.ticket_id}" for r in requests}
    for row in db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == DELIVER_KIND, OutboxMessage.ordering_key.in_(keys))):
        event = (row.payload or {}).get("event") or {}
        data = event.get("data") or {}
        if event.get("event") == "private_detail" and data.get("request_id") in request_ids:
            row.payload = {**row.payload, "event": {**event, "data": {
                **data, "body": privacy.MARKER}}}


def redact(redaction):
    _rewrite_desk_copies(redaction)


# --- Detection ------------------------------------------------------------------------------

def spans(text):
    """The public-data warning's finds, as spans of ``text`` (same patterns, same checks)."""
    text = (text or "")[:SCAN_LIMIT]
    found = []
    # Upper case letter by letter, so offsets stay those of ``text`` ("ß" would become "SS").
    upper = "".join(c.upper() if len(c.upper()) == 1 else c for c in text)
    for match in _IBAN.finditer(upper):
        if _iban_valid(match.group(1)):
            found.append(Span(match.start(1), match.end(1), "iban", KINDS["iban"]))
    without_ibans = _IBAN.sub(lambda m: " " * len(m.group(0)), upper)  # same offsets
    found += [Span(m.start(), m.end(), "phone", KINDS["phone"])
              for m in _PHONE.finditer(without_ibans) if _phone_like(m.group(0))]
    found += [Span(m.start(), m.end(), "email", KINDS["email"]) for m in _EMAIL.finditer(text)]
    found += [Span(m.start(), m.end(), "customer_number", KINDS["customer_number"])
              for m in _NUMBER.finditer(text)]
    return found


# --- Retention ------------------------------------------------------------------------------

def _done_before(cutoff):
    done_at = func.coalesce(Ticket.solved_at, Ticket.updated_at)
    return select(Ticket.id).where(Ticket.status.in_(DONE), done_at < cutoff)


def purge_private_details(cutoff):
    """Answers of tickets solved or closed before ``cutoff`` are cut out."""
    requests = list(db.session.scalars(select(PrivateRequest).where(
        PrivateRequest.ticket_id.in_(_done_before(cutoff)), PrivateRequest.answer.is_not(None),
        PrivateRequest.answer != privacy.MARKER)))
    for request in requests:
        request.answer = privacy.MARKER
    _cut_private_details_from_deliveries(requests)
    return len(requests)


def held_private_details():
    return tuple(db.session.execute(select(func.count(), func.min(PrivateRequest.answered_at))
                                    .where(PrivateRequest.answer.is_not(None),
                                           PrivateRequest.answer != privacy.MARKER)).one())


RULE = RetentionRule(
    "private_details", _l("Private details customers gave the support team (after the "
                          "ticket was solved or closed)"),
    "BRIDGE_PRIVATE_DETAILS_DAYS", purge_private_details, held_private_details,
    purpose=_l("Answering the customer's support case"))


def _helpdesk(config=None):
    from flask import current_app
    connector = (config or current_app.config)["BRIDGE_CONNECTOR"]
    if connector == "builtin":
        return _l("None: tickets are worked on in the forum's own desk")
    return _l("The helpdesk connected through the %(connector)s connector (the customer's "
              "address only with their consent, else a pseudonym)", connector=connector)


ACTIVITY = Activity(
    "agent_bridge", _l("Customer support"),
    _l("Answering questions the community could not: tickets, official replies, private "
       "details the support team asked for"),
    _l("Art. 6(1)(b) GDPR: the customer's contract and support request"),
    _l("Tickets and their history, private details (customer and contract numbers, bank "
       "details), consent to share the e-mail address with the helpdesk"),
    subjects=_l("Customers who asked in the community"), recipients=_helpdesk,
    retention=("private_details",),
    kept=_l("Tickets as long as their thread exists"))


def register(app):
    from community import hooks as core_hooks
    from community.privacy import record as privacy_record
    for part in PARTS:
        privacy.register_export(app, part)
    privacy_record.register(app, ACTIVITY)
    privacy.register_not_personal(app, "bridge_category_rules",
                                  "which admin last changed a category's escalation rule")
    privacy.register_retention(app, RULE)
    core_hooks.add(app, "privacy.erase", erase)
    core_hooks.add(app, "privacy.redact", redact)
    core_hooks.add(app, "privacy.detect", spans)
