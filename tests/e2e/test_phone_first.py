"""Phone first (issue 14, points 1, 5, 8 and 9), in real Chromium at 390x844 (a phone:
touch, mobile viewport) and 1366x900, in English and German.

The visitor reads and searches, switches language and theme; the customer registers
from a thread and comes back to it, votes "Helpful" without the page moving, accepts
an answer and reads a notification. On every page of those journeys: nothing scrolls
sideways, tap targets are at least 44x44 px on the phone, and axe-core finds nothing
critical or serious. Screenshots of the main pages go to $E2E_SCREENSHOTS.
"""
from datetime import timedelta

import pytest

from community import clock, outbox
from community.extensions import db
from community.models import Thread
from community.services import accounts, categories, threads
from tests.conftest import PASSWORD
from tests.e2e.conftest import (axe_findings, new_page, screenshot, sideways_scroll,
                                small_targets)

pytestmark = pytest.mark.e2e

SOLVED = "Router loses the DSL sync every evening"
OPEN = "Which APN settings for the new eSIM?"
TOPICS = ["Invoice shows roaming charges", "Fibre installation appointment moved",
          "Porting my number from another provider", "Voicemail PIN forgotten",
          "WLAN drops when the microwave runs", "Data volume used up too fast",
          "Second SIM card for my tablet", "Router LED blinks red after update",
          "Cancel the landline but keep DSL", "Speed test shows half the booked speed",
          "Email to the support address bounced", "Moving house: what happens to my contract",
          "TV package not available in my area", "Roaming in Switzerland included?",
          "Hotspot does not work with the new tariff", "Call forwarding to my mobile",
          "Bill paid twice by mistake", "Parental controls on the router"]
TEXT = {
    "en": {"helpful": "Helpful", "undo": "Undo helpful", "accept": "Accept this answer",
           "register": "Create account", "welcome": "Welcome", "post": "Post answer",
           "answer": "Your answer", "search": "Search the community"},
    "de": {"helpful": "Hilfreich", "undo": "„Hilfreich“ zurücknehmen",
           "accept": "Diese Antwort akzeptieren", "register": "Konto erstellen",
           "welcome": "Willkommen", "post": "Antwort veröffentlichen",
           "answer": "Ihre Antwort", "search": "Community durchsuchen"},
}


@pytest.fixture
def live_app(live_app):
    """Two categories, 20 questions (some solved, one by the support team), and staff."""
    with live_app.app_context():
        internet = categories.all_categories()[0]
        mobile = categories.create_category("Mobile & SIM", "eSIM, roaming, data volume, tariffs")
        carla = accounts.create_user("carla@example.com", "Carla Customer", PASSWORD)
        bruno = accounts.find_by_email("bruno@example.com")
        sarah = accounts.create_user("sarah@example.com", "Sarah Support", PASSWORD,
                                     role="agent", staff_title="Support team")
        start = clock.now() - timedelta(days=30)
        for n, title in enumerate(TOPICS):
            thread = threads.create_thread(carla, (internet, mobile)[n % 2], title,
                                           f"Details about {title.lower()}: what can I do?",
                                           ["router"] if n % 3 == 0 else (),
                                           created_at=start + timedelta(days=n), imported=True)
            if n % 2:
                threads.reply(bruno, thread, "Same here, restarting helped a bit.",
                              created_at=start + timedelta(days=n, hours=3), imported=True)
        solved = threads.create_thread(carla, internet, SOLVED,
                                       "Every evening at 8 the sync drops for a minute.",
                                       ["dsl"], created_at=start + timedelta(days=27),
                                       imported=True)
        answer = threads.reply(sarah, solved, "Switch the line profile to **17a**, please.",
                               is_official=True, created_at=start + timedelta(days=27, hours=2),
                               imported=True)
        threads.reply(bruno, solved, "The profile switch fixed it for me too.",
                      created_at=start + timedelta(days=28), imported=True)
        threads.create_thread(carla, mobile, OPEN, "Which APN do I enter for the eSIM?",
                              created_at=start + timedelta(days=29), imported=True)
        db.session.commit()
        threads.accept_answer(carla, answer)
        db.session.commit()
        outbox.drain()   # the search index, as the worker would build it
        db.session.remove()
    return live_app


def check_page(page, size, lang, name, findings, shots=True):
    """What every page of a journey must do; findings are collected, not raised, so one
    run reports every page that fails."""
    page.wait_for_load_state("load")
    label = f"{name} ({size}, {lang})"
    if (wide := sideways_scroll(page)) > 0:
        findings.append(f"{label}: scrolls sideways by {wide}px")
    if size == "phone":
        findings.extend(f"{label}: small tap target {t}" for t in small_targets(page))
    findings.extend(f"{label}: axe {f}" for f in axe_findings(page))
    if shots:
        screenshot(page, f"{name}-{size}-{lang}")


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_visitor_reads_searches_and_switches(live_server, browser, size, lang):
    from playwright.sync_api import expect

    problems, findings = [], []
    page = new_page(browser, problems, size=size, lang=lang)
    height = page.viewport_size["height"]

    # Home: the questions lead; five whole rows within the first screen of a phone.
    page.goto(live_server + "/")
    check_page(page, size, lang, "home", findings)
    rows = page.locator(".thread-list .thread-row")
    bottoms = [box["y"] + box["height"] for box in
               (rows.nth(i).bounding_box() for i in range(min(rows.count(), 8)))]
    assert sum(bottom <= height for bottom in bottoms) >= 5, bottoms
    header = page.locator(".site-header").bounding_box()["height"]
    assert header <= (112 if size == "phone" else 64), header

    # A category: at least 6 rows a phone screen and 15 a desktop screen.
    page.locator(".thread-list .thread-row").first.wait_for()
    page.goto(live_server + "/c/internet-landline")
    check_page(page, size, lang, "category", findings)
    boxes = [page.locator(".thread-list .thread-row").nth(i).bounding_box() for i in range(6)]
    pitch = (boxes[-1]["y"] - boxes[0]["y"]) / 5
    assert height / pitch >= (6 if size == "phone" else 15), pitch

    # The thread: the accepted answer once, labelled, at the top of the answers.
    page.locator(".thread-list").get_by_role("link", name=SOLVED).click()
    expect(page.locator("h1")).to_have_text(SOLVED)
    accepted = page.locator("section.accepted-answer")
    expect(accepted.locator(".badge-accepted")).to_have_count(1)
    expect(page.get_by_text("Switch the line profile to")).to_have_count(1)
    check_page(page, size, lang, "thread", findings)

    # One search box on the search page (its own form replaces the header's).
    page.goto(live_server + "/")
    page.get_by_role("searchbox").fill("router")
    page.get_by_role("searchbox").press("Enter")
    expect(page.locator(".search-result").first).to_be_visible()
    expect(page.get_by_role("searchbox")).to_have_count(1)
    # A highlighted word keeps the spaces around it, as the title is shown.
    shown = [t.strip() for t in page.locator(".search-result .thread-title").all_inner_texts()]
    assert "Parental controls on the router" in shown, shown
    check_page(page, size, lang, "search", findings)

    # No page scrolls sideways on the narrowest phones either.
    if size == "phone":
        page.set_viewport_size({"width": 360, "height": 780})
        for path in ("/", "/c/internet-landline", "/search?q=router", "/register"):
            page.goto(live_server + path)
            assert sideways_scroll(page) <= 0, path

    # The language switch (menu or footer), kept in a cookie.
    other = "de" if lang == "en" else "en"
    page.goto(live_server + "/c/mobile-sim")
    switch = page.locator(".site-footer")
    switch.get_by_role("button", name={"en": "English", "de": "Deutsch"}[other]).click()
    expect(page.locator("html")).to_have_attribute("lang", other)
    assert page.url.endswith("/c/mobile-sim")
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", other)

    # The dark theme: chosen in the menu, applied at once (script) and kept (cookie).
    page.locator("details.menu summary").click()
    page.locator(".menu-panel [name=theme][value=dark]").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 21, 27)", background
    check_page(page, size, other, "home-dark", findings)
    assert not findings, "\n".join(findings)
    assert problems == []


def test_dark_theme_follows_the_device(live_server, browser):
    problems = []
    page = new_page(browser, problems, size="phone", color_scheme="dark")
    page.goto(live_server + "/")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(18, 21, 27)"
    findings = []
    check_page(page, "phone", "en", "home-device-dark", findings, shots=False)
    assert findings == [] and problems == []


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_customer_registers_votes_accepts_and_reads(live_app, live_server, browser, size, lang):
    from playwright.sync_api import expect

    text = TEXT[lang]
    problems, findings = [], []
    page = new_page(browser, problems, size=size, lang=lang)

    # Registering from a question comes back to it.
    page.goto(live_server + "/")
    page.locator(".thread-list").get_by_role("link", name=OPEN).click()
    thread_url = page.url
    page.locator(".reply-box a[href^='/register']").click()
    check_page(page, size, lang, "register", findings)
    page.locator("#email").fill("dora@example.com")
    page.locator("#name").fill("Dora Newcomer")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name=text["register"]).click()
    expect(page.locator(".flash")).to_contain_text(text["welcome"])
    assert page.url == thread_url

    # "Helpful" without leaving the page, and without the view moving.
    page.goto(live_server + "/c/internet-landline")
    page.locator(".thread-list").get_by_role("link", name=SOLVED).click()
    vote = page.locator("section.replies .post").filter(
        has_text="The profile switch").get_by_role("button", name=text["helpful"])
    vote.scroll_into_view_if_needed()
    before = (page.evaluate("window.scrollY"), page.url)
    vote.click()
    reply = page.locator("section.replies .post").filter(has_text="The profile switch")
    expect(reply.get_by_role("button", name=text["undo"])).to_have_attribute("aria-pressed", "true")
    expect(reply.locator("[data-helpful-count]")).to_contain_text("1")
    assert (page.evaluate("window.scrollY"), page.url) == before
    check_page(page, size, lang, "thread-member", findings)

    # Dora asks; Bruno answers; the bell says so when she returns to the tab, and
    # reading the thread clears it.
    page.locator(".ask-button").click()
    page.locator("#category").select_option(label="Mobile & SIM")
    page.locator("#title").fill("Roaming charges in Austria on my bill")
    page.locator("#body").fill("I was in Vienna for two days and pay roaming. Is that right?")
    check_page(page, size, lang, "ask", findings)
    page.locator("#submit").click()
    expect(page.locator("h1")).to_have_text("Roaming charges in Austria on my bill")
    question_url = page.url
    with live_app.app_context():
        thread = db.session.scalar(db.select(Thread).where(
            Thread.title == "Roaming charges in Austria on my bill"))
        threads.reply(accounts.find_by_email("bruno@example.com"), thread,
                      "Austria is in the EU: no roaming charges. Ask for a refund.")
        db.session.commit()
        outbox.drain()
        db.session.remove()
    bell = page.locator(".site-header .bell")
    expect(bell.locator("[data-unread]")).to_have_count(0)
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(bell.locator("[data-unread]")).to_contain_text("1")
    page.goto(live_server + "/")
    expect(bell.locator("[data-unread]")).to_contain_text("1")
    page.goto(question_url)
    expect(bell.locator("[data-unread]")).to_have_count(0)

    # She accepts Bruno's answer: shown once, labelled.
    page.get_by_role("button", name=text["accept"]).click()
    accepted = page.locator("section.accepted-answer")
    expect(accepted.locator(".badge-accepted")).to_have_count(1)
    expect(page.get_by_text("Austria is in the EU")).to_have_count(1)
    expect(page.locator(".accepted-stub")).to_have_count(1)
    check_page(page, size, lang, "thread-accepted", findings)
    page.goto(live_server + "/notifications")
    check_page(page, size, lang, "notifications", findings)

    # The menu holds the rest; it opens and shows the member's entries.
    page.locator("details.menu summary").click()
    expect(page.locator(".menu-panel")).to_be_visible()
    check_page(page, size, lang, "menu", findings)
    assert not findings, "\n".join(findings)
    assert problems == []
