"""A property-based pass over every JSON API operation and every form a role sees.

Whatever a client or a browser sends (text with NUL, lone surrogates, 100,000
characters, deep structures, numbers beyond 64 bits, wrong types), the answer is a
success or a 4xx, never a 500; API errors come in the one envelope
``{"error": {"code", "message", "fields"}}``; and nothing saved before is lost.

The operations are read from the OpenAPI document, so a new endpoint is fuzzed
without anyone adding it here. Runs on SQLite and, in CI, on PostgreSQL (which is
where NUL characters and 64-bit overflows used to surface as 500s). Examples are
derandomized, so a failure in CI reproduces locally with the same seed.
"""
import json
import re
from urllib.parse import quote

import pytest
import webtest.forms
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from community.services import accounts
from community.extensions import db
from community.models import Post, PostRevision
from tests.conftest import login

HUGE = 2**70
# No shrinking: examples hold 100,000-character values, which Hypothesis takes
# minutes to shrink; derandomized examples reproduce a failure as it is.
FUZZ = settings(max_examples=12, deadline=None, derandomize=True, database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


class Long(str):
    """A long value that reports itself briefly when Hypothesis prints an example."""

    def __repr__(self):
        return f"<{len(self):,} characters: {str.__repr__(self[:12])}…>"


class LongBytes(bytes):
    def __repr__(self):
        return f"<{len(self):,} bytes: {bytes.__repr__(self[:12])}…>"

NASTY_STRINGS = ["\x00", "a\x00b", "\ud800", "x\udfffy", "\x1b[2J", Long("T" * 100_000),
                 Long("kd" + " " * 5_000), Long("a@" * 20_000), "<img src=x onerror=alert(1)>",
                 "../../etc/passwd", "1e309", "-1", "0", str(HUGE), "me", "", " "]
text = st.one_of(st.sampled_from(NASTY_STRINGS),
                 st.text(st.characters(blacklist_categories=()), max_size=40))
scalar = st.one_of(text, st.integers(-HUGE, HUGE), st.sampled_from([HUGE, -HUGE, 2**63]),
                   st.floats(allow_nan=False, allow_infinity=False), st.booleans(), st.none())
value = st.recursive(scalar, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=6)
# A form round trip costs a page load and a submission per form: fewer examples.
FORM_FUZZ = settings(FUZZ, max_examples=6)
RAW_BODIES = [LongBytes(b"[" * 100_000 + b"]" * 100_000),
              LongBytes(b'{"a": ' * 5_000 + b"1" + b"}" * 5_000),
              b"not json", b"[1, 2]", b'"text"', b"{\"title\": NaN}", b"\xff\xfe", b""]


def as_sent(text_value):
    """Percent-encoded bytes of ``text_value``, lone surrogates included, as a client
    that sends broken UTF-8 in a URL would."""
    return quote(text_value.encode("utf-8", "surrogatepass"))


def as_typed(text_value):
    """What a browser sends for ``text_value``: no lone surrogates (they become U+FFFD)."""
    return re.sub("[\ud800-\udfff]", "\ufffd", text_value)


def assert_answer(response):
    """Success, or a 4xx in the error envelope; never a 500."""
    assert response.status_int < 500, (response.request.method, response.request.path,
                                       response.text[:300])
    if response.status_int >= 400:
        assert response.content_type == "application/json", response.request.path
        error = response.json["error"]
        assert {"code", "message", "fields"} <= set(error)
        assert isinstance(error["fields"], dict) and error["message"]


@pytest.fixture
def world(app, make_user, make_category, make_thread, make_reply):
    """Content of every kind, each role with a token; what must never be lost."""
    from agent_bridge.services import escalation
    roles = {role: make_user(role=role) for role in ("customer", "moderator", "agent", "admin")}
    category = make_category(name="Internet")
    thread = make_thread(author=roles["customer"], category=category,
                         title="Router restarts every night", body="It restarts at three.")
    reply = make_reply(thread, body="Switch off the automatic update window.")
    ticket, _ = escalation.escalate(roles["agent"], thread, "", source="desk")
    db.session.commit()
    tokens = {}
    for role, user in roles.items():
        _, plaintext = accounts.create_token(user)
        tokens[role] = {"Authorization": f"Bearer {plaintext}"}
    db.session.commit()
    saved = {post.id: post.body for post in db.session.scalars(db.select(Post))}
    return dict(roles=roles, tokens=tokens, category=category, thread=thread, reply=reply,
                ticket=ticket, saved=saved)


def assert_nothing_lost(world):
    """Every post saved before is still there, and its text is its body or, after an
    edit, one of its revisions."""
    db.session.expire_all()
    bodies = {post.id: post.body for post in db.session.scalars(db.select(Post))}
    for post_id, body in world["saved"].items():
        assert post_id in bodies, f"post {post_id} was lost"
        kept = {bodies[post_id]} | set(db.session.scalars(
            db.select(PostRevision.body).where(PostRevision.post_id == post_id)))
        assert body in kept, f"post {post_id}'s text was lost"


def _operations(testapp):
    document = testapp.get("/api/v1/openapi.json").json
    shared = document["components"].get("parameters", {})
    schemas = document["components"]["schemas"]
    for path, operations in sorted(document["paths"].items()):
        for method, operation in sorted(operations.items()):
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            params = [shared[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p
                      for p in operation.get("parameters", [])]
            schema = (operation.get("requestBody", {}).get("content", {})
                      .get("application/json", {}).get("schema", {}))
            if "$ref" in schema:
                schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
            yield method, path, params, sorted(schema.get("properties", {}))


def _path_value(draw, world, param):
    enum = param.get("schema", {}).get("enum")
    if enum:
        return draw(st.sampled_from(enum + ["bogus"]))
    known = {"thread_id": world["thread"].id, "post_id": world["reply"].id,
             "ticket_id": world["ticket"].id, "user_id": world["roles"]["customer"].id,
             "item_id": 1, "sanction_id": 1}
    return draw(st.sampled_from([known.get(param["name"], 1), HUGE, 0, 2**63 - 1]))


@FUZZ
@given(data=st.data())
def test_every_api_operation_answers_4xx_or_success_and_loses_nothing(testapp, world, data):
    for method, path, params, properties in _operations(testapp):
        headers = dict(data.draw(st.sampled_from(
            [{}] + [world["tokens"][r] for r in ("customer", "moderator", "agent", "admin")])))
        url = path
        query = {}
        for param in params:
            if param["in"] == "path":
                url = url.replace("{%s}" % param["name"], str(_path_value(data.draw, world, param)))
            elif param["in"] == "query" and data.draw(st.booleans()):
                query[param["name"]] = data.draw(text)
        url = "/api/v1" + url
        if query:
            url += "?" + "&".join(f"{k}={as_sent(v)}" for k, v in query.items())
        if method == "get":
            assert_answer(testapp.get(url, headers=headers, expect_errors=True))
            continue
        if data.draw(st.integers(0, 4)) == 0:
            raw = data.draw(st.sampled_from(RAW_BODIES))
        else:
            body = data.draw(st.fixed_dictionaries(
                {}, optional={name: value for name in properties + ["extra"]}))
            raw = json.dumps(body).encode()  # lone surrogates travel as JSON escapes
        response = getattr(testapp, method)(url, raw, headers=headers,
                                            content_type="application/json",
                                            expect_errors=True)
        assert_answer(response)
    assert_nothing_lost(world)


# --- Forms ----------------------------------------------------------------------------------------

def _pages(world):
    thread, ticket = world["thread"], world["ticket"]
    return ["/ask", f"/t/{thread.id}-{thread.slug}", "/settings", "/settings/notifications",
            "/search", f"/mod/threads/{thread.id}", f"/mod/posts/{world['reply'].id}",
            f"/mod/users/{world['roles']['customer'].id}", "/mod/categories",
            "/mod/blocked-words", "/mod/audit", "/mod", f"/mod/flag/{world['reply'].id}",
            f"/desk/tickets/{ticket.id}", "/desk", "/desk/admin/canned", "/desk/admin/terms",
            "/desk/admin/rules", "/admin/connectors", f"/p/{world['reply'].id}/edit",
            f"/p/{thread.first_post_id}/edit"]




# Drawn up front, so that each example draws the same amount however many forms the
# pages show by then (the state grows from example to example).
inputs = st.lists(text, min_size=64, max_size=64).map(lambda values: iter(values * 50))


def _fill_and_submit(testapp, form, values):
    for fields in form.fields.values():
        for field in fields:
            # What a person types into: text, e-mail, password, search, number, date
            # inputs and text areas (not hidden fields, choices or buttons).
            if isinstance(field, (webtest.forms.Text, webtest.forms.Email)) \
                    and not isinstance(field, webtest.forms.Hidden):
                field.value = as_typed(next(values))
    return form.submit(expect_errors=True)


@FORM_FUZZ
@given(values=inputs)
@pytest.mark.parametrize("role", ["customer", "admin", "agent"])
def test_every_form_answers_4xx_or_success_and_loses_nothing(world, values, role, testapp):
    testapp.reset()
    login(testapp, world["roles"][role])
    for path in _pages(world):
        page = testapp.get(path, expect_errors=True)
        assert page.status_int < 500, path
        if page.status_int != 200 or "html" not in page.content_type:
            continue
        for form in list(page.forms.values()):
            if form.id in ("logout-form",) or "logout" in (form.action or ""):
                continue
            response = _fill_and_submit(testapp, form, values)
            assert response.status_int < 500, (path, form.id, response.text[:300])
    assert_nothing_lost(world)


@FUZZ
@given(data=st.data(), values=inputs)
def test_the_visitor_forms_answer_4xx_or_success(testapp, world, data, values):
    testapp.reset()
    for path in ("/register", "/login", "/search"):
        page = testapp.get(path)
        for form in list(page.forms.values()):
            response = _fill_and_submit(testapp, form, values)
            assert response.status_int < 500, (path, form.id, response.text[:300])
        testapp.reset()
    for name in ("q", "page", "category", "status", "tag", "from", "to", "sort"):
        response = testapp.get(f"/search?{name}={as_sent(data.draw(text))}", expect_errors=True)
        assert response.status_int < 500, name
    assert_nothing_lost(world)
