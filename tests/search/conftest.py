"""Fixtures of the search tests: people, browsers, the worker, the search page.

Every test runs once per search backend the database allows: Whoosh on SQLite;
Whoosh and PostgreSQL with ``FORUM_TEST_DATABASE_URL``.
"""
import pytest

from community import outbox
from community.extensions import db
from tests.conftest import POSTGRES_URL

from .helpers import BACKENDS


def pytest_configure(config):
    config.addinivalue_line("markers", "database_file: SQLite in a file instead of memory")


@pytest.fixture(params=BACKENDS)
def backend(request):
    """The search backend of the test's app (``FORUM_SEARCH_BACKEND``)."""
    return request.param


@pytest.fixture
def app(make_app, backend, request, tmp_path):
    """The test's app; ``@pytest.mark.database_file``: SQLite in a file, not in memory
    (for tests that fork processes)."""
    database = {}
    if request.node.get_closest_marker("database_file") and not POSTGRES_URL:
        database = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/forum.db",
                    "SQLALCHEMY_ENGINE_OPTIONS": {}}
    app = make_app(SEARCH_BACKEND=backend, **database)
    with app.app_context():
        yield app
        db.session.remove()


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


