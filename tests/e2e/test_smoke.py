"""Real-browser smoke test: Chromium drives the app served by a real HTTP server.

A customer registers and asks, another customer answers, the asker accepts the answer,
and the thread shows as solved on its page and in the lists. It also catches what
WebTest cannot: the CSP blocking our own script, the live preview's fetch, focus and
form behaviour of a real browser.

Chromium is Debian's /usr/bin/chromium (CI installs it in .ci/run); Playwright's own
browser download does not work in this closed network.
"""
import os
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from community import accounts, categories, create_app
from community.extensions import db
from tests.conftest import PASSWORD, _test_config

pytestmark = pytest.mark.e2e

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
        message = f"{CHROMIUM} is not installed (Debian package `chromium`; .ci/run installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return str(CHROMIUM)


@pytest.fixture
def live_server(tmp_path):
    """The app on a free loopback port, served by a real threaded HTTP server, with its
    own SQLite file (requests run in other threads than the test)."""
    app = create_app(_test_config(
        tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'e2e.db'}",
        SQLALCHEMY_ENGINE_OPTIONS={}, SERVER_NAME=None))
    with app.app_context():
        db.create_all()
        categories.create_category("Internet & landline", "Routers, DSL, fibre and phone lines")
        accounts.create_user("bruno@example.com", "Bruno Answerer", PASSWORD)
        db.session.commit()
        db.session.remove()
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


def _new_page(browser, problems):
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


def test_ask_answer_accept_shows_solved(live_server, browser):
    from playwright.sync_api import expect

    problems = []
    title = "Router loses the DSL sync every evening"

    # Alice registers and asks, with the live Markdown preview.
    alice = _new_page(browser, problems)
    alice.goto(live_server + "/register")
    alice.get_by_label("E-mail address").fill("alice@example.com")
    alice.get_by_label("Display name").fill("Alice Asker")
    alice.get_by_label("Password").fill(PASSWORD)
    alice.get_by_role("button", name="Create account").click()
    expect(alice.locator(".flash")).to_contain_text("Welcome, Alice Asker!")

    alice.get_by_role("link", name="Ask a question").click()
    alice.get_by_label("Category").select_option(label="Internet & landline")
    alice.get_by_label("Your question").fill(title)
    alice.get_by_label("Details").fill("Every evening at 8 the **sync drops** for a minute.")
    alice.get_by_label("Tags").fill("dsl, router")
    expect(alice.locator("[data-preview-target] strong")).to_have_text("sync drops")
    alice.get_by_role("button", name="Post question").click()
    expect(alice.locator("h1")).to_have_text(title)
    expect(alice.locator(".thread-head .badge-unanswered")).to_be_visible()
    thread_url = alice.url
    assert re.search(r"/t/\d+-router-loses-the-dsl-sync-every-evening$", thread_url), thread_url

    # Bruno logs in and answers.
    bruno = _new_page(browser, problems)
    bruno.goto(live_server + "/login")
    bruno.get_by_label("E-mail address").fill("bruno@example.com")
    bruno.get_by_label("Password").fill(PASSWORD)
    bruno.get_by_role("button", name="Log in").click()
    expect(bruno.locator(".flash")).to_contain_text("You are logged in.")
    bruno.goto(thread_url)
    bruno.get_by_role("textbox", name="Your answer").fill("Switch the router to the **fixed profile** 17a.")
    bruno.get_by_role("button", name="Post answer").click()
    answer = bruno.locator("section.replies article.post")
    expect(answer).to_have_count(1)
    expect(answer.locator(".post-body strong")).to_have_text("fixed profile")

    # Alice accepts it.
    alice.reload()
    alice.get_by_role("button", name="Accept this answer").click()
    expect(alice.locator(".flash")).to_contain_text("This answer is now the accepted answer.")
    accepted = alice.locator("section.accepted-answer")
    expect(accepted).to_contain_text("Accepted by Alice Asker")
    expect(accepted.locator(".post-body")).to_contain_text("fixed profile 17a")
    expect(alice.locator(".thread-head .badge-solved")).to_have_text("Solved")

    # Everyone sees it solved: a visitor on the thread page, the category and the home page.
    visitor = _new_page(browser, problems)
    visitor.goto(thread_url)
    expect(visitor.locator(".thread-head .badge-solved")).to_have_text("Solved")
    expect(visitor.locator("section.accepted-answer")).to_contain_text("Bruno Answerer")
    for path in ("/", "/c/internet-landline", "/c/internet-landline?filter=solved"):
        visitor.goto(live_server + path)
        row = visitor.locator(".thread-row", has=visitor.get_by_role("link", name=title))
        expect(row.locator(".badge-solved")).to_have_text("Solved")
    visitor.goto(live_server + "/c/internet-landline?filter=unsolved")
    expect(visitor.get_by_role("link", name=title)).to_have_count(0)

    # The skip link reaches the content with the keyboard.
    visitor.keyboard.press("Tab")
    expect(visitor.locator("a.skip-link")).to_be_focused()

    assert problems == []
