"""When a thread becomes a ticket: the sweep, and escalation by hand (moderators,
agents, and the asker's "ask the support team"). The rules it applies (each
category's windows, the urgent terms) are ``rules.py``'s.

The sweep reads only ``Watch`` rows (unresolved threads without a ticket) and
opens tickets through ``tickets.open_ticket``, whose insert-on-conflict makes it
safe to run in several workers at once and again and again.
"""
import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from community import clock
from community.extensions import db
from community.models import Thread
from community.permissions import require

from . import tickets
from ..models import Watch
from .rules import all_rules, default_rule, rule_for

log = logging.getLogger(__name__)

REASONS = {
    "no_reply": _l("No reply within the category's window"),
    "no_answer": _l("No accepted answer and no staff reply within the category's window"),
    "urgent_terms": _l("Urgent terms in the question"),
    "moderator": _l("Escalated by a moderator"),
    "agent": _l("Opened by an agent"),
    "asker": _l("The asker asked the support team"),
}


# --- watching and sweeping ----------------------------------------------------------

def watch(thread, urgent=None):
    """Start watching an unresolved thread (idempotent)."""
    if db.session.get(Watch, thread.id) is not None or tickets.ticket_for_thread(thread.id):
        return
    db.session.add(Watch(thread_id=thread.id, category_id=thread.category_id,
                         asked_at=thread.created_at, urgent_term=urgent))
    db.session.flush()


def unwatch(thread_id):
    db.session.execute(db.delete(Watch).where(Watch.thread_id == thread_id))


def due_reason(watch_row, rule, now):
    """(reason, priority, detail) when the watched thread must be escalated now."""
    if watch_row.urgent_term:
        return "urgent_terms", "urgent", watch_row.urgent_term
    if not rule.enabled:
        return None
    if watch_row.first_reply_at is None and now >= rule.deadline(watch_row.asked_at,
                                                                 rule.no_reply_after):
        return "no_reply", "normal", ""
    if watch_row.staff_reply_at is None and now >= rule.deadline(watch_row.asked_at,
                                                                 rule.escalate_after):
        return "no_answer", "normal", ""
    return None


def sweep():
    """Escalate every watched thread whose window has passed. Returns the new tickets."""
    now = clock.now()
    rules, default = all_rules(), default_rule()
    # Plain rows, not ORM objects: each ticket commits, and another worker may have
    # removed a watch meanwhile.
    rows = db.session.execute(
        select(Watch.thread_id, Watch.category_id, Watch.asked_at, Watch.first_reply_at,
               Watch.staff_reply_at, Watch.urgent_term, Thread.status, Thread.visibility,
               Thread.accepted_post_id)
        .join(Thread, Thread.id == Watch.thread_id).order_by(Watch.thread_id)).all()
    opened = []
    for row in rows:
        if row.status != "open" or row.accepted_post_id is not None:
            unwatch(row.thread_id)
            db.session.commit()
            continue
        if row.visibility != "visible":
            continue
        due = due_reason(row, rules.get(row.category_id, default), now)
        if due is None:
            continue
        reason, priority, detail = due
        thread = db.session.get(Thread, row.thread_id)
        ticket, created = tickets.open_ticket(thread, reason, priority=priority, detail=detail,
                                              source="sweep")
        if created:
            opened.append(ticket)
            log.info("sweep escalated thread %s (%s %s) as ticket %s", thread.id, reason,
                     detail, ticket.id)
        # One short transaction per ticket: concurrent sweeps wait for each other
        # only on the same thread, and never for long.
        db.session.commit()
    return opened


# --- escalation by hand --------------------------------------------------------------

def ask_allowed_at(thread, rule=None):
    """When the asker may press "ask the support team", or None if never."""
    rule = rule or rule_for(thread.category_id)
    if rule.ask_after is None:
        return None
    return rule.deadline(thread.created_at, rule.ask_after)


def escalate(user, thread, reason_text="", urgent=False, source="desk"):
    """A person asks the support team to take the thread. Returns (ticket, created)."""
    require(user, "escalate_thread", thread,
            message=_l("You cannot ask the support team about this thread (yet)."))
    if user.role in ("agent", "admin"):
        reason = "agent"
    elif user.role == "moderator":
        reason = "moderator"
    else:
        reason = "asker"
        urgent = False  # only staff set the priority
    return tickets.open_ticket(thread, reason, priority="urgent" if urgent else "normal",
                               detail=reason_text, actor=user, source=source)


def asker_may_escalate(user, thread):
    """The asker, on their own open, unsolved, public thread, once the category's
    delay is over."""
    if not getattr(user, "is_authenticated", False) or user.id != thread.author_id:
        return False
    if (thread.status != "open" or thread.accepted_post_id is not None
            or thread.visibility != "visible"):
        return False
    allowed = ask_allowed_at(thread)
    return allowed is not None and clock.now() >= allowed


def may_ask(user, thread, ticket):
    """Show the asker's button: allowed, and the thread's ticket (or None) is not
    already being worked on."""
    return (ticket is None or not ticket.is_active) and asker_may_escalate(user, thread)
