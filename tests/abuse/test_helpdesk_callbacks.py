"""Hostile callbacks to ``POST /bridge/hooks/webhook`` (issue 12, point 5): a freshly
timestamped but malformed signature, and signed bodies with wrongly typed, oversized or
control-character fields or absurdly deep JSON. Each is refused with a 4xx error
envelope, changes nothing, and the agents' ticket page keeps working."""
import json

import pytest

from agent_bridge.connectors import signing
from agent_bridge.connectors.models import InboundEvent
from agent_bridge.models import Ticket, TicketEvent
from community import clock
from community.extensions import db
from community.models import Post
from tests.conftest import login

HOOK = "/bridge/hooks/webhook"
SECRET = "s3cret-shared-with-the-helpdesk"


@pytest.fixture
def app(make_app):
    # Deliveries to the helpdesk stay in the outbox (never drained): only callbacks matter.
    app = make_app(BRIDGE_CONNECTOR="webhook", BRIDGE_WEBHOOK_URL="http://127.0.0.1:9/events",
                   BRIDGE_WEBHOOK_SECRET=SECRET)
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def ticket(app, make_user, make_thread):
    from agent_bridge.services import escalation

    ticket, _created = escalation.escalate(make_user(role="moderator"), make_thread(),
                                           "Please help")
    db.session.commit()
    return ticket


def signed_headers(raw):
    return {"Content-Type": "application/json",
            **signing.headers(SECRET, int(clock.now().timestamp()), raw)}


def reply(ticket_id, **changes):
    return {"event": "reply", "external_id": "hd-reply-1", "ticket_id": ticket_id,
            "body": "Please restart the router once; we fixed it.",
            "agent": {"name": "Sam Support", "email": "sam@helpdesk.example"},
            "accept": False, **changes}


def status(ticket_id, **changes):
    return {"event": "status", "external_id": "hd-status-1", "ticket_id": ticket_id,
            "status": "solved", **changes}


def agent_named(name):
    return {"name": name, "email": "sam@helpdesk.example"}


# Each case: a signed body (dict or raw bytes) built from the ticket id, and the field
# the error must name (None: the body as a whole).
FIELD_CASES = {
    "note_is_an_object": (lambda t: status(t, note={"x": [1, 2]}), "note"),
    "accept_is_a_string": (lambda t: reply(t, accept="false"), "accept"),
    "accept_is_a_number": (lambda t: reply(t, accept=0), "accept"),
    "ticket_id_beyond_64_bits": (lambda t: reply(2 ** 70), "ticket_id"),
    "ticket_id_zero": (lambda t: status(0), "ticket_id"),
    "ticket_id_as_float": (lambda t: status(float(t)), "ticket_id"),
    "nul_in_external_id": (lambda t: reply(t, external_id="hd-\x00-1"), "external_id"),
    "nul_in_body": (lambda t: reply(t, body="Please restart\x00 the router once."), "body"),
    "nul_in_agent_name": (lambda t: reply(t, agent=agent_named("Sam\x00Support")), "agent"),
    "control_char_in_note": (lambda t: status(t, note="solved\x1b[2J"), "note"),
    "agent_name_too_long": (lambda t: reply(t, agent=agent_named("S" * 10_000)), "agent"),
    "agent_email_not_a_string": (
        lambda t: reply(t, agent={"name": "Sam", "email": ["sam@helpdesk.example"]}), "agent"),
    "note_too_long": (lambda t: status(t, note="n" * 100_000), "note"),
    "status_not_a_string": (lambda t: status(t, status=["solved"]), "status"),
    "body_too_long": (lambda t: reply(t, body="word " * 20_000), "body"),
    # A lone surrogate is valid JSON (an escape) but no valid text.
    "lone_surrogate_in_body": (
        lambda t: json.dumps(reply(t)).replace("restart", "re\\ud800start").encode(), "body"),
    "deeply_nested_json": (lambda t: b"[" * 100_000 + b"]" * 100_000, None),
    "deeply_nested_field": (
        lambda t: json.dumps(status(t)).replace('"solved"', "[" * 100_000 + "]" * 100_000)
        .encode(), None),
}


@pytest.fixture
def unchanged(ticket, make_user, testapp):
    """After the test: nothing was applied, and an agent still sees the ticket page."""
    db.session.expire_all()
    before = (ticket.status, TicketEvent.query.filter_by(ticket_id=ticket.id).count())
    yield
    db.session.expire_all()
    current = db.session.get(Ticket, ticket.id)
    assert (current.status, TicketEvent.query.filter_by(ticket_id=ticket.id).count()) == before
    assert InboundEvent.query.count() == 0
    assert Post.query.filter_by(thread_id=ticket.thread_id, is_official=True).count() == 0
    login(testapp, make_user(role="agent"))
    testapp.get(f"/desk/tickets/{ticket.id}", status=200)


def assert_error_envelope(answer):
    assert 400 <= answer.status_int < 500
    assert answer.content_type == "application/json"
    error = answer.json["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["message"] and isinstance(error["fields"], dict)
    return error


@pytest.mark.parametrize("case", list(FIELD_CASES))
def test_a_signed_callback_with_a_malformed_field_is_refused(testapp, ticket, unchanged, case):
    build, field = FIELD_CASES[case]
    body = build(ticket.id)
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    answer = testapp.post(HOOK, params=raw, headers=signed_headers(raw), expect_errors=True)
    error = assert_error_envelope(answer)
    if field is None:
        assert (answer.status_int, error["code"]) == (400, "bad_json")
    else:
        assert (answer.status_int, error["code"]) == (422, "invalid")
        # The core's input layer names nested fields by their path ("agent.name").
        assert {name.split(".")[0] for name in error["fields"]} == {field}


@pytest.mark.parametrize("signature", [
    "sha256=é" + "0" * 63,          # not ASCII: hmac.compare_digest refuses to compare it
    "sha256=" + "zz" * 32,          # ASCII but not hex
    "sha256=" + "0" * 6400,         # absurdly long
])
def test_a_malformed_signature_is_refused_as_bad(testapp, ticket, unchanged, signature):
    raw = json.dumps(status(ticket.id)).encode()
    headers = signed_headers(raw) | {"X-Forum-Signature": signature}
    error = assert_error_envelope(testapp.post(HOOK, params=raw, headers=headers, status=401))
    assert error["code"] == "bad_signature"


@pytest.mark.parametrize("timestamp", ["{now:_}", "+{now}", "{now}.0", "9" * 5000])
def test_a_timestamp_that_is_not_plain_digits_is_refused(testapp, ticket, unchanged, timestamp):
    """Fresh and correctly signed, but not Unix seconds in ASCII digits as signed by
    every sender: int() would read most of these."""
    raw = json.dumps(status(ticket.id)).encode()
    stamp = timestamp.format(now=int(clock.now().timestamp()))
    headers = {"Content-Type": "application/json", **signing.headers(SECRET, stamp, raw)}
    error = assert_error_envelope(testapp.post(HOOK, params=raw, headers=headers, status=401))
    assert error["code"] == "bad_signature"


def test_a_well_formed_callback_still_applies(testapp, ticket):
    """The checks refuse the malformed, not the ordinary: tabs and line breaks in a
    reply, ``accept`` true, a note, ``agent.email`` null."""
    raw = json.dumps(reply(ticket.id, body="Line one,\n\tline two.", accept=True,
                           agent={"name": "Sam Support", "email": None})).encode()
    assert testapp.post(HOOK, params=raw, headers=signed_headers(raw)).json["result"] == "applied"
    raw = json.dumps(status(ticket.id, external_id="hd-status-2", status="closed",
                            note="closed in the helpdesk")).encode()
    assert testapp.post(HOOK, params=raw, headers=signed_headers(raw)).json["status"] == "closed"
