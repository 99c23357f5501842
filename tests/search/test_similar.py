"""Similar questions while asking, with and without JavaScript, and deflection counts."""
from datetime import timedelta

import pytest

from community import clock, outbox
from community.extensions import db
from community.services import threads
from search.models import DeflectionDay, SuggestionOpen
from tests.conftest import login


@pytest.fixture
def answered(make_category, make_thread, make_reply, make_user, worker):
    """A billing category with questions about changing the bank account."""
    category = make_category(name="Billing")
    asker = make_user()
    made = {}
    for key, title, body, solved in (
            ("open", "Change bank account for direct debit",
             "I have a new bank account. Where do I change the direct debit?", False),
            ("solved", "How to change my bank account details",
             "My bank account changed, how do I update the direct debit mandate?", True),
            ("other", "Router firmware update failed", "The update stopped at 50 %.", False)):
        thread = made[key] = make_thread(author=asker, category=category, title=title, body=body)
        answer = make_reply(thread, body="Under Settings > Payment you can change it.")
        if solved:
            threads.accept_answer(asker, answer)
    db.session.commit()
    worker()
    made["category"] = category
    return made


def check_similar(page, title, body=""):
    """Press "Check for similar questions" as a browser without JavaScript does: the
    button's ``formaction`` sends the ask form to the search package."""
    form = page.forms["ask-form"]
    form["title"], form["body"] = title, body
    button = page.html.select_one("button[name=similar_check]")
    form.action = button["formaction"]
    return form.submit("similar_check")


def test_the_ask_form_offers_the_check_and_loads_the_script_from_the_site(testapp, make_user):
    login(testapp, make_user())
    page = testapp.get("/ask")
    assert page.html.select_one("button[name=similar_check]")["formaction"] == "/ask/similar"
    [script] = [s for s in page.html.select("script") if "similar" in (s.get("src") or "")]
    assert script["src"].startswith("/search/static/similar.js?v=") and not script.string
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    js = testapp.get(script["src"])
    assert "javascript" in js.content_type and "textContent" in js.text


def test_without_javascript_the_check_lists_similar_threads(testapp, make_user, answered):
    """Relevance first, solved as a bonus: test_similar_ranking.py has the order."""
    login(testapp, make_user())
    page = check_similar(testapp.get("/ask"), "Change of bank account",
                         "Where do I enter my new bank account?")
    items = {li.select_one("a").get_text(): li for li in page.html.select(".similar-list li")}
    assert set(items) == {"How to change my bank account details",
                          "Change bank account for direct debit"}
    assert items["How to change my bank account details"].select_one(".badge-solved")
    assert not items["Change bank account for direct debit"].select_one(".badge-solved")
    form = page.forms["ask-form"]      # the question as typed is kept, ready to post
    assert form["title"].value == "Change of bank account"
    assert form["body"].value == "Where do I enter my new bank account?"
    assert form.action == "/ask"
    form["category"] = answered["category"].slug
    posted = form.submit("submit").follow()
    assert "Change of bank account" in posted.text


def test_the_check_asks_for_a_title_first(testapp, make_user, answered):
    login(testapp, make_user())
    page = check_similar(testapp.get("/ask"), "")
    assert "Enter your question first" in page.text


def test_at_most_five_suggestions(testapp, make_user, make_category, make_thread, worker):
    category = make_category()
    for n in range(8):
        make_thread(category=category, title=f"Voicemail greeting change {n}",
                    body=f"How do I record a new voicemail greeting, take {n}?")
    worker()
    login(testapp, make_user())
    page = check_similar(testapp.get("/ask"), "Change voicemail greeting")
    assert len(page.html.select(".similar-list a")) == 5


def test_similar_api_for_the_live_suggestions(testapp, answered):
    response = testapp.get("/api/v1/similar", {"title": "bank account change",
                                               "body": "new direct debit", "limit": "2"})
    results = {r["thread_id"]: r for r in response.json["results"]}
    assert set(results) == {answered["solved"].id, answered["open"].id}
    solved = results[answered["solved"].id]
    assert solved["status"] == "solved" and solved["solved"] is True and solved["score"] > 0
    assert results[answered["open"].id]["solved"] is False
    assert set(solved) == {"thread_id", "title", "status", "score", "url", "reply_count",
                           "solved", "official_answer"}
    assert solved["url"].endswith(f"/t/{answered['solved'].id}-{answered['solved'].slug}")


@pytest.mark.parametrize("params, field", [({"title": ""}, "title"),
                                           ({"title": "bank", "limit": "0"}, "limit"),
                                           ({"title": "bank", "limit": "many"}, "limit"),
                                           ({"title": "bank", "limit": "21"}, "limit")])
def test_similar_api_errors_name_the_field(testapp, params, field):
    response = testapp.get("/api/v1/similar", params, status=422)
    assert response.json["error"]["code"] == "invalid"
    assert field in response.json["error"]["fields"]


def open_first_suggestion(session, title):
    page = check_similar(session.get("/ask"), title)
    link = page.html.select(".similar-list a")[0]
    return session.get(link["href"]).follow()


def test_opening_a_suggestion_and_not_asking_counts_as_a_deflection(
        browser, make_user, answered, moderator):
    reader, asker = make_user(), make_user()
    start = clock.now()
    session = browser(reader)
    page = open_first_suggestion(session, "Change of bank account")
    assert page.request.path in {f"/t/{t.id}-{t.slug}"
                                 for t in (answered["solved"], answered["open"])}
    open_first_suggestion(session, "Bank account changed")   # a second ask form: a second session
    asking = browser(asker)
    open_first_suggestion(asking, "New bank account")
    form = asking.get("/ask").forms["ask-form"]            # ...then asks anyway
    form["category"], form["title"] = answered["category"].slug, "New bank account, no IBAN field"
    form["body"] = "The payment page has no field for the IBAN."
    form.submit("submit").follow()

    outbox.run_periodic(force=True)
    assert db.session.scalar(db.select(db.func.count(DeflectionDay.day))) == 0   # too early
    clock.travel(timedelta(hours=25))
    outbox.run_periodic(force=True)
    day = db.session.get(DeflectionDay, start.date())
    assert (day.opened, day.sessions, day.deflected) == (3, 3, 2)
    assert db.session.scalar(db.select(db.func.count(SuggestionOpen.id))) == 0
    outbox.run_periodic(force=True)                  # settling again counts nothing twice
    db.session.expire_all()
    assert db.session.get(DeflectionDay, start.date()).deflected == 2

    staff = browser(moderator).get("/search/deflections")
    row = staff.html.select("tbody tr")[0]
    assert [td.get_text() for td in row.select("td")][1:] == ["3", "3", "2"]
    assert browser(reader).get("/search/deflections", status=403)
    assert "/search/deflections" in browser(moderator).get("/").text
    assert "/search/deflections" not in browser(reader).get("/").text


def test_several_opens_while_asking_one_question_are_one_session(browser, make_user, answered):
    session = browser(make_user())
    page = check_similar(session.get("/ask"), "Change of bank account")
    for link in page.html.select(".similar-list a"):
        session.get(link["href"])
    clock.travel(timedelta(hours=25))
    outbox.run_periodic(force=True)
    day = db.session.scalar(db.select(DeflectionDay))
    assert (day.opened, day.sessions, day.deflected) == (2, 1, 1)


def test_opening_a_hidden_thread_from_a_forged_link_is_refused(browser, make_user, answered,
                                                               moderator):
    thread = answered["other"]
    threads.set_post_visibility(moderator, threads.get_post(thread.first_post_id), "hidden")
    db.session.commit()
    browser(make_user()).get(f"/search/open/{thread.id}?draft=abc", status=403)
    assert db.session.scalar(db.select(db.func.count(SuggestionOpen.id))) == 0


def test_a_planted_open_link_records_nothing_for_its_readers(browser, make_user, answered):
    """An image in a post pointing at /search/open/… made every reader's browser record
    a deflection open (a GET with an effect). Only a draft issued to the member counts:
    another member's draft, a made-up one or none records nothing, and the reader still
    gets the thread."""
    attacker, reader = browser(make_user()), browser(make_user())
    planted = check_similar(attacker.get("/ask"), "Change of bank account") \
        .html.select(".similar-list a")[0]["href"]
    thread = answered["solved"]
    for href in (planted, f"/search/open/{thread.id}?draft=abc",
                 f"/search/open/{thread.id}?draft={'0' * 12}-{'0' * 16}",
                 f"/search/open/{thread.id}"):
        assert reader.get(href).status_int == 302
    assert db.session.scalar(db.select(db.func.count(SuggestionOpen.id))) == 0
    # The attacker's own link still counts for the attacker, once per open.
    attacker.get(planted)
    assert db.session.scalar(db.select(db.func.count(SuggestionOpen.id))) == 1
