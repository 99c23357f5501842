"""The one input layer (community/inputs.py): what a database cannot store never
reaches it, and every refusal is a 4xx a person or a client can act on.

Before it, 36 inputs answered 500: NUL characters in titles, bodies, category names,
slugs, the login e-mail, display names and audit filters (PostgreSQL refuses NUL in
text); numbers beyond 64 bits in `page`, `/t/<id>`, `target_id` and `assignee`; a lone
surrogate ("\\ud800", which cannot be encoded); JSON nested 100,000 deep
(RecursionError). On SQLite the numbers fail too ("Python int too large").
"""
import json

import pytest

from community.extensions import db
from community.models import Category, Thread, User
from tests.conftest import PASSWORD, bearer, login

HUGE = 2**70


@pytest.fixture
def auth(make_user):
    return bearer(make_user())


def assert_envelope(response, status, code):
    assert response.status_int == status
    assert response.content_type == "application/json"
    error = response.json["error"]
    assert error["code"] == code and error["message"]
    return error


@pytest.mark.parametrize("field, value, named", [
    ("title", "A title with a \x00 NUL inside", "title"),
    ("body", "A body with a lone surrogate \ud800 in it.", "body"),
    ("body", "Escape codes \x1b[2J clear a terminal.", "body"),
    ("tags", ["fine", "bad\x00tag"], "tags[1]"),
])
def test_the_api_refuses_text_that_cannot_be_stored(testapp, auth, make_category,
                                                    field, value, named):
    category = make_category()
    body = {"category": category.slug, "title": "Router restarts at night",
            "body": "Every night at three the router restarts.", field: value}
    raw = json.dumps(body)  # keeps "\ud800" as an escape, as a client would send it
    response = testapp.post("/api/v1/threads", raw, headers=auth,
                            content_type="application/json", expect_errors=True)
    error = assert_envelope(response, 422, "invalid")
    assert list(error["fields"]) == [named]
    assert db.session.query(Thread).count() == 0


def test_numbers_beyond_64_bits_in_a_body_are_a_422(testapp, auth, make_thread):
    thread = make_thread()
    response = testapp.post_json(f"/api/v1/threads/{thread.id}/posts",
                                 {"body": "A long enough reply.", "extra": HUGE},
                                 headers=auth, expect_errors=True)
    assert assert_envelope(response, 422, "invalid")["fields"] == {
        "extra": "This number is too large."}


def test_json_nested_100000_deep_is_a_400(testapp, auth):
    raw = "[" * 100_000 + "]" * 100_000
    response = testapp.post("/api/v1/threads", raw, headers=auth,
                            content_type="application/json", expect_errors=True)
    assert "nested" in assert_envelope(response, 400, "bad_json")["message"]
    raw = json.dumps({"title": {"a": [[[[[[[[[[]]]]]]]]]]}}).replace("[]", "[" * 70 + "]" * 70)
    response = testapp.post("/api/v1/threads", raw, headers=auth,
                            content_type="application/json", expect_errors=True)
    assert_envelope(response, 400, "bad_json")


def test_a_body_over_the_size_limit_gets_the_json_envelope(testapp, auth):
    response = testapp.post("/api/v1/threads", b'{"body": "' + b"x" * 3_000_000 + b'"}',
                            headers=auth, content_type="application/json", expect_errors=True)
    assert_envelope(response, 413, "too_large")


@pytest.mark.parametrize("number", [2**31, 2**40, 2**63 - 1])
def test_ids_beyond_what_a_column_holds_are_not_found_or_invalid(testapp, auth, number):
    """Ids are 32-bit integer columns on PostgreSQL: 2**31 used to be a 500 there."""
    assert_envelope(testapp.get(f"/api/v1/threads/{number}", expect_errors=True),
                    404, "not_found")
    response = testapp.post_json("/api/v1/threads", {"category": "x", "title": "A title here",
                                                     "body": "A body long enough.",
                                                     "page": number},
                                 headers=auth, expect_errors=True)
    assert assert_envelope(response, 422, "invalid")["fields"] == {
        "page": "This number is too large."}


def test_ids_and_pages_beyond_64_bits_are_not_found(testapp, make_thread):
    thread = make_thread()
    assert_envelope(testapp.get(f"/api/v1/threads/{HUGE}", expect_errors=True), 404, "not_found")
    assert_envelope(testapp.get(f"/api/v1/posts/{HUGE}", expect_errors=True), 404, "not_found")
    assert testapp.get(f"/t/{HUGE}", expect_errors=True).status_int == 404
    assert testapp.get(f"/t/{HUGE}-some-slug", expect_errors=True).status_int == 404
    page = testapp.get(f"/t/{thread.id}-{thread.slug}?page={HUGE}", expect_errors=True)
    assert page.status_int == 404 and "There is no such page." in page.text
    assert_envelope(testapp.get(f"/api/v1/threads?page={HUGE}", expect_errors=True),
                    404, "not_found")
    category = thread.category_id and db.session.get(Category, thread.category_id)
    assert testapp.get(f"/c/{category.slug}?page={HUGE}", expect_errors=True).status_int == 404
    assert testapp.get("/search", {"q": "router", "page": str(HUGE)},
                       expect_errors=True).status_int == 404


def test_a_slug_with_a_nul_is_refused_with_a_page(testapp):
    response = testapp.get("/c/billing%00x", expect_errors=True)
    assert response.status_int == 422
    assert "cannot be used" in response.text


def test_forms_lose_the_nul_but_keep_the_members_text(testapp, make_user, make_category):
    user = make_user()
    category = make_category()
    login(testapp, user)
    form = testapp.get(f"/ask?category={category.slug}").forms["ask-form"]
    form["title"] = "Router\x00 restarts every night"
    form["body"] = "It restarts\x00 at three in the morning, every night."
    thread_page = form.submit().follow()
    thread = db.session.scalars(db.select(Thread)).one()
    assert thread.title == "Router restarts every night"
    assert "It restarts at three in the morning" in thread_page.text


def test_register_and_login_with_a_nul_in_the_fields(testapp):
    form = testapp.get("/register").forms["register-form"]
    form["email"] = "new\x00member@example.com"
    form["name"] = "New\x00 Member"
    form["password"] = PASSWORD
    form.submit().follow()
    user = db.session.scalars(db.select(User)).one()
    assert (user.email, user.name) == ("newmember@example.com", "New Member")
    testapp.reset()  # a new browser
    form = testapp.get("/login").forms["login-form"]
    form["email"] = "newmember@example.com\x00"
    form["password"] = PASSWORD
    assert form.submit().status_int == 302


def test_admin_category_name_with_a_nul(testapp, admin):
    login(testapp, admin)
    form = testapp.get("/mod/categories").forms["new-category-form"]
    form["new-name"] = "Bill\x00ing"
    form["new-description"] = "Invoices\x00 and payments"
    form.submit()
    assert [c.name for c in db.session.scalars(db.select(Category))] == ["Billing"]


def test_audit_filters_with_nul_and_huge_numbers(testapp, moderator):
    login(testapp, moderator)
    page = testapp.get("/mod/audit", {"actor": str(HUGE), "target_id": str(HUGE),
                                      "action": "post.hide\x00"}, expect_errors=True)
    assert page.status_int in (200, 422)
    assert testapp.get("/mod/audit", {"actor": "Mona\x00"}).status_int == 200
    response = testapp.get("/api/v1/mod/audit", {"target_id": str(HUGE)},
                           headers=bearer(moderator), expect_errors=True)
    assert_envelope(response, 422, "invalid")


def test_merge_into_a_thread_number_beyond_64_bits(testapp, moderator, make_thread):
    thread = make_thread()
    response = testapp.post_json(f"/api/v1/mod/threads/{thread.id}/merge",
                                 {"target_id": str(HUGE)}, headers=bearer(moderator),
                                 expect_errors=True)
    assert assert_envelope(response, 422, "invalid")["fields"] == {
        "target": "Enter the number or URL of a thread."}


def test_desk_assignee_beyond_64_bits(testapp, make_user, make_thread):
    from agent_bridge.services import escalation
    agent = make_user(role="agent")
    ticket, _ = escalation.escalate(agent, make_thread(), "", source="desk")
    db.session.commit()
    response = testapp.post_json(f"/api/v1/desk/tickets/{ticket.id}/assign",
                                 {"assignee": HUGE}, headers=bearer(agent), expect_errors=True)
    assert assert_envelope(response, 422, "invalid")["fields"] == {
        "assignee": "This number is too large."}
