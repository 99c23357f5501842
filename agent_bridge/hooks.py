"""Pieces the bridge adds to the core's pages through its hook lists."""
from flask import render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from community.extensions import db
from community.forms import ActionForm

from .services import escalation, privacy, public_status, tickets
from .forms import EscalateForm
from .models import PrivateRequest


def thread_banner(thread):
    """The public status of the thread's ticket, and the buttons to pass it on."""
    ticket = tickets.ticket_for_thread(thread.id)
    me = current_user._get_current_object()
    may_ask = escalation.may_ask(me, thread, ticket)
    staff_may_escalate = (getattr(me, "is_staff", False)
                          and (ticket is None or not ticket.is_active))
    requests = []
    if ticket is not None and getattr(me, "is_authenticated", False) and me.id == thread.author_id:
        requests = list(db.session.scalars(select(PrivateRequest).where(
            PrivateRequest.ticket_id == ticket.id, PrivateRequest.customer_id == me.id,
            PrivateRequest.answered_at.is_(None), PrivateRequest.message != "")))
    if ticket is None and not may_ask and not staff_may_escalate:
        return Markup("")
    return Markup(render_template(
        "agent_bridge/_thread_banner.html", thread=thread, ticket=ticket,
        status=public_status.of(ticket) if ticket is not None else None,
        may_ask=may_ask, staff_may_escalate=staff_may_escalate, requests=requests,
        escalate_form=EscalateForm(), is_agent=tickets.is_agent(me),
        action_form=ActionForm(), public_data_kinds=privacy.KINDS))
