"""The agent desk: queue, claim and assign, ticket page, official replies, transitions."""
from datetime import timedelta

from sqlalchemy import select

from agent_bridge.services import tickets
from agent_bridge.models import Ticket
from community import clock
from community.services import threads
from community.extensions import db
from community.models import Post, User
from tests.conftest import csrf_token

from .conftest import thread_path


def escalate(thread, priority="normal", reason="moderator"):
    ticket, _ = tickets.open_ticket(thread, reason, priority=priority, source="test")
    db.session.commit()
    return ticket


def reload(ticket):
    db.session.expire_all()
    return db.session.get(Ticket, ticket.id)


def test_queue_sorts_by_due_time_and_filters(app, browser, make_thread, make_category, agent,
                                             customer):
    billing = make_category(name="Billing")
    normal = escalate(make_thread(author=customer, title="Normal question about the bill"))
    urgent = escalate(make_thread(author=customer, title="Urgent question about a cut line",
                                  category=billing), priority="urgent")
    desk = browser(agent)
    page = desk.get("/desk")
    text = page.text
    assert text.index("Urgent question about a cut line") < text.index("Normal question")
    form = page.forms["queue-filters"]
    form["category"] = str(billing.id)
    filtered = form.submit()
    assert "Urgent question" in filtered.text and "Normal question" not in filtered.text
    clock.travel(timedelta(hours=2))
    overdue = desk.get("/desk?view=overdue")
    assert "Urgent question" in overdue.text and "Normal question" not in overdue.text
    assert "Overdue (1)" in overdue.text
    assert "Normal question" in desk.get("/desk?view=unassigned").text
    assert "Nothing to do here." in desk.get("/desk?view=mine").text
    assert normal.id and urgent.id


def test_claim_and_assign(app, browser, make_thread, make_user, agent, customer):
    other = make_user(role="agent", name="Olga Other")
    ticket = escalate(make_thread(author=customer, title="Where is my parcel today?"))
    desk = browser(agent)
    page = desk.get("/desk")
    claim = [f for f in page.forms.values() if f.action.endswith(f"/{ticket.id}/claim")][0]
    page = claim.submit().follow()
    assert f"Ticket #{ticket.id} is yours." in page.text
    assert "Where is my parcel" in desk.get("/desk?view=mine").text
    assert (reload(ticket).assignee_id, reload(ticket).status) == (agent.id, "open")
    # Someone else cannot claim it any more.
    theirs = browser(other).get("/desk")
    assert not [f for f in theirs.forms.values() if f.action.endswith(f"/{ticket.id}/claim")]
    form = browser(agent).get(f"/desk/tickets/{ticket.id}").forms["ticket-form"]
    form["assignee"] = str(other.id)
    page = form.submit("submit").follow()
    assert "Ticket saved." in page.text
    assert reload(ticket).assignee_id == other.id
    assert [e.kind for e in tickets.timeline(reload(ticket))] == ["created", "assigned",
                                                                  "assigned"]


def test_round_robin_assignment_to_the_agent_with_fewest_open_tickets(
        make_app, make_user, make_thread):
    app = make_app(BRIDGE_AUTO_ASSIGN=True)
    with app.app_context():
        from community.services import accounts, categories
        first = accounts.create_user("a1@example.com", "First", "correct horse battery",
                                     role="agent")
        second = accounts.create_user("a2@example.com", "Second", "correct horse battery",
                                      role="agent")
        asker = accounts.create_user("c@example.com", "Carla", "correct horse battery")
        category = categories.create_category("Help")
        db.session.commit()
        assigned = []
        for n in range(4):
            thread = threads.create_thread(asker, category, f"Question number {n} please",
                                           "Details of the question.")
            ticket, _ = tickets.open_ticket(thread, "agent", source="test")
            db.session.commit()
            assigned.append(ticket.assignee_id)
        assert assigned == [first.id, second.id, first.id, second.id]
        tickets.set_status(db.session.get(Ticket, 1), "solved")
        thread = threads.create_thread(asker, category, "Question number five", "Details here.")
        ticket, _ = tickets.open_ticket(thread, "agent", source="test")
        assert ticket.assignee_id == first.id  # now has the fewest open tickets
        db.session.rollback()


def test_ticket_page_shows_thread_history_similar_threads_and_notes(
        app, browser, make_thread, make_reply, make_category, agent, customer):
    category = make_category(name="Router")
    earlier = make_thread(author=customer, category=category,
                          title="Router firmware update fails with error 42")
    threads.accept_answer(customer, make_reply(earlier, body="Unplug it for ten seconds."))
    db.session.commit()
    solved_by_other = make_thread(category=category, title="Firmware update of the router hangs")
    threads.accept_answer(db.session.get(User, solved_by_other.author_id),
                          make_reply(solved_by_other))
    db.session.commit()
    make_thread(category=category, title="Completely unrelated billing question")
    thread = make_thread(author=customer, category=category,
                         title="Router update stops at 80 percent")
    ticket = escalate(thread)
    page = browser(agent).get(f"/desk/tickets/{ticket.id}")
    history = page.html.find(class_="customer-history").text
    assert "Router firmware update fails with error 42" in history and customer.email in history
    similar = page.html.find(class_="similar").text
    assert "Router firmware update fails with error 42" in similar
    assert "Firmware update of the router hangs" in similar
    assert "unrelated" not in similar
    form = page.forms["note-form"]
    form["body"] = "Known issue with batch 7; check the serial number."
    page = form.submit().follow()
    assert "Known issue with batch 7" in page.html.find(id="timeline").text
    assert "Known issue" not in browser(customer).get(thread_path(thread)).text
    assert "Known issue" not in browser().get(thread_path(thread)).text
    empty = page.forms["note-form"]
    empty["body"] = "   "
    assert "This field is required." in empty.submit(status=422).text


def test_canned_replies_with_placeholders_and_preview(app, browser, make_thread, admin, agent,
                                                      customer):
    manage = browser(admin)
    form = manage.get("/desk/admin/canned").forms["canned-form"]
    form["title"] = "Restart"
    form["body"] = "Hello {customer_name}, please restart the box. {agent_name} ({thread_url})"
    assert "Canned reply saved." in form.submit().follow().text
    bad = manage.get("/desk/admin/canned").forms["canned-form"]
    bad["title"], bad["body"] = "Short", "too short"
    page = bad.submit(status=422)
    assert "Please write 10 to 20,000 characters." in page.text
    assert page.forms["canned-form"]["title"].value == "Short"

    thread = make_thread(author=customer)
    ticket = escalate(thread)
    page = browser(agent).get(f"/desk/tickets/{ticket.id}")
    form = page.forms["official-reply-form"]
    form["canned"] = form["canned"].options[1][0]
    page = form.submit("insert")
    body = page.forms["official-reply-form"]["body"].value
    assert body.startswith("Hello Carla Customer, please restart the box. Alex Agent (")
    assert f"/t/{thread.id}-" in body
    page = page.forms["official-reply-form"].submit("preview")
    assert page.html.find(class_="preview").find("p").text.startswith("Hello Carla Customer")
    assert db.session.scalar(select(Post.id).where(Post.is_official.is_(True))) is None


def test_official_reply_confirmed_as_answer_and_edit_marked(app, browser, make_thread, agent,
                                                           customer):
    thread = make_thread(author=customer)
    ticket = escalate(thread)
    desk = browser(agent)
    form = desk.get(f"/desk/tickets/{ticket.id}").forms["official-reply-form"]
    form["body"] = "Your contract ends on 31 March; nothing else to do."
    form["accept"] = True
    form.submit().follow()
    assert (reload(ticket).status, reload(ticket).first_response_at is not None) == (
        "solved", True)
    page = browser().get(thread_path(thread))
    accepted = page.html.find(class_="accepted-answer").text
    assert "Confirmed by the support team" in accepted and "Accepted by" not in accepted
    post = db.session.scalar(select(Post).where(Post.is_official.is_(True)))
    edit = desk.get(f"/p/{post.id}/edit").forms["edit-form"]
    edit["body"] = "Your contract ends on 31 March 2027; nothing else to do."
    edit.submit()
    page = browser().get(thread_path(thread))
    assert "31 March 2027" in page.text and "edited" in page.text
    assert "reply_edited" in [e.kind for e in tickets.timeline(reload(ticket))]


def test_customer_reply_reopens_a_pending_ticket(app, browser, make_thread, agent, customer):
    thread = make_thread(author=customer)
    ticket = escalate(thread)
    form = browser(agent).get(f"/desk/tickets/{ticket.id}").forms["official-reply-form"]
    form["body"] = "Could you tell us which model you have?"
    form.submit().follow()
    assert reload(ticket).status == "pending"
    page = browser(customer).get(thread_path(thread))
    reply = page.forms["reply-form"]
    reply["body"] = "It is the FritzBox 7590 from 2021."
    reply.submit("submit")
    assert reload(ticket).status == "open"
    assert [e.kind for e in tickets.timeline(reload(ticket))][-2:] == ["status",
                                                                     "customer_replied"]


def test_an_agent_answering_in_the_thread_itself_is_the_first_response(
        app, browser, make_thread, agent, customer):
    clock.freeze()
    thread = make_thread(author=customer)
    ticket = escalate(thread)
    clock.travel(timedelta(minutes=30))
    reply = browser(agent).get(thread_path(thread)).forms["reply-form"]
    reply["body"] = "Please restart the router once and tell us if it helps."
    reply.submit("submit").follow()
    ticket = reload(ticket)
    assert ticket.status == "pending"
    assert ticket.first_response_at == ticket.created_at + timedelta(minutes=30)
    page = browser(agent).get(f"/desk/tickets/{ticket.id}")
    assert "An agent replied in the thread" in page.text
    assert "Please restart the router once" in page.text
    # A desk reply afterwards is one timeline entry, not two.
    form = page.forms["official-reply-form"]
    form["body"] = "Did the restart help?"
    form.submit().follow()
    kinds = [e.kind for e in tickets.timeline(reload(ticket))]
    assert kinds.count("staff_replied") == 1 and kinds.count("official_reply") == 1


def test_an_official_reply_can_solve_the_ticket_without_accepting_it(app, browser, make_thread,
                                                                    agent, customer):
    thread = make_thread(author=customer)
    ticket = escalate(thread)
    form = browser(agent).get(f"/desk/tickets/{ticket.id}").forms["official-reply-form"]
    form["body"] = "Your refund was sent today."
    form["after"] = "solved"
    form.submit("submit").follow()
    ticket = reload(ticket)
    assert ticket.status == "solved" and ticket.solved_at is not None
    db.session.expire_all()
    assert db.session.get(type(thread), thread.id).accepted_post_id is None
    page = browser(customer).get(thread_path(thread))
    assert "Your refund was sent today." in page.text


def test_community_solving_first_closes_the_ticket_with_a_note(app, browser, make_thread,
                                                                make_reply, agent, customer):
    thread = make_thread(author=customer)
    ticket = escalate(thread)
    answer = make_reply(thread, body="Switch the APN to internet.telekom, that did it for me.")
    page = browser(customer).get(thread_path(thread))
    [accept] = [f for f in page.forms.values() if f.action.endswith(f"/p/{answer.id}/accept")]
    accept.submit()
    assert reload(ticket).status == "closed"
    timeline = browser(agent).get(f"/desk/tickets/{ticket.id}").html.find(id="timeline").text
    assert "The community solved the thread before the support team answered." in timeline
    assert "Solved by the community" in browser().get(thread_path(thread)).text


def test_status_and_priority_changes_and_bad_values(app, browser, make_thread, agent, customer):
    ticket = escalate(make_thread(author=customer))
    desk = browser(agent)
    form = desk.get(f"/desk/tickets/{ticket.id}").forms["ticket-form"]
    form["status"], form["priority"] = "pending", "high"
    assert "Ticket saved." in form.submit().follow().text
    assert (reload(ticket).status, reload(ticket).priority) == ("pending", "high")
    token = csrf_token(desk, f"/desk/tickets/{ticket.id}")
    page = desk.post(f"/desk/tickets/{ticket.id}/update",
                     {"csrf_token": token, "status": "bogus", "priority": "high"}, status=422)
    assert "Not a valid choice." in page.text


def test_a_closed_thread_refuses_the_official_reply_with_a_clear_error(
        app, browser, make_thread, agent, customer, moderator):
    thread = make_thread(author=customer)
    ticket = escalate(thread)
    threads.set_thread_status(moderator, thread, "closed")
    db.session.commit()
    desk = browser(agent)
    form = desk.get(f"/desk/tickets/{ticket.id}").forms["official-reply-form"]
    form["body"] = "We are looking into this for you."
    response = form.submit(expect_errors=True)
    assert response.status_int == 403
    assert db.session.scalar(select(Post.id).where(Post.is_official.is_(True))) is None


def test_agent_confirms_a_community_answer_from_the_desk(app, browser, make_thread, make_reply,
                                                         agent, customer):
    thread = make_thread(author=customer)
    ticket = escalate(thread)
    answer = make_reply(thread, body="Reset the router with the pin on its back.")
    page = browser(agent).get(f"/desk/tickets/{ticket.id}")
    [confirm] = [f for f in page.forms.values()
                 if f.action.endswith(f"/confirm/{answer.id}")]
    assert "Confirmed as the answer by the support team." in confirm.submit().follow().text
    assert reload(ticket).status == "solved"
    assert [e.kind for e in tickets.timeline(reload(ticket))] == ["created", "confirmed",
                                                                  "status"]
    accepted = browser().get(thread_path(thread)).html.find(class_="accepted-answer").text
    assert "Confirmed by the support team" in accepted
