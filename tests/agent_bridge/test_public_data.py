"""The public-data warning on every form and API call where customers write in public:
asking, replying, editing; the API refuses such text unless the client confirms."""
from sqlalchemy import func, select
from webtest import TestApp

from agent_bridge.services import tickets
from agent_bridge.models import PrivateRequest
from community.extensions import db
from community.models import Post, Thread
from tests.conftest import csrf_token, isolated

from .conftest import bearer, thread_path

IBAN = "DE89 3704 0044 0532 0130 00"


def reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def edit_form(session, post):
    return session.get(f"/p/{post.id}/edit").forms["edit-form"]


def test_editing_a_question_warns_about_title_and_text_and_keeps_them(
        app, browser, make_thread, customer):
    thread = make_thread(author=customer, title="Internet slow since Monday")
    question = db.session.get(Post, thread.first_post_id)
    asker = browser(customer)
    form = edit_form(asker, question)
    form["title"] = "Internet slow, call me on 0170 1234567"
    form["body"] = "Please write to carla@example.com about it."
    warning = form.submit("submit")
    assert "Private data in a public post?" in warning.text
    assert "a phone number" in warning.text and "an e-mail address" in warning.text
    assert reload(thread).title == "Internet slow since Monday"
    assert "carla@example.com" not in reload(question).body

    again = warning.forms["edit-text-form"].submit()  # back to the editor, text kept
    assert again.forms["edit-form"]["title"].value == "Internet slow, call me on 0170 1234567"
    assert again.forms["edit-form"]["body"].value == "Please write to carla@example.com about it."

    warning.forms["post-anyway-form"].submit().follow()
    assert reload(thread).title == "Internet slow, call me on 0170 1234567"
    assert "carla@example.com" in browser().get(thread_path(reload(thread))).text


def test_the_asker_editing_sends_the_details_privately_instead(app, browser, make_thread,
                                                               make_reply, agent, customer):
    thread = make_thread(author=customer)
    reply = make_reply(thread, author=customer, body="The router still restarts at night.")
    asker = browser(customer)
    form = edit_form(asker, reply)
    form["body"] = f"The router still restarts. Refund to {IBAN} please."
    warning = form.submit("submit")
    assert "an IBAN (bank account)" in warning.text
    page = warning.forms["send-privately-form"].submit().follow()
    assert "Sent privately to the support team" in page.text
    assert "DE89" not in browser().get(thread_path(thread)).text
    assert reload(reply).body == "The router still restarts at night."  # edit not saved
    assert db.session.scalar(select(PrivateRequest.answer)) == form["body"].value
    ticket = tickets.ticket_for_thread(thread.id)
    assert IBAN in browser(agent).get(f"/desk/tickets/{ticket.id}").text


def test_editing_in_someone_elses_thread_offers_no_private_sending(app, browser, make_thread,
                                                                    make_reply, make_user):
    helper = make_user(name="Hanna Helper")
    thread = make_thread()
    reply = make_reply(thread, author=helper, body="Restart the router, that helped me.")
    form = edit_form(browser(helper), reply)
    form["body"] = "Restart it, or call the hotline on 0800 3301000."
    warning = form.submit("submit")
    assert "a phone number" in warning.text
    assert "send-privately-form" not in warning.text
    assert reload(reply).body == "Restart the router, that helped me."


def test_who_may_not_edit_gets_the_refusal_not_the_warning(app, browser, make_thread,
                                                           make_user, customer):
    thread = make_thread(author=customer)
    question = db.session.get(Post, thread.first_post_id)
    other = browser(make_user())
    token = csrf_token(other, thread_path(thread))
    page = other.post(f"/p/{question.id}/edit", {"csrf_token": token, "title": thread.title,
                                                 "body": f"My IBAN: {IBAN}"}, status=403)
    assert "Private data in a public post?" not in page.text


def test_staff_writing_official_replies_are_not_warned(app, browser, make_thread, agent,
                                                       customer):
    thread = make_thread(author=customer)
    ticket, _ = tickets.open_ticket(thread, "moderator", source="test")
    db.session.commit()
    desk = browser(agent)
    form = desk.get(f"/desk/tickets/{ticket.id}").forms["official-reply-form"]
    form["body"] = "Please call our hotline on 0800 3301000."
    form.submit().follow()
    post = db.session.scalar(select(Post).where(Post.is_official.is_(True)))
    assert "0800 3301000" in post.body
    edit = edit_form(desk, post)
    edit["body"] = "Please call our hotline on 0800 3301000 or write to help@example.com."
    edit.submit("submit").follow()
    assert "help@example.com" in reload(post).body


# --- API ---------------------------------------------------------------------------

def test_the_api_refuses_a_question_with_private_data_unless_confirmed(app, testapp,
                                                                       make_category, customer):
    category = make_category()
    headers = bearer(customer)
    question = {"category": category.slug, "title": "Call me on +49 170 1234567 please",
                "body": f"The refund should go to {IBAN}, thanks."}
    response = testapp.post_json("/api/v1/threads", question, headers=headers, status=422)
    error = response.json["error"]
    assert error["code"] == "public_data"
    assert set(error["fields"]) == {"title", "body"}
    assert "a phone number" in error["fields"]["title"]
    assert "an IBAN (bank account)" in error["fields"]["body"]
    assert error["kinds"] == ["iban", "phone"]
    assert "public_data_ok" in error["message"]
    assert db.session.scalar(select(func.count(Thread.id))) == 0

    bad = testapp.post_json("/api/v1/threads", {**question, "public_data_ok": "yes"},
                            headers=headers, status=422).json["error"]
    assert (bad["code"], list(bad["fields"])) == ("invalid", ["public_data_ok"])
    created = testapp.post_json("/api/v1/threads", {**question, "public_data_ok": True},
                                headers=headers, status=201).json
    assert created["title"] == question["title"]
    plain = testapp.post_json("/api/v1/threads", {
        "category": category.slug, "title": "Router restarts every night",
        "body": "Since the last update, at 3 am."}, headers=headers, status=201)
    assert plain.json["title"] == "Router restarts every night"


def test_the_api_refuses_a_reply_with_private_data_unless_confirmed(app, testapp, make_thread,
                                                                    customer):
    thread = make_thread()
    headers = bearer(customer)
    path = f"/api/v1/threads/{thread.id}/posts"
    reply = {"body": "Meine Kundennummer ist 4711-0815-42, bitte prüfen."}
    error = testapp.post_json(path, reply, headers=headers, status=422).json["error"]
    assert (error["code"], list(error["fields"])) == ("public_data", ["body"])
    assert "customer_number" in error["kinds"]
    assert db.session.scalar(select(func.count(Post.id))) == 1  # the question only
    # Who may not write gets the usual answer, not the warning.
    testapp.post_json(path, reply, status=401)
    testapp.post_json("/api/v1/threads/999/posts", reply, headers=headers, status=404)
    post = testapp.post_json(path, {**reply, "public_data_ok": True}, headers=headers,
                             status=201).json
    assert "4711-0815-42" in post["body_html"]


def test_the_openapi_document_describes_public_data_ok(make_app):
    def schemas(app):
        return TestApp(isolated(app)).get("/api/v1/openapi.json").json["components"]["schemas"]
    full = schemas(make_app())
    for name in ("NewThread", "NewPost"):
        field = full[name]["properties"]["public_data_ok"]
        assert field["type"] == "boolean" and "`public_data`" in field["description"]
        assert full[name]["additionalProperties"] is False
    core = schemas(make_app(FORUM_FEATURES=("moderation", "search")))
    assert "public_data_ok" not in core["NewThread"]["properties"]
    assert "public_data_ok" not in core["NewPost"]["properties"]
