"""Private details: the desk asks the customer for them, the customer answers in
a form only agents and admins can read. And the warning before someone posts such
data in public.

Private details live in ``PrivateRequest`` rows only: never in posts, the public
API, feeds, the search index or e-mails (the notification to the customer
carries the agent's question, never an answer).
"""
import re

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from community import clock
from community.errors import Conflict, NotFound, ValidationError
from community.extensions import db
from community.models import Thread
from community.notifications import service as notifications
from community.permissions import require

from . import tickets
from ..models import PrivateRequest

MAX_LENGTH = 5000

KINDS = {
    "iban": _l("an IBAN (bank account)"),
    "phone": _l("a phone number"),
    "email": _l("an e-mail address"),
    "customer_number": _l("a customer or contract number"),
}

# Every pattern runs over what members type, so each must be linear in the text's
# length: a match may only start where a run of its characters starts (a lookbehind),
# and every repetition has an upper bound, so the work per start is a constant
# (tests/abuse/test_redos.py checks both). Unbounded `[\w.+-]+@` took 20 s on
# 100,000 characters.
_IBAN = re.compile(r"\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?)\b")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,6}\.[a-z]{2,24}",
                    re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d ()/.-]{6,24}\d(?!\w)")
_NUMBER = re.compile(
    r"\b(?:kunden|vertrags|customer|contract|account|konto|kd|vertrag|kunde)[\w-]{0,20}"
    r"\s{0,3}(?:nr\.?|nummer|number|no\.?|#)?\s{0,3}[:#.]?\s{0,3}[A-Z]{0,4}[-/ ]?\d[\d/ -]{4,30}",
    re.IGNORECASE)
PATTERNS = (_IBAN, _EMAIL, _PHONE, _NUMBER)
# Longer text than any field accepts is refused by the core's length checks; the
# warning never needs to read further than that.
SCAN_LIMIT = 50_000


def _iban_valid(text):
    iban = text.replace(" ", "")
    if not 15 <= len(iban) <= 34:
        return False
    digits = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


def _phone_like(text):
    digits = re.sub(r"\D", "", text)
    return 8 <= len(digits) <= 15 and not re.fullmatch(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}", text)


def public_data(text):
    """Kinds of private data found in ``text``, in a fixed order."""
    text = (text or "")[:SCAN_LIMIT]
    found = []
    if any(_iban_valid(m.group(1)) for m in _IBAN.finditer(text.upper())):
        found.append("iban")
    if any(_phone_like(m.group(0)) for m in _PHONE.finditer(_IBAN.sub(" ", text.upper()))):
        found.append("phone")
    if _EMAIL.search(text):
        found.append("email")
    if _NUMBER.search(text):
        found.append("customer_number")
    return found


def public_data_in(fields):
    """``{field: kinds}`` of the fields (name -> text) that contain private data."""
    found = {name: public_data(text) for name, text in fields.items()}
    return {name: kinds for name, kinds in found.items() if kinds}


def kinds_of(found):
    """The kinds of a ``public_data_in`` result, each once, in a fixed order."""
    return [kind for kind in KINDS if any(kind in kinds for kinds in found.values())]


def _clean(text, field):
    text = (text or "").strip()
    if not text:
        raise ValidationError(_l("Please write your answer."),
                              fields={field: _l("Please write your answer.")})
    if len(text) > MAX_LENGTH:
        message = _l("Please keep it under %(n)d characters.", n=MAX_LENGTH)
        raise ValidationError(message, fields={field: message})
    return text


def request_details(ticket, agent, message):
    """The desk asks the customer for private details; the customer is notified."""
    require(agent, "use_desk")
    message = (message or "").strip()
    if not 5 <= len(message) <= 2000:
        error = _l("Please tell the customer in 5 to 2,000 characters what you need.")
        raise ValidationError(error, fields={"message": error})
    thread = db.session.get(Thread, ticket.thread_id)
    request = PrivateRequest(ticket_id=ticket.id, customer_id=thread.author_id,
                             requested_by_id=agent.id, message=message, created_at=clock.now())
    db.session.add(request)
    db.session.flush()
    tickets.record(ticket, "private_request", agent, request_id=request.id, message=message)
    notifications.notify(thread.author_id, "support_request", thread=thread, actor=agent,
                         data={"message": message,
                               "url": url_for("agent_bridge.private_answer",
                                              request_id=request.id)},
                         key=f"bridge.private_request:{request.id}")
    if ticket.status in ("new", "open"):
        tickets.set_status(ticket, "pending", actor=agent, source="desk")
    return request


def get_request(request_id):
    request = db.session.get(PrivateRequest, request_id)
    if request is None:
        raise NotFound(_l("This request does not exist."))
    return request


def answer(request, customer, text):
    """The customer's private answer: stored for agents, the ticket reopens."""
    require(customer, "answer_private_request", request)
    if request.answered_at is not None:
        raise Conflict(_l("You have already answered this request."), code="answered")
    request.answer = _clean(text, "answer")
    request.answered_at = clock.now()
    _deliver(request, customer)
    return request


def send_privately(customer, thread, text):
    """The asker sends details to the support team instead of posting them: the
    thread's ticket is opened if needed, and the text is stored privately."""
    if not getattr(customer, "is_authenticated", False) or customer.id != thread.author_id:
        raise NotFound(_l("This thread does not exist."))
    require(customer, "send_private_details", thread)
    text = _clean(text, "body")
    ticket, _created = tickets.open_ticket(thread, "asker", actor=customer, source="thread",
                                           detail=str(_l("Private details sent by the asker")))
    request = PrivateRequest(ticket_id=ticket.id, customer_id=customer.id, message="",
                             answer=text, created_at=clock.now(), answered_at=clock.now())
    db.session.add(request)
    db.session.flush()
    _deliver(request, customer)
    return request


def _deliver(request, customer):
    ticket = tickets.get_ticket(request.ticket_id)
    entry = tickets.record(ticket, "private_detail", customer, request_id=request.id)
    if ticket.status == "pending":
        tickets.set_status(ticket, "open", actor=customer, source="thread")
    tickets.publish(ticket, "private_detail",
                    {"request_id": request.id, "body": request.answer,
                     "customer": tickets.person(customer), "source": "thread"},
                    event_id=entry.id)


def for_ticket(ticket):
    """Requests and answers of a ticket, for agents only (the caller checks)."""
    return list(db.session.scalars(
        select(PrivateRequest).where(PrivateRequest.ticket_id == ticket.id)
        .order_by(PrivateRequest.created_at, PrivateRequest.id)))


def open_requests_for(user):
    return list(db.session.scalars(
        select(PrivateRequest).where(PrivateRequest.customer_id == user.id,
                                     PrivateRequest.answered_at.is_(None))
        .order_by(PrivateRequest.created_at)))


