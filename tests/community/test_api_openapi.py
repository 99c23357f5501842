"""The OpenAPI 3.1 document describes every API v1 route the app has, and nothing else;
and every answer a test receives from the API is checked against it."""
import json

import pytest
from webtest import TestApp

from community.api import openapi
from tests.api_schema import DocumentMismatch, check_api_response
from tests.conftest import isolated

METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.fixture
def registry(monkeypatch):
    """An empty registry of feature paths for this test only."""
    monkeypatch.setattr(openapi, "_extra_paths", {})
    monkeypatch.setattr(openapi, "_extra_schemas", {})


def api_routes(app, blueprint=None):
    """``{"/threads/{thread_id}": {"get"}, ...}`` of the app's rules under /api/v1."""
    routes = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        if blueprint and rule.endpoint.split(".")[0] != blueprint:
            continue
        methods = {m.lower() for m in rule.methods} - {"head", "options"}
        routes.setdefault(openapi.openapi_path(rule.rule), set()).update(methods)
    return routes


def operations(doc):
    for path, item in doc["paths"].items():
        for method in set(item) & METHODS:
            yield path, method, item[method]


def resolve(doc, ref):
    assert ref.startswith("#/"), ref
    node = doc
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def test_document_is_served_as_json(testapp):
    response = testapp.get("/api/v1/openapi.json")
    assert response.content_type == "application/json"
    doc = response.json
    assert doc["openapi"] == "3.1.0"
    assert doc["servers"] == [{"url": "/api/v1"}]
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "An API token of a member."}
    assert {"Thread", "ThreadDetail", "Post", "Category", "Error"} <= set(
        doc["components"]["schemas"])


def test_every_core_route_is_described_with_its_methods(make_app):
    """With no feature loaded, the document and the URL map agree exactly."""
    app = make_app(FORUM_FEATURES=())
    doc = TestApp(isolated(app)).get("/api/v1/openapi.json").json
    documented = {path: set(item) & METHODS for path, item in doc["paths"].items()}
    assert documented == api_routes(app)


def test_every_route_is_described_with_all_features_on(app, testapp):
    """The features' API routes too: the document and the URL map agree exactly."""
    assert set(app.extensions["forum_features"]) == {"moderation", "search", "agent_bridge"}
    doc = testapp.get("/api/v1/openapi.json").json
    documented = {path: set(item) & METHODS for path, item in doc["paths"].items()}
    assert documented == api_routes(app)


@pytest.mark.parametrize("features", [(), ("moderation", "search", "agent_bridge")],
                         ids=["core", "all-features"])
def test_document_validates_as_openapi_3_1(make_app, features):
    from openapi_spec_validator import OpenAPIV31SpecValidator
    app = make_app(FORUM_FEATURES=features)
    doc = TestApp(isolated(app)).get("/api/v1/openapi.json").json
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in OpenAPIV31SpecValidator(doc).iter_errors()]
    assert errors == []


def test_every_reference_resolves_and_every_schema_is_used(testapp):
    doc = testapp.get("/api/v1/openapi.json").json
    used = set()
    for ref in refs(doc):
        resolve(doc, ref)
        used.add(ref)
    for name in doc["components"]["schemas"]:
        assert f"#/components/schemas/{name}" in used, name
    for name in doc["components"]["responses"]:
        assert f"#/components/responses/{name}" in used, name


def test_operations_declare_ids_parameters_security_and_errors(testapp):
    doc = testapp.get("/api/v1/openapi.json").json
    ids = [op["operationId"] for _, _, op in operations(doc)]
    assert len(ids) == len(set(ids))
    for path, method, op in operations(doc):
        params = [resolve(doc, p["$ref"]) if "$ref" in p else p for p in op.get("parameters", [])]
        in_path = {p["name"] for p in params if p["in"] == "path"}
        assert in_path == {part[1:-1] for part in path.split("/") if part.startswith("{")}, path
        statuses = set(op["responses"])
        assert {"401", "500"} <= statuses, (method, path)
        for status, response in op["responses"].items():
            if status.startswith(("4", "5")):
                response = resolve(doc, response["$ref"])
                assert response["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"}
        if method == "get":  # public reads; a feature's staff-only reads need a token
            assert op["security"] in ([{}, {"bearerAuth": []}], [{"bearerAuth": []}])
            if op["security"] == [{"bearerAuth": []}]:
                assert "403" in statuses
        else:
            assert op["security"] == [{"bearerAuth": []}]
            assert "403" in statuses
            assert {"400", "413", "422"} <= statuses, (method, path)  # the input layer's
        if method == "post" and "requestBody" in op:
            assert {"400", "422"} <= statuses


def test_documented_error_statuses(testapp):
    """The statuses each endpoint can answer with (each one is reached in test_api.py;
    the input layer's 400, 413 and 422 of every write call in tests/abuse)."""
    doc = testapp.get("/api/v1/openapi.json").json
    errors = {(method, path): sorted(int(s) for s in op["responses"] if int(s) >= 400)
              for path, method, op in operations(doc) if op["tags"] == ["forum"]}
    assert errors == {
        ("get", "/categories"): [401, 500],
        ("get", "/threads"): [401, 404, 422, 500],
        ("post", "/threads"): [400, 401, 403, 413, 422, 429, 500],
        ("get", "/threads/{thread_id}"): [401, 404, 422, 500],
        ("post", "/threads/{thread_id}/posts"): [400, 401, 403, 404, 413, 422, 429, 500],
        ("get", "/posts/{post_id}"): [401, 404, 500],
        ("post", "/posts/{post_id}/accept"): [400, 401, 403, 404, 409, 413, 422, 500],
        ("delete", "/posts/{post_id}/accept"): [400, 401, 403, 404, 413, 422, 500],
        ("post", "/posts/{post_id}/helpful"): [400, 401, 403, 404, 413, 422, 500],
        ("get", "/openapi.json"): [401, 500],
    }
    assert doc["components"]["responses"]["RateLimited"]["headers"]["Retry-After"]


def test_features_register_their_paths(app, testapp, registry):
    app.add_url_rule("/api/v1/feature/queue", "feature_queue", lambda: {"items": []})
    queue = {"get": {"operationId": "featureQueue", "summary": "A feature's queue",
                     "tags": ["feature"], "security": [{"bearerAuth": []}],
                     "responses": {"200": {"description": "Items.", "content": {
                         "application/json": {"schema": {
                             "$ref": "#/components/schemas/QueueList"}}}},
                         **openapi.error_responses(403)}}}
    schema = {"type": "object", "properties": {"items": {"type": "array"}}}
    openapi.register_paths({"/api/v1/feature/queue": queue}, schemas={"QueueList": schema})
    openapi.register_paths({"/feature/queue": queue}, schemas={"QueueList": schema})  # again
    doc = testapp.get("/api/v1/openapi.json").json
    assert doc["paths"]["/feature/queue"] == queue
    assert set(doc["paths"]["/feature/queue"]["get"]["responses"]) == {"200", "401", "403", "500"}
    for ref in refs(doc["paths"]["/feature/queue"]):
        resolve(doc, ref)
    assert doc["components"]["schemas"]["QueueList"] == schema
    assert doc["paths"]["/threads"]["get"]["operationId"] == "listThreads"


def test_paths_without_a_route_are_left_out(testapp, registry):
    openapi.register_paths({"/switched-off": {"get": {"operationId": "off", "responses": {}}}})
    assert "/switched-off" not in testapp.get("/api/v1/openapi.json").json["paths"]


def test_a_different_definition_of_a_known_operation_is_an_error(registry):
    with pytest.raises(ValueError):
        openapi.register_paths({"/threads": {"get": {"operationId": "mine", "responses": {}}}})
    openapi.register_paths({"/mine": {"get": {"operationId": "mine", "responses": {}}}})
    with pytest.raises(ValueError):
        openapi.register_paths({"/mine": {"get": {"operationId": "other", "responses": {}}}})
    with pytest.raises(ValueError):
        openapi.register_paths({}, schemas={"Thread": {"type": "string"}})


# --- The suite checks every answer against the document (tests/conftest.py) ---------------------

THREAD = {"id": 1, "title": "Router drops the line", "slug": "router-drops-the-line",
          "url": "http://localhost/t/1/router-drops-the-line",
          "category": {"slug": "internet", "name": "Internet"}, "status": "open",
          "visibility": "visible", "accepted_post_id": None, "reply_count": 0,
          "helpful_count": 0, "tags": [], "author": {"id": 2, "name": "Ann", "role": "customer"},
          "created_at": "2026-03-01T09:30:00Z", "last_activity_at": "2026-03-01T09:30:00Z"}


def answer(app, method, path, status, payload, content_type="application/json"):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    check_api_response(app, method, path, status, content_type, body)


def test_an_answer_as_documented_passes(app):
    answer(app, "GET", "/api/v1/threads", 200,
           {"threads": [THREAD], "page": 1, "pages": 1, "total": 1})
    answer(app, "GET", "/api/v1/threads/7", 404,
           {"error": {"code": "not_found", "message": "No such thread.", "fields": {}}})
    answer(app, "GET", "/api/v1/no-such-thing", 404,
           {"error": {"code": "not_found", "message": "Not found.", "fields": {}}})
    answer(app, "PATCH", "/api/v1/threads", 405,
           {"error": {"code": "method_not_allowed", "message": "No.", "fields": {}}})
    answer(app, "POST", "/api/v1/threads", 422,  # an error object may carry more keys
           {"error": {"code": "public_data", "message": "Private data?",
                      "fields": {"body": "Contains an IBAN."}, "kinds": ["iban"]}})


@pytest.mark.parametrize("method, path, status, payload, reason", [
    ("GET", "/api/v1/threads", 200, {"threads": [{**THREAD, "status": "pending"}], "page": 1,
                                     "pages": 1, "total": 1},
     r"\['threads'\]\[0\]\['status'\]: 'pending' is not one of"),
    ("GET", "/api/v1/threads", 200, {"threads": [], "page": 1, "pages": 1},
     r"'total' is a required property"),
    ("GET", "/api/v1/threads", 200, {"threads": [{**THREAD, "author_email": "a@b.example"}],
                                     "page": 1, "pages": 1, "total": 1},
     r"\['threads'\]\[0\]: Additional properties are not allowed \('author_email' was"),
    ("GET", "/api/v1/threads", 200, {"threads": [{**THREAD, "created_at": ""}], "page": 1,
                                     "pages": 1, "total": 1},
     r"\['created_at'\]: '' is not a 'date-time'"),
    ("GET", "/api/v1/categories", 418, {"error": {"code": "teapot", "message": "", "fields": {}}},
     r"GET /categories documents no response 418"),
    ("GET", "/api/v1/posts/3", 404, {"error": "not_found"},
     r"\['error'\]: 'not_found' is not of type 'object'"),
    ("GET", "/api/v1/posts/3", 200, b"<p>Hello</p>", r"documents application/json"),
    ("GET", "/api/v1/no-such-thing", 200, {"ok": True}, r"only an error 404 may answer"),
    ("GET", "/api/v1/no-such-thing", 404, {"message": "Not found."},
     r"'error' is a required property"),
], ids=["enum", "required", "undocumented-key", "format", "status", "error-envelope",
        "not-json", "unknown-path", "unknown-path-envelope"])
def test_an_answer_that_drifted_from_the_document_fails(app, method, path, status, payload,
                                                         reason):
    content_type = "text/html" if isinstance(payload, bytes) else "application/json"
    with pytest.raises(DocumentMismatch, match=reason) as failure:
        answer(app, method, path, status, payload, content_type)
    assert f"{method} {path} answered {status}" in str(failure.value)


def test_a_test_receiving_an_undocumented_answer_fails(app, testapp, registry):
    """Through HTTP: the WSGI wrapper of every WebTest app (``isolated``) checks it."""
    app.add_url_rule("/api/v1/feature/queue", "feature_queue",
                     lambda: {"items": "not a list"})
    schema = {"type": "object", "required": ["items"],
              "properties": {"items": {"type": "array"}}}
    openapi.register_paths({"/feature/queue": {"get": {
        "operationId": "featureQueue", "summary": "A feature's queue", "tags": ["feature"],
        "security": [{"bearerAuth": []}],
        "responses": {"200": {"description": "Items.", "content": {"application/json": {
            "schema": openapi.ref("QueueList")}}}, **openapi.error_responses(403)}}}},
        schemas={"QueueList": schema})
    with pytest.raises(DocumentMismatch, match=r"\['items'\]: 'not a list' is not of type"):
        testapp.get("/api/v1/feature/queue")
