"""An erased customer's helpdesk copy (docs/helpdesk-connectors.md, "erasure"): the
webhook helpdesk receives one ``erasure`` event per ticket of theirs, signed and in
order after the ticket's earlier events, and no event still waiting carries their old
name or address."""
import json

from community import outbox
from community.extensions import db
from community.models import OutboxMessage
from community.services import privacy

ASKER = {"name": "Carla Kundenfeld", "email": "carla.kundenfeld@example.org"}


def erase(app, email, *options):
    result = app.test_cli_runner().invoke(args=["users", "erase", email, "--reason",
                                                "Written request", "--yes", *options])
    assert result.exit_code == 0, result.output


def test_the_helpdesk_receives_the_erasure_once(app, helpdesk, make_user, make_thread,
                                                escalate):
    asker = make_user(**ASKER)
    thread = make_thread(author=asker, title="Router loses connection every night",
                         body="Since the update my router drops the line at 3 am.")
    ticket = escalate(thread)
    outbox.drain()
    erase(app, ASKER["email"])
    outbox.drain()
    outbox.drain()

    events = helpdesk.delivered()
    assert [e["event"] for e in events] == ["created", "erasure"]
    erasure = events[-1]
    assert erasure["ticket"]["id"] == ticket.id
    assert erasure["data"]["mode"] == "anonymise"
    assert erasure["customer"]["name"] == f"Former member {asker.id}"
    assert erasure["customer"]["email_shared"] is False
    raw = helpdesk.received[-1]["body"].decode()
    assert ASKER["name"] not in raw and ASKER["email"] not in raw
    assert helpdesk.received[-1]["headers"]["X-Forum-Event"] == "erasure"


def test_events_still_waiting_lose_the_old_name_and_address(app, helpdesk, make_user,
                                                            make_thread, escalate):
    """The helpdesk was down when the customer left: what reaches it later is anonymous,
    even the address they had allowed it to see."""
    from agent_bridge.connectors import consent
    asker = make_user(**ASKER)
    consent.set_allowed(asker, True)
    db.session.commit()
    helpdesk.mode = "down"
    escalate(make_thread(author=asker, body=f"Please call me, {ASKER['name']}, any time."))
    outbox.drain()
    erase(app, ASKER["email"], "--delete-posts")
    helpdesk.mode = "ok"
    for row in db.session.scalars(db.select(OutboxMessage)):
        row.run_after = row.created_at  # the retry is due now
    db.session.commit()
    outbox.drain()
    outbox.drain()

    events = helpdesk.delivered()
    assert [e["event"] for e in events] == ["created", "erasure"]
    everything = json.dumps(events, ensure_ascii=False)
    assert ASKER["name"] not in everything and ASKER["email"] not in everything
    assert events[0]["data"]["question"] == privacy.TOMBSTONE
