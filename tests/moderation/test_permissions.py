"""Authorization matrix: every moderation page, form and API call against anonymous,
customer, the content's author, moderator, agent and admin.

Each call is sent with valid input, as the real form or a real API client sends it.
The allowed roles succeed (and the action writes exactly one audit entry); the others
get 403, or 404 where the target's existence must not leak, and change nothing;
anonymous visitors are sent to log in (pages) or get 401 (API).
"""
from dataclasses import dataclass, field

import pytest

from community.services import accounts, threads
from community.extensions import db
from moderation.models import BlockedWord, Flag, ReviewItem
from moderation.services import flags, posts, sanctions, spam
from tests.conftest import csrf_token

from .helpers import audit_entries, notices_for, open_item, row_counts

ROLES = ("anonymous", "customer", "author", "moderator", "agent", "admin")
SIGNED_IN = {"customer", "author", "moderator", "agent", "admin"}
REVIEW = {"moderator", "admin"}
ADMIN = {"admin"}


@dataclass
class Call:
    method: str
    path: str          # formatted with the world's ids
    allowed: set
    data: dict = field(default_factory=dict)  # formatted too; "{csrf}" marks CSRF fields
    hidden: set = field(default_factory=set)  # roles that get 404: existence must not leak
    audited: bool = True                      # a success writes one audit entry
    api: bool = False


def pages():
    get = [Call("GET", path, REVIEW, audited=False) for path in (
        "/mod", "/mod/audit", "/mod/audit.csv", "/mod/users", "/mod/users/{target}",
        "/mod/posts/{post}", "/mod/threads/{thread}")]
    get += [Call("GET", "/mod/blocked-words", ADMIN, audited=False),
            Call("GET", "/mod/categories", ADMIN, audited=False),
            Call("GET", "/mod/notices", SIGNED_IN, audited=False),
            Call("GET", "/mod/flag/{flaggable}", SIGNED_IN - {"author"}, audited=False)]
    post = [
        Call("POST", "/mod/items/{item}", REVIEW, {
            "item-{item}-csrf_token": "{csrf}", "item-{item}-version": "{version}",
            "item-{item}-reason_code": "", "item-{item}-action": "dismiss"}),
        Call("POST", "/mod/posts/{post}", REVIEW, {
            "csrf_token": "{csrf}", "expected": "visible", "action": "hide",
            "reason_code": "spam"}),
        Call("POST", "/mod/threads/{thread}/status", REVIEW, {
            "status-csrf_token": "{csrf}", "status-action": "pin"}),
        Call("POST", "/mod/threads/{thread}/move", REVIEW, {
            "move-csrf_token": "{csrf}", "move-category": "{other_category}"}),
        Call("POST", "/mod/threads/{thread}/rename", REVIEW, {
            "rename-csrf_token": "{csrf}", "rename-title": "A clearer title for this question",
            "rename-tags": "router"}),
        Call("POST", "/mod/threads/{thread}/duplicate", REVIEW, {
            "duplicate-csrf_token": "{csrf}", "duplicate-target": "{other_thread}"}),
        Call("POST", "/mod/threads/{thread}/merge", REVIEW, {
            "merge-csrf_token": "{csrf}", "merge-target": "{other_thread}"}),
        Call("POST", "/mod/threads/{thread}/escalate", REVIEW, {
            "escalate-csrf_token": "{csrf}", "escalate-reason": "Needs the billing team"}),
        Call("POST", "/mod/users/{target}/trust", REVIEW, {
            "trust-csrf_token": "{csrf}", "trust-level": "trusted"}),
        Call("POST", "/mod/users/{target}/sanctions", REVIEW, {
            "sanction-csrf_token": "{csrf}", "sanction-kind": "suspend",
            "sanction-duration": "1", "sanction-reason_code": "spam"}),
        Call("POST", "/mod/users/{target}/sanctions/{sanction}/lift", REVIEW, {
            "lift-csrf_token": "{csrf}"}),
        Call("POST", "/mod/users/{target}/staff", ADMIN, {
            "staff-csrf_token": "{csrf}", "staff-role": "agent",
            "staff-staff_title": "Support team"}),
        Call("POST", "/mod/blocked-words", ADMIN, {"csrf_token": "{csrf}", "words": "cheap pills"}),
        Call("POST", "/mod/blocked-words/starters", ADMIN, {"csrf_token": "{csrf}"}),
        Call("POST", "/mod/blocked-words/{word}/remove", ADMIN, {"csrf_token": "{csrf}"}),
        Call("POST", "/mod/categories", ADMIN, {
            "new-csrf_token": "{csrf}", "new-name": "Roaming", "new-mode": "open"}),
        Call("POST", "/mod/categories/{other_category}", ADMIN, {
            "cat-{other_category}-csrf_token": "{csrf}", "cat-{other_category}-name": "Mobil",
            "cat-{other_category}-description": "SIM cards", "cat-{other_category}-mode": "all"}),
        Call("POST", "/mod/categories/{other_category}/move", ADMIN, {
            "move-{other_category}-csrf_token": "{csrf}",
            "move-{other_category}-direction": "up"}),
        Call("POST", "/mod/flag/{flaggable}", SIGNED_IN - {"author"}, {
            "csrf_token": "{csrf}", "reason": "spam"}, audited=False),
        Call("POST", "/mod/notices/{notice}/appeal", {"author"}, {
            "appeal-{notice}-csrf_token": "{csrf}",
            "appeal-{notice}-text": "This was criticism of a product, not of a person."},
             hidden={"customer", "moderator", "agent", "admin"}, audited=False),
    ]
    return get + post


def api_calls():
    calls = [
        Call("POST", "/api/v1/posts/{flaggable}/flags", SIGNED_IN - {"author"},
             {"reason": "spam"}, audited=False),
        Call("GET", "/api/v1/mod/queue", REVIEW, audited=False),
        Call("GET", "/api/v1/mod/audit", REVIEW, audited=False),
        Call("POST", "/api/v1/mod/items/{item}/dismiss", REVIEW, {"version": "{version}"}),
        Call("POST", "/api/v1/mod/posts/{post}/hide", REVIEW, {"reason_code": "spam"}),
        Call("POST", "/api/v1/mod/posts/{post}/delete", REVIEW, {"reason_code": "spam"}),
        Call("POST", "/api/v1/mod/posts/{hidden}/restore", REVIEW),
        Call("POST", "/api/v1/mod/posts/{held}/approve", REVIEW),
        Call("POST", "/api/v1/mod/posts/{held}/reject", REVIEW, {"reason_code": "spam"}),
        Call("POST", "/api/v1/mod/users/{target}/sanctions", REVIEW,
             {"kind": "suspend", "days": None, "reason_code": "spam"}),
        Call("POST", "/api/v1/mod/sanctions/{sanction}/lift", REVIEW),
    ]
    tools = {"pin": {}, "unpin": {}, "close": {}, "reopen": {}, "lock": {}, "unlock": {},
             "move": {"category_id": "{other_category}"},
             "rename": {"title": "A clearer title for this question"},
             "duplicate": {"target_id": "{other_thread}"},
             "merge": {"target_id": "{other_thread}"}, "escalate": {"reason": "Outage"}}
    thread = {"unpin": "{pinned}", "reopen": "{closed}", "unlock": "{locked}"}
    calls += [Call("POST", f"/api/v1/mod/threads/{thread.get(tool, '{thread}')}/{tool}", REVIEW,
                   data) for tool, data in tools.items()]
    for call in calls:
        call.api = True
    return calls


CALLS = pages() + api_calls()


def _cases():
    """(call, role that acts): every allowed role on a fresh world, and one case that
    tries every role that is not allowed."""
    for call in CALLS:
        name = f"{call.method} {call.path}"
        for role in sorted(call.allowed):
            yield pytest.param(call, role, id=f"{name} as {role}")
        yield pytest.param(call, None, id=f"{name} refused")


@pytest.fixture
def world(make_user, make_category, make_thread, make_reply, moderator, admin):
    people = {"customer": make_user(), "author": make_user(name="Arthur Author"),
              "moderator": moderator, "agent": make_user(role="agent"), "admin": admin}
    author = people["author"]
    category, other_category = make_category(name="Internet"), make_category(name="Mobile")
    thread = make_thread(author=author, category=category)
    other_thread = make_thread(category=category)
    post = make_reply(thread, author=author)
    flaggable = make_reply(thread, author=author, body="An answer nobody flagged yet.")
    flagged = make_reply(thread, body="An answer someone flagged.")
    flags.flag_post(make_user(), flagged, "off_topic")
    hidden = make_reply(thread, author=author, body="A post that gets hidden.")
    posts.moderate(moderator, hidden, "hide", "visible", "abusive")
    held = threads.reply(make_user(), thread, "Links https://a.example.com https://b.example.com "
                                              "https://c.example.com")
    target = make_user(name="Target Customer")
    sanction = sanctions.impose(moderator, target, "silence", 3, "spam")
    spam.add_words(admin, "foo")
    marked = {}
    from moderation.services import threadtools
    for name, action in (("pinned", "pin"), ("closed", "close"), ("locked", "lock")):
        marked[name] = make_thread(category=category)
        if action == "pin":
            threadtools.set_pinned(moderator, marked[name], True)
        else:
            threadtools.set_status(moderator, marked[name], action)
    db.session.commit()
    item = open_item(flagged)
    ids = {"thread": thread.id, "other_thread": other_thread.id, "post": post.id,
           "flaggable": flaggable.id, "hidden": hidden.id, "held": held.id,
           "target": target.id, "sanction": sanction.id, "item": item.id,
           "version": item.version, "notice": notices_for(author, "post_hidden")[0].id,
           "word": db.session.scalar(db.select(BlockedWord.id)),
           "category": category.id, "other_category": other_category.id,
           **{name: t.id for name, t in marked.items()}}
    assert held.visibility == "pending"
    return {"people": people, "ids": ids}


def _fill(value, ids, csrf):
    """"{name}" alone becomes the id (a number in JSON); other text is formatted."""
    if not isinstance(value, str):
        return value
    if value.startswith("{") and value.endswith("}") and value[1:-1] in ids:
        return ids[value[1:-1]]
    return value.replace("{csrf}", csrf).format(**ids)


def _send(app_session, call, ids, role, user):
    path = call.path.format(**ids)
    if call.api:
        headers = {}
        if user is not None:
            _, plaintext = accounts.create_token(user)
            db.session.commit()
            headers["Authorization"] = f"Bearer {plaintext}"
        if call.method == "GET":
            return app_session.get(path, headers=headers, expect_errors=True)
        body = {k: _fill(v, ids, "") for k, v in call.data.items()}
        return app_session.post_json(path, body, headers=headers, expect_errors=True)
    if call.method == "GET":
        return app_session.get(path, expect_errors=True)
    csrf = csrf_token(app_session, "/login" if user is None else "/")
    data = {k.format(**ids): str(_fill(v, ids, csrf)) for k, v in call.data.items()}
    return app_session.post(path, data, expect_errors=True)


def _why(response):
    """The errors a page or API answer shows, for the assertion message."""
    if response.content_type != "text/html":
        return response.text[:300]
    errors = response.html.select(".form-errors, .error, .flash")
    return " / ".join(e.get_text(" ", strip=True) for e in errors) or response.status


def _state():
    db.session.expire_all()
    return (len(audit_entries()), row_counts(),
            db.session.scalar(db.select(db.func.count(ReviewItem.id))),
            db.session.scalar(db.select(db.func.count(Flag.id))))


@pytest.mark.parametrize("call,role", list(_cases()))
def test_authorization_matrix(world, browser, testapp, call, role):
    ids, people = world["ids"], world["people"]
    if role is not None:  # an allowed role acts and succeeds
        before = _state()
        session = testapp if call.api else browser(people[role])
        response = _send(session, call, ids, role, people[role])
        status = response.status_int
        if call.api:
            assert 200 <= status < 300, (status, _why(response))
        elif call.method == "GET":
            assert status == 200, status
        else:
            assert status == 302 and "/login" not in response.location, (status, _why(response))
            page = response.follow()
            assert 'class="flash flash-error"' not in page.text, _why(page)
        audits, rows, items, flag_rows = _state()
        assert audits == before[0] + (1 if call.audited and call.method == "POST" else 0)
        assert all(rows[table] >= count for table, count in before[1].items())  # nothing lost
        if call.path.endswith(("/flags", "/flag/{flaggable}")) and call.method == "POST":
            assert flag_rows == before[3] + 1
        if call.path.endswith("/appeal"):
            assert items == before[2] + 1
        return
    before = _state()
    for denied in ROLES:
        if denied in call.allowed:
            continue
        user = people.get(denied)
        session = testapp if call.api else browser(user)
        response = _send(session, call, ids, denied, user)
        status = response.status_int
        if denied == "anonymous":
            if call.api:
                assert status == 401, (denied, status)
            else:
                assert status == 302 and "/login" in response.location, (denied, status)
        else:
            expected = 404 if denied in call.hidden else 403
            assert status == expected, (denied, status, response.text[:200])
    assert _state() == before  # refused calls change nothing


def test_appeals_and_hidden_content_do_not_leak(world, browser):
    people, ids = world["people"], world["ids"]
    for role in ("customer", "moderator", "agent", "admin"):
        assert "A post that gets hidden." not in browser(people[role]).get("/mod/notices").text
    assert "A post that gets hidden." in browser(people["author"]).get("/mod/notices").text
    customer = browser(people["customer"])
    assert customer.get(f"/mod/flag/{ids['hidden']}", expect_errors=True).status_int == 404
    assert customer.get("/mod/flag/999999", expect_errors=True).status_int == 404


def test_every_moderation_form_needs_a_csrf_token(world, browser):
    mod = browser(world["people"]["moderator"])
    item_id, version = world["ids"]["item"], world["ids"]["version"]
    response = mod.post(f"/mod/items/{item_id}", {f"item-{item_id}-version": version,
                                                  f"item-{item_id}-action": "dismiss"},
                        expect_errors=True)
    assert response.status_int == 400
    assert db.session.get(ReviewItem, item_id).state == "open"


def test_the_matrix_covers_every_moderation_route(app):
    """A new route or API call cannot be added without its row in the matrix."""
    covered = {(c.method, c.path.split("?")[0]) for c in CALLS}
    normalized = set()
    for method, path in covered:
        for name in ("pinned", "closed", "locked", "other_category", "hidden", "held",
                     "flaggable"):
            path = path.replace("{" + name + "}", "<id>")
        for tool in ("pin", "unpin", "close", "reopen", "lock", "unlock", "move", "rename",
                     "duplicate", "merge", "escalate", "dismiss", "hide", "delete", "restore",
                     "approve", "reject"):
            if path.endswith("/" + tool) and "/mod/" in path and path.startswith("/api"):
                path = path[: -len(tool)] + "<action>"
        normalized.add((method, _ids(path)))
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in ("moderation", "moderation_api"):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((method, _ids(rule.rule)))
    assert routes <= normalized, routes - normalized


def _ids(path):
    import re
    return re.sub(r"<[^>]+>|\{[^}]+\}", "<id>", path)
