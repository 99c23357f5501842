"""The agent's ticket page: the facts, then the thread and the reply editor, then the
customer's history, similar threads, private details and the timeline; who works on
the ticket, its status and priority in one form of labelled controls; the previous and
next ticket of the queue for j and k; the shortcuts listed for "?"."""
from agent_bridge.models import Ticket
from agent_bridge.services import tickets
from community.extensions import db
from tests.conftest import csrf_token


def escalate(thread, priority="normal"):
    ticket, _ = tickets.open_ticket(thread, "moderator", priority=priority, source="test")
    db.session.commit()
    return ticket


def reload(ticket):
    db.session.expire_all()
    return db.session.get(Ticket, ticket.id)


def test_the_page_reads_facts_thread_then_the_customer(browser, make_thread, agent, customer):
    ticket = escalate(make_thread(author=customer, title="Where is my parcel, please?"))
    page = browser(agent).get(f"/desk/tickets/{ticket.id}")
    layout = page.html.select_one(".ticket-layout")
    parts = [child for child in layout.children if getattr(child, "name", None)]
    assert [p["class"][0] for p in parts] == ["ticket-facts-box", "ticket-main", "ticket-side"]
    facts = parts[0]
    assert facts.name == "details" and facts.has_attr("open")
    assert "New · Normal · unassigned" in facts.summary.get_text(" ", strip=True)
    main = [s["class"][0] for s in parts[1].find_all("section", recursive=False)]
    side = [s["class"][0] for s in parts[2].find_all("section", recursive=False)]
    assert main == ["ticket-thread", "reply-box"]
    assert side == ["customer-history", "similar", "private-details", "timeline"]
    # The "accept" checkbox and its label share one box.
    accept = page.html.find("input", attrs={"name": "accept"})
    box = accept.find_parent(class_="field")
    assert "checkbox" in box["class"] and box.find("label", attrs={"for": accept["id"]})
    assert page.html.select_one("script[src^='/static/desk.js']")
    assert page.html.select_one("dialog#shortcuts kbd")


def test_assignee_status_and_priority_are_one_form_of_labelled_controls(
        browser, make_thread, make_user, agent, customer):
    other = make_user(role="agent", name="Olga Other")
    ticket = escalate(make_thread(author=customer))
    desk = browser(agent)
    page = desk.get(f"/desk/tickets/{ticket.id}")
    assert "assign-form" not in page.forms
    html = page.html.find("form", id="ticket-form")
    for name in ("assignee", "status", "priority"):
        control = html.find(attrs={"name": name})
        assert html.find("label", attrs={"for": control["id"]}), name
    assert [b["name"] for b in html.select("[type=submit]")] == ["claim", "submit"]
    form = page.forms["ticket-form"]
    form["assignee"], form["priority"] = str(other.id), "high"
    page = form.submit("submit").follow()
    assert "Ticket saved." in page.text
    # Assigning opened the ticket: the status the form still showed ("new") is not the
    # agent's change and does not undo it.
    assert (reload(ticket).assignee_id, reload(ticket).priority, reload(ticket).status) == (
        other.id, "high", "open")
    form = page.forms["ticket-form"]
    form["status"] = "pending"
    form.submit("submit")
    assert (reload(ticket).assignee_id, reload(ticket).status) == (other.id, "pending")
    # A client that leaves the assignee out does not unassign the ticket.
    desk.post(f"/desk/tickets/{ticket.id}/update", {"csrf_token": csrf_token(desk),
                                                    "status": "open", "priority": "high"})
    assert (reload(ticket).assignee_id, reload(ticket).status) == (other.id, "open")


def test_assign_to_me_claims_the_ticket(browser, make_thread, make_user, agent, customer):
    ticket = escalate(make_thread(author=customer))
    page = browser(agent).get(f"/desk/tickets/{ticket.id}")
    page = page.forms["ticket-form"].submit("claim").follow()
    assert f"Ticket #{ticket.id} is yours." in page.text
    assert reload(ticket).assignee_id == agent.id
    assert not page.html.select("#ticket-form [name=claim]")  # it is mine already
    theirs = browser(make_user(role="agent")).get(f"/desk/tickets/{ticket.id}")
    page = theirs.forms["ticket-form"].submit("claim").follow()
    assert "Another agent has already claimed this ticket." in page.text
    assert reload(ticket).assignee_id == agent.id


def test_a_bad_value_comes_back_in_the_form_with_its_summary(browser, make_thread, agent,
                                                              customer):
    ticket = escalate(make_thread(author=customer))
    desk = browser(agent)
    page = desk.post(f"/desk/tickets/{ticket.id}/update",
                     {"csrf_token": csrf_token(desk), "status": "bogus", "priority": "high"},
                     status=422)
    facts = page.html.select_one("details.ticket-facts-box")
    assert facts.has_attr("open")
    summary = facts.select_one("#ticket-form [role=alert]")
    assert summary.find("a", href="#status")
    assert page.forms["ticket-form"].action.endswith("#ticket-form")


def test_previous_and_next_ticket_of_the_queue(browser, make_thread, agent, customer):
    urgent = escalate(make_thread(author=customer), priority="urgent")
    normal = escalate(make_thread(author=customer))
    low = escalate(make_thread(author=customer), priority="low")
    desk = browser(agent)

    def steps(ticket):
        page = desk.get(f"/desk/tickets/{ticket.id}")
        return ({a["data-shortcut"]: a["href"] for a in page.html.select(".ticket-steps a")})

    assert steps(urgent) == {"j": f"/desk/tickets/{normal.id}"}
    assert steps(normal) == {"k": f"/desk/tickets/{urgent.id}", "j": f"/desk/tickets/{low.id}"}
    assert steps(low) == {"k": f"/desk/tickets/{normal.id}"}
    tickets.set_status(normal, "solved")
    db.session.commit()
    assert steps(normal) == {}
    assert steps(urgent) == {"j": f"/desk/tickets/{low.id}"}


def test_the_queue_marks_what_the_keys_act_on(browser, make_thread, agent, customer):
    escalate(make_thread(author=customer))
    page = browser(agent).get("/desk")
    row = page.html.select_one("[data-ticket-list] > li")
    assert row.select_one("a.thread-title") and row.select_one("[data-shortcut=a]")


def test_after_an_official_reply_the_editor_draft_is_cleared(browser, make_thread, agent,
                                                              customer):
    ticket = escalate(make_thread(author=customer))
    desk = browser(agent)
    form = desk.get(f"/desk/tickets/{ticket.id}").forms["official-reply-form"]
    assert "data-draft" in desk.get(f"/desk/tickets/{ticket.id}").html.find(
        "form", id="official-reply-form").attrs
    form["body"] = "We have sent a technician; he will be there on Monday morning."
    page = form.submit("submit").follow()
    marker = page.html.select_one("[data-draft-posted]")
    assert marker["data-draft-posted"] == f"/desk/tickets/{ticket.id}/reply"
    assert not desk.get(f"/desk/tickets/{ticket.id}").html.select("[data-draft-posted]")
