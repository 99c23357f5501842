"""Connector ``webhook``: any helpdesk that takes signed JSON.

Out: every ticket event is POSTed to ``FORUM_BRIDGE_WEBHOOK_URL`` with
``X-Forum-Timestamp``, ``X-Forum-Signature`` (HMAC-SHA256 over
``"<timestamp>.<raw body>"``) and ``Idempotency-Key`` (the event id, the same on
every retry). In: the helpdesk calls ``POST /bridge/hooks/webhook``, signed the
same way, with replies and status changes (docs/helpdesk-connectors.md, "Helpdesk webhook").
"""
import json
import logging
import re

from flask_babel import lazy_gettext as _l

from community.inputs import MAX_INT
from community import clock
from community.errors import ValidationError
from community.services.threads import BODY_LENGTH

from . import http, inbound, signing
from .base import Connector as _Base
from .base import Health

log = logging.getLogger(__name__)

NAME = "webhook"


def encode(event):
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True).encode("utf-8")


class Connector(_Base):
    name = NAME
    outbound = True

    @property
    def url(self):
        return self.config.get("BRIDGE_WEBHOOK_URL") or ""

    @property
    def secret(self):
        return self.config.get("BRIDGE_WEBHOOK_SECRET") or ""

    def settings_problem(self):
        if not self.url.startswith(("http://", "https://")):
            return "FORUM_BRIDGE_WEBHOOK_URL is not set to an http(s) address"
        if len(self.secret) < 16:
            return "FORUM_BRIDGE_WEBHOOK_SECRET is missing or shorter than 16 characters"
        return None

    def deliver(self, event):
        problem = self.settings_problem()
        if problem:
            raise RuntimeError(problem)
        self._post(event, event["id"])

    def _post(self, event, key):
        body = encode(event)
        headers = {"Content-Type": "application/json; charset=utf-8",
                   "Idempotency-Key": key, "X-Forum-Event": event["event"],
                   "User-Agent": "customer-community-bridge/1",
                   **signing.headers(self.secret, int(clock.now().timestamp()), body)}
        return http.request("POST", self.url, body=body, headers=headers,
                            timeout=self.config["BRIDGE_CONNECTOR_TIMEOUT"])

    def health(self):
        """Send a signed ``ping`` event; a 2xx answer means the helpdesk is there and
        accepts our signature."""
        problem = self.settings_problem()
        if problem:
            return Health(False, problem)
        ping = {"id": f"forum-ping-{int(clock.now().timestamp())}", "event": "ping",
                "occurred_at": clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")}
        try:
            answer = self._post(ping, ping["id"])
        except Exception as error:  # noqa: BLE001 - the reason is what the admin needs
            return Health(False, str(error))
        return Health(True, f"HTTP {answer.status}")


def handle_callback(config, raw_body, headers, client="unknown"):
    """Verify and apply one callback. Returns (status, json dict)."""
    reason = signing.check(config.get("BRIDGE_WEBHOOK_SECRET") or "",
                           headers.get("X-Forum-Timestamp"), headers.get("X-Forum-Signature"),
                           raw_body, int(clock.now().timestamp()),
                           config["BRIDGE_WEBHOOK_MAX_AGE"])
    if reason:
        log.warning("webhook callback from %s refused: %s", client, reason)
        return 401, {"error": {"code": "bad_signature", "message": reason, "fields": {}}}
    data = _parse(raw_body)
    ticket = inbound.linked_ticket(NAME, data["ticket_id"])
    if data["event"] == "reply":
        agent = data["agent"]
        outcome, post = inbound.reply(NAME, ticket, data["external_id"], data["body"],
                                      agent_id=agent.get("email") or agent["name"],
                                      agent_name=agent["name"], agent_email=agent.get("email"),
                                      accept=data.get("accept", False))
        result = {"result": outcome, "ticket_id": ticket.id}
        if post is not None:
            result["post_id"] = post.id
        return 200, result
    outcome = inbound.status(NAME, ticket, data["external_id"], data["status"],
                             note=data.get("note"))
    return 200, {"result": outcome, "ticket_id": ticket.id, "status": ticket.status}


# Limits of the callback's fields. A reply's body may be as long as any post; ids are
# what a signed 64-bit database column holds.
EXTERNAL_ID_MAX = 150
NAME_MAX = 200
EMAIL_MAX = 254
NOTE_MAX = 1000
BODY_MAX = BODY_LENGTH[1]
ID_MAX = MAX_INT  # the input layer's bound: ids are 32-bit on PostgreSQL
# Control characters (tab and line breaks only in multi-line text) and lone surrogates:
# PostgreSQL refuses NUL, no database encodes a lone surrogate, and neither is text.
_NOT_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _text_problem(value, limit, multiline=False):
    """Why the string ``value`` is not acceptable text, or None."""
    if len(value) > limit:
        return _l("Use at most %(n)d characters.", n=limit)
    if (_NOT_TEXT if multiline else _NOT_LINE).search(value):
        return _l("Control characters and unpaired surrogates are not allowed.")
    return None


def _parse(raw_body):
    """The callback's fields, each of the type and size it must have; anything else is
    a ValidationError naming the field, before any of it reaches the database."""
    try:
        data = json.loads(raw_body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError(_l("The body is not JSON."), code="invalid_json") from None
    except RecursionError:
        # The decoder recurses per nesting level; no callback nests more than two.
        raise ValidationError(_l("The JSON is nested too deeply."),
                              code="invalid_json") from None
    if not isinstance(data, dict):
        raise ValidationError(_l("The body must be a JSON object."), code="invalid_json")
    fields = {}
    event = data.get("event")
    if event not in ("reply", "status"):
        fields["event"] = _l("Use \"reply\" or \"status\".")
    external_id = data.get("external_id")
    if not isinstance(external_id, str) or not external_id.strip() \
            or len(external_id) > EXTERNAL_ID_MAX:
        fields["external_id"] = _l("A unique id of up to 150 characters is required.")
    elif problem := _text_problem(external_id, EXTERNAL_ID_MAX):
        fields["external_id"] = problem
    ticket_id = data.get("ticket_id")
    if type(ticket_id) is not int:  # not bool, not float
        fields["ticket_id"] = _l("The forum's ticket id (a number) is required.")
    elif not 1 <= ticket_id <= ID_MAX:
        fields["ticket_id"] = _l("No ticket has this id.")
    if event == "reply":
        fields.update(_reply_problems(data))
    if event == "status":
        if not isinstance(data.get("status"), str):
            fields["status"] = _l("The new status is required.")
        note = data.get("note")
        if note is not None and not isinstance(note, str):
            fields["note"] = _l("The note must be text.")
        elif note is not None and (problem := _text_problem(note, NOTE_MAX, multiline=True)):
            fields["note"] = problem
    if fields:
        raise ValidationError(_l("The callback is incomplete."), fields=fields)
    data["external_id"] = external_id.strip()
    return data


def _reply_problems(data):
    fields = {}
    body = data.get("body")
    if not isinstance(body, str) or not body.strip():
        fields["body"] = _l("The reply text is required.")
    elif problem := _text_problem(body, BODY_MAX, multiline=True):
        fields["body"] = problem
    agent = data.get("agent")
    if not isinstance(agent, dict) or not isinstance(agent.get("name"), str) \
            or not agent["name"].strip():
        fields["agent"] = _l("The agent's name is required.")
    elif problem := _text_problem(agent["name"], NAME_MAX):
        fields["agent"] = problem
    elif agent.get("email") is not None and not isinstance(agent.get("email"), str):
        fields["agent"] = _l("The agent's e-mail must be a string.")
    elif agent.get("email") is not None and (problem := _text_problem(agent["email"], EMAIL_MAX)):
        fields["agent"] = problem
    # A real JSON boolean: the string "false" is truthy, and would solve the ticket.
    if not isinstance(data.get("accept", False), bool):
        fields["accept"] = _l("Use true or false.")
    return fields
