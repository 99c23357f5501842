"""The asker's contact banner on their escalated thread: whether the helpdesk may
see their e-mail address (only while an external helpdesk is connected)."""
from flask import render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from community.extensions import db
from community.forms import ActionForm

from ..models import Ticket
from . import consent, registry


def contact_banner(thread):
    user = current_user
    if not user.is_authenticated or user.id != thread.author_id:
        return ""
    if not registry.get().outbound:
        return ""
    if db.session.scalar(select(Ticket.id).where(Ticket.thread_id == thread.id)) is None:
        return ""
    return Markup(render_template("agent_bridge/connectors/_contact_banner.html", thread=thread,
                                  allowed=consent.allows_email(user), email=user.email,
                                  form=ActionForm(formdata=None)))
