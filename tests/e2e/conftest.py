"""The real browser's fixtures: Debian's Chromium driven by Playwright, and the app
served by a real threaded HTTP server on loopback.

Chromium is Debian's /usr/bin/chromium (CI installs it in .ci/run); Playwright's own
browser download does not work in this closed network.
"""
import threading
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from community import create_app, outbox
from community.services import accounts, categories
from community.extensions import db
from tests.conftest import PASSWORD, _test_config, skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 15_000


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


@pytest.fixture
def chromium_path():
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is not installed (Debian package `chromium`; "
                     ".ci/run installs it)")
    return str(CHROMIUM)


@pytest.fixture
def live_app(tmp_path):
    """The app with its own SQLite file (requests run in other threads than the test),
    a category and a member who answers. Tests may add data before ``live_server``."""
    app = create_app(_test_config(
        tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'e2e.db'}",
        SQLALCHEMY_ENGINE_OPTIONS={}, SERVER_NAME=None))
    with app.app_context():
        db.create_all()
        categories.create_category("Internet & landline", "Routers, DSL, fibre and phone lines")
        accounts.create_user("bruno@example.com", "Bruno Answerer", PASSWORD)
        db.session.commit()
        outbox.drain()
        db.session.remove()
    return app


@pytest.fixture
def live_server(live_app):
    """``live_app`` on a free loopback port, served by a real threaded HTTP server."""
    app = live_app
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def browser(chromium_path):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, problems):
    """A page in its own browser context (own cookies) that records script errors and
    console errors, e.g. Content-Security-Policy violations."""
    context = browser.new_context(locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}")
            if msg.type == "error" else None)
    page.on("response", lambda response: problems.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    return page


def register(page, live_server, email, name):
    from playwright.sync_api import expect

    page.goto(live_server + "/register")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".flash")).to_contain_text(f"Welcome, {name}!")
