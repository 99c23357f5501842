"""Fixtures of the moderation tests: staff members, a second browser, helpers."""
import pytest
from webtest import TestApp

from community.extensions import db
from tests.conftest import isolated, login


@pytest.fixture
def moderator(make_user):
    return make_user(role="moderator", name="Mona Moderator")


@pytest.fixture
def admin(make_user):
    return make_user(role="admin", name="Ada Admin")


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
