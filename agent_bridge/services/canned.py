"""Canned replies managed by admins, with placeholders filled in for one ticket."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from community import clock
from community.errors import NotFound, ValidationError
from community.extensions import db
from community.template_helpers import thread_url

from ..models import CannedReply

PLACEHOLDERS = ("customer_name", "thread_url", "agent_name")


def all_replies():
    return list(db.session.scalars(select(CannedReply).order_by(CannedReply.title)))


def get(reply_id):
    reply = db.session.get(CannedReply, reply_id)
    if reply is None:
        raise NotFound(_l("This canned reply does not exist."))
    return reply


def _clean(title, body):
    title, body = (title or "").strip(), (body or "").strip()
    fields = {}
    if not 2 <= len(title) <= 120:
        fields["title"] = _l("Please give a title of 2 to 120 characters.")
    if not 10 <= len(body) <= 20_000:
        fields["body"] = _l("Please write 10 to 20,000 characters.")
    if fields:
        raise ValidationError(_l("Please correct the marked fields."), fields=fields)
    return title, body


def save(title, body, reply=None):
    title, body = _clean(title, body)
    if reply is None:
        reply = CannedReply(created_at=clock.now())
        db.session.add(reply)
    reply.title, reply.body, reply.updated_at = title, body, clock.now()
    db.session.flush()
    return reply


def delete(reply):
    db.session.delete(reply)
    db.session.flush()


def fill(text, thread, customer, agent):
    """Replace the known placeholders; anything else in braces stays as written."""
    values = {"customer_name": customer.name, "agent_name": agent.name,
              "thread_url": thread_url(thread, _external=True)}
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text
