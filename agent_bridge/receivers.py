"""Receivers of the core's events, connected per app in ``init_app``.

They keep the sweep's watch list, the tickets and the dashboard's facts in step
with what happens in the threads, inside the transaction of the change.
"""
from community import events
from community.extensions import db
from community.models import User

from .services import escalation, metrics_log, rules, tickets

def _seconds(later, earlier):
    return max(0, int((later - earlier).total_seconds()))


def thread_created(sender, thread, post, user, **_):
    metrics_log.fact("asked", thread.id, at=thread.created_at)
    term = rules.urgent_term(thread.title, post.body)
    escalation.watch(thread, urgent=term)
    if term and thread.visibility == "visible":
        tickets.open_ticket(thread, "urgent_terms", priority="urgent", detail=term,
                            source="thread", at=thread.created_at)


def _reply_became_public(thread, post, author):
    """Facts and watch times of a visible reply by someone other than the asker."""
    if author.id == thread.author_id or post.is_question:
        return
    watch = db.session.get(escalation.Watch, thread.id)
    staff = author.is_staff
    if watch is not None and staff and not watch.urgent_term:
        # After a staff reply no window can pass any more: stop watching.
        db.session.delete(watch)
    elif watch is not None:
        watch.first_reply_at = watch.first_reply_at or post.created_at
    metrics_log.fact("first_staff_response" if staff else "first_community_response", thread.id,
                     seconds=_seconds(post.created_at, thread.created_at), at=post.created_at)


def post_created(sender, thread, post, user, **_):
    if post.visibility == "visible":
        _reply_became_public(thread, post, user)
    if user.id != thread.author_id:
        if post.visibility == "visible" and tickets.is_agent(user):
            tickets.staff_replied(thread, post, user)
        return
    ticket = tickets.ticket_for_thread(thread.id)
    if ticket is None or ticket.status == "closed":
        return
    if ticket.status == "pending":
        tickets.set_status(ticket, "open", actor=user, source="thread")
    entry = tickets.record(ticket, "customer_replied", user, post_id=post.id)
    tickets.publish(ticket, "customer_replied",
                    {"post_id": post.id, "body": post.body, "customer": tickets.person(user),
                     "source": "thread"}, event_id=entry.id)


def post_visibility_changed(sender, post, thread, old, new, user, **_):
    if old == "pending" and new == "visible" and not post.is_question:
        _reply_became_public(thread, post, db.session.get(User, post.author_id))


def answer_accepted(sender, thread, post, previous_post_id, user, **_):
    if post is None:
        if thread.status == "open" and tickets.ticket_for_thread(thread.id) is None:
            escalation.watch(thread)
        return
    escalation.unwatch(thread.id)
    by_agent = post.is_official
    metrics_log.fact("solved_agent" if by_agent else "solved_community", thread.id,
                     seconds=_seconds(thread.accepted_at, thread.created_at))
    ticket = tickets.ticket_for_thread(thread.id)
    if ticket is None or not ticket.is_active or tickets.is_agent(user):
        return  # an agent's confirmation is recorded by tickets.confirm_answer
    if by_agent or ticket.first_response_at is not None:
        if user.id == thread.author_id:
            tickets.record(ticket, "accepted", user, post_id=post.id)
        tickets.set_status(ticket, "solved", actor=user, source="thread")
    else:
        tickets.set_status(ticket, "closed", actor=user, source="thread",
                           note="community_solved")


def post_edited(sender, post, thread, user, revision, **_):
    if not post.is_official:
        return
    ticket = tickets.ticket_for_thread(thread.id)
    if ticket is not None:
        tickets.record(ticket, "reply_edited", user, post_id=post.id, revision_id=revision.id)


def thread_status_changed(sender, thread, old, new, user, **_):
    if new == "closed":
        escalation.unwatch(thread.id)
    elif new == "open" and not thread.is_solved and tickets.ticket_for_thread(thread.id) is None:
        escalation.watch(thread)


def escalation_requested(sender, thread, user, reason, urgent, **_):
    """Moderation's "escalate to support" (and anyone else sending the core event)."""
    if user.role == "customer":
        reason_code = "asker"
    elif user.role == "moderator":
        reason_code = "moderator"
    else:
        reason_code = "agent"
    tickets.open_ticket(thread, reason_code, priority="urgent" if urgent else "normal",
                        detail=reason, actor=user, source="moderation")


def connect(app):
    events.thread_created.connect(thread_created, sender=app)
    events.post_created.connect(post_created, sender=app)
    events.post_visibility_changed.connect(post_visibility_changed, sender=app)
    events.answer_accepted.connect(answer_accepted, sender=app)
    events.post_edited.connect(post_edited, sender=app)
    events.thread_status_changed.connect(thread_status_changed, sender=app)
    events.escalation_requested.connect(escalation_requested, sender=app)

