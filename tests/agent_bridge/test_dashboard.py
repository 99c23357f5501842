"""The service dashboard: figures from the append-only facts, over 7 and 30 days."""
from datetime import timedelta

from sqlalchemy import text

from agent_bridge.services import tickets
from community import clock
from community.services import threads
from community.extensions import db


def figure(page, name):
    return page.html.find(id=name).text.strip()


def test_figures_medians_shares_and_windows(app, browser, make_thread, make_reply, agent,
                                            customer, moderator, admin):
    # Twenty days ago: a thread the community solved after 2 hours.
    clock.travel(timedelta(days=-20))
    old = make_thread(author=customer)
    clock.travel(timedelta(hours=2))
    threads.accept_answer(customer, make_reply(old))
    db.session.commit()
    clock.travel(timedelta(days=20, hours=-2))
    # Today: a ticket answered by an agent after 30 minutes and solved.
    thread = make_thread(author=customer)
    ticket, _ = tickets.open_ticket(thread, "moderator", source="test")
    db.session.commit()
    clock.travel(timedelta(minutes=30))
    tickets.post_official_reply(ticket, "This is the official answer to it.", agent, accept=True)
    db.session.commit()
    # A second ticket, still open and overdue.
    late, _ = tickets.open_ticket(make_thread(author=customer), "agent", priority="urgent",
                                  source="test")
    db.session.commit()
    clock.travel(timedelta(hours=2))

    page = browser(agent).get("/desk/dashboard")
    assert figure(page, "open-tickets") == "1"
    assert figure(page, "overdue-tickets") == "1"
    assert figure(page, "escalations") == "2"
    assert figure(page, "solved-agent") == "1"
    assert figure(page, "solved-community") == "0 (0 %)"
    assert figure(page, "ticket-first-response") == "30 minutes"
    assert figure(page, "first-response-staff") == "30 minutes"
    month = browser(admin).get("/desk/dashboard?days=30")
    assert figure(month, "solved-community") == "1 (50 %)"
    assert figure(month, "first-response-community") == "2 hours"
    assert month.text.count("<rect") >= 30 * 4
    assert late.id


def test_past_figures_do_not_change_after_moderation(app, browser, make_thread, make_reply,
                                                     customer, moderator, agent):
    thread = make_thread(author=customer)
    answer = make_reply(thread)
    threads.accept_answer(customer, answer)
    db.session.commit()
    assert figure(browser(agent).get("/desk/dashboard"), "solved-community") == "1 (100 %)"
    threads.set_post_visibility(moderator, answer, "hidden")
    db.session.commit()
    assert not thread.is_solved
    assert figure(browser(agent).get("/desk/dashboard"), "solved-community") == "1 (100 %)"


def test_deflections_come_from_the_search_features_counts(app, browser, agent):
    today = clock.now().date()
    db.session.execute(text("INSERT INTO search_deflection_days (day, opened, sessions, "
                            "deflected) VALUES (:day, 5, 4, 3)"), {"day": today})
    db.session.execute(text("INSERT INTO search_deflection_days (day, opened, sessions, "
                            "deflected) VALUES (:day, 9, 9, 9)"),
                       {"day": today - timedelta(days=40)})
    db.session.commit()
    page = browser(agent).get("/desk/dashboard")
    assert figure(page, "deflections") == "3"
    assert "Deflections per day" in page.text
