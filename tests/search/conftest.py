"""Fixtures of the search tests: people, browsers, the worker, the search page."""
import pytest

from community import outbox
from community.extensions import db


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


