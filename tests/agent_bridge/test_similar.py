"""Similar solved threads on the ticket page: from search when it is loaded (stems,
the question's text), from the bridge's own title-word query when it is not."""
from webtest import TestApp

from agent_bridge.services import tickets
from community import outbox
from community.services import accounts, categories, threads
from community.extensions import db
from tests.conftest import PASSWORD, isolated, login


def solved(make_thread, make_reply, author, category, title, body):
    thread = make_thread(author=author, category=category, title=title, body=body)
    threads.accept_answer(author, make_reply(thread, body="Here is how it worked for me."))
    db.session.commit()
    return thread


def similar_titles(page):
    return [a.get_text() for a in page.html.find(class_="similar").find_all("a")]


def test_with_search_the_ticket_page_finds_threads_alike_in_meaning(
        app, browser, make_thread, make_reply, make_category, make_user, agent, customer):
    contracts, other = make_category(name="Contracts"), make_category(name="Mobile")
    asker = make_user()
    stem = solved(make_thread, make_reply, asker, contracts,  # no title word in common
                  "Kündigung des Vertrags bestätigt?", "Seit Wochen keine Antwort erhalten.")
    in_body = solved(make_thread, make_reply, asker, other,
                     "Frage zum Laufzeitende", "Ich möchte meinen Handyvertrag kündigen, wie?")
    make_thread(author=asker, category=contracts, title="Kündigung per Fax möglich?",
                body="Noch offen, nicht gelöst.")  # similar, but not solved
    solved(make_thread, make_reply, asker, contracts, "Router blinkt rot nach Update",
           "Die Lampe blinkt seit gestern.")      # solved, but about something else
    thread = make_thread(author=customer, category=contracts,
                         title="Wie kann ich meinen Vertrag kündigen?",
                         body="Ich ziehe ins Ausland und möchte kündigen.")
    outbox.drain()  # the worker indexes the threads
    ticket = tickets.ticket_for_thread(thread.id)  # urgent term: a ticket at once

    titles = similar_titles(browser(agent).get(f"/desk/tickets/{ticket.id}"))
    assert set(titles) == {stem.title, in_body.title}
    assert thread.title not in titles


def test_with_search_but_no_index_yet_the_title_words_still_help(
        app, browser, make_thread, make_reply, make_category, make_user, agent, customer):
    category = make_category(name="Router")
    earlier = solved(make_thread, make_reply, make_user(), category,
                     "Router firmware update fails", "Stops at 80 percent.")
    thread = make_thread(author=customer, category=category, title="Router update stops")
    ticket, _ = tickets.open_ticket(thread, "moderator", source="test")
    db.session.commit()
    assert similar_titles(browser(agent).get(f"/desk/tickets/{ticket.id}")) == [earlier.title]


def test_without_search_the_desk_falls_back_to_title_words(make_app):
    app = make_app(FORUM_FEATURES=("moderation", "agent_bridge"))
    with app.app_context():
        agent = accounts.create_user("agent@example.com", "Alex", PASSWORD, role="agent")
        asker = accounts.create_user("asker@example.com", "Carla", PASSWORD)
        category = categories.create_category("Contracts")
        earlier = threads.create_thread(asker, category, "Vertrag wegen Umzug kündigen",
                                        "Wie bekomme ich eine Bestätigung?")
        answer = threads.reply(agent, earlier, "Die Bestätigung kommt per Post.")
        threads.accept_answer(asker, answer)
        stemmed = threads.create_thread(asker, category, "Kündigung des Vertrags bestätigt?",
                                        "Ich wollte kündigen, keine Antwort.")
        threads.accept_answer(asker, threads.reply(agent, stemmed, "Wir prüfen das gern."))
        thread = threads.create_thread(asker, category, "Vertrag zum Monatsende kündigen",
                                       "Geht das noch diesen Monat?")
        db.session.commit()
        ticket = tickets.ticket_for_thread(thread.id)
        desk = TestApp(isolated(app), extra_environ={"HTTP_HOST": "localhost"})
        login(desk, agent)
        titles = similar_titles(desk.get(f"/desk/tickets/{ticket.id}"))
        # Title words only: neither stems ("Kündigung") nor the question's text count.
        assert titles == [earlier.title]
