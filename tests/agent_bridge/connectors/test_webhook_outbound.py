"""Ticket events reach the helpdesk (a real HTTP server on loopback): signed, in
order per ticket, with the same Idempotency-Key on every retry, nothing lost while
the helpdesk is down or slow."""
import hashlib
import hmac
import json
from datetime import timedelta

from community import clock, outbox
from community.extensions import db
from community.models import OutboxMessage
from tests.agent_bridge.connectors.conftest import SECRET
from tests.conftest import login


def reply_as(testapp, user, thread, text):
    login(testapp, user)
    form = testapp.get(f"/t/{thread.id}-{thread.slug}").forms["reply-form"]
    form["body"] = text
    form.submit("submit").follow()
    testapp.reset()


def test_escalation_is_posted_signed_with_the_question_and_a_link(
        helpdesk, make_user, make_thread, escalate):
    asker = make_user(name="Carla Customer", email="carla@example.org")
    thread = make_thread(author=asker, title="Router loses connection every night",
                         body="Since the update my router drops the line at 3 am.")
    ticket = escalate(thread)
    outbox.drain()

    [request] = helpdesk.received
    headers, raw = request["headers"], request["body"]
    stamp = headers["X-Forum-Timestamp"]
    expected = hmac.new(SECRET.encode(), stamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
    assert headers["X-Forum-Signature"] == f"sha256={expected}"
    assert abs(int(stamp) - clock.now().timestamp()) < 5
    event = json.loads(raw)
    assert headers["Idempotency-Key"] == event["id"] and headers["X-Forum-Event"] == "created"
    assert event["event"] == "created"
    assert event["ticket"]["id"] == ticket.id and event["ticket"]["status"] == "new"
    assert event["thread"]["title"] == "Router loses connection every night"
    assert event["thread"]["url"] == \
        f"https://community.example.com/t/{thread.id}-{thread.slug}"
    assert event["data"]["question"] == "Since the update my router drops the line at 3 am."
    # The customer did not allow sharing their address: a pseudonym goes out instead.
    assert event["customer"]["name"] == "Carla Customer"
    assert event["customer"]["email_shared"] is False
    assert event["customer"]["email"].endswith("@customers.invalid")
    assert b"carla@example.org" not in raw


def test_helpdesk_down_for_a_while_gets_everything_later_in_order_with_stable_keys(
        helpdesk, testapp, make_user, make_thread, escalate):
    clock.freeze()
    asker = make_user()
    first = make_thread(author=asker)
    other = make_thread()
    helpdesk.mode = "down"
    ticket = escalate(first)
    reply_as(testapp, asker, first, "Here is more information about the problem.")
    reply_as(testapp, asker, first, "And it happened again this morning, twice.")
    escalate(other)

    outbox.drain()
    # One attempt per ticket: the ticket's later events wait behind its first one.
    assert [json.loads(r["body"])["event"] for r in helpdesk.received] == ["created", "created"]
    attempts_of_first = 1

    # Backoff doubles: retried after 5 s, then 5, 10, 20 s; never earlier.
    for gap in (5, 5, 10, 20):
        clock.travel(timedelta(seconds=gap - 1))
        outbox.drain()
        assert len(helpdesk.received) == 2 * attempts_of_first
        clock.travel(timedelta(seconds=1))
        outbox.drain()
        attempts_of_first += 1
        assert len(helpdesk.received) == 2 * attempts_of_first
    db.session.expire_all()
    waiting = OutboxMessage.query.filter_by(kind="bridge.deliver", status="pending").count()
    assert waiting == 4  # nothing lost, nothing given up

    helpdesk.mode = "ok"
    clock.travel(timedelta(seconds=40))
    outbox.drain()

    delivered = helpdesk.delivered()
    for_first = [e for e in delivered if e["ticket"]["id"] == ticket.id]
    assert [e["event"] for e in for_first] == ["created", "customer_replied", "customer_replied"]
    assert [e["data"]["post"]["body"] for e in for_first[1:]] == [
        "Here is more information about the problem.",
        "And it happened again this morning, twice."]
    assert len(delivered) == 4 and len({e["id"] for e in delivered}) == 4
    # Every attempt of the first event carried the same Idempotency-Key.
    keys = {r["headers"]["Idempotency-Key"] for r in helpdesk.received
            if json.loads(r["body"])["ticket"]["id"] == ticket.id
            and json.loads(r["body"])["event"] == "created"}
    assert keys == {for_first[0]["id"]}
    assert OutboxMessage.query.filter_by(kind="bridge.deliver", status="pending").count() == 0


def test_a_slow_helpdesk_times_out_and_the_event_is_retried_with_the_same_key(
        app, helpdesk, make_thread, escalate):
    helpdesk.mode = "slow"
    escalate(make_thread())
    outbox.drain()
    row = OutboxMessage.query.filter_by(kind="bridge.deliver").one()
    assert row.status == "pending" and "did not answer within 0.5 s" in row.last_error

    helpdesk.mode = "ok"
    clock.travel(timedelta(seconds=5))
    outbox.drain()
    first, second = helpdesk.received
    assert first["headers"]["Idempotency-Key"] == second["headers"]["Idempotency-Key"]
    assert first["body"] == second["body"]
    assert len(helpdesk.delivered()) == 1


def test_nothing_is_sent_while_the_builtin_desk_is_used(make_app, helpdesk, make_user):
    from agent_bridge.services import escalation
    from community.services import threads, categories

    app = make_app(BRIDGE_CONNECTOR="builtin", BRIDGE_WEBHOOK_URL=helpdesk.url,
                   BRIDGE_WEBHOOK_SECRET=SECRET)
    with app.app_context():
        asker = make_user()
        thread = threads.create_thread(asker, categories.create_category("Billing", ""),
                                       "Why was I charged twice?", "Two charges this month.", ())
        escalation.escalate(make_user(role="moderator"), thread, "")
        db.session.commit()
        outbox.drain()
        assert OutboxMessage.query.filter_by(kind="bridge.deliver").count() == 0
    assert helpdesk.received == []


def test_the_asker_decides_whether_the_helpdesk_sees_their_email(
        testapp, helpdesk, make_user, make_thread, escalate):
    asker = make_user(name="Carla Customer", email="carla@example.org")
    thread = make_thread(author=asker)
    login(testapp, make_user())
    assert "helpdesk-contact" not in testapp.get(f"/t/{thread.id}-{thread.slug}").text
    testapp.reset()
    escalate(thread)

    login(testapp, asker)
    page = testapp.get(f"/t/{thread.id}-{thread.slug}")
    assert "not your e-mail address" in page.text
    page = page.forms["contact-form"].submit().follow()
    assert "The support team may now contact you by e-mail." in page.text
    assert "may contact you by e-mail at carla@example.org" in page.text
    testapp.reset()
    reply_as(testapp, asker, thread, "Thanks, you can write to me directly.")
    outbox.drain()
    created, replied = helpdesk.delivered()
    assert created["customer"]["email"].endswith("@customers.invalid")
    assert replied["customer"] == {"name": "Carla Customer", "email": "carla@example.org",
                                   "email_shared": True}

    login(testapp, asker)
    page = testapp.get(f"/t/{thread.id}-{thread.slug}").forms["contact-form"].submit().follow()
    assert "The support team no longer sees your e-mail address." in page.text

    # Someone else cannot decide it for the asker.
    other = make_user()
    testapp.reset()
    login(testapp, other)
    from tests.conftest import csrf_token
    testapp.post(f"/bridge/contact/{thread.id}",
                 {"csrf_token": csrf_token(testapp), "allow": "yes"}, status=403)
