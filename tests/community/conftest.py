"""Fixtures of the core's tests beyond tests/conftest.py."""
import pytest

from community.extensions import db


@pytest.fixture
def worker_app(make_app, tmp_path):
    """``worker_app()``: one more worker on the one SQLite file of this test, with
    connections of its own, as worker processes on one host have (the core alone:
    the features' handlers and jobs play no part)."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"

    def factory(**overrides):
        app = make_app(create_schema=False, SQLALCHEMY_DATABASE_URI=url,
                       SQLALCHEMY_ENGINE_OPTIONS={}, FORUM_FEATURES=(), **overrides)
        with app.app_context():
            db.create_all()
        return app
    return factory
