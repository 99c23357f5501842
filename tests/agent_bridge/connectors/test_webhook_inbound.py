"""The helpdesk calls back (``POST /bridge/hooks/webhook``): signed replies become the
official reply once; replays, forgeries, stale calls and echoes change nothing."""
import json
import logging
from datetime import timedelta

from agent_bridge.models import Ticket
from community import clock, outbox
from community.extensions import db
from community.models import OutboxMessage, Post
from tests.agent_bridge.connectors.conftest import signed

HOOK = "/bridge/hooks/webhook"


def call(testapp, body, status=200, **sign):
    raw, headers = signed(body, **sign)
    return testapp.post(HOOK, params=raw, headers=headers, status=status)


def reply(ticket, external_id="hd-reply-1", body="Please restart the router once; we fixed it.",
          agent=None):
    return {"event": "reply", "external_id": external_id, "ticket_id": ticket.id, "body": body,
            "agent": agent or {"name": "Sam Support", "email": "sam@helpdesk.example"}}


def official_posts(thread):
    db.session.expire_all()
    return Post.query.filter_by(thread_id=thread.id, is_official=True).all()


def test_signed_reply_is_posted_once_under_the_agents_name(
        testapp, helpdesk, make_thread, escalate):
    thread = make_thread(title="Invoice shows the wrong address")
    ticket = escalate(thread)
    answer = call(testapp, reply(ticket, body="We corrected the address on your invoice."))
    assert answer.json["result"] == "applied" and answer.json["post_id"]

    page = testapp.get(f"/t/{thread.id}-{thread.slug}")
    [official] = page.html.select("article.post.official")
    assert official.select_one(".post-body").text.strip() == \
        "We corrected the address on your invoice."
    assert "Sam Support" in official.text and "Support team" in official.text

    again = call(testapp, reply(ticket, body="We corrected the address on your invoice."))
    assert again.json["result"] == "duplicate"
    assert len(official_posts(thread)) == 1
    assert db.session.get(Ticket, ticket.id).status == "pending"


def test_helpdesk_agent_with_a_forum_account_answers_as_that_account(
        testapp, helpdesk, make_user, make_thread, escalate):
    staff = make_user(role="agent", name="Petra Profi", email="petra@example.com",
                      staff_title="Billing expert")
    thread = make_thread()
    ticket = escalate(thread)
    call(testapp, reply(ticket, agent={"name": "P. Profi (helpdesk)", "email": "Petra@example.com"}))
    [post] = official_posts(thread)
    assert post.author_id == staff.id


def test_replies_from_the_helpdesk_are_not_sent_back_to_it(
        testapp, helpdesk, make_thread, escalate):
    ticket = escalate(make_thread())
    outbox.drain()
    sent_before = len(helpdesk.received)
    call(testapp, reply(ticket))
    call(testapp, {"event": "status", "external_id": "hd-status-1", "ticket_id": ticket.id,
                   "status": "solved"})
    outbox.drain()
    assert len(helpdesk.received) == sent_before
    assert OutboxMessage.query.filter_by(kind="bridge.deliver", status="pending").count() == 0


def test_a_reply_that_originated_in_the_forum_is_not_posted_back(
        testapp, helpdesk, make_thread, make_user, escalate):
    from agent_bridge.services import tickets

    thread = make_thread()
    ticket = escalate(thread)
    desk_agent = make_user(role="agent", name="Desk Dora")
    post = tickets.post_official_reply(ticket, "Answered from the forum's desk directly.",
                                       desk_agent)
    db.session.commit()
    outbox.drain()
    sent = [e for e in helpdesk.delivered() if e["data"].get("kind") == "official_reply"]
    assert sent[0]["data"]["post"]["external_id"] == f"forum-post-{post.id}"

    # A helpdesk that mirrors it back as a reply is told so, and nothing is posted.
    echo = call(testapp, reply(ticket, external_id=sent[0]["data"]["post"]["external_id"],
                               body="Answered from the forum's desk directly."))
    assert echo.json["result"] == "ignored"
    assert len(official_posts(thread)) == 1


def test_status_callback_changes_the_ticket_once(testapp, helpdesk, make_thread, escalate):
    ticket = escalate(make_thread())
    body = {"event": "status", "external_id": "hd-status-7", "ticket_id": ticket.id,
            "status": "solved"}
    assert call(testapp, body).json == {"result": "applied", "ticket_id": ticket.id,
                                        "status": "solved"}
    assert call(testapp, body).json["result"] == "duplicate"
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).status == "solved"


def test_bad_signature_and_stale_timestamp_are_refused_and_logged(
        testapp, helpdesk, make_thread, escalate, caplog):
    thread = make_thread()
    ticket = escalate(thread)
    caplog.set_level(logging.WARNING, logger="agent_bridge.connectors.webhook")

    forged = call(testapp, reply(ticket), status=401, secret="not-the-shared-secret")
    assert forged.json["error"]["code"] == "bad_signature"
    assert "bad signature" in caplog.text

    six_minutes_ago = int((clock.now() - timedelta(minutes=6)).timestamp())
    stale = call(testapp, reply(ticket, external_id="hd-2"), status=401, timestamp=six_minutes_ago)
    assert "stale timestamp" in stale.json["error"]["message"]
    assert "stale timestamp" in caplog.text

    # Signed correctly, but the body was changed on the way.
    raw, headers = signed(reply(ticket, external_id="hd-3"))
    testapp.post(HOOK, params=raw.replace(b"Please", b"Kindly"), headers=headers, status=401)
    testapp.post(HOOK, params=raw, headers={"Content-Type": "application/json"}, status=401)
    assert official_posts(thread) == []


def test_a_replay_within_the_window_is_a_duplicate_and_after_it_is_refused(
        testapp, helpdesk, make_thread, escalate):
    thread = make_thread()
    ticket = escalate(thread)
    raw, headers = signed(reply(ticket))
    testapp.post(HOOK, params=raw, headers=headers, status=200)
    clock.travel(timedelta(minutes=4))
    assert testapp.post(HOOK, params=raw, headers=headers).json["result"] == "duplicate"
    clock.travel(timedelta(minutes=2))
    testapp.post(HOOK, params=raw, headers=headers, status=401)
    assert len(official_posts(thread)) == 1


def test_incomplete_callbacks_get_field_errors(testapp, helpdesk, make_thread, escalate):
    ticket = escalate(make_thread())
    answer = call(testapp, {"event": "reply", "ticket_id": ticket.id, "body": " "}, status=422)
    assert set(answer.json["error"]["fields"]) == {"external_id", "body", "agent"}
    answer = call(testapp, {"event": "status", "external_id": "x", "ticket_id": ticket.id,
                            "status": "archived"}, status=422)
    assert answer.json["error"]["fields"] == {"status": "Unknown status."}
    raw, headers = signed(b"not json")
    assert testapp.post(HOOK, params=raw, headers=headers, status=422).json["error"]["code"] \
        == "invalid_json"
    missing = call(testapp, reply(ticket) | {"ticket_id": 999999}, status=404)
    assert missing.json["error"]["code"] == "unknown_ticket"


def test_the_hook_answers_404_when_the_webhook_connector_is_off(make_app, helpdesk):
    from webtest import TestApp
    from tests.conftest import isolated

    app = make_app(BRIDGE_CONNECTOR="builtin")
    raw, headers = signed({"event": "status"})
    with app.app_context():
        TestApp(isolated(app)).post(HOOK, params=raw, headers=headers, status=404)
    assert json.loads(raw) == {"event": "status"}
