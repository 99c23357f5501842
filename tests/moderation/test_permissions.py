"""Authorization matrix: every moderation route against anonymous, customer, the
content's author, moderator, agent and admin. Only the allowed ones get past the
check; the others get 403, or 404 where existence must not leak, and anonymous
visitors are sent to log in."""
import pytest

from community import threads
from community.extensions import db
from moderation.services import flags, posts, sanctions
from tests.conftest import csrf_token

ROLES = ("anonymous", "customer", "author", "moderator", "agent", "admin")
REVIEW = {"moderator", "admin"}
ADMIN = {"admin"}
SIGNED_IN = {"customer", "author", "moderator", "agent", "admin"}


@pytest.fixture
def world(make_user, make_thread, make_reply, moderator):
    people = {"customer": make_user(), "author": make_user(name="Arthur Author"),
              "moderator": moderator, "agent": make_user(role="agent"),
              "admin": make_user(role="admin")}
    thread = make_thread(author=people["author"])
    post = make_reply(thread, author=people["author"])
    hidden = make_reply(thread, author=people["author"], body="A post that gets hidden.")
    posts.moderate(moderator, hidden, "hide", "visible", "abusive")
    target = make_user(name="Target Customer")
    sanction = sanctions.impose(moderator, target, "silence", 3, "spam")
    flag = flags.flag_post(people["customer"], post, "spam")
    db.session.commit()
    from .helpers import notices_for, open_item
    notice = notices_for(people["author"], "post_hidden")[0]
    return {"people": people, "thread": thread, "post": post, "target": target,
            "sanction": sanction, "item": open_item(post), "notice": notice, "flag": flag,
            "category": thread.category_id}


def routes(w):
    t, p, u, s = w["thread"].id, w["post"].id, w["target"].id, w["sanction"].id
    review_gets = ["/mod", "/mod/audit", "/mod/audit.csv", "/mod/users", f"/mod/users/{u}",
                   f"/mod/posts/{p}", f"/mod/threads/{t}"]
    review_posts = [f"/mod/items/{w['item'].id}", f"/mod/posts/{p}"] + [
        f"/mod/threads/{t}/{tool}" for tool in ("status", "move", "rename", "duplicate",
                                                 "merge", "escalate")] + [
        f"/mod/users/{u}/trust", f"/mod/users/{u}/sanctions", f"/mod/users/{u}/sanctions/{s}/lift"]
    table = [("GET", path, REVIEW) for path in review_gets]
    table += [("POST", path, REVIEW) for path in review_posts]
    table += [("GET", "/mod/blocked-words", ADMIN), ("GET", "/mod/categories", ADMIN),
              ("POST", "/mod/blocked-words", ADMIN), ("POST", "/mod/blocked-words/starters", ADMIN),
              ("POST", "/mod/blocked-words/1/remove", ADMIN),
              ("POST", f"/mod/categories/{w['category']}", ADMIN),
              ("POST", f"/mod/users/{u}/staff", ADMIN),
              ("GET", "/mod/notices", SIGNED_IN),
              ("GET", f"/mod/flag/{p}", SIGNED_IN - {"author"}),
              ("POST", f"/mod/flag/{p}", SIGNED_IN - {"author"})]
    return table


def test_authorization_matrix(world, browser):
    sessions = {"anonymous": browser()}
    for role, user in world["people"].items():
        sessions[role] = browser(user)
    failures = []
    for method, path, allowed in routes(world):
        for role in ROLES:
            session = sessions[role]
            if method == "GET":
                response = session.get(path, expect_errors=True)
            else:
                token = csrf_token(session, "/login" if role == "anonymous" else "/")
                response = session.post(path, {"csrf_token": token}, expect_errors=True)
            status = response.status_int
            if role == "anonymous":
                ok = status == 302 and "/login" in response.location
            elif role in allowed:
                ok = status not in (302, 403, 404) or (
                    status == 302 and "/login" not in response.location)
            else:
                ok = status == 403
            if not ok:
                failures.append((method, path, role, status))
    assert failures == []


def test_appeals_and_hidden_content_do_not_leak(world, browser):
    notice, hidden_url = world["notice"], f"/mod/notices/{world['notice'].id}/appeal"
    for role in ("customer", "moderator", "agent", "admin"):
        session = browser(world["people"][role])
        response = session.post(hidden_url, {"csrf_token": csrf_token(session)}, expect_errors=True)
        assert response.status_int == 404, role
        assert "A post that gets hidden." not in session.get("/mod/notices").text
    author = browser(world["people"]["author"])
    assert "A post that gets hidden." in author.get("/mod/notices").text
    assert author.post(hidden_url, {"csrf_token": csrf_token(author)},
                       expect_errors=True).status_int == 422  # allowed; the form was empty
    hidden = db.session.scalar(db.select(threads.Post).where(
        threads.Post.body == "A post that gets hidden."))
    customer = browser(world["people"]["customer"])
    assert customer.get(f"/mod/flag/{hidden.id}", expect_errors=True).status_int == 404
    assert notice.user_id == world["people"]["author"].id


def test_every_moderation_form_needs_a_csrf_token(world, browser):
    mod = browser(world["people"]["moderator"])
    item = world["item"]
    response = mod.post(f"/mod/items/{item.id}", {f"item-{item.id}-version": item.version,
                                                  f"item-{item.id}-action": "dismiss"},
                        expect_errors=True)
    assert response.status_int == 400
    db.session.expire_all()
    assert db.session.get(type(item), item.id).state == "open"
