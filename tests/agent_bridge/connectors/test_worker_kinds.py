"""A slow helpdesk holds up only the worker that serves its deliveries (issue 12,
point 6): ``worker --kinds``/``--exclude-kinds`` split the outbox by row kind."""
import pytest

from community.extensions import db
from community.models import OutboxMessage
from tests.agent_bridge.connectors.conftest import SECRET


@pytest.fixture
def app(make_app, helpdesk):
    """Whoosh's index updates are outbox rows of their own kind, as the tests need
    (the PostgreSQL backend writes its index in the transaction of the change)."""
    app = make_app(BRIDGE_CONNECTOR="webhook", BRIDGE_WEBHOOK_URL=helpdesk.url,
                   BRIDGE_WEBHOOK_SECRET=SECRET, BRIDGE_CONNECTOR_TIMEOUT=0.5,
                   BASE_URL="https://community.example.com", SEARCH_BACKEND="whoosh")
    with app.app_context():
        yield app
        db.session.remove()


def pending_kinds():
    db.session.expire_all()
    return {row.kind for row in OutboxMessage.query.filter_by(status="pending")}


def worker(app, *args):
    result = app.test_cli_runner().invoke(args=["worker", "--once", *args])
    db.session.remove()
    return result


def test_helpdesk_deliveries_can_have_a_worker_of_their_own(
        app, helpdesk, make_thread, escalate):
    escalate(make_thread())
    kinds = pending_kinds()
    assert "bridge.deliver" in kinds and "search.index" in kinds
    helpdesk.mode = "slow"  # would hold a worker serving it until its timeout

    result = worker(app, "--exclude-kinds", "bridge.*")
    assert result.exit_code == 0, result.output
    assert pending_kinds() == {"bridge.deliver"}
    assert helpdesk.received == []

    helpdesk.mode = "ok"
    result = worker(app, "--kinds", "bridge.*, notifications.s?nd")
    assert result.exit_code == 0, result.output
    assert "0 rows still pending" in result.output
    assert [event["event"] for event in helpdesk.delivered()] == ["created"]


def test_only_the_matching_kinds_are_served(app, helpdesk, make_thread, escalate):
    escalate(make_thread())
    result = worker(app, "--kinds", "search.*", "--exclude-kinds", "search.index")
    assert result.exit_code == 0, result.output
    assert "search.index" in pending_kinds() and helpdesk.received == []


def test_a_pattern_that_matches_no_kind_is_refused(app):
    result = worker(app, "--kinds", "brige.*")
    assert result.exit_code == 2
    assert "no outbox kind matches 'brige.*'" in result.output
    assert "bridge.deliver" in result.output  # the kinds there are
    result = worker(app, "--exclude-kinds", "bridge.[a-z]*")
    assert result.exit_code == 2 and "'*' (any characters)" in result.output
