"""The moderation API: same rules and checks as the pages, bearer tokens, JSON errors."""
import pytest
from webtest import TestApp

from community.services import accounts
from community.api.openapi import openapi_path
from community.extensions import db
from community.models import Post

from tests.conftest import isolated

from .helpers import audit_entries, notices_for


@pytest.fixture
def token(app):
    def factory(user):
        _, plaintext = accounts.create_token(user)
        db.session.commit()
        return {"Authorization": f"Bearer {plaintext}"}
    return factory


def test_member_flags_through_the_api(testapp, token, make_user, make_thread, make_reply):
    post = make_reply(make_thread())
    auth = token(make_user())
    response = testapp.post_json(f"/api/v1/posts/{post.id}/flags", {"reason": "spam"},
                                 headers=auth, status=201)
    assert response.json["flag"]["reason"] == "spam"
    again = testapp.post_json(f"/api/v1/posts/{post.id}/flags", {"reason": "spam"},
                              headers=auth, status=409)
    assert again.json["error"]["code"] == "already_flagged"
    bad = testapp.post_json(f"/api/v1/posts/{post.id}/flags", {"reason": "meh"},
                            headers=token(make_user()), status=422)
    assert bad.json["error"]["fields"] == {"reason": "Please choose a reason."}
    assert testapp.post_json(f"/api/v1/posts/{post.id}/flags", {"reason": "spam"},
                             status=401).json["error"]["code"] == "unauthorized"


def test_moderator_works_the_queue_through_the_api(testapp, token, make_user, make_thread,
                                                    make_reply, moderator):
    post = make_reply(make_thread(), body="Cheap followers at my shop, click here now!")
    testapp.post_json(f"/api/v1/posts/{post.id}/flags", {"reason": "private_data"},
                      headers=token(make_user()), status=201)
    auth = token(moderator)
    queue = testapp.get("/api/v1/mod/queue", headers=auth).json
    [item] = queue["items"]
    assert (item["kind"], item["post_id"], item["priority"]) == ("flagged", post.id, 10)
    assert item["flags"][0]["reason"] == "private_data"
    response = testapp.post_json(f"/api/v1/mod/items/{item['id']}/hide",
                                 {"version": item["version"], "reason_code": "spam"}, headers=auth)
    assert response.json["entry"]["action"] == "post.hide"
    stale = testapp.post_json(f"/api/v1/mod/items/{item['id']}/dismiss",
                              {"version": item["version"]}, headers=auth, status=409)
    assert "Already handled" in stale.json["error"]["message"]
    response = testapp.post_json(f"/api/v1/mod/posts/{post.id}/restore", {}, headers=auth)
    assert response.json["visibility"] == "visible"
    response = testapp.post_json(f"/api/v1/mod/posts/{post.id}/delete",
                                 {"reason": "Advertising"}, headers=auth)
    assert response.json["visibility"] == "deleted"
    assert response.json["entry"]["reason_code"] == "other"
    entries = testapp.get("/api/v1/mod/audit", {"action": "post."}, headers=auth).json["entries"]
    assert [e["action"] for e in entries] == ["post.delete", "post.restore", "post.hide"]
    assert set(entries[0]) >= {"actor", "action", "target_type", "target_id", "reason",
                               "created_at"}
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 2


def test_approve_and_reject_pending_posts(testapp, token, make_user, make_thread, moderator):
    from community.services import threads
    thread = make_thread()
    member = make_user()
    held = threads.reply(member, thread, "See https://a.example.com https://b.example.com "
                                         "https://c.example.com for details")
    db.session.commit()
    auth = token(moderator)
    testapp.post_json(f"/api/v1/mod/posts/{held.id}/reject", {}, headers=auth, status=422)
    testapp.post_json(f"/api/v1/mod/posts/{held.id}/reject",
                      {"reason_code": "spam", "reason": "Link list"}, headers=auth)
    assert [n.kind for n in notices_for(member)] == ["post_rejected"]
    conflict = testapp.post_json(f"/api/v1/mod/posts/{held.id}/approve", {}, headers=auth,
                                 status=409)
    assert conflict.json["error"]["code"] == "not_pending"


def test_thread_tools_and_sanctions_through_the_api(testapp, token, make_user, make_thread,
                                                    make_category, moderator):
    thread, other = make_thread(), make_thread()
    auth = token(moderator)
    testapp.post_json(f"/api/v1/mod/threads/{thread.id}/lock", {"reason": "Heated"}, headers=auth)
    target = make_category()
    testapp.post_json(f"/api/v1/mod/threads/{thread.id}/move", {"category_id": target.id},
                      headers=auth)
    testapp.post_json(f"/api/v1/mod/threads/{thread.id}/merge", {"target_id": other.id},
                      headers=auth)
    testapp.post_json(f"/api/v1/mod/threads/{thread.id}/fly", {}, headers=auth, status=404)
    member = make_user()
    sanction = testapp.post_json(f"/api/v1/mod/users/{member.id}/sanctions",
                                 {"kind": "silence", "days": 2, "reason_code": "abusive"},
                                 headers=auth, status=201).json["sanction"]
    testapp.post_json(f"/api/v1/mod/sanctions/{sanction['id']}/lift", {"reason": "Apologised"},
                      headers=auth)
    assert [e.action for e in audit_entries()] == [
        "thread.lock", "thread.move", "thread.merge", "member.silence", "member.lift"]


def test_api_permissions(testapp, token, make_user, make_thread, make_reply):
    post = make_reply(make_thread())
    for role in ("customer", "agent"):
        auth = token(make_user(role=role))
        for method, path in (("get", "/api/v1/mod/queue"), ("get", "/api/v1/mod/audit"),
                             ("post", f"/api/v1/mod/posts/{post.id}/hide"),
                             ("post", f"/api/v1/mod/threads/{post.thread_id}/pin")):
            call = testapp.get if method == "get" else testapp.post_json
            args = (path,) if method == "get" else (path, {})
            assert call(*args, headers=auth, status=403).json["error"]["code"] == "forbidden"
    assert testapp.get("/api/v1/mod/queue", status=401).json["error"]["code"] == "unauthorized"
    author = make_user()
    own = make_reply(make_thread(), author=author)
    testapp.post_json(f"/api/v1/posts/{own.id}/flags", {"reason": "spam"},
                      headers=token(author), status=403)


def test_every_moderation_call_is_in_the_openapi_document(app, make_app, testapp, token,
                                                          make_user, make_thread, make_reply,
                                                          moderator):
    doc = testapp.get("/api/v1/openapi.json").json
    routes = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("moderation_api."):
            routes.setdefault(openapi_path(rule.rule), set()).update(
                m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    assert set(routes) == {"/posts/{post_id}/flags", "/mod/queue", "/mod/items/{item_id}/{action}",
                           "/mod/posts/{post_id}/{action}", "/mod/audit",
                           "/mod/threads/{thread_id}/{tool}", "/mod/users/{user_id}/sanctions",
                           "/mod/sanctions/{sanction_id}/lift"}
    for path, methods in routes.items():
        assert set(doc["paths"][path]) == methods, path
    schemas = doc["components"]["schemas"]

    def required(name):
        return set(schemas[name]["required"])
    post = make_reply(make_thread(), body="Call me at 0170 1234567 for a better offer.",
                      confirmed={"public_data"})
    response = testapp.post_json(f"/api/v1/posts/{post.id}/flags", {"reason": "private_data"},
                                 headers=token(make_user()), status=201).json
    assert set(response) >= required("ModFlag")
    auth = token(moderator)
    queue = testapp.get("/api/v1/mod/queue", headers=auth).json
    assert set(queue) >= required("ModQueue")
    assert set(queue["items"][0]) >= required("ModQueueItem")
    assert queue["items"][0]["post_body"] == "Call me at 0170 1234567 for a better offer."
    assert queue["items"][0]["author"]["history"]["visible"] == 1
    audit = testapp.get("/api/v1/mod/audit", headers=auth).json
    assert set(audit) >= required("ModAuditLog")
    # A server without the moderation feature does not describe these calls.
    bare = TestApp(isolated(make_app(FORUM_FEATURES=(), create_schema=False)))
    assert "/mod/queue" not in bare.get("/api/v1/openapi.json").json["paths"]


def test_api_input_errors_are_clear(testapp, token, make_user, make_thread, make_reply,
                                    moderator):
    post = make_reply(make_thread())
    auth = token(moderator)
    bad = testapp.post(f"/api/v1/mod/posts/{post.id}/hide", "not json", headers={
        **auth, "Content-Type": "application/json"}, status=400).json
    assert bad["error"]["code"] == "bad_json"
    wrong = testapp.post_json(f"/api/v1/mod/posts/{post.id}/hide", {"reason": 3},
                              headers=auth, status=422).json
    assert wrong["error"]["fields"] == {"reason": "string"}
    testapp.get("/api/v1/mod/queue", {"kind": "everything"}, headers=auth, status=422)
    testapp.get("/api/v1/mod/queue", {"limit": "lots"}, headers=auth, status=422)
    testapp.get("/api/v1/mod/audit", {"since": "last week"}, headers=auth, status=422)
    member = make_user()
    sanction = testapp.post_json(f"/api/v1/mod/users/{member.id}/sanctions",
                                 {"kind": "silence", "days": 1, "reason_code": "spam"},
                                 headers=auth, status=201).json["sanction"]
    testapp.post_json(f"/api/v1/mod/sanctions/{sanction['id']}/lift", {}, headers=auth)
    again = testapp.post_json(f"/api/v1/mod/sanctions/{sanction['id']}/lift", {}, headers=auth,
                              status=409).json
    assert again["error"]["code"] == "not_active"
    invalid = testapp.post_json(f"/api/v1/mod/users/{member.id}/sanctions",
                                {"kind": "ban", "days": 0}, headers=auth, status=422).json
    assert set(invalid["error"]["fields"]) == {"kind", "reason_code", "days"}
    testapp.post_json(f"/api/v1/mod/threads/{post.thread_id}/move", {"category_id": "x"},
                      headers=auth, status=422)
    testapp.post_json(f"/api/v1/mod/threads/{post.thread_id}/rename", {"tags": "a,b"},
                      headers=auth, status=422)
    assert audit_entries()[-1].action == "member.lift"  # refused calls recorded nothing
