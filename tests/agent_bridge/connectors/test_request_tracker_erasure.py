"""An erased customer in Request Tracker: the requestor's user record gets the
anonymous name and address, a deleted question's subject goes, and a comment says
why. Runs against the real RT of ``make test-rt`` (skipped here without it, failed in
CI), with the fixtures of test_request_tracker.py."""
import urllib.error
import uuid

from community import outbox
from community.services import privacy
from tests.agent_bridge.connectors import test_request_tracker as rt_tests
from tests.agent_bridge.connectors.rt_helpers import ROOT_PASSWORD, RT

# The fixtures of the connector's RT tests: the app wired to RT, RT itself, its lock.
app, asker, rt, rt_in_use = rt_tests.app, rt_tests.asker, rt_tests.rt, rt_tests.rt_in_use
rt_ticket = rt_tests.rt_ticket


def test_the_requestor_is_anonymised_in_rt(app, rt, asker, make_thread, escalate):
    from agent_bridge.connectors import consent
    consent.set_allowed(asker, True)  # RT knows the real address
    thread = make_thread(author=asker, title="Modem blinks red since Friday",
                         body="The modem blinks red since Friday evening.")
    ticket = escalate(thread)
    outbox.drain()
    rt_id = rt_ticket(ticket)
    requestor = rt["agent"].call("GET", f"/ticket/{rt_id}")["Requestor"][0]["id"]
    assert requestor == "carla@example.org"

    root = RT(basic=f"root:{ROOT_PASSWORD}")
    _rename_leftover(root, privacy.erased_email(asker))
    result = app.test_cli_runner().invoke(args=["users", "erase", "carla@example.org",
                                                "--reason", "Written request", "--yes",
                                                "--delete-posts"])
    assert result.exit_code == 0, result.output
    outbox.drain()

    user = root.call("GET", f"/user/{privacy.erased_email(asker)}")
    assert user["RealName"] == f"Former member {asker.id}"
    assert user["EmailAddress"] == privacy.erased_email(asker)
    ticket_now = rt["agent"].call("GET", f"/ticket/{rt_id}")
    assert ticket_now["Subject"] == privacy.TOMBSTONE_TITLE
    assert "carla" not in str(ticket_now["Requestor"])
    comments = [rt["agent"].content(txn) for (kind, creator, txn) in rt["agent"].history(rt_id)
                if kind == "Comment" and creator == "forum-bridge"]
    assert any("erased their community account" in text for text in comments)


def _rename_leftover(root, address):
    """RT outlives the test databases, whose ids start again at 1: an earlier run's
    anonymised requestor would hold the address this run's erasure gives."""
    try:
        root.call("GET", f"/user/{address}")
    except urllib.error.HTTPError:
        return
    old = f"earlier-run-{uuid.uuid4().hex[:12]}@erased.invalid"
    root.call("PUT", f"/user/{address}", {"Name": old, "EmailAddress": old})
