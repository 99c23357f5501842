"""The agent bridge's capabilities, and what it adds to the core's (for the app that
loads the bridge, by ``init_app``). ``use_desk`` (agents, admins) and
``see_private`` (the same) are the core's.
"""
from sqlalchemy import select

from community.extensions import db
from community.permissions import allow, can, has_role, rule

from .models import Ticket


@rule("escalate_thread")
def _escalate(user, thread):
    """Moderators and agents on threads they can see; the asker where the category
    allows it (see escalation.asker_may_escalate)."""
    from .services.escalation import asker_may_escalate
    if has_role(user, "moderator", "agent", "admin"):
        return can(user, "view_thread", thread)
    return asker_may_escalate(user, thread)


@rule("manage_bridge")
def _manage(user, obj):
    """Escalation rules, urgent terms, canned replies, connector health."""
    return has_role(user, "admin")


@rule("view_service_dashboard")
def _dashboard(user, obj):
    return has_role(user, "agent", "admin")


@rule("answer_private_request")
def _answer_private(user, request):
    """Only the customer the support team asked."""
    return (user is not None and getattr(user, "is_authenticated", False)
            and request is not None and request.customer_id == user.id)


@rule("send_private_details")
def _send_private(user, thread):
    """The asker sends details to the support team instead of posting them."""
    return (user is not None and getattr(user, "is_authenticated", False)
            and thread is not None and thread.author_id == user.id)


def _agents_confirm(user, thread):
    """Agents confirm answers in threads that have a ticket ("confirmed by the
    support team")."""
    if not (has_role(user, "agent") and thread is not None):
        return False
    return db.session.scalar(select(Ticket.id).where(Ticket.thread_id == thread.id)) is not None


def init_app(app):
    allow(app, "accept_answer", _agents_confirm)
