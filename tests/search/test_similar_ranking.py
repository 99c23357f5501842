"""Similar questions rank by relevance first, with a bounded bonus for solved and
officially answered threads: a relevant open thread beats a loosely related solved one,
and of two equally relevant threads the solved one comes first. In German and English,
on the ask form and through ``/api/v1/similar``; the search page sorted by relevance
uses the same bonus."""
import pytest

from community.extensions import db
from community.services import threads
from tests.conftest import login

from .test_similar import check_similar

REPLY = {"de": "Das kenne ich, bei mir hat ein Anruf beim Kundenservice geholfen.",
         "en": "I had the same, a call to customer service sorted it out."}

# The example: a near-duplicate that is still open, and loosely related solved threads.
CASES = {
    "de": {
        "ask": ("Wie kündige ich meinen DSL Vertrag", ""),
        "open": ("Kündigung meines DSL-Vertrags zum Monatsende",
                 "Ich möchte meinen DSL-Vertrag zum Monatsende kündigen. Wie mache ich das?"),
        "loose": [("Internet bricht abends regelmäßig ab (DSL 100)",
                   "Seit zwei Wochen bricht meine DSL-Verbindung jeden Abend ab."),
                  ("Preiserhöhung angekündigt – habe ich ein Sonderkündigungsrecht?",
                   "Mein Tarif wird teurer. Darf ich deswegen außerordentlich kündigen?")],
    },
    "en": {
        "ask": ("How do I cancel my DSL contract", ""),
        "open": ("Cancel my DSL contract at the end of the month",
                 "I want to cancel my DSL contract at the end of the month. How do I do that?"),
        "loose": [("Internet drops every evening (DSL 100)",
                   "For two weeks my DSL connection has dropped every evening."),
                  ("Price increase announced – may I cancel early?",
                   "My plan gets more expensive. Is that a reason to cancel before the end?")],
    },
}


def make_solved(make_thread, make_reply, asker, category, title, body, reply_text,
                official=None):
    thread = make_thread(author=asker, category=category, title=title, body=body)
    answer = make_reply(thread, author=official, body=reply_text,
                        **({"is_official": True} if official else {}))
    threads.accept_answer(asker, answer)
    db.session.commit()
    return thread


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_relevant_open_thread_beats_loosely_related_solved_ones(
        language, testapp, make_user, make_category, make_thread, make_reply, worker):
    case, asker, category = CASES[language], make_user(), make_category()
    near = make_thread(author=asker, category=category, title=case["open"][0],
                       body=case["open"][1])
    loose = [make_solved(make_thread, make_reply, asker, category, title, body,
                         REPLY[language]) for title, body in case["loose"]]
    worker()

    title, body = case["ask"]
    results = testapp.get("/api/v1/similar", {"title": title, "body": body}).json["results"]
    assert results[0]["thread_id"] == near.id
    assert results[0]["solved"] is False
    assert {r["thread_id"] for r in results[1:]} <= {t.id for t in loose}
    assert all(r["solved"] for r in results[1:])

    login(testapp, make_user())                 # the ask form, without JavaScript
    page = check_similar(testapp.get("/ask"), title, body)
    items = page.html.select(".similar-list li")
    assert items[0].select_one("a").get_text() == case["open"][0]
    assert items[0].select_one(".badge-solved") is None
    assert all(item.select_one(".badge-solved") for item in items[1:])


@pytest.mark.parametrize("language", ["de", "en"])
def test_of_two_equally_relevant_duplicates_the_solved_one_comes_first(
        language, testapp, make_user, make_category, make_thread, make_reply, worker):
    case, category = CASES[language], make_category()
    title, body = case["open"]
    open_one = make_thread(author=make_user(), category=category, title=title, body=body)
    make_reply(open_one, body=REPLY[language])   # the same text, not accepted
    solved = make_solved(make_thread, make_reply, make_user(), category, title, body,
                         REPLY[language])
    worker()

    results = testapp.get("/api/v1/similar", {"title": case["ask"][0]}).json["results"]
    assert [r["thread_id"] for r in results[:2]] == [solved.id, open_one.id]
    assert [r["solved"] for r in results[:2]] == [True, False]
    # A bounded bonus: the open duplicate scores within it of the solved one.
    assert results[0]["score"] > results[1]["score"] >= results[0]["score"] / 1.5

    found = testapp.get("/api/v1/search", {"q": title}).json["results"]   # the search page
    assert [r["thread_id"] for r in found[:2]] == [solved.id, open_one.id]


def test_an_official_answer_is_shown_and_counts_as_a_bonus(
        testapp, make_user, make_category, make_thread, make_reply, worker):
    category, agent = make_category(), make_user(role="agent")
    title, body = CASES["en"]["open"]
    plain = make_thread(category=category, title=title, body=body)
    make_reply(plain, body=REPLY["en"])
    answered = make_thread(category=category, title=title, body=body)
    make_reply(answered, author=agent, body=REPLY["en"], is_official=True)
    worker()

    results = testapp.get("/api/v1/similar", {"title": title}).json["results"]
    assert [(r["thread_id"], r["official_answer"], r["solved"]) for r in results] == [
        (answered.id, True, False), (plain.id, False, False)]
    login(testapp, make_user())
    page = check_similar(testapp.get("/ask"), title)
    first, second = page.html.select(".similar-list li")
    assert first.select_one(".badge-official").get_text() == "Official answer"
    assert second.select_one(".badge-official") is None
    texts = page.html.select_one("template[data-similar-texts]")
    assert texts["data-official"] == "Official answer"
