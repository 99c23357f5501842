"""Fixtures of the agent bridge tests: staff members, browsers, the sweep."""
import pytest

from community.extensions import db


@pytest.fixture
def agent(make_user):
    return make_user(role="agent", name="Alex Agent", staff_title="Customer Care")


@pytest.fixture
def customer(make_user):
    return make_user(name="Carla Customer")


@pytest.fixture
def sweep(app):
    """Run the sweep as the worker does (its own commit), return the new tickets."""
    from agent_bridge.services import escalation

    def run():
        opened = escalation.sweep()
        db.session.commit()
        return opened
    return run


def thread_path(thread):
    return f"/t/{thread.id}-{thread.slug}"


from tests.conftest import bearer  # noqa: E402,F401 - the bridge tests import it from here
