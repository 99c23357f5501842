"""A sanction reaches every way in: API tokens issued before a suspension stop
working with it (and work again when it ends); a silenced member reads through the
API but writes nothing, and the pages refuse the writes that are not posts too.

Before the fix a suspended moderator's token still hid posts (200) and sanctioned
members (201), and a suspended agent's token read a ticket with the customer's IBAN.
"""
from datetime import timedelta


from agent_bridge.services import escalation, privacy
from community import clock
from community.services import accounts
from community.extensions import db
from community.models import Post
from tests.conftest import bearer, login

IBAN = "DE89 3704 0044 0532 0130 00"


def sanction(testapp, admin_auth, user, kind, days=3):
    response = testapp.post_json(f"/api/v1/mod/users/{user.id}/sanctions",
                                 {"kind": kind, "days": days, "reason_code": "rules",
                                  "reason": "Testing the rules"}, headers=admin_auth, status=201)
    return response.json["sanction"]


def test_a_suspended_moderators_token_can_do_nothing_until_the_suspension_ends(
        testapp, admin, moderator, make_user, make_thread, make_reply):
    post = make_reply(make_thread(), body="An answer a moderator might hide.")
    member = make_user()
    mod_auth = bearer(moderator)
    testapp.get("/api/v1/mod/queue", headers=mod_auth, status=200)
    sanction(testapp, bearer(admin), moderator, "suspend", days=2)

    hidden = testapp.post_json(f"/api/v1/mod/posts/{post.id}/hide",
                               {"reason_code": "spam"}, headers=mod_auth, status=403)
    error = hidden.json["error"]
    assert error["code"] == "suspended"
    assert "suspended until" in error["message"] and "Testing the rules" in error["message"]
    assert error["until"].endswith("Z") and error["fields"] == {}
    testapp.post_json(f"/api/v1/mod/users/{member.id}/sanctions",
                      {"kind": "silence", "days": 1, "reason_code": "spam"},
                      headers=mod_auth, status=403)
    testapp.get("/api/v1/mod/queue", headers=mod_auth, status=403)
    db.session.expire_all()
    assert db.session.get(Post, post.id).visibility == "visible"

    clock.travel(timedelta(days=2, minutes=1))
    testapp.get("/api/v1/mod/queue", headers=mod_auth, status=200)


def test_a_suspended_agents_token_no_longer_reads_private_details(
        testapp, admin, make_user, make_thread):
    agent = make_user(role="agent", name="Alex Agent")
    customer = make_user()
    thread = make_thread(author=customer)
    ticket, _ = escalation.escalate(agent, thread, "", source="desk")
    privacy.send_privately(customer, thread, f"My IBAN is {IBAN}")
    db.session.commit()
    agent_auth = bearer(agent)
    assert IBAN in testapp.get(f"/api/v1/desk/tickets/{ticket.id}", headers=agent_auth).text

    sanction(testapp, bearer(admin), agent, "suspend")
    refused = testapp.get(f"/api/v1/desk/tickets/{ticket.id}", headers=agent_auth, status=403)
    assert refused.json["error"]["code"] == "suspended"
    assert IBAN not in refused.text


def test_a_silenced_member_reads_but_does_not_write_through_the_api(
        testapp, moderator, make_user, make_category, make_thread, make_reply):
    member = make_user()
    category = make_category()
    thread = make_thread(author=member, category=category)
    answer = make_reply(thread)
    other = make_thread()
    auth = bearer(member)
    sanction(testapp, bearer(moderator), member, "silence", days=1)

    assert testapp.get(f"/api/v1/threads/{thread.id}", headers=auth).json["id"] == thread.id
    writes = [
        ("/api/v1/threads", {"category": category.slug, "title": "Another question here",
                             "body": "Some text that is long enough."}),
        (f"/api/v1/threads/{other.id}/posts", {"body": "A reply while silenced."}),
        (f"/api/v1/posts/{answer.id}/accept", {}),
        (f"/api/v1/posts/{answer.id}/helpful", {}),
        (f"/api/v1/posts/{answer.id}/flags", {"reason": "spam"}),
        (f"/api/v1/threads/{thread.id}/escalate", {}),
    ]
    for path, body in writes:
        error = testapp.post_json(path, body, headers=auth, status=403).json["error"]
        assert error["code"] == "silenced", path
        assert "read-only" in error["message"]
    db.session.expire_all()
    assert db.session.get(Post, answer.id).helpful_count == 0
    assert thread.accepted_post_id is None

    clock.travel(timedelta(days=1, minutes=1))
    testapp.post_json(f"/api/v1/posts/{answer.id}/helpful", {}, headers=auth, status=200)


def test_a_silenced_member_cannot_create_tokens_watch_or_send_private_details(
        testapp, moderator, make_user, make_thread, make_category):
    member = make_user()
    thread = make_thread(author=member)
    category = make_category()
    sanction(testapp, bearer(moderator), member, "silence", days=1)
    login(testapp, member)

    settings = testapp.get("/settings")
    form = settings.forms["token-form"]
    form["tok-name"] = "my script"
    form.submit(status=403)
    assert "my script" not in [t.name for t in accounts.active_tokens(member)]

    token = settings.forms["token-form"]["tok-csrf_token"].value
    testapp.post(f"/t/{thread.id}/watch", {"csrf_token": token}, status=403)
    testapp.post(f"/c/{category.slug}/watch", {"csrf_token": token}, status=403)
    testapp.post(f"/t/{thread.id}/private", {"csrf_token": token, "body": f"IBAN {IBAN}"},
                 status=403)
    # Leaving and reading stay possible.
    testapp.post(f"/t/{thread.id}/unwatch", {"csrf_token": token}, status=302)
    testapp.get("/notifications", status=200)
