"""Private details never reach public places; public posts with such data are warned about."""
import json

from sqlalchemy import select

from agent_bridge.services import tickets
from agent_bridge.models import PrivateRequest, Ticket
from agent_bridge.services.privacy import public_data
from community.extensions import db
from community.models import MailMessage, Post

from .conftest import bearer, thread_path

SECRET = "Vertragsnummer 88-4471-2093"


def escalate(thread):
    ticket, _ = tickets.open_ticket(thread, "moderator", source="test")
    db.session.commit()
    return ticket


def test_private_request_and_answer_reach_agents_only(app, browser, make_thread, make_category,
                                                      agent, customer, moderator):
    thread = make_thread(author=customer)
    ticket = escalate(thread)
    desk = browser(agent)
    form = desk.get(f"/desk/tickets/{ticket.id}").forms["private-request-form"]
    form["message"] = "Please send us your contract number so we can check the tariff."
    page = form.submit().follow()
    assert "The customer was asked for the details privately." in page.text
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).status == "pending"

    asker = browser(customer)
    notifications = asker.get("/notifications")
    assert "The support team has a request for you" in notifications.text
    page = asker.get(thread_path(thread))
    answer_page = page.click("Answer privately")
    assert "Please send us your contract number" in answer_page.text
    form = answer_page.forms["private-answer-form"]
    form["answer"] = ""
    page = form.submit(status=422)
    assert "This field is required." in page.text
    form = page.forms["private-answer-form"]
    form["answer"] = SECRET
    page = form.submit().follow()
    assert "Sent privately to the support team." in page.text
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).status == "open"

    assert SECRET in desk.get(f"/desk/tickets/{ticket.id}").text
    assert SECRET in desk.get(f"/api/v1/desk/tickets/{ticket.id}",
                              headers=bearer(agent)).text
    for viewer in (browser(), asker, browser(moderator)):
        assert SECRET not in viewer.get(thread_path(thread)).text
    anon = browser()
    assert SECRET not in anon.get(f"/api/v1/threads/{thread.id}").text
    assert SECRET not in anon.get("/").text
    assert not any(SECRET in m.raw for m in db.session.scalars(select(MailMessage)))
    # Another member cannot open the request, and the asker cannot answer twice.
    other = browser(moderator)
    other.get(answer_page.request.path, status=404)
    assert "You answered privately" in asker.get(answer_page.request.path).text


def test_public_data_patterns():
    assert public_data("IBAN DE89 3704 0044 0532 0130 00") == ["iban"]
    assert public_data("call me: +49 170 1234567") == ["phone"]
    assert public_data("write to carla@example.com") == ["email"]
    assert "customer_number" in public_data("Kundennummer: 1234567")
    assert public_data("Router 7590, firmware 7.57 from 2024-03-01, 12,99 EUR") == []
    assert public_data("IBAN DE00 3704 0044 0532 0130 00") == []  # wrong checksum


def test_the_reply_form_warns_and_offers_to_send_privately(app, browser, make_thread, agent,
                                                          customer):
    thread = make_thread(author=customer)
    asker = browser(customer)
    form = asker.get(thread_path(thread)).forms["reply-form"]
    form["body"] = "My IBAN is DE89 3704 0044 0532 0130 00, please refund."
    warning = form.submit("submit")
    assert "Private data in a public post?" in warning.text
    assert "an IBAN (bank account)" in warning.text
    assert db.session.scalar(select(Post).where(Post.number == 2)) is None
    page = warning.forms["send-privately-form"].submit().follow()
    assert "Sent privately to the support team" in page.text
    assert "DE89" not in page.text
    assert "Passed to the support team" in page.text
    ticket = db.session.scalar(select(Ticket).where(Ticket.thread_id == thread.id))
    assert db.session.scalar(select(PrivateRequest.answer)) == \
        "My IBAN is DE89 3704 0044 0532 0130 00, please refund."
    assert "DE89 3704" in browser(agent).get(f"/desk/tickets/{ticket.id}").text


def test_post_anyway_and_edit_keep_the_text(app, browser, make_thread, make_category, customer):
    thread = make_thread()
    member = browser(customer)
    form = member.get(thread_path(thread)).forms["reply-form"]
    form["body"] = "Just call the hotline on 0800 3301000, they helped me."
    warning = form.submit("submit")
    assert "send-privately-form" not in warning.text  # not the asker: nothing to send
    edit = warning.forms["edit-text-form"].submit()
    assert edit.forms["reply-form"]["body"].value == form["body"].value
    warning.forms["post-anyway-form"].submit().follow()
    assert "0800 3301000" in browser().get(thread_path(thread)).text

    category = make_category(name="Contracts")
    ask = member.get("/ask").forms["ask-form"]
    ask["category"], ask["title"] = category.slug, "Change of address for my contract"
    ask["body"] = "My new e-mail address is carla@example.com, please update it."
    warning = ask.submit("submit")
    assert "an e-mail address" in warning.text
    page = warning.forms["post-anyway-form"].submit().follow()
    assert "carla@example.com" in page.text


def test_payload_to_connectors_carries_the_private_detail(app, browser, make_thread, customer):
    from agent_bridge.events import ticket_event
    received = []

    def listener(sender, ticket, event, data, event_id, **_):
        received.append((event, json.dumps(data)))
    ticket_event.connect(listener, sender=app)
    try:
        thread = make_thread(author=customer)
        escalate(thread)
        form = browser(customer).get(thread_path(thread)).forms["reply-form"]
        form["body"] = "Meine Kundennummer ist 4711-0815-42, bitte prüfen."
        form.submit("submit").forms["send-privately-form"].submit()
    finally:
        ticket_event.disconnect(listener, sender=app)
    assert [e for e, _ in received] == ["created", "private_detail"]
    assert "4711-0815-42" in received[-1][1]
