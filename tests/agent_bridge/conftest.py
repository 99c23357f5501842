"""Fixtures of the agent bridge tests: staff members, browsers, the sweep."""
import pytest
from webtest import TestApp

from community.extensions import db
from tests.conftest import isolated, login


@pytest.fixture
def agent(make_user):
    return make_user(role="agent", name="Alex Agent", staff_title="Customer Care")


@pytest.fixture
def admin(make_user):
    return make_user(role="admin", name="Ada Admin")


@pytest.fixture
def moderator(make_user):
    return make_user(role="moderator", name="Mona Moderator")


@pytest.fixture
def customer(make_user):
    return make_user(name="Carla Customer")


@pytest.fixture
def browser(app):
    """Another person's browser: ``browser(user)`` returns a logged-in TestApp."""
    def factory(user=None):
        session = TestApp(isolated(app), extra_environ={"REMOTE_ADDR": "198.51.100.9",
                                                       "HTTP_HOST": "localhost"})
        if user is not None:
            login(session, user)
        return session
    return factory


@pytest.fixture
def fresh():
    """Read rows again after requests changed them."""
    def reload(*objects):
        db.session.expire_all()
        return objects[0] if len(objects) == 1 else objects
    return reload


@pytest.fixture
def sweep(app):
    """Run the sweep as the worker does (its own commit), return the new tickets."""
    from agent_bridge import escalation

    def run():
        opened = escalation.sweep()
        db.session.commit()
        return opened
    return run


def thread_path(thread):
    return f"/t/{thread.id}-{thread.slug}"


def bearer(user):
    """An ``Authorization`` header with a new API token of ``user``."""
    from community import accounts
    _, plaintext = accounts.create_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plaintext}"}
