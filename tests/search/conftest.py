"""Fixtures of the search tests: people, browsers, the worker, the search page."""
import pytest
from webtest import TestApp

from community import outbox
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
def worker(app):
    """Run what the worker would run now (index updates from the outbox)."""
    def run():
        done = outbox.drain()
        db.session.expire_all()
        return done
    return run


@pytest.fixture
def search(testapp):
    """Search through the page's form, as a visitor; returns the result page."""
    def run(q, session=None, **filters):
        page = (session or testapp).get("/search")
        form = page.forms["search-form"]
        form["q"] = q
        for name, value in filters.items():
            form[name] = value
        return form.submit(expect_errors=True)
    return run


