"""The real browser's fixtures: Debian's Chromium driven by Playwright, and the app
served by a real threaded HTTP server on loopback.

Chromium is Debian's /usr/bin/chromium (CI installs it in .ci/run); Playwright's own
browser download does not work in this closed network.

Also what the layout tests measure, as a person would notice it: the two screen
sizes, sideways scrolling, tap target sizes, axe-core's findings, and screenshots
(written to $E2E_SCREENSHOTS, default tests/e2e/screenshots/, which git ignores).
"""
import os
import re
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


# A phone (touch, as Chromium's device list has it for such phones) and a laptop.
SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}
LOCALES = {"en": "en-US", "de": "de-DE"}
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS")
                   or Path(__file__).resolve().parent / "screenshots")
MIN_TAP = 44   # px, WCAG 2.5.5 (target size, enhanced)


def new_page(browser, problems, size="desktop", lang="en", **options):
    """A page in its own browser context (own cookies) that records script errors and
    console errors, e.g. Content-Security-Policy violations."""
    context = browser.new_context(locale=LOCALES[lang], **SIZES[size], **options)
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


def sideways_scroll(page):
    """How many pixels the page is wider than the screen (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


# Controls a finger must hit: WCAG 2.5.5 exempts links inside a sentence and what a
# member wrote (post bodies), and hidden or off-screen elements are not targets.
_SMALL_TARGETS = """(min) => {
  const found = [];
  for (const el of document.querySelectorAll(
      'a[href], button, summary, select, textarea, input:not([type=hidden])')) {
    if (el.closest('.post-body, [hidden], .skip-link')) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === 'hidden') continue;
    if (el.tabIndex < 0 && el.tagName !== 'A') continue;
    const parent = el.parentElement;
    const inText = el.tagName === 'A' && parent
      && ['P', 'LI', 'SPAN', 'BLOCKQUOTE'].includes(parent.tagName)
      && parent.textContent.trim() !== el.textContent.trim();
    if (inText) continue;
    // A checkbox's or radio's label toggles it: the label is part of its target (WCAG 2.5.5).
    const labelled = (el.type === 'checkbox' || el.type === 'radio') && [...(el.labels || [])]
      .some(label => label.getBoundingClientRect().height >= min);
    if (labelled) continue;
    const text = (el.textContent || el.name || '').trim().slice(0, 30);
    if (box.width < min || box.height < min)
      found.push(`${el.tagName.toLowerCase()}.${el.className || ''} "${text}" `
                 + `${Math.round(box.width)}x${Math.round(box.height)}`);
  }
  return found;
}"""


def small_targets(page):
    """Tap targets below 44x44 px on the current page."""
    return page.evaluate(_SMALL_TARGETS, MIN_TAP)


def axe_findings(page):
    """axe-core's critical and serious findings on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(n["target"]) for n in v["nodes"][:3])
            for v in results.response["violations"] if v["impact"] in ("critical", "serious")]


def screenshot(page, name):
    """The screen as a person sees it first, kept for review (CI keeps the folder)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"))


# Journeys: pages at both sizes and languages, signed in by the login form.
# Answers a page gives on purpose (a refused form, a silenced member's edit page).
EXPECTED_STATUSES = (403, 422)


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("E2E_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(page, name):
        page.screenshot(path=str(folder / f"{name}.png"))
    return shoot


@pytest.fixture
def open_page(browser):
    """``open_page(size, locale)``: a page in its own context at that size and language
    that records script errors, console errors and unexpected error answers."""
    problems = []

    def factory(size="desktop", locale="en"):
        context = browser.new_context(locale=LOCALES[locale], **SIZES[size])
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("console", lambda msg: problems.append(f"console: {msg.text}")
                if msg.type == "error" and "status of 4" not in msg.text else None)
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
                if r.status >= 400 and r.status not in EXPECTED_STATUSES else None)
        return page
    yield factory
    assert problems == []


def log_in(page, live_server, email):
    page.goto(live_server + "/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(lambda url: not url.endswith("/login"))


def check_page(page, where):
    """What every page of these journeys must hold: no critical or serious axe finding,
    and nothing wider than the screen."""
    assert axe_findings(page) == [], where
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), where
