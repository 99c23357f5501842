"""In real Chromium at 390×844 (a phone, touch) and 1366×900: a silenced customer sees
the notice instead of the forms; drafts survive a reload and go once posted; a refused
form's error summary takes the focus; an agent answers a ticket on a desktop (the facts
to the right of the thread) and on a phone (the facts folded above it), and moves
through the queue with j and k; a moderator decides a flag in the queue on a phone and a
desktop. axe-core finds nothing critical or serious on these
pages, in English and German, and no page scrolls sideways on the phone.

Screenshots go to $E2E_SCREENSHOTS (a folder CI keeps), else to the test's tmp folder.
"""

import pytest

from agent_bridge.services import tickets
from community import outbox
from community.extensions import db
from community.services import accounts, categories, threads
from moderation.services import sanctions
from tests.conftest import PASSWORD
from tests.e2e.conftest import LOCALES, SIZES, check_page, log_in

pytestmark = pytest.mark.e2e

ROUTER = "Router drops the DSL line every evening"


@pytest.fixture
def live_app(live_app):
    with live_app.app_context():
        category = categories.all_categories()[0]
        carla = accounts.create_user("carla@example.com", "Carla Customer", PASSWORD)
        sid = accounts.create_user("sid@example.com", "Sid Silenced", PASSWORD)
        mona = accounts.create_user("mona@example.com", "Mona Moderator", PASSWORD,
                                    role="moderator")
        accounts.create_user("alex@example.com", "Alex Agent", PASSWORD, role="agent",
                             staff_title="Customer Care")
        bruno = accounts.find_by_email("bruno@example.com")
        router = threads.create_thread(carla, category, ROUTER,
                                       "Every evening at 8 the DSL sync drops for a minute.")
        threads.reply(bruno, router, "Switch the line profile to 17a, that helped me.")
        roaming = threads.create_thread(sid, category, "Invoice shows roaming charges",
                                        "I was never abroad, why do I pay roaming?")
        cancel = threads.create_thread(carla, category, "Cancel my contract at the end of May",
                                       "I am moving abroad and need to cancel the contract.")
        db.session.commit()
        for thread, priority in ((cancel, "urgent"), (router, "high"), (roaming, "normal")):
            tickets.open_ticket(thread, "moderator", priority=priority, source="test")
        sanctions.impose(mona, sid, "silence", 3, "abusive", "Insulted other members twice.")
        db.session.commit()
        outbox.drain()
        db.session.remove()
    return live_app


def thread_path(page, live_server, title):
    page.goto(live_server + "/")
    return page.get_by_role("link", name=title).first.get_attribute("href")


def test_a_silenced_customer_sees_the_notice_instead_of_the_forms(live_server, open_page,
                                                                   shots):
    from playwright.sync_api import expect

    for size in SIZES:
        for locale in LOCALES:
            page = open_page(size, locale)
            log_in(page, live_server, "sid@example.com")
            path = thread_path(page, live_server, ROUTER)
            for where in ("/ask", path):
                page.goto(live_server + where)
                notice = page.locator(".write-notice-blocked")
                expect(notice).to_be_visible()
                expect(notice.locator("a[href='/mod/notices']")).to_be_visible()
                expect(notice).to_contain_text("Insulted other members twice.")
                if locale == "en":
                    expect(notice).to_contain_text("Your account is read-only until")
                expect(page.locator("#ask-form, #reply-form")).to_have_count(0)
                check_page(page, (size, locale, where))
            shots(page, f"silenced-thread-{size}-{locale}")
            page.goto(live_server + "/ask")
            if size == "phone":  # the notice is what the member sees first
                box = page.locator(".write-notice-blocked").bounding_box()
                assert box["y"] + box["height"] <= 844
            shots(page, f"silenced-ask-{size}-{locale}")
            page.context.close()


def test_a_draft_survives_a_reload_and_goes_once_posted(live_server, open_page, shots):
    from playwright.sync_api import expect

    page = open_page("phone")
    log_in(page, live_server, "carla@example.com")
    path = thread_path(page, live_server, ROUTER)
    page.goto(live_server + path)
    answer = "Did the profile change help? Mine still drops at 8."
    page.locator("#reply-form textarea[name=body]").fill(answer)
    page.wait_for_function("() => Object.keys(localStorage).some(k => k.endsWith('/reply'))")
    page.reload()
    expect(page.locator("#reply-form textarea[name=body]")).to_have_value(answer)
    expect(page.locator("#reply-form .draft-note")).to_contain_text("Your draft was restored.")
    check_page(page, "restored reply draft")
    shots(page, "draft-restored-phone")
    page.locator("#reply-form [name=submit]").click()
    expect(page.locator("section.replies")).to_contain_text(answer)
    expect(page.locator("#reply-form textarea[name=body]")).to_have_value("")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('draft:'))") == []

    # The ask form's draft, kept across a closed tab (a new page of the same browser).
    page.goto(live_server + "/ask")
    page.locator("#title").fill("Which router profile for VDSL 100?")
    page.locator("#body").fill("My provider says 17a, the forum says 35b. Which one is right?")
    page.wait_for_function("() => localStorage.getItem('draft:/ask') !== null")
    again = page.context.new_page()
    again.goto(live_server + "/ask")
    expect(again.locator("#title")).to_have_value("Which router profile for VDSL 100?")
    again.locator("#ask-form [name=submit]").click()
    expect(again.locator("h1")).to_have_text("Which router profile for VDSL 100?")
    again.goto(live_server + "/ask")
    expect(again.locator("#title")).to_have_value("")


def test_the_error_summary_takes_the_focus_and_leads_to_the_field(live_server, open_page,
                                                                   shots):
    from playwright.sync_api import expect

    for locale in LOCALES:
        page = open_page("phone", locale)
        log_in(page, live_server, "carla@example.com")
        page.goto(live_server + "/ask")
        page.locator("#title").fill("Help")
        page.locator("#body").fill("x" * 20)
        page.locator("#ask-form [name=submit]").click()
        summary = page.locator("[data-error-summary]")
        expect(summary).to_be_focused()
        box = summary.bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= 844
        check_page(page, ("error summary", locale))
        shots(page, f"error-summary-phone-{locale}")
        summary.locator("a[href='#title']").click()
        expect(page.locator("#title")).to_be_focused()
        expect(page.locator("#title")).to_have_value("Help")  # the text is kept
        page.context.close()


def test_an_agent_answers_a_ticket_on_a_desktop_and_on_a_phone(live_server, open_page, shots):
    from playwright.sync_api import expect

    # Desktop: the queue by keyboard, then the ticket in two columns.
    page = open_page("desktop")
    log_in(page, live_server, "alex@example.com")
    page.goto(live_server + "/desk")
    titles = page.locator("[data-ticket-list] a.thread-title")
    page.keyboard.press("j")
    expect(titles.nth(0)).to_be_focused()
    page.keyboard.press("j")
    expect(titles.nth(1)).to_be_focused()
    page.keyboard.press("k")
    expect(titles.nth(0)).to_be_focused()
    page.keyboard.press("?")
    expect(page.locator("dialog#shortcuts")).to_be_visible()
    check_page(page, "shortcuts")
    page.keyboard.press("Escape")
    expect(page.locator("dialog#shortcuts")).to_be_hidden()
    check_page(page, "desk")
    shots(page, "desk-desktop")
    page.keyboard.press("j")  # the second ticket: the router thread (high)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(ROUTER)
    facts = page.locator("details.ticket-facts-box").bounding_box()
    thread = page.locator("section.ticket-thread").bounding_box()
    assert facts["x"] >= thread["x"] + thread["width"], (facts, thread)
    assert facts["y"] < 900  # beside the thread, in the first screen
    check_page(page, "ticket desktop")
    shots(page, "ticket-desktop")
    page.keyboard.press("r")
    editor = page.locator("#official-reply-form textarea[name=body]")
    expect(editor).to_be_focused()
    editor.press_sequentially("Hello, a technician will check the line. j k a r", delay=5)
    expect(page.locator("h1")).to_contain_text(ROUTER)  # typing moved nowhere
    page.locator("#official-reply-form [name=submit]").click()
    expect(page.locator(".flash")).to_contain_text("Your official reply is in the thread.")
    page.keyboard.press("k")  # the previous ticket of the queue: the urgent one
    expect(page.locator("h1")).to_contain_text("Cancel my contract")
    page.keyboard.press("a")
    expect(page.locator(".flash")).to_contain_text("is yours.")

    # Phone: the facts fold into a summary above the thread.
    for locale in LOCALES:
        phone = open_page("phone", locale)
        log_in(phone, live_server, "alex@example.com")
        phone.goto(live_server + "/desk")
        check_page(phone, ("desk phone", locale))
        shots(phone, f"desk-phone-{locale}")
        phone.locator("[data-ticket-list] a.thread-title").filter(has_text="roaming").click()
        facts = phone.locator("details.ticket-facts-box")
        expect(facts).not_to_have_attribute("open", "")
        summary = facts.locator("summary").bounding_box()
        thread = phone.locator("section.ticket-thread").bounding_box()
        assert summary["y"] + summary["height"] <= thread["y"]
        check_page(phone, ("ticket phone", locale))
        shots(phone, f"ticket-phone-{locale}")
        facts.locator("summary").click()
        expect(phone.locator("#ticket-form")).to_be_visible()
        check_page(phone, ("ticket phone, facts open", locale))
        if locale == "en":
            phone.locator("#official-reply-form textarea[name=body]").fill(
                "We have corrected the invoice; the roaming charges are gone.")
            accept = phone.locator("#official-reply-form input[name=accept]")
            label = phone.locator("#official-reply-form label[for=accept]")
            assert abs(accept.bounding_box()["y"] - label.bounding_box()["y"]) < 24  # one line
            phone.locator("#official-reply-form [name=submit]").click()
            expect(phone.locator(".flash")).to_contain_text("Your official reply is in the thread.")
        phone.context.close()


def test_a_moderator_works_the_queue_on_a_phone(live_app, live_server, open_page, shots):
    """Issue 14's journey "moderator works the queue on a phone" (and on a desktop): a
    flagged answer is read and decided, in English and German."""
    from playwright.sync_api import expect

    from moderation.services import flags
    from tests.e2e.conftest import small_targets

    runs = [(size, locale) for size in SIZES for locale in LOCALES]
    with live_app.app_context():
        carla = accounts.find_by_email("carla@example.com")
        roaming = threads.create_thread(carla, categories.all_categories()[0],
                                        "Which roaming zone is Switzerland?",
                                        "I travel to Zurich next week.")
        replies = [threads.reply(accounts.find_by_email("bruno@example.com"), roaming,
                                 f"Buy cheap gold at example dot com ({size} {locale})")
                   for size, locale in runs]
        db.session.commit()
        for post in replies:
            flags.flag_post(carla, post, "spam")
        db.session.commit()
        db.session.remove()

    for size, locale in runs:
        page = open_page(size, locale)
        log_in(page, live_server, "mona@example.com")
        page.goto(live_server + "/mod")
        mine = f"({size} {locale})"
        item = page.locator("article.review-item").filter(has_text=mine)
        expect(item).to_be_visible()
        expect(item).to_contain_text("Buy cheap gold")
        check_page(page, ("queue", size, locale))
        if size == "phone":
            assert small_targets(page) == [], (locale, small_targets(page))
        shots(page, f"queue-{size}-{locale}")
        button = item.locator("button[value=dismiss]")
        button.tap() if size == "phone" else button.click()
        page.wait_for_load_state("load")
        expect(page.locator("article.review-item").filter(has_text=mine)).to_have_count(0)
        check_page(page, ("queue after a decision", size, locale))
        page.context.close()
