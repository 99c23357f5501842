"""A community in which one member, Anna, has left traces of every kind (posts with an
earlier version, votes, a report, a restriction, notifications and e-mails, a ticket
with private details, logins, an API token) and another, Bob, has too: the privacy
tests export, erase and redact Anna's data and look for Bob's and hers."""
from dataclasses import dataclass

import pytest

from community import outbox
from community.extensions import db
from community.models import Post
from community.services import threads
from tests.conftest import login

ANNA = {"name": "Annegret Quellmalz", "email": "annegret.quellmalz@example.org"}
BOB = {"name": "Bodo Wiesenthal", "email": "bodo.wiesenthal@example.net"}
ANNA_DETAIL = "Kundennummer 4711-0815-42"
BOB_DETAIL = "Vertragsnummer 9988-7766-55"
ANNA_IP, BOB_IP = "203.0.113.7", "198.51.100.9"


@dataclass
class World:
    anna: object
    bob: object
    agent: object
    moderator: object
    admin: object
    thread: object       # Anna's question (edited once), with a ticket
    anna_reply: object   # Anna's answer in Bob's thread
    bob_reply: object    # Bob's answer to Anna, mentioning her
    bob_thread: object
    ticket: object
    anna_api: dict       # her API token's header (she is silenced: she cannot make one now)
    bob_api: dict


def drain():
    outbox.drain()
    db.session.expire_all()


@pytest.fixture
def world(app, make_user, make_category, make_thread, make_reply, testapp, browser):
    from agent_bridge.services import escalation
    from agent_bridge.services import privacy as private_details
    from community.services import accounts
    from moderation.services import flags, sanctions

    anna, bob = make_user(**ANNA), make_user(**BOB)
    agent = make_user(role="agent", name="Sam Support")
    moderator = make_user(role="moderator", name="Mona Moderator")
    admin = make_user(role="admin", name="Ada Admin")
    category = make_category(name="Internet")
    thread = make_thread(author=anna, category=category, title="Router restarts every night",
                         body="My router restarts every night at three o'clock.")
    threads.edit_post(anna, db.session.get(Post, thread.first_post_id),
                      "My router restarts every night at three o'clock sharp.",
                      title="Router restarts every night at three", reason="more precise")
    db.session.commit()
    bob_reply = make_reply(thread, author=bob,
                           body=f"Hello @[{ANNA['name']}], switch off the update window.")
    bob_thread = make_thread(author=bob, category=category, title="Slow line in the evening",
                             body="Every evening my line is slow, from six to ten.")
    anna_reply = make_reply(bob_thread, author=anna, body="Same here, since the last update. "
                                                          f"Greetings, {ANNA['name']}")
    threads.toggle_helpful(anna, bob_reply)
    threads.toggle_helpful(bob, anna_reply)
    flags.flag_post(anna, bob_thread_question(bob_thread), "other", "Looks like an advert to me")
    ticket, _ = escalation.escalate(agent, thread, "", source="desk")
    request = private_details.request_details(ticket, agent, "Your customer number, please?")
    private_details.answer(request, anna, ANNA_DETAIL)
    escalation.escalate(agent, bob_thread, "", source="desk")
    private_details.send_privately(bob, bob_thread, BOB_DETAIL)
    _, anna_token = accounts.create_token(anna, "Annegret's phone app")
    _, bob_token = accounts.create_token(bob, "Bodo's CRM")
    sanctions.impose(moderator, anna, "silence", 1, "off_topic", "Please stay on topic")
    db.session.commit()
    drain()  # notifications become e-mails
    drain()
    login(testapp, anna)                   # from ANNA_IP
    browser(bob)                           # from BOB_IP
    db.session.expire_all()
    return World(anna=anna, bob=bob, agent=agent, moderator=moderator, admin=admin,
                 thread=thread, anna_reply=anna_reply, bob_reply=bob_reply,
                 bob_thread=bob_thread, ticket=ticket,
                 anna_api={"Authorization": f"Bearer {anna_token}"},
                 bob_api={"Authorization": f"Bearer {bob_token}"})


def bob_thread_question(thread):
    return db.session.get(Post, thread.first_post_id)
