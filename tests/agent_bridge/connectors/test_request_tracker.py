"""The Request Tracker connector against a real RT 5 (``.ci/request-tracker/start-rt.sh``;
``make test-rt`` and ``.ci/run`` start it). Skips with the reason when RT is not there,
except in CI, where a missing RT fails the suite.

One test stops the real RT server, so no other test may use RT meanwhile: each
test holds a lock on RT across processes (shared; the stopping test alone), which
works for the xdist workers of one run and for other runs on the machine alike.
(xdist's ``--dist loadgroup`` would not do: pytest 9.2 with pytest-xdist 3.8
ignores the groups, pytest-dev/pytest-xdist#1386.)"""
from datetime import timedelta
from urllib.parse import quote

import pytest
from webtest import TestApp

from agent_bridge.services import privacy, tickets
from agent_bridge.connectors import polling
from agent_bridge.connectors.models import ConnectorState
from agent_bridge.models import Ticket
from community import clock, outbox
from community.extensions import db
from community.models import OutboxMessage, Post
from tests.agent_bridge.connectors.rt_helpers import RT, ROOT_PASSWORD, RT_URL, \
    AnswerLosingRelay, LocalRT, tokens, unavailable, using_rt
from tests.conftest import isolated, login, skip_or_fail

AGENT_NAME = "Rita Tracker"
TIMEOUT = 20


@pytest.fixture(scope="module")
def rt():
    with using_rt():
        reason = unavailable()
        if reason:
            skip_or_fail(reason)
        # The agent's real name is what the forum must show (RT root may set it).
        RT(basic=f"root:{ROOT_PASSWORD}").call("PUT", "/user/agent1", {"RealName": AGENT_NAME})
        return {"bridge": RT(tokens()["forum-bridge"]), "agent": RT(tokens()["agent1"])}


@pytest.fixture(autouse=True)
def rt_in_use(request):
    with using_rt(exclusive="rt_server" in request.fixturenames):
        yield


@pytest.fixture
def rt_server(rt):
    """The real RT server, to stop and start; running again after the test whatever happened."""
    server = LocalRT()
    reason = server.cannot_restart()
    if reason:
        skip_or_fail(reason)
    yield server
    server.ensure_running()
    print(f"RT stopped in {server.seconds.get('stop', 0):.1f} s, "
          f"started again in {server.seconds.get('start', 0):.1f} s")


@pytest.fixture
def relay(rt):
    relay = AnswerLosingRelay()
    yield relay
    relay.close()


@pytest.fixture
def app(make_app, rt):
    app = make_app(BRIDGE_CONNECTOR="request_tracker", RT_URL=RT_URL,
                   RT_TOKEN=tokens()["forum-bridge"], RT_QUEUE="General",
                   BRIDGE_CONNECTOR_TIMEOUT=TIMEOUT, BASE_URL="https://community.example.com")
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


def forum_said(rt, rt_id, kind="Correspond"):
    """What the forum's account added to the RT ticket, oldest first."""
    return [rt["agent"].content(txn) for (what, creator, txn) in rt["agent"].history(rt_id)
            if what == kind and creator == "forum-bridge"]


def test_rt_stopped_during_deliveries_gets_them_after_restart_and_the_poll_resumes(
        rt, rt_server, asker, asker_browser, make_thread, escalate, admin, testapp):
    thread = make_thread(author=asker)
    ticket = escalate(thread)
    outbox.drain()
    rt_id = rt_ticket(ticket)
    poll()
    position = db.session.get(ConnectorState, "request_tracker").position
    rt["agent"].call("POST", f"/ticket/{rt_id}/correspond",
                     {"ContentType": "text/plain", "Content": "First answer from the desk."})
    rt["agent"].call("POST", f"/ticket/{rt_id}/correspond",
                     {"ContentType": "text/plain", "Content": "Second answer from the desk."})

    rt_server.stop()
    say_in_thread(asker_browser, thread, "It still crashes after the update.")
    say_in_thread(asker_browser, thread, "And now the scanner is gone too.")
    outbox.drain()
    waiting = OutboxMessage.query.filter_by(kind="bridge.deliver", status="pending") \
        .order_by(OutboxMessage.id).all()
    assert len(waiting) == 2
    assert "unreachable" in waiting[0].last_error
    assert waiting[1].last_error is None  # it waits behind the first, in order
    clock.travel(timedelta(minutes=1))
    outbox.drain()
    poll()
    db.session.expire_all()
    state = db.session.get(ConnectorState, "request_tracker")
    assert state.position == position and "unreachable" in state.last_poll_error
    assert official(thread) == []
    login(testapp, admin)
    page = testapp.get("/admin/connectors")
    assert "The helpdesk is not taking deliveries" in page.text
    assert page.html.select_one("#pending-count").text.startswith("2")
    checked = page.forms["check-form"].submit().follow()
    assert "The helpdesk cannot be reached" in checked.text and "unreachable" in checked.text

    rt_server.start()  # with start-rt.sh; the token the forum was given still works
    clock.travel(timedelta(minutes=1))
    outbox.drain()
    poll()
    poll()
    assert [p.body for p in official(thread)] == ["First answer from the desk.",
                                                  "Second answer from the desk."]
    said = forum_said(rt, rt_id)
    assert len(said) == 2
    assert "It still crashes after the update." in said[0]
    assert "And now the scanner is gone too." in said[1]
    assert OutboxMessage.query.filter_by(kind="bridge.deliver", status="pending").count() == 0
    page = testapp.get("/admin/connectors")
    assert "queue General reachable" in page.forms["check-form"].submit().follow().text


def test_an_answer_lost_to_a_timeout_does_not_post_anything_twice_in_rt(
        rt, app, relay, asker, asker_browser, make_thread, escalate, make_user):
    """Each first attempt goes through a relay that loses RT's answer: RT stores the
    ticket, reply, comment and status, the forum gives up after 1 s and tries again."""
    def first_attempt_loses_its_answer(expected):
        app.config.update(RT_URL=relay.url, BRIDGE_CONNECTOR_TIMEOUT=1)
        try:
            outbox.drain()
        finally:
            app.config.update(RT_URL=RT_URL, BRIDGE_CONNECTOR_TIMEOUT=TIMEOUT)
        row = OutboxMessage.query.filter_by(kind="bridge.deliver", status="pending").one()
        assert "did not answer within 1 s" in row.last_error
        relay.wait_for_answers(expected)  # RT has done it
        clock.travel(timedelta(minutes=1))
        outbox.drain()
        assert OutboxMessage.query.filter_by(kind="bridge.deliver", status="pending").count() == 0

    thread = make_thread(author=asker, title="Scanner not found after update")
    ticket = escalate(thread)
    first_attempt_loses_its_answer(1)
    rt_id = rt_ticket(ticket)
    subject = rt["agent"].call("GET", f"/ticket/{rt_id}")["Subject"]
    event_id = subject.rsplit("[", 1)[1].rstrip("]")
    same = rt["agent"].call("GET", "/tickets?query=" + quote(f"Subject LIKE '{event_id}'"))
    assert [str(t["id"]) for t in same["items"]] == [rt_id]

    say_in_thread(asker_browser, thread, "The scanner shows up only after a reboot.")
    first_attempt_loses_its_answer(2)
    privacy.send_privately(asker, thread, "Serial number SN-2024-7781")
    db.session.commit()
    first_attempt_loses_its_answer(3)
    tickets.set_status(db.session.get(Ticket, ticket.id), "solved",
                       actor=make_user(role="moderator"))
    db.session.commit()
    first_attempt_loses_its_answer(4)

    history = rt["agent"].history(rt_id)
    by_forum = [what for (what, creator, _txn) in history if creator == "forum-bridge"]
    assert by_forum == ["Create", "Correspond", "Comment", "Status"]
    assert "The scanner shows up only after a reboot." in forum_said(rt, rt_id)[0]
    assert "SN-2024-7781" in forum_said(rt, rt_id, "Comment")[0]
    assert rt["agent"].call("GET", f"/ticket/{rt_id}")["Status"] == "resolved"
    # The poll sees the forum's own transactions and posts none of them back.
    poll()
    assert official(thread) == []
    db.session.expire_all()
    # Nor does RT's own new → open at the first reply reopen the ticket.
    assert db.session.get(Ticket, ticket.id).status == "solved"


def test_private_details_become_an_rt_comment_and_stay_off_the_thread(
        rt, asker, asker_browser, make_thread, escalate):
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
