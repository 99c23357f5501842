"""Agent API (JSON, v1): the desk's queue and ticket actions, and escalation by hand;
and the public-data check of the core's ``POST /threads`` and ``POST /threads/<id>/posts``.

The same services and capability checks as the desk pages. Bearer tokens through
the core's API authentication; no cookies, no CSRF. Errors are the core's
``{"error": {"code", "message", "fields"}}``.
"""
from flask import Blueprint, jsonify, request, url_for
from flask_babel import lazy_gettext as _l

from community.services import threads
from community.api.auth import authenticate, require_user
from community.api.openapi import (BOOLEAN, DATETIME, INTEGER, STRING, add_properties,
                                   error_responses, ref, register_paths)
from community.errors import NotFound, ValidationError
from community.api.errors import json_body
from community.extensions import csrf, db
from community.models import User
from community.permissions import can, require
from community.template_helpers import iso

from .services import escalation, privacy, public_data, public_status, queue, tickets
from .models import PRIORITIES, STATUSES

bp = Blueprint("agent_bridge_api", __name__, url_prefix="/api/v1")
bp.before_request(authenticate)

MAX_LIMIT = 200


def _done(payload, status=200):
    return jsonify(payload), status


def _agent():
    user = require_user()
    require(user, "use_desk")
    return user


def ticket_json(ticket, assignee=None):
    assignee = assignee if assignee is not None else (
        db.session.get(User, ticket.assignee_id) if ticket.assignee_id else None)
    return {
        "id": ticket.id, "thread_id": ticket.thread_id, "status": ticket.status,
        "priority": ticket.priority, "reason": ticket.reason, "reason_detail": ticket.reason_detail,
        "assignee": {"id": assignee.id, "name": assignee.name} if assignee else None,
        "connector": ticket.connector, "external_id": ticket.external_id,
        "created_at": iso(ticket.created_at), "updated_at": iso(ticket.updated_at),
        "due_at": iso(ticket.due_at) or None, "overdue": ticket.is_overdue(),
        "first_response_at": iso(ticket.first_response_at) or None,
        "solved_at": iso(ticket.solved_at) or None,
        "url": url_for("agent_bridge.ticket", ticket_id=ticket.id, _external=True),
    }


def _limit():
    raw = request.args.get("limit") or "50"
    if not raw.isdigit():
        raise ValidationError(_l("limit must be a number."), fields={"limit": "number"})
    return max(1, min(int(raw), MAX_LIMIT))


@bp.get("/desk/tickets")
def list_tickets():
    agent = _agent()
    args = request.args
    page = queue.queue_page(agent, page=1, per_page=_limit(),
                            status=args.get("status") or None,
                            priority=args.get("priority") or None,
                            assignee=args.get("assignee") or None)
    return jsonify(total=page.total,
                   tickets=[ticket_json(t, t.assignee) for t in page.items])


@bp.get("/desk/tickets/<int:ticket_id>")
def get_ticket(ticket_id):
    _agent()
    ticket = tickets.get_ticket(ticket_id)
    events = [{"id": e.id, "kind": e.kind, "actor_id": e.actor_id, "data": e.data,
               "created_at": iso(e.created_at)} for e in tickets.timeline(ticket)]
    details = [{"id": r.id, "message": r.message, "answer": r.answer,
                "created_at": iso(r.created_at), "answered_at": iso(r.answered_at) or None}
               for r in privacy.for_ticket(ticket)]
    return jsonify(ticket={**ticket_json(ticket), "events": events, "private_details": details})


def _flag(data, name, default=False):
    value = data.get(name, default)
    if not isinstance(value, bool):
        raise ValidationError(_l("%(name)s must be true or false.", name=name),
                              fields={name: _l("Must be true or false.")})
    return value


@bp.post("/desk/tickets/<int:ticket_id>/reply")
def reply(ticket_id):
    agent = _agent()
    ticket = tickets.get_ticket(ticket_id)
    data = json_body(allow_empty=True)
    public, accept = _flag(data, "public", True), _flag(data, "accept")
    body = str(data.get("body") or "")
    if public:
        post = tickets.post_official_reply(ticket, body, agent, accept=accept, source="api")
        return _done({"ticket": ticket_json(ticket), "post_id": post.id}, 201)
    entry = tickets.add_note(ticket, agent, body)
    return _done({"ticket": ticket_json(ticket), "note_id": entry.id}, 201)


@bp.post("/desk/tickets/<int:ticket_id>/assign")
def assign(ticket_id):
    agent = _agent()
    ticket = tickets.get_ticket(ticket_id)
    raw = json_body(allow_empty=True).get("assignee")
    if raw == "me":
        assignee = agent
    elif raw is None:
        assignee = None
    elif isinstance(raw, int) and not isinstance(raw, bool):
        assignee = db.session.get(User, raw)
        if assignee is None:
            raise ValidationError(_l("No such user."), fields={"assignee": _l("No such user.")})
    else:
        raise ValidationError(_l("assignee must be a user id, \"me\" or null."),
                              fields={"assignee": _l("A user id, \"me\" or null.")})
    tickets.assign(ticket, assignee, actor=agent, source="api")
    return _done({"ticket": ticket_json(ticket)})


@bp.post("/desk/tickets/<int:ticket_id>/status")
def set_status(ticket_id):
    agent = _agent()
    ticket = tickets.get_ticket(ticket_id)
    data = json_body(allow_empty=True)
    if "status" not in data and "priority" not in data:
        raise ValidationError(_l("Give a status or a priority."),
                              fields={"status": _l("Required.")})
    if "priority" in data:
        tickets.set_priority(ticket, str(data["priority"]), actor=agent, source="api")
    if "status" in data:
        tickets.set_status(ticket, str(data["status"]), actor=agent, source="api")
    return _done({"ticket": ticket_json(ticket)})


@bp.post("/threads/<int:thread_id>/escalate")
def escalate(thread_id):
    user = require_user()
    thread = threads.get_thread(thread_id)
    if not can(user, "view_thread", thread):
        raise NotFound(_l("This thread does not exist."))
    data = json_body(allow_empty=True)
    ticket, created = escalation.escalate(user, thread, str(data.get("reason") or ""),
                                          urgent=_flag(data, "urgent"), source="api")
    payload = (ticket_json(ticket) if can(user, "use_desk")
               else {"id": ticket.id, "thread_id": thread.id,
                     "public_status": public_status.state(ticket),
                     "created_at": iso(ticket.created_at)})
    return _done({"ticket": payload, "created": created}, 201 if created else 200)


PUBLIC_DATA_OK = {
    **BOOLEAN, "default": False,
    "description": "Post even though the text seems to contain private data (an IBAN, phone "
                   "number, e-mail address, customer or contract number). Without it such a "
                   "text is refused with 422 and nothing is saved: `error.code` is "
                   "`public_data`, `error.fields` names `title` and/or `body`, and "
                   "`error.kinds` lists what was found (`iban`, `phone`, `email`, "
                   "`customer_number`)."}


# --- OpenAPI ---------------------------------------------------------------------------

def _nullable(schema):
    return {**schema, "type": [schema["type"], "null"]}


def _query(name, description, schema=None):
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or STRING}


def _path_id(name):
    return {"name": name, "in": "path", "required": True, "schema": INTEGER}


def _json_body(schema, required=True):
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def _ok(status, description, schema, *errors):
    return {str(status): {"description": description,
                          "content": {"application/json": {"schema": ref(schema)}}},
            **error_responses(*errors)}


TICKET = {"type": "object", "required": [
    "id", "thread_id", "status", "priority", "reason", "assignee", "due_at", "created_at"],
    "properties": {
        "id": INTEGER, "thread_id": INTEGER,
        "status": {"type": "string", "enum": list(STATUSES)},
        "priority": {"type": "string", "enum": list(PRIORITIES)},
        "reason": {**STRING, "description": "Which rule opened it: `no_reply`, `no_answer`, "
                                            "`urgent_terms`, `moderator`, `agent`, `asker`."},
        "reason_detail": STRING,
        "assignee": {"type": ["object", "null"], "properties": {"id": INTEGER, "name": STRING}},
        "connector": STRING, "external_id": _nullable(STRING),
        "created_at": DATETIME, "updated_at": DATETIME, "due_at": _nullable(DATETIME),
        "overdue": BOOLEAN, "first_response_at": _nullable(DATETIME),
        "solved_at": _nullable(DATETIME), "url": {"type": "string", "format": "uri"}}}

SCHEMAS = {
    "Ticket": TICKET,
    "TicketList": {"type": "object", "required": ["tickets", "total"], "properties": {
        "total": INTEGER, "tickets": {"type": "array", "items": ref("Ticket")}}},
    "TicketDetail": {"type": "object", "required": ["ticket"], "properties": {
        "ticket": {"allOf": [ref("Ticket"), {"type": "object", "properties": {
            "events": {"type": "array", "items": {"type": "object", "properties": {
                "id": INTEGER, "kind": STRING, "actor_id": _nullable(INTEGER),
                "data": {"type": "object"}, "created_at": DATETIME}}},
            "private_details": {"type": "array", "items": {"type": "object", "properties": {
                "id": INTEGER, "message": STRING, "answer": _nullable(STRING),
                "created_at": DATETIME, "answered_at": _nullable(DATETIME)}}}}}]}}},
    "TicketResult": {"type": "object", "required": ["ticket"], "properties": {
        "ticket": ref("Ticket"), "post_id": INTEGER, "note_id": INTEGER}},
    "EscalationResult": {"type": "object", "required": ["ticket", "created"], "properties": {
        "ticket": {"type": "object", "description": "The full ticket for agents; for others "
                   "`id`, `thread_id`, `public_status` and `created_at`."},
        "created": BOOLEAN}},
}

_DESK = {"tags": ["desk"], "security": [{"bearerAuth": []}]}

PATHS = {
    "/desk/tickets": {"get": {
        **_DESK, "operationId": "listTickets", "summary": "The desk's queue (agents, admins)",
        "description": "Sorted by first-response due time, then priority. Without `status`, "
                       "the tickets still to work on (new, open, pending).",
        "parameters": [
            _query("status", "One status, or `any`.",
                   {"type": "string", "enum": list(STATUSES) + ["any"]}),
            _query("priority", "One priority.", {"type": "string", "enum": list(PRIORITIES)}),
            _query("assignee", "`me` or `none` (unassigned).",
                   {"type": "string", "enum": ["me", "none"]}),
            _query("limit", f"At most this many, 1 to {MAX_LIMIT}.",
                   {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 50})],
        "responses": _ok(200, "The tickets.", "TicketList", 403, 422)}},
    "/desk/tickets/{ticket_id}": {"get": {
        **_DESK, "operationId": "getTicket", "summary": "A ticket with its timeline",
        "parameters": [_path_id("ticket_id")],
        "responses": _ok(200, "The ticket.", "TicketDetail", 403, 404)}},
    "/desk/tickets/{ticket_id}/reply": {"post": {
        **_DESK, "operationId": "replyToTicket",
        "summary": "Post the official reply in the thread, or an internal note",
        "parameters": [_path_id("ticket_id")],
        "requestBody": _json_body({"type": "object", "required": ["body"], "properties": {
            "body": {**STRING, "description": "Markdown."},
            "public": {**BOOLEAN, "default": True,
                       "description": "false: an internal note only agents see."},
            "accept": {**BOOLEAN, "default": False,
                       "description": "Confirm the reply as the thread's accepted answer "
                                      "and solve the ticket."}}}),
        "responses": _ok(201, "Posted; `post_id` of the new post (public) or `note_id`.",
                         "TicketResult", 400, 403, 404, 422)}},
    "/desk/tickets/{ticket_id}/assign": {"post": {
        **_DESK, "operationId": "assignTicket", "summary": "Give the ticket to an agent",
        "parameters": [_path_id("ticket_id")],
        "requestBody": _json_body({"type": "object", "properties": {
            "assignee": {"type": ["integer", "string", "null"],
                         "description": "A user id, `me`, or null for nobody."}}}),
        "responses": _ok(200, "The ticket.", "TicketResult", 400, 403, 404, 422)}},
    "/desk/tickets/{ticket_id}/status": {"post": {
        **_DESK, "operationId": "setTicketStatus", "summary": "Change status and/or priority",
        "parameters": [_path_id("ticket_id")],
        "requestBody": _json_body({"type": "object", "properties": {
            "status": {"type": "string", "enum": list(STATUSES)},
            "priority": {"type": "string", "enum": list(PRIORITIES)}}}),
        "responses": _ok(200, "The ticket.", "TicketResult", 400, 403, 404, 422)}},
    "/threads/{thread_id}/escalate": {"post": {
        "tags": ["desk"], "security": [{"bearerAuth": []}], "operationId": "escalateThread",
        "summary": "Pass a thread to the support team",
        "description": "Moderators and agents on any thread they can see; the asker on their "
                       "own open, unsolved thread once the category allows it. Returns the "
                       "thread's one ticket, created now (201) or already there (200).",
        "parameters": [_path_id("thread_id")],
        "requestBody": _json_body({"type": "object", "properties": {
            "reason": {**STRING, "description": "What the support team should know."},
            "urgent": {**BOOLEAN, "default": False,
                       "description": "Priority urgent (staff only)."}}}, required=False),
        "responses": {**_ok(201, "Ticket opened.", "EscalationResult", 400, 403, 404, 422),
                      "200": {"description": "The thread already had a ticket.",
                              "content": {"application/json": {
                                  "schema": ref("EscalationResult")}}}}}},
}


def init_app(app):
    csrf.exempt(bp)
    app.register_blueprint(bp)
    register_paths(PATHS, schemas=SCHEMAS)
    for schema in ("NewThread", "NewPost"):
        add_properties(app, schema, {public_data.CONFIRM_FIELD: PUBLIC_DATA_OK})
