"""Similar questions while asking, in a real browser: the ask form's script asks the
API as the customer types, lists what it finds (solved first, with the badge), and
opening a suggestion is remembered for the deflection count."""
import pytest

from community import outbox
from community.services import accounts, categories, threads
from community.extensions import db
from search.models import SuggestionOpen
from tests.conftest import PASSWORD
from tests.e2e.conftest import new_page, register

pytestmark = pytest.mark.e2e

SOLVED = "DSL sync drops every evening at eight"
OPEN = "Evening DSL disconnects since the new router"


@pytest.fixture
def live_app(live_app):
    with live_app.app_context():
        category = categories.all_categories()[0]
        carla = accounts.create_user("carla@example.com", "Carla Customer", PASSWORD)
        bruno = accounts.find_by_email("bruno@example.com")
        solved = threads.create_thread(carla, category, SOLVED,
                                       "Every evening the DSL line loses sync for a minute.")
        answer = threads.reply(bruno, solved, "Switch the line profile to 17a.")
        threads.create_thread(carla, category, OPEN,
                              "Since I got the new router the DSL disconnects in the evening.")
        threads.create_thread(carla, category, "Invoice shows roaming charges",
                              "I was never abroad, why do I pay roaming?")
        db.session.commit()
        threads.accept_answer(carla, answer)
        db.session.commit()
        outbox.drain()   # what the worker does: index the threads
        db.session.remove()
    return live_app


def test_suggestions_appear_while_typing_and_an_opened_one_is_remembered(
        live_app, live_server, browser):
    from playwright.sync_api import expect

    problems = []
    dora = new_page(browser, problems)
    register(dora, live_server, "dora@example.com", "Dora Newcomer")
    dora.get_by_role("link", name="Ask a question").click()
    suggestions = dora.locator("#similar-questions .similar-list li")
    expect(suggestions).to_have_count(0)

    dora.get_by_label("Your question").press_sequentially("DSL sync lost in the evening",
                                                          delay=20)
    expect(dora.locator("#similar-heading")).to_have_text("Similar questions")
    expect(suggestions.first).to_contain_text(SOLVED)          # solved first
    expect(suggestions.first.locator(".badge-solved")).to_have_text("Solved")
    expect(suggestions.filter(has_text=OPEN)).to_have_count(1)
    expect(suggestions.filter(has_text="roaming")).to_have_count(0)

    suggestions.first.get_by_role("link").click()
    expect(dora.locator("h1")).to_have_text(SOLVED)
    expect(dora.locator("section.accepted-answer")).to_contain_text("profile to 17a")

    with live_app.app_context():
        [opened] = db.session.scalars(db.select(SuggestionOpen)).all()
        assert opened.asked_at is None and opened.draft
        db.session.remove()
    assert problems == []
