"""The pseudonymous address a helpdesk knows a customer by (issue 13, point 8): made from
the shared secret key, never a per-host file; kept in the database once made, so it
stays the same across a key rotation and every host sends the same one."""
import json

from sqlalchemy import func, select

from agent_bridge.connectors import consent
from agent_bridge.connectors.models import Pseudonym
from community import outbox
from community.extensions import db

OLD, NEW = "the old key, used until today", "the new key"


def rotate(app, key, fallbacks=()):
    """What a restart with a new configuration does to the keys that sign."""
    app.config["SECRET_KEY"], app.config["SECRET_KEY_FALLBACKS"] = key, tuple(fallbacks)


def test_a_customers_pseudonym_stays_the_same_across_a_key_rotation(app, make_user):
    rotate(app, OLD)
    anna, bert = make_user(), make_user()
    before = consent.pseudonym(anna)
    assert before == consent.derive_pseudonym(anna.id, OLD)
    assert before.startswith("customer-") and before.endswith("@customers.invalid")
    db.session.commit()

    rotate(app, NEW, fallbacks=(OLD,))
    assert consent.pseudonym(anna) == before
    # Not kept yet (no ticket went out for Bert): made with the oldest key configured,
    # the one a helpdesk may already know him by.
    assert consent.pseudonym(bert) == consent.derive_pseudonym(bert.id, OLD)
    db.session.commit()

    rotate(app, NEW)  # the old key is gone: the kept addresses stay
    assert consent.pseudonym(anna) == before
    assert consent.pseudonym(bert) == consent.derive_pseudonym(bert.id, OLD)
    carla = make_user()
    assert consent.pseudonym(carla) == consent.derive_pseudonym(carla.id, NEW)
    db.session.commit()
    assert db.session.scalar(select(func.count(Pseudonym.id))) == 3
    assert consent.pseudonym(anna) == before  # asked again: still one row each
    assert db.session.scalar(select(func.count(Pseudonym.id))) == 3


def test_the_helpdesk_sees_one_requestor_before_and_after_the_rotation(
        app, helpdesk, make_user, make_thread, escalate):
    rotate(app, OLD)
    asker = make_user(email="dora@example.org")
    escalate(make_thread(author=asker))
    outbox.drain()
    rotate(app, NEW)
    escalate(make_thread(author=asker))
    outbox.drain()
    first, second = (json.loads(request["body"]) for request in helpdesk.received)
    assert first["customer"]["email"] == second["customer"]["email"] \
        == consent.derive_pseudonym(asker.id, OLD)
    assert all(b"dora@example.org" not in request["body"] for request in helpdesk.received)


def test_the_kept_pseudonym_is_exported_and_erased_with_the_member(app, make_user):
    from community.services import privacy
    member = make_user()
    address = consent.pseudonym(member)
    db.session.commit()
    [row] = privacy.collect(member)["helpdesk_pseudonym"]
    assert row["address"] == address
    entry = privacy.erase(member, None, reason="The member asked by letter.")
    db.session.commit()
    assert entry.details["helpdesk_pseudonym"] == 1
    assert db.session.scalar(select(func.count(Pseudonym.id))) == 0
