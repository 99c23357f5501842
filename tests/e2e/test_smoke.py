"""Real-browser smoke test: Chromium drives the app served by a real HTTP server.

A customer registers and asks, another customer answers, the asker accepts the answer,
and the thread shows as solved on its page and in the lists. It also catches what
WebTest cannot: the CSP blocking our own script, the live preview's fetch, focus and
form behaviour of a real browser.
"""
import re

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import new_page, register

pytestmark = pytest.mark.e2e


def test_ask_answer_accept_shows_solved(live_server, browser):
    from playwright.sync_api import expect

    problems = []
    title = "Router loses the DSL sync every evening"

    # Alice registers and asks, with the live Markdown preview.
    alice = new_page(browser, problems)
    register(alice, live_server, "alice@example.com", "Alice Asker")

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
    bruno = new_page(browser, problems)
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
    visitor = new_page(browser, problems)
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
