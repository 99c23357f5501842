"""First-response due times count business hours where the category's rule does,
and the queue, its overdue filter, the API and the dashboard agree on them."""
from datetime import datetime

import pytest

from community import clock

from .conftest import bearer

# UTC times; business hours are 08:00-18:00 in Europe/Berlin (UTC+1 in winter,
# UTC+2 in summer).
FRIDAY_1730 = datetime(2026, 1, 16, 16, 30)
MONDAY_0830 = "2026-01-19T07:30:00Z"


@pytest.fixture
def hours_category(app, browser, make_category, admin, monkeypatch):
    """A category whose windows count business hours 08:00-18:00 and German holidays."""
    monkeypatch.setitem(app.config, "BRIDGE_BUSINESS_HOURS", "08:00-18:00")
    category = make_category(name="Contracts")
    form = browser(admin).get("/desk/admin/rules").forms[f"rule-form-{category.id}"]
    form[f"rule-{category.id}-business_hours"] = True
    form[f"rule-{category.id}-holidays"] = "de"
    form.submit().follow()
    return category


def tickets_by_thread(desk, headers):
    listed = desk.get("/api/v1/desk/tickets", headers=headers).json["tickets"]
    return {t["thread_id"]: t for t in listed}


def test_an_urgent_ticket_on_friday_evening_is_due_on_monday_morning(
        app, browser, make_thread, make_category, hours_category, agent, customer):
    clock.freeze(datetime(2026, 1, 16, 8, 0))  # Friday 09:00 Berlin, wall-clock category
    plain = make_thread(author=customer, category=make_category(name="Chat"),
                        title="Is there an outage in Hamburg?")
    clock.freeze(FRIDAY_1730)
    urgent = make_thread(author=customer, category=hours_category,
                         title="Is there an outage in Berlin?")
    desk, headers = browser(agent), bearer(agent)
    due = {tid: (t["priority"], t["due_at"]) for tid, t in tickets_by_thread(desk, headers).items()}
    assert due == {plain.id: ("urgent", "2026-01-16T09:00:00Z"),
                   urgent.id: ("urgent", MONDAY_0830)}

    clock.freeze(datetime(2026, 1, 16, 20, 0))  # Friday 21:00: only the wall-clock one is late
    page = desk.get("/desk?view=overdue")
    assert "outage in Hamburg" in page.text and "outage in Berlin" not in page.text
    assert desk.get("/desk/dashboard").html.find(id="overdue-tickets").text.strip() == "1"
    assert not tickets_by_thread(desk, headers)[urgent.id]["overdue"]

    clock.freeze(datetime(2026, 1, 19, 7, 29))  # Monday 08:29 Berlin
    assert "outage in Berlin" not in desk.get("/desk?view=overdue").text
    clock.freeze(datetime(2026, 1, 19, 7, 31))  # Monday 08:31 Berlin
    assert "outage in Berlin" in desk.get("/desk?view=overdue").text
    assert desk.get("/desk/dashboard").html.find(id="overdue-tickets").text.strip() == "2"
    assert tickets_by_thread(desk, headers)[urgent.id]["overdue"]


def test_a_holiday_monday_moves_the_due_time_to_tuesday(app, browser, make_thread,
                                                        hours_category, agent, customer):
    clock.freeze(datetime(2026, 5, 22, 15, 30))  # Friday 17:30 Berlin before Whit Monday
    thread = make_thread(author=customer, category=hours_category,
                         title="Is there an outage in Köln?")
    ticket = tickets_by_thread(browser(agent), bearer(agent))[thread.id]
    assert ticket["due_at"] == "2026-05-26T06:30:00Z"  # Tuesday 08:30 Berlin


def test_the_queue_sorts_by_the_business_hours_due_time(app, browser, make_thread,
                                                        make_category, hours_category, agent,
                                                        customer):
    clock.freeze(FRIDAY_1730)
    urgent = make_thread(author=customer, category=hours_category,
                         title="Is there an outage in Berlin?")
    clock.freeze(datetime(2026, 1, 16, 17, 0))  # half an hour later, a normal ticket
    normal = make_thread(author=customer, category=make_category(name="Chat"),
                         title="Question about the invoice layout")
    desk = browser(agent)
    escalate = desk.post_json(f"/api/v1/threads/{normal.id}/escalate", {},
                              headers=bearer(agent), status=201).json["ticket"]
    assert escalate["due_at"] == "2026-01-17T17:00:00Z"  # 24 h on the clock: Saturday
    text = desk.get("/desk").text
    assert text.index("Question about the invoice layout") < text.index(
        "Is there an outage in Berlin?")
    # A new priority counts from the ticket's start, in its category's hours.
    headers = bearer(agent)
    listed = tickets_by_thread(desk, headers)
    for thread, priority in ((normal, "high"), (urgent, "high")):
        desk.post_json(f"/api/v1/desk/tickets/{listed[thread.id]['id']}/status",
                       {"priority": priority}, headers=headers)
    listed = tickets_by_thread(desk, headers)
    assert listed[normal.id]["due_at"] == "2026-01-16T21:00:00Z"
    assert listed[urgent.id]["due_at"] == "2026-01-19T10:30:00Z"  # Monday 11:30 Berlin
    text = desk.get("/desk").text
    assert text.index("Question about the invoice layout") < text.index(
        "Is there an outage in Berlin?")
