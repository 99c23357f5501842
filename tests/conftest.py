"""Fixtures shared by every test: a fresh app and database per test, WebTest, factories.

SQLite in memory by default; with FORUM_TEST_DATABASE_URL set (CI sets it to the local
PostgreSQL), the same tests run there, each starting from empty tables.
"""
import contextvars
import itertools
import os
import re
from collections import Counter

import pytest
from sqlalchemy import event, text
from sqlalchemy.pool import StaticPool
from webtest import TestApp

from community import clock, create_app
from community.api import openapi
from community.extensions import db
from tests.api_schema import check_api_response

PASSWORD = "correct horse battery"
POSTGRES_URL = os.environ.get("FORUM_TEST_DATABASE_URL")


def skip_or_fail(reason):
    """Skip a test whose real component (Chromium, Request Tracker) is missing on a
    developer's machine; in CI (``CI=true``), where .ci/run provides it, fail instead,
    so a missing component can never pass silently."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


# What skipped tests need, how to get it, and words of their skip reasons (README: "Which
# tests need what"); the end of a run counts the skips by group.
SKIP_GROUPS = (
    ("Chromium", "install Debian's chromium, as .ci/run does", ("chromium",)),
    ("Request Tracker", "make test-rt", ("request tracker", "rt tokens", "start-rt")),
    ("PostgreSQL", "set FORUM_TEST_DATABASE_URL", ("forum_test_database_url",)),
)


def pytest_terminal_summary(terminalreporter, config):
    """One line at the end: ``skipped: 5 need Request Tracker (make test-rt), ...``."""
    if hasattr(config, "workerinput"):  # an xdist worker: the controller reports
        return
    counts = Counter()
    for report in terminalreporter.stats.get("skipped", ()):
        longrepr = report.longrepr
        reason = (longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)).lower()
        counts[next((group for group in SKIP_GROUPS
                     if any(word in reason for word in group[2])), None)] += 1
    parts = [f"{counts[group]} {'needs' if counts[group] == 1 else 'need'} {group[0]} "
             f"({group[1]})" for group in SKIP_GROUPS if counts[group]]
    if counts[None]:
        parts.append(f"{counts[None]} for other reasons (pytest -rs shows them)")
    if parts:
        terminalreporter.write_line("skipped: " + ", ".join(parts))


def _worker_database(url, worker):
    """Each pytest-xdist worker gets its own database beside the given one, so
    workers never truncate each other's tables (CI runs the PostgreSQL suite in
    parallel). Created on first use; the server is trusted to allow it."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    target = make_url(url)
    target = target.set(database=f"{target.database}_{worker}")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                             {"name": target.database})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    engine.dispose()
    return target.render_as_string(hide_password=False)


if POSTGRES_URL and os.environ.get("PYTEST_XDIST_WORKER"):
    POSTGRES_URL = _worker_database(POSTGRES_URL, os.environ["PYTEST_XDIST_WORKER"])
    # Modules that read the variable themselves (subprocess tests) see the same database.
    os.environ["FORUM_TEST_DATABASE_URL"] = POSTGRES_URL
_schema_ready = set()


def _test_config(tmp_path, **overrides):
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "test-secret",
        "SERVER_NAME": "localhost",
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        # Fixtures post as brand-new accounts, several posts a second: the new members'
        # posting rate of an account's first day would refuse them (tests of it set it).
        "MOD_NEW_MEMBER_MIN_HOURS": 0,
        "SQLALCHEMY_DATABASE_URI": POSTGRES_URL or "sqlite://",
        "SQLALCHEMY_ENGINE_OPTIONS": {} if POSTGRES_URL else {
            "poolclass": StaticPool, "connect_args": {"check_same_thread": False}},
    }
    config.update(overrides)
    return config


def reset_postgres_schema():
    """Start from an empty schema: CI reuses the server as earlier runs left it,
    possibly with tables this checkout does not know about."""
    with db.engine.begin() as conn:
        # test_migrations' own schema may hold the pg_trgm extension (a run cut off
        # before its clean-up): CREATE EXTENSION IF NOT EXISTS would then find it there
        # and public's trigram index could not see its operator class.
        conn.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


def _empty_tables():
    names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def make_app(tmp_path):
    """Build an app with config overrides; its database is created empty."""
    apps = []

    def factory(create_schema=True, **overrides):
        app = create_app(_test_config(tmp_path, **overrides))
        with app.app_context():
            if not create_schema:
                pass
            elif POSTGRES_URL:
                if POSTGRES_URL not in _schema_ready:
                    reset_postgres_schema()
                    db.create_all()
                    _schema_ready.add(POSTGRES_URL)
                else:
                    _empty_tables()
            else:
                db.create_all()
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app
        db.session.remove()


def isolated(app):
    """Run each request in an empty context, as a real server does.

    The test itself holds an app context (for factories and assertions); without
    this, requests would share its ``g`` (Flask-Login's user) and its DB session.
    Read rows again (``db.session.expire_all()``) after a request changed them.

    Every answer under ``/api/v1`` is checked against the app's OpenAPI document
    (``check_api_response``): a test that receives an undocumented one fails.
    """
    def wsgi(environ, start_response):
        context = contextvars.Context()
        if not environ.get("PATH_INFO", "").startswith(openapi.PREFIX + "/"):
            return context.run(app.wsgi_app, environ, start_response)
        answer = {}

        def keep(status, headers, exc_info=None):
            answer.update(status=int(status.split()[0]), headers=headers)
            return start_response(status, headers, exc_info)

        def respond():
            body = app.wsgi_app(environ, keep)
            try:
                return b"".join(body)
            finally:
                getattr(body, "close", lambda: None)()

        body = context.run(respond)
        content_type = next((v for k, v in answer["headers"] if k.lower() == "content-type"), "")
        context.run(check_api_response, app, environ["REQUEST_METHOD"], environ["PATH_INFO"],
                    answer["status"], content_type, body)
        return [body]
    return wsgi


@pytest.fixture
def testapp(app):
    return TestApp(isolated(app),
                   extra_environ={"REMOTE_ADDR": "203.0.113.7", "HTTP_HOST": "localhost"})


@pytest.fixture(autouse=True)
def _reset_clock():
    clock.reset()
    yield
    clock.reset()


_seq = itertools.count(1)


@pytest.fixture
def make_user(app):
    from community.services import accounts

    def factory(role="customer", name=None, email=None, password=PASSWORD, **kwargs):
        n = next(_seq)
        user = accounts.create_user(email or f"user{n}@example.com", name or f"Member {n}",
                                    password, role=role, **kwargs)
        db.session.commit()
        return user
    return factory


@pytest.fixture
def make_category(app):
    from community.services import categories

    def factory(name=None, description="Questions and answers"):
        category = categories.create_category(name or f"Category {next(_seq)}", description)
        db.session.commit()
        return category
    return factory


@pytest.fixture
def make_thread(app, make_user, make_category):
    from community.services import threads

    def factory(author=None, category=None, title=None, body="I have a question about this.",
                tags=(), **options):
        """``options`` go to the service (``confirmed={"public_data"}``, ``imported``)."""
        thread = threads.create_thread(author or make_user(), category or make_category(),
                                       title or f"How does thing number {next(_seq)} work?", body,
                                       tags, **options)
        db.session.commit()
        return thread
    return factory


@pytest.fixture
def make_reply(app, make_user):
    from community.services import threads

    def factory(thread, author=None, body="Here is an answer that helps.", **options):
        post = threads.reply(author or make_user(), thread, body, **options)
        db.session.commit()
        return post
    return factory


def bearer(user, name="test"):
    """An ``Authorization`` header with a new API token of ``user``, as an API client
    holds it after creating the token on the settings page."""
    from community.services import accounts
    _, plaintext = accounts.create_token(user, name)
    db.session.commit()
    return {"Authorization": f"Bearer {plaintext}"}


def login(testapp, user, password=PASSWORD, remember=False):
    """Log in through the real form, as a person would."""
    form = testapp.get("/login").forms["login-form"]
    form["email"] = user.email
    form["password"] = password
    if remember:
        form["remember"] = True
    return form.submit().follow()


def csrf_token(testapp, path="/"):
    page = testapp.get(path)
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page.text)
    if not match:
        match = re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page.text)
    return match.group(1)


class QueryCounter:
    def __init__(self):
        self.statements = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    @property
    def count(self):
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as q: ...`` then ``q.count``."""
    from contextlib import contextmanager

    @contextmanager
    def counter():
        q = QueryCounter()
        event.listen(db.engine, "before_cursor_execute", q)
        try:
            yield q
        finally:
            event.remove(db.engine, "before_cursor_execute", q)
    return counter


# People and browsers the feature tests share.

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

