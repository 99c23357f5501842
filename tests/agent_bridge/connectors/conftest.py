"""Fixtures of the connector tests: a helpdesk on loopback and an app wired to it."""
import json
import time

import pytest

from community import clock
from community.extensions import db
from tests.agent_bridge.connectors.helpdesk_server import Helpdesk

SECRET = "s3cret-shared-with-the-helpdesk"


@pytest.fixture
def helpdesk():
    desk = Helpdesk()
    yield desk
    desk.close()


@pytest.fixture
def app(make_app, helpdesk):
    app = make_app(BRIDGE_CONNECTOR="webhook", BRIDGE_WEBHOOK_URL=helpdesk.url,
                   BRIDGE_WEBHOOK_SECRET=SECRET, BRIDGE_CONNECTOR_TIMEOUT=0.5,
                   BASE_URL="https://community.example.com")
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def escalate(app, make_user):
    """A moderator passes the thread to the support team; returns its ticket."""
    from agent_bridge.services import escalation

    def run(thread, urgent=False):
        moderator = make_user(role="moderator")
        ticket, _created = escalation.escalate(moderator, thread, "Please help", urgent=urgent)
        db.session.commit()
        return ticket
    return run


def signed(body, secret=SECRET, timestamp=None):
    """Headers of a callback signed as docs/helpdesk-connectors.md says a helpdesk signs it."""
    from agent_bridge.connectors import signing
    raw = json.dumps(body).encode() if not isinstance(body, bytes) else body
    stamp = int(clock.now().timestamp()) if timestamp is None else timestamp
    return raw, {"Content-Type": "application/json", **signing.headers(secret, stamp, raw)}


def now_seconds():
    return int(time.time())
