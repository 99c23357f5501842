"""The Request Tracker connector against a real RT 5 (``start-rt.sh``; ``.ci/run``
starts it). Skips with the reason when RT is not there, except in CI, where a
missing RT fails the suite."""
import os
from datetime import timedelta

import pytest
from webtest import TestApp

from agent_bridge.connectors import polling
from agent_bridge.connectors.models import ConnectorState
from agent_bridge.models import Ticket
from community import clock, outbox
from community.extensions import db
from community.models import OutboxMessage, Post
from tests.agent_bridge.connectors.rt_helpers import RT, ROOT_PASSWORD, Relay, tokens, \
    unavailable
from tests.conftest import isolated, login

AGENT_NAME = "Rita Tracker"


@pytest.fixture(scope="module")
def rt():
    reason = unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must test against Request Tracker: {reason}")
        pytest.skip(reason)
    # The agent's real name is what the forum must show (RT root may set it).
    RT(basic=f"root:{ROOT_PASSWORD}").call("PUT", "/user/agent1", {"RealName": AGENT_NAME})
    return {"bridge": RT(tokens()["forum-bridge"]), "agent": RT(tokens()["agent1"])}


@pytest.fixture
def relay(rt):
    relay = Relay()
    yield relay
    relay.cut()


@pytest.fixture
def app(make_app, relay):
    app = make_app(BRIDGE_CONNECTOR="request_tracker", RT_URL=relay.url,
                   RT_TOKEN=tokens()["forum-bridge"], RT_QUEUE="General",
                   BRIDGE_CONNECTOR_TIMEOUT=20, BASE_URL="https://community.example.com")
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def asker(make_user):
    return make_user(name="Carla Customer", email="carla@example.org")


@pytest.fixture
def asker_browser(app, asker):
    browser = TestApp(isolated(app), extra_environ={"HTTP_HOST": "localhost"})
    login(browser, asker)
    return browser


def poll():
    """What the worker does every minute."""
    outbox.run_periodic(force=True)


def rt_ticket(ticket):
    db.session.expire_all()
    return db.session.get(Ticket, ticket.id).external_id


def say_in_thread(browser, thread, text):
    form = browser.get(f"/t/{thread.id}-{thread.slug}").forms["reply-form"]
    form["body"] = text
    form.submit("submit").follow()


def official(thread):
    db.session.expire_all()
    return Post.query.filter_by(thread_id=thread.id, is_official=True).all()


def test_round_trip_escalate_answer_in_rt_comment_stays_internal_resolve(
        rt, asker, asker_browser, make_thread, escalate):
    thread = make_thread(author=asker, title="Printer driver crashes on resume",
                         body="After suspend and resume the printer driver crashes. Grüße!")
    ticket = escalate(thread)
    outbox.drain()
    rt_id = rt_ticket(ticket)
    assert rt_id
    created = rt["agent"].call("GET", f"/ticket/{rt_id}")
    assert created["Subject"].startswith("Printer driver crashes on resume [forum-event-")
    requestor = created["Requestor"][0]["id"]
    assert requestor.endswith("@customers.invalid") and "carla" not in requestor
    [(kind, creator, first_txn)] = [h for h in rt["agent"].history(rt_id) if h[0] == "Create"]
    text = rt["agent"].content(first_txn)
    assert "After suspend and resume the printer driver crashes. Grüße!" in text
    assert f"https://community.example.com/t/{thread.id}-{thread.slug}" in text

    say_in_thread(asker_browser, thread, "It also happens after a restart, sadly.")
    outbox.drain()
    forum_says = [h for h in rt["agent"].history(rt_id)
                  if h[0] == "Correspond" and h[1] == "forum-bridge"]
    assert "It also happens after a restart, sadly." in rt["agent"].content(forum_says[0][2])

    rt["agent"].call("POST", f"/ticket/{rt_id}/correspond", {
        "ContentType": "text/plain", "Content": "Please install driver 2.1; it fixes the crash."})
    rt["agent"].call("POST", f"/ticket/{rt_id}/comment", {
        "ContentType": "text/plain", "Content": "internal: known bug #77, do not tell"})
    poll()
    poll()

    page = asker_browser.get(f"/t/{thread.id}-{thread.slug}")
    bodies = [p.text.strip() for p in page.html.select(".post-body")]
    assert bodies.count("Please install driver 2.1; it fixes the crash.") == 1
    assert AGENT_NAME in page.text
    assert "known bug #77" not in page.text
    # The forum's own correspondence (the customer's reply) was not posted back.
    assert [p.body for p in official(thread)] == ["Please install driver 2.1; it fixes the crash."]
    assert db.session.get(Ticket, ticket.id).status == "pending"

    rt["agent"].call("PUT", f"/ticket/{rt_id}", {"Status": "resolved"})
    clock.travel(timedelta(minutes=1))
    poll()
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).status == "solved"
    outbox.drain()
    # RT's own change is not sent back to RT.
    assert OutboxMessage.query.filter_by(kind="bridge.deliver", status="pending").count() == 0
    assert len([h for h in rt["agent"].history(rt_id) if h[0] == "Status"]) == 2  # open, resolved


def test_rt_down_deliveries_wait_and_the_poll_resumes_where_it_stopped(
        rt, relay, asker, asker_browser, make_thread, escalate, make_user, testapp):
    thread = make_thread(author=asker)
    ticket = escalate(thread)
    outbox.drain()
    rt_id = rt_ticket(ticket)
    poll()
    position = db.session.get(ConnectorState, "request_tracker").position

    relay.cut()
    say_in_thread(asker_browser, thread, "My contract number is in the private form.")
    outbox.drain()
    row = OutboxMessage.query.filter_by(kind="bridge.deliver", status="pending").one()
    assert "unreachable" in row.last_error
    rt["agent"].call("POST", f"/ticket/{rt_id}/correspond",
                     {"ContentType": "text/plain", "Content": "First answer from the desk."})
    rt["agent"].call("POST", f"/ticket/{rt_id}/correspond",
                     {"ContentType": "text/plain", "Content": "Second answer from the desk."})
    clock.travel(timedelta(minutes=1))
    poll()
    db.session.expire_all()
    state = db.session.get(ConnectorState, "request_tracker")
    assert state.position == position and "unreachable" in state.last_poll_error
    assert official(thread) == []

    admin = make_user(role="admin")
    login(testapp, admin)
    page = testapp.get("/admin/connectors")
    assert "unreachable" in page.text and "Request Tracker" in page.text

    relay.mend()
    clock.travel(timedelta(minutes=1))
    outbox.drain()
    poll()
    poll()
    assert [p.body for p in official(thread)] == ["First answer from the desk.",
                                                  "Second answer from the desk."]
    forum_says = [h for h in rt["agent"].history(rt_id)
                  if h[0] == "Correspond" and h[1] == "forum-bridge"]
    assert len(forum_says) == 1
    assert "My contract number is in the private form." in rt["agent"].content(forum_says[0][2])
    page = testapp.get("/admin/connectors")
    assert "queue General reachable" in page.forms["check-form"].submit().follow().text


def test_private_details_become_an_rt_comment_and_stay_off_the_thread(
        rt, asker, asker_browser, make_thread, escalate):
    from agent_bridge import privacy

    thread = make_thread(author=asker)
    ticket = escalate(thread)
    privacy.send_privately(asker, thread, "Customer number 4711-0815, IBAN DE89370400440532013000")
    db.session.commit()
    outbox.drain()
    rt_id = rt_ticket(ticket)
    comments = [h for h in rt["agent"].history(rt_id) if h[0] == "Comment"]
    assert "Customer number 4711-0815" in rt["agent"].content(comments[0][2])
    page = asker_browser.get(f"/t/{thread.id}-{thread.slug}")
    assert "4711-0815" not in page.text


def test_the_poll_runs_at_the_configured_interval(rt, app, asker, make_thread, escalate):
    escalate(make_thread(author=asker))
    outbox.drain()
    clock.freeze()
    assert polling.run_poll(force=False) is True
    clock.travel(timedelta(seconds=59))
    assert polling.run_poll(force=False) is None
    clock.travel(timedelta(seconds=1))
    assert polling.run_poll(force=False) is True
