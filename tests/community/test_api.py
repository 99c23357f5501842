"""JSON API v1 of the core, as an integrator's client uses it: bearer tokens, JSON in and
out, the same rules as the pages, and every error as ``{"error": {code, message, fields}}``."""
import re
import pytest
from sqlalchemy import func, select

from community import hooks
from community.services import accounts, listing, threads
from community.errors import RateLimited
from community.extensions import db
from community.models import Post, Thread

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
THREAD_FIELDS = {"id", "title", "slug", "url", "category", "status", "visibility",
                 "accepted_post_id", "reply_count", "helpful_count", "tags", "author",
                 "created_at", "last_activity_at"}
POST_FIELDS = {"id", "thread_id", "number", "url", "author", "body_html", "visibility",
               "helpful_count", "is_official", "created_at", "edited_at"}


@pytest.fixture
def token(app):
    """``token(user)`` -> the Authorization header of a new API token of ``user``."""
    def factory(user):
        _, plaintext = accounts.create_token(user, "test")
        db.session.commit()
        return {"Authorization": f"Bearer {plaintext}"}
    return factory


@pytest.fixture
def moderator(make_user):
    return make_user(role="moderator", name="Mona Moderator")


def assert_error(response, status, code, fields=None):
    """The one error shape, with nothing else in it (no traceback, no HTML)."""
    assert response.status_int == status
    assert response.content_type == "application/json"
    error = response.json["error"]
    assert set(response.json) == {"error"}
    assert set(error) == {"code", "message", "fields"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    if fields is not None:
        assert set(error["fields"]) == set(fields)
    assert "Traceback" not in response.text
    return error


def hide(post, visibility="hidden"):
    staff = accounts.create_user(f"staff{post.id}-{visibility}@example.com", "Staff Member", None,
                                 role="moderator")
    threads.set_post_visibility(staff, post, visibility)
    db.session.commit()


# --- Categories ----------------------------------------------------------------------------------

def test_categories_are_listed_with_public_fields(testapp, make_category):
    make_category("Billing", "Invoices and payments")
    make_category("Internet & TV")
    response = testapp.get("/api/v1/categories")
    assert response.content_type == "application/json"
    assert response.json == {"categories": [
        {"id": 1, "slug": "billing", "name": "Billing", "description": "Invoices and payments"},
        {"id": 2, "slug": "internet-tv", "name": "Internet & TV",
         "description": "Questions and answers"}]}


# --- Listing threads -----------------------------------------------------------------------------

def test_thread_list_has_every_field_and_nothing_private(testapp, make_user, make_category,
                                                        make_thread, make_reply):
    asker = make_user(name="Anna Asker", email="anna.private@example.com")
    category = make_category("Billing")
    thread = make_thread(asker, category, title="Why was I charged twice?", tags=["invoice"])
    make_reply(thread)
    response = testapp.get("/api/v1/threads")
    assert (response.json["page"], response.json["pages"], response.json["total"]) == (1, 1, 1)
    [item] = response.json["threads"]
    assert set(item) == THREAD_FIELDS
    assert item["id"] == thread.id
    assert item["title"] == "Why was I charged twice?"
    assert item["slug"] == "why-was-i-charged-twice"
    assert item["url"] == f"http://localhost/t/{thread.id}-why-was-i-charged-twice"
    assert item["category"] == {"slug": "billing", "name": "Billing"}
    assert (item["status"], item["visibility"], item["accepted_post_id"]) == ("open", "visible",
                                                                               None)
    assert (item["reply_count"], item["helpful_count"], item["tags"]) == (1, 0, ["invoice"])
    assert item["author"] == {"id": asker.id, "name": "Anna Asker", "role": "customer"}
    assert ISO_UTC.match(item["created_at"]) and ISO_UTC.match(item["last_activity_at"])
    assert "@example.com" not in response.text
    assert "anna.private" not in response.text


def test_thread_list_by_category_filter_and_page(app, testapp, make_user, make_category,
                                                 make_thread, make_reply):
    billing, other = make_category("Billing"), make_category("Other")
    asker = make_user()
    unanswered = make_thread(category=billing)
    answered = make_thread(asker, billing)
    solved = make_thread(asker, billing)
    make_reply(answered)
    threads.accept_answer(asker, make_reply(solved))
    db.session.commit()
    make_thread(category=other)

    def ids(**params):
        return {t["id"] for t in testapp.get("/api/v1/threads", params).json["threads"]}

    assert len(ids()) == 4
    assert ids(category="billing") == {unanswered.id, answered.id, solved.id}
    assert ids(category="billing", filter="all") == {unanswered.id, answered.id, solved.id}
    assert ids(category="billing", filter="unanswered") == {unanswered.id}
    assert ids(category="billing", filter="unsolved") == {unanswered.id, answered.id}
    assert ids(category="billing", filter="solved") == {solved.id}
    [item] = testapp.get("/api/v1/threads", {"filter": "solved"}).json["threads"]
    assert item["status"] == "solved" and item["accepted_post_id"] == solved.accepted_post_id

    app.config["THREADS_PER_PAGE"] = 3
    first = testapp.get("/api/v1/threads").json
    second = testapp.get("/api/v1/threads", {"page": 2}).json
    assert (first["page"], first["pages"], first["total"], len(first["threads"])) == (1, 2, 4, 3)
    assert (second["page"], second["pages"], second["total"], len(second["threads"])) == (2, 2, 4,
                                                                                          1)
    assert testapp.get("/api/v1/threads", {"page": 3}).json["threads"] == []


def test_thread_list_errors_name_the_parameter(testapp, make_category):
    make_category("Billing")
    assert_error(testapp.get("/api/v1/threads", {"category": "nope"}, status=404),
                 404, "not_found", {"category"})
    assert_error(testapp.get("/api/v1/threads", {"filter": "mine"}, status=422),
                 422, "invalid", {"filter"})
    for page in ("x", "0", "-1"):
        assert_error(testapp.get("/api/v1/threads", {"page": page}, status=422),
                     422, "invalid", {"page"})


def test_thread_list_leaves_out_hidden_and_pending_threads(testapp, token, make_user,
                                                           make_thread, moderator):
    shown = make_thread()
    hidden = make_thread()
    asker = make_user()
    waiting = make_thread(asker)
    hide(db.session.get(Post, hidden.first_post_id))
    hide(db.session.get(Post, waiting.first_post_id), "pending")
    for headers in ({}, token(asker), token(moderator)):
        listed = testapp.get("/api/v1/threads", headers=headers).json
        assert [t["id"] for t in listed["threads"]] == [shown.id]
        assert listed["total"] == 1


def test_thread_list_queries_do_not_grow_with_threads(testapp, make_thread, make_reply,
                                                      count_queries):
    def queries():
        with count_queries() as q:
            testapp.get("/api/v1/threads")
        return q.count

    for _ in range(2):
        make_reply(make_thread(tags=["one", "two"]))
    few = queries()
    for _ in range(4):
        make_reply(make_thread(tags=["three"]))
    assert queries() == few


# --- Reading one thread --------------------------------------------------------------------------

def test_thread_has_its_question_first_then_the_replies(testapp, make_user, make_thread,
                                                        make_reply):
    asker = make_user(name="Anna Asker", email="anna.private@example.com")
    agent = make_user(role="agent", name="Sam Support", staff_title="Billing team")
    thread = make_thread(asker, title="Why was I charged twice?", body="It says **twice** here.")
    first = make_reply(thread)
    official = threads.reply(agent, thread, "We refunded the second charge.", is_official=True)
    db.session.commit()
    response = testapp.get(f"/api/v1/threads/{thread.id}")
    data = response.json
    assert set(data) == THREAD_FIELDS | {"posts", "accepted_post", "page", "pages",
                                         "total_replies"}
    assert (data["id"], data["status"], data["accepted_post_id"]) == (thread.id, "open", None)
    assert (data["page"], data["pages"], data["total_replies"], data["reply_count"]) == (1, 1, 2, 2)
    assert data["author"] == {"id": asker.id, "name": "Anna Asker", "role": "customer"}
    assert [p["number"] for p in data["posts"]] == [1, 2, 3]
    question, reply, answer = data["posts"]
    assert all(set(p) == POST_FIELDS for p in data["posts"])
    assert question["id"] == thread.first_post_id
    assert question["body_html"] == "<p>It says <strong>twice</strong> here.</p>\n"
    assert question["author"] == {"id": asker.id, "name": "Anna Asker", "role": "customer",
                                  "staff_title": None}
    assert reply["id"] == first.id and reply["is_official"] is False
    assert answer["id"] == official.id and answer["is_official"] is True
    assert answer["author"] == {"id": agent.id, "name": "Sam Support", "role": "agent",
                                "staff_title": "Billing team"}
    assert answer["url"] == f"http://localhost/p/{official.id}"
    assert ISO_UTC.match(answer["created_at"]) and answer["edited_at"] is None
    assert data["accepted_post"] is None
    assert "@example.com" not in response.text


def test_thread_shows_edits_and_the_accepted_answer(testapp, make_user, make_thread, make_reply):
    asker = make_user()
    thread = make_thread(asker)
    answer = make_reply(thread)
    threads.accept_answer(asker, answer)
    threads.edit_post(asker, db.session.get(Post, thread.first_post_id), "Edited: what happened?")
    db.session.commit()
    data = testapp.get(f"/api/v1/threads/{thread.id}").json
    assert (data["status"], data["accepted_post_id"]) == ("solved", answer.id)
    assert data["accepted_post"]["id"] == answer.id
    assert ISO_UTC.match(data["posts"][0]["edited_at"])


def test_thread_replies_are_paginated_and_the_question_is_always_there(app, testapp, make_thread,
                                                                        make_reply):
    app.config["POSTS_PER_PAGE"] = 2
    thread = make_thread()
    replies = [make_reply(thread) for _ in range(3)]
    first = testapp.get(f"/api/v1/threads/{thread.id}").json
    second = testapp.get(f"/api/v1/threads/{thread.id}", {"page": 2}).json
    assert [p["id"] for p in first["posts"]] == [thread.first_post_id, replies[0].id,
                                                 replies[1].id]
    assert [p["id"] for p in second["posts"]] == [thread.first_post_id, replies[2].id]
    assert (second["page"], second["pages"], second["total_replies"]) == (2, 2, 3)
    assert_error(testapp.get(f"/api/v1/threads/{thread.id}", {"page": 3}, status=404),
                 404, "not_found")
    assert_error(testapp.get(f"/api/v1/threads/{thread.id}", {"page": "two"}, status=422),
                 422, "invalid", {"page"})


def test_unknown_thread_is_404(testapp):
    assert_error(testapp.get("/api/v1/threads/999", status=404), 404, "not_found")


def test_hidden_and_pending_posts_are_shown_only_to_who_may_see_them(
        testapp, token, make_user, make_thread, make_reply, moderator):
    thread = make_thread()
    visible = make_reply(thread)
    hidden = make_reply(thread, body="Hidden text of a reply.")
    writer = make_user()
    pending = make_reply(thread, author=writer, body="Pending text of a reply.")
    hide(hidden)
    hide(pending, "pending")

    def seen(headers):
        response = testapp.get(f"/api/v1/threads/{thread.id}", headers=headers)
        return [p["id"] for p in response.json["posts"]], response

    ids, response = seen({})
    assert ids == [thread.first_post_id, visible.id]
    assert "Hidden text" not in response.text and "Pending text" not in response.text
    assert seen(token(make_user()))[0] == [thread.first_post_id, visible.id]
    ids, response = seen(token(writer))
    assert ids == [thread.first_post_id, visible.id, pending.id]
    assert response.json["posts"][2]["visibility"] == "pending"
    assert seen(token(moderator))[0] == [thread.first_post_id, visible.id, hidden.id, pending.id]

    assert_error(testapp.get(f"/api/v1/posts/{hidden.id}", status=404), 404, "not_found")
    assert_error(testapp.get(f"/api/v1/posts/{pending.id}", headers=token(make_user()),
                             status=404), 404, "not_found")
    assert testapp.get(f"/api/v1/posts/{pending.id}", headers=token(writer)).json["id"] == \
        pending.id
    assert testapp.get(f"/api/v1/posts/{hidden.id}", headers=token(moderator)).json[
        "visibility"] == "hidden"


def test_hidden_or_pending_thread_is_404_for_those_who_may_not_see_it(
        testapp, token, make_user, make_thread, moderator):
    asker = make_user()
    waiting = make_thread(asker)
    hidden = make_thread(asker)
    hide(db.session.get(Post, waiting.first_post_id), "pending")
    hide(db.session.get(Post, hidden.first_post_id))
    for headers in ({}, token(make_user())):
        for thread in (waiting, hidden):
            assert_error(testapp.get(f"/api/v1/threads/{thread.id}", headers=headers,
                                     status=404), 404, "not_found")
            assert_error(testapp.get(f"/api/v1/posts/{thread.first_post_id}", headers=headers,
                                     status=404), 404, "not_found")
    mine = testapp.get(f"/api/v1/threads/{waiting.id}", headers=token(asker)).json
    assert (mine["visibility"], mine["posts"][0]["visibility"]) == ("pending", "pending")
    assert_error(testapp.get(f"/api/v1/threads/{hidden.id}", headers=token(asker), status=404),
                 404, "not_found")
    assert testapp.get(f"/api/v1/threads/{hidden.id}", headers=token(moderator)).json[
        "visibility"] == "hidden"


def test_get_one_post(testapp, make_thread, make_reply):
    thread = make_thread()
    reply = make_reply(thread)
    data = testapp.get(f"/api/v1/posts/{reply.id}").json
    assert set(data) == POST_FIELDS
    assert (data["id"], data["thread_id"], data["number"]) == (reply.id, thread.id, 2)
    assert_error(testapp.get("/api/v1/posts/999", status=404), 404, "not_found")


# --- Asking --------------------------------------------------------------------------------------

def test_ask_a_question(testapp, token, make_user, make_category):
    make_category("Billing")
    asker = make_user(name="Anna Asker")
    response = testapp.post_json("/api/v1/threads", {
        "category": "billing", "title": "Why was I charged twice?",
        "body": "My invoice shows the same amount **twice**.", "tags": ["Invoice", "refund"]},
        headers=token(asker), status=201)
    data = response.json
    assert response.headers["Location"] == f"http://localhost/api/v1/threads/{data['id']}"
    assert set(data) == THREAD_FIELDS | {"posts", "accepted_post", "page", "pages",
                                         "total_replies"}
    assert (data["title"], data["status"], data["tags"]) == ("Why was I charged twice?", "open",
                                                             ["invoice", "refund"])
    assert data["author"]["id"] == asker.id and data["category"]["slug"] == "billing"
    [question] = data["posts"]
    assert question["body_html"] == \
        "<p>My invoice shows the same amount <strong>twice</strong>.</p>\n"
    # Committed: another request (its own session) finds it.
    again = testapp.get(response.headers["Location"]).json
    assert again["id"] == data["id"] and again["posts"][0]["id"] == question["id"]
    db.session.expire_all()
    assert db.session.get(Thread, data["id"]).author_id == asker.id


def test_markup_in_titles_and_bodies_comes_back_as_text_and_safe_html(testapp, token, make_user,
                                                                     make_category):
    make_category("Billing")
    response = testapp.post_json("/api/v1/threads", {
        "category": "billing", "title": "<script>alert(1)</script> in my invoice",
        "body": "Look: <script>alert(2)</script> <img src=x onerror=alert(3)> "
                "[click](javascript:alert(4))"},
        headers=token(make_user()), status=201)
    assert response.content_type == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    data = response.json
    assert data["title"] == "<script>alert(1)</script> in my invoice"
    assert '"title":"<script>alert(1)</script> in my invoice"' in response.text.replace(": ", ":")
    html = data["posts"][0]["body_html"]
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html  # shown as text, never run
    listed = testapp.get("/api/v1/threads").json["threads"][0]
    assert listed["title"] == "<script>alert(1)</script> in my invoice"


def test_ask_needs_a_valid_token(testapp, token, make_user, make_category):
    make_category("Billing")
    body = {"category": "billing", "title": "Why was I charged twice?",
            "body": "My invoice shows it twice."}
    assert_error(testapp.post_json("/api/v1/threads", body, status=401), 401, "unauthorized")
    for header in ("Bearer cc_unknown", "Basic dXNlcjpwYXNz", "Bearer"):
        assert_error(testapp.post_json("/api/v1/threads", body, status=401,
                                       headers={"Authorization": header}), 401, "unauthorized")
    user = make_user()
    row, plaintext = accounts.create_token(user, "test")
    db.session.commit()
    accounts.revoke_token(user, row.id)
    db.session.commit()
    assert_error(testapp.post_json("/api/v1/threads", body, status=401,
                                   headers={"Authorization": f"Bearer {plaintext}"}),
                 401, "unauthorized")
    # A bad token is refused on reads too (it is never silently treated as anonymous).
    assert_error(testapp.get("/api/v1/threads", status=401,
                             headers={"Authorization": f"Bearer {plaintext}"}),
                 401, "unauthorized")
    assert db.session.scalar(select(Thread.id)) is None


def test_ask_with_a_bad_body(testapp, token, make_user, make_category):
    make_category("Billing")
    auth = token(make_user())
    assert_error(testapp.post("/api/v1/threads", "not json", headers=auth, status=400,
                              content_type="application/json"), 400, "bad_json")
    assert_error(testapp.post("/api/v1/threads", {"title": "form fields"}, headers=auth,
                              status=400), 400, "bad_json")
    assert_error(testapp.post_json("/api/v1/threads", ["a", "list"], headers=auth, status=400),
                 400, "bad_json")
    assert_error(testapp.post("/api/v1/threads", headers=auth, status=400), 400, "bad_json")
    error = assert_error(testapp.post_json("/api/v1/threads", {
        "category": "billing", "title": "Short", "body": "Tiny"}, headers=auth, status=422),
        422, "invalid", {"title", "body"})
    assert "8" in error["fields"]["title"]
    assert_error(testapp.post_json("/api/v1/threads", {
        "category": "nope", "title": "Why was I charged twice?", "body": "My invoice, twice."},
        headers=auth, status=422), 422, "invalid", {"category"})
    assert_error(testapp.post_json("/api/v1/threads", {
        "title": "Why was I charged twice?", "body": "My invoice, twice."},
        headers=auth, status=422), 422, "invalid", {"category"})
    assert_error(testapp.post_json("/api/v1/threads", {
        "category": 1, "title": ["x"], "body": 5, "tags": "a,b"},
        headers=auth, status=422), 422, "invalid", {"category", "title", "body", "tags"})
    assert_error(testapp.post_json("/api/v1/threads", {
        "category": "billing", "title": "Why was I charged twice?", "body": "My invoice, twice.",
        "tags": ["a", "b", "c", "d", "e", "f"]}, headers=auth, status=422),
        422, "invalid", {"tags"})
    assert db.session.scalar(select(Thread.id)) is None


# --- Replying ------------------------------------------------------------------------------------

def test_reply(testapp, token, make_user, make_thread):
    thread = make_thread()
    writer = make_user(name="Rita Replier")
    response = testapp.post_json(f"/api/v1/threads/{thread.id}/posts",
                                 {"body": "Check the *second* page of the invoice."},
                                 headers=token(writer), status=201)
    data = response.json
    assert set(data) == POST_FIELDS
    assert (data["thread_id"], data["number"], data["visibility"]) == (thread.id, 2, "visible")
    assert data["author"] == {"id": writer.id, "name": "Rita Replier", "role": "customer",
                              "staff_title": None}
    assert data["body_html"] == "<p>Check the <em>second</em> page of the invoice.</p>\n"
    assert response.headers["Location"] == f"http://localhost/api/v1/posts/{data['id']}"
    assert testapp.get(response.headers["Location"]).json == data
    assert testapp.get(f"/api/v1/threads/{thread.id}").json["reply_count"] == 1


def test_reply_errors(testapp, token, make_user, make_thread, moderator):
    thread = make_thread()
    auth = token(make_user())
    url = f"/api/v1/threads/{thread.id}/posts"
    assert_error(testapp.post_json(url, {"body": "Without a token."}, status=401),
                 401, "unauthorized")
    assert_error(testapp.post(url, "body=form", headers=auth, status=400), 400, "bad_json")
    assert_error(testapp.post_json(url, {"body": "Short"}, headers=auth, status=422),
                 422, "invalid", {"body"})
    assert_error(testapp.post_json(url, {"body": 42}, headers=auth, status=422),
                 422, "invalid", {"body"})
    assert_error(testapp.post_json("/api/v1/threads/999/posts", {"body": "Nowhere to go."},
                                   headers=auth, status=404), 404, "not_found")
    threads.set_thread_status(moderator, thread, "closed")
    db.session.commit()
    error = assert_error(testapp.post_json(url, {"body": "Too late for this."}, headers=auth,
                                           status=403), 403, "forbidden")
    assert "closed" in error["message"]
    assert testapp.get(f"/api/v1/threads/{thread.id}").json["status"] == "closed"
    assert db.session.scalar(select(Post.id).where(Post.number > 1)) is None


def test_reply_to_a_thread_one_may_not_see_is_404(testapp, token, make_user, make_thread):
    thread = make_thread()
    hide(db.session.get(Post, thread.first_post_id))
    assert_error(testapp.post_json(f"/api/v1/threads/{thread.id}/posts",
                                   {"body": "Can I answer this?"}, headers=token(make_user()),
                                   status=404), 404, "not_found")


# --- Accepted answers ----------------------------------------------------------------------------

def test_asker_accepts_changes_and_removes_the_answer(testapp, token, make_user, make_thread,
                                                      make_reply):
    asker = make_user()
    thread = make_thread(asker)
    first, second = make_reply(thread), make_reply(thread)
    auth = token(asker)
    response = testapp.post(f"/api/v1/posts/{first.id}/accept", headers=auth)
    assert response.json == {"id": thread.id, "status": "solved", "accepted_post_id": first.id}
    response = testapp.post(f"/api/v1/posts/{second.id}/accept", headers=auth)
    assert response.json == {"id": thread.id, "status": "solved", "accepted_post_id": second.id}
    # Taking back a reply that is not the accepted one changes nothing.
    response = testapp.delete(f"/api/v1/posts/{first.id}/accept", headers=auth)
    assert response.json["accepted_post_id"] == second.id
    response = testapp.delete(f"/api/v1/posts/{second.id}/accept", headers=auth)
    assert response.json == {"id": thread.id, "status": "open", "accepted_post_id": None}
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).accepted_post_id is None


def test_only_the_asker_or_a_moderator_accepts(testapp, token, make_user, make_thread,
                                               make_reply, moderator):
    asker = make_user()
    thread = make_thread(asker)
    answer = make_reply(thread)
    other = token(make_user())
    url = f"/api/v1/posts/{answer.id}/accept"
    assert_error(testapp.post(url, status=401), 401, "unauthorized")
    assert_error(testapp.post(url, headers=other, status=403), 403, "forbidden")
    assert testapp.post(url, headers=token(moderator)).json["status"] == "solved"
    assert_error(testapp.delete(url, headers=other, status=403), 403, "forbidden")
    assert_error(testapp.delete(url, status=401), 401, "unauthorized")
    assert testapp.delete(url, headers=token(moderator)).json["status"] == "open"
    # Not even a no-op for someone who may not accept.
    assert_error(testapp.delete(url, headers=other, status=403), 403, "forbidden")
    assert testapp.get(f"/api/v1/threads/{thread.id}").json["accepted_post_id"] is None


def test_accept_errors(testapp, token, make_user, make_thread, make_reply, moderator):
    asker = make_user()
    thread = make_thread(asker)
    auth = token(asker)
    assert_error(testapp.post(f"/api/v1/posts/{thread.first_post_id}/accept", headers=auth,
                              status=409), 409, "not_acceptable")
    assert_error(testapp.post("/api/v1/posts/999/accept", headers=auth, status=404),
                 404, "not_found")
    assert_error(testapp.delete("/api/v1/posts/999/accept", headers=auth, status=404),
                 404, "not_found")
    hidden = make_reply(thread)
    hide(hidden)
    assert_error(testapp.post(f"/api/v1/posts/{hidden.id}/accept", headers=auth, status=404),
                 404, "not_found")
    assert_error(testapp.post(f"/api/v1/posts/{hidden.id}/accept", headers=token(moderator),
                              status=409), 409, "not_acceptable")


# --- Helpful votes -------------------------------------------------------------------------------

def test_helpful_vote_and_taking_it_back(testapp, token, make_user, make_thread, make_reply):
    answer = make_reply(make_thread())
    url = f"/api/v1/posts/{answer.id}/helpful"
    first, second = token(make_user()), token(make_user())
    assert testapp.post(url, headers=first).json == {"post_id": answer.id, "helpful": True,
                                                     "helpful_count": 1}
    assert testapp.post(url, headers=second).json == {"post_id": answer.id, "helpful": True,
                                                      "helpful_count": 2}
    assert testapp.post(url, headers=first).json == {"post_id": answer.id, "helpful": False,
                                                     "helpful_count": 1}
    assert testapp.get(f"/api/v1/posts/{answer.id}").json["helpful_count"] == 1


def test_helpful_vote_errors(testapp, token, make_user, make_thread, make_reply):
    writer = make_user()
    thread = make_thread()
    answer = make_reply(thread, author=writer)
    url = f"/api/v1/posts/{answer.id}/helpful"
    assert_error(testapp.post(url, status=401), 401, "unauthorized")
    error = assert_error(testapp.post(url, headers=token(writer), status=403), 403, "forbidden")
    assert "own" in error["message"]
    assert_error(testapp.post(f"/api/v1/posts/{thread.first_post_id}/helpful",
                              headers=token(make_user()), status=403), 403, "forbidden")
    assert_error(testapp.post("/api/v1/posts/999/helpful", headers=token(make_user()),
                              status=404), 404, "not_found")
    hide(answer)
    assert_error(testapp.post(url, headers=token(make_user()), status=404), 404, "not_found")
    db.session.expire_all()
    assert db.session.get(Post, answer.id).helpful_count == 0


# --- Errors of every kind ------------------------------------------------------------------------

def test_unknown_paths_and_methods_are_json(testapp):
    assert_error(testapp.get("/api/v1/whatever", status=404), 404, "not_found")
    assert_error(testapp.get("/api/v1/threads/abc", status=404), 404, "not_found")
    assert_error(testapp.put("/api/v1/threads", status=405), 405, "method_not_allowed")
    assert_error(testapp.delete("/api/v1/categories", status=405), 405, "method_not_allowed")


def test_a_crash_is_a_json_500_without_details(app, testapp, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the handler answers

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals: /srv/app/community/listing.py line 42")

    monkeypatch.setattr(listing, "list_threads", explode)
    response = testapp.get("/api/v1/threads", status=500)
    error = assert_error(response, 500, "server_error")
    assert error["message"] == "Internal server error."
    assert "secret internals" not in response.text and "listing.py" not in response.text


def test_a_crash_in_a_write_rolls_back(app, testapp, token, make_user, make_thread,
                                       monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    thread = make_thread()
    real_reply = threads.reply

    def reply_then_crash(*args, **kwargs):
        real_reply(*args, **kwargs)
        raise RuntimeError("after the flush")

    monkeypatch.setattr(threads, "reply", reply_then_crash)
    assert_error(testapp.post_json(f"/api/v1/threads/{thread.id}/posts",
                                   {"body": "This must not be kept."}, headers=token(make_user()),
                                   status=500), 500, "server_error")
    db.session.expire_all()
    assert db.session.scalar(select(Post.id).where(Post.number > 1)) is None


def test_rate_limits_are_429_with_retry_after(app, testapp, token, make_user, make_thread,
                                              monkeypatch):
    """A feature refuses a post for now from a visibility policy (the service path a
    rate limit of moderation takes): 429 with Retry-After, for questions and answers."""
    thread = make_thread()

    def slow_down(user, category, thread, title, body):
        raise RateLimited("Please wait a moment.", retry_after=90)

    monkeypatch.setitem(app.extensions[hooks.KEY], "write.visibility", [slow_down])
    auth = token(make_user())
    response = testapp.post_json(f"/api/v1/threads/{thread.id}/posts",
                                 {"body": "One more answer, please."}, headers=auth, status=429)
    assert_error(response, 429, "rate_limited")
    assert response.headers["Retry-After"] == "90"
    response = testapp.post_json("/api/v1/threads", {
        "category": listing.all_category_slugs()[0],
        "title": "Why is my router blinking red?", "body": "It blinks since the storm."},
        headers=auth, status=429)
    assert_error(response, 429, "rate_limited")
    db.session.expire_all()
    assert db.session.scalar(select(Post.id).where(Post.number > 1)) is None
    assert db.session.scalar(select(func.count(Thread.id))) == 1


def test_api_ignores_session_cookies(testapp, make_user, make_thread, make_reply):
    """A logged-in browser is no API client: without a token, writes are refused (no CSRF)."""
    from tests.conftest import login
    user = make_user()
    answer = make_reply(make_thread())
    login(testapp, user)
    assert_error(testapp.post(f"/api/v1/posts/{answer.id}/helpful", status=401),
                 401, "unauthorized")

