"""The OpenAPI 3.1 document of API v1, built as Python data.

Schemas are defined once under ``components`` and referenced with ``$ref``. Path keys
are relative to the server URL ``/api/v1``.

Feature packages describe their own routes from their ``init_app``::

    from community.api.openapi import error_responses, register_paths
    register_paths({"/mod/queue": {"get": {...}}}, schemas={"QueueItem": {...}})

A feature's paths appear in the document of an app only while that app has a route
for them, so a feature switched off by ``FORUM_FEATURES`` is not described.

A feature that reads an extra key of a core request body (through the API's
``forum_api_write_checks``) documents it per app::

    add_properties(app, "NewPost", {"confirm": {"type": "boolean"}})
"""
import copy
import re

from flask import current_app

from ..services.listing import FILTERS
from ..models.accounts import ROLES
from ..services.threads import BODY_LENGTH, TITLE_LENGTH

PREFIX = "/api/v1"
METHODS = ("get", "put", "post", "delete", "patch")

# Registered by feature packages: path -> {method: operation}; schema name -> schema.
_extra_paths = {}
_extra_schemas = {}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema):
    return {"application/json": {"schema": schema}}


def _nullable(schema):
    return {**schema, "type": [schema["type"], "null"]}


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
DATETIME = {"type": "string", "format": "date-time", "examples": ["2026-03-01T09:30:00Z"]}


def _object(properties, required=None):
    return {"type": "object", "required": list(required or properties), "properties": properties}


# --- Schemas -------------------------------------------------------------------------------------

SCHEMAS = {
    "Error": _object({"error": {**_object({
        "code": {**STRING, "description": "Machine-readable, e.g. `not_found`, `invalid`, "
                                          "`bad_json`, `unauthorized`, `forbidden`."},
        "message": {**STRING, "description": "For people, in the caller's language."},
        "fields": {"type": "object", "additionalProperties": STRING,
                   "description": "Per-field messages (what was wrong with which parameter)."},
    }), "additionalProperties": True,
        "description": "Some errors add keys here; the operation or field that causes them "
                       "describes them."}}),
    "Category": _object({"id": INTEGER, "slug": STRING, "name": STRING, "description": STRING}),
    "CategoryList": _object({"categories": {"type": "array", "items": ref("Category")}}),
    "Author": _object({"id": INTEGER, "name": STRING,
                       "role": {"type": "string", "enum": list(ROLES)}}),
    "PostAuthor": {"allOf": [ref("Author"), _object(
        {"staff_title": _nullable({**STRING, "description": "Job title of staff members."})})]},
    "Thread": _object({
        "id": INTEGER,
        "title": {**STRING, "description": "Plain text (not HTML)."},
        "slug": STRING,
        "url": {"type": "string", "format": "uri", "description": "The thread's web page."},
        "category": _object({"slug": STRING, "name": STRING}),
        "status": {"type": "string", "enum": ["open", "solved", "closed"]},
        "visibility": {"type": "string", "enum": ["visible", "pending", "hidden", "deleted"],
                       "description": "`pending`: waits for review (shown to its author and "
                                      "moderators only)."},
        "accepted_post_id": _nullable(INTEGER),
        "reply_count": {**INTEGER, "description": "Visible replies."},
        "helpful_count": INTEGER,
        "tags": {"type": "array", "items": STRING},
        "author": ref("Author"),
        "created_at": DATETIME,
        "last_activity_at": DATETIME,
    }),
    "ThreadList": _object({"threads": {"type": "array", "items": ref("Thread")},
                           "page": INTEGER, "pages": INTEGER, "total": INTEGER}),
    "Post": _object({
        "id": INTEGER,
        "thread_id": INTEGER,
        "number": {**INTEGER, "description": "1 is the question; replies count up."},
        "url": {"type": "string", "format": "uri", "description": "The post on the web page."},
        "author": ref("PostAuthor"),
        "body_html": {**STRING, "description": "Sanitized HTML rendered from the Markdown."},
        "visibility": {"type": "string", "enum": ["visible", "pending", "hidden", "deleted"]},
        "helpful_count": INTEGER,
        "is_official": {**BOOLEAN, "description": "An official answer of the support team."},
        "created_at": DATETIME,
        "edited_at": _nullable(DATETIME),
    }),
    "ThreadDetail": {"allOf": [ref("Thread"), _object({
        "posts": {"type": "array", "items": ref("Post"),
                  "description": "The question first, then the replies of this page that the "
                                 "caller may see."},
        "accepted_post": {"oneOf": [ref("Post"), {"type": "null"}]},
        "page": INTEGER,
        "pages": INTEGER,
        "total_replies": {**INTEGER, "description": "Replies the caller may see."},
    })]},
    "ThreadState": _object({"id": INTEGER, "status": {"type": "string",
                                                      "enum": ["open", "solved", "closed"]},
                            "accepted_post_id": _nullable(INTEGER)}),
    "HelpfulVote": _object({"post_id": INTEGER,
                            "helpful": {**BOOLEAN, "description": "Whether the vote stands now."},
                            "helpful_count": INTEGER}),
    "NewThread": {**_object({
        "category": {**STRING, "description": "Slug of the category."},
        "title": {**STRING, "minLength": TITLE_LENGTH[0], "maxLength": TITLE_LENGTH[1]},
        "body": {**STRING, "minLength": BODY_LENGTH[0], "maxLength": BODY_LENGTH[1],
                 "description": "Markdown."},
        "tags": {"type": "array", "items": {**STRING, "minLength": 2}},
    }, required=["category", "title", "body"]), "additionalProperties": False},
    "NewPost": {**_object({"body": {**STRING, "minLength": BODY_LENGTH[0],
                                    "maxLength": BODY_LENGTH[1], "description": "Markdown."}}),
                "additionalProperties": False},
    "OpenAPI": {"type": "object", "description": "This document."},
    "DataExport": _object({
        "id": INTEGER,
        "status": {"type": "string", "enum": ["pending", "ready"],
                   "description": "`pending`: the worker is putting it together; `ready`: "
                                  "download it from `download_url`."},
        "requested_at": DATETIME,
        "ready_at": _nullable(DATETIME),
        "expires_at": {**_nullable(DATETIME),
                       "description": "After this the download is gone (7 days by default)."},
        "size": _nullable({**INTEGER, "description": "Bytes of the ZIP."}),
        "download_url": _nullable({"type": "string", "format": "uri"}),
    }),
}


# --- Responses -----------------------------------------------------------------------------------

ERRORS = {
    400: ("BadJson", "The body is not a JSON object, or is nested too deeply (code "
                     "`bad_json`)."),
    401: ("Unauthorized", "No API token where one is needed, or a malformed, revoked or unknown "
                          "token (code `unauthorized`)."),
    403: ("Forbidden", "The caller may not do this (code `forbidden`)."),
    404: ("NotFound", "No such resource, or one the caller may not see (code `not_found`)."),
    409: ("Conflict", "The request conflicts with the current state."),
    413: ("TooLarge", "The body is larger than the server accepts (code `too_large`)."),
    422: ("Invalid", "A parameter or field is invalid; see `fields` (code `invalid`)."),
    429: ("RateLimited", "Too many requests; retry after `Retry-After` seconds."),
    500: ("ServerError", "Something went wrong on the server (code `server_error`)."),
}

RESPONSES = {name: {"description": description, "content": _json(ref("Error"))}
             for name, description in ERRORS.values()}
RESPONSES["RateLimited"]["headers"] = {"Retry-After": {"schema": INTEGER,
                                                       "description": "Seconds to wait."}}

# Every call may send a bad token (401) and may fail (500).
ALWAYS = (401, 500)
# The input layer (community/inputs.py) reads the body of every write call before its view
# runs and may refuse it: nested too deeply (400), too large (413), a value no column holds
# (422). ``document()`` adds these to every write operation, the features' too.
WRITE_METHODS = ("post", "put", "patch", "delete")
INPUT_ERRORS = (400, 413, 422)


def error_responses(*statuses):
    """``{"404": {"$ref": ...}, ...}`` for the given statuses, plus 401 and 500."""
    return {str(status): {"$ref": f"#/components/responses/{ERRORS[status][0]}"}
            for status in sorted(set(statuses) | set(ALWAYS))}


def _ok(status, description, schema, errors, location=None):
    response = {"description": description, "content": _json(ref(schema))}
    if location:
        response["headers"] = {"Location": {"schema": {"type": "string", "format": "uri"},
                                            "description": location}}
    return {str(status): response, **error_responses(*errors)}


# --- Paths ---------------------------------------------------------------------------------------

PARAMETERS = {
    "ThreadId": {"name": "thread_id", "in": "path", "required": True, "schema": INTEGER},
    "PostId": {"name": "post_id", "in": "path", "required": True, "schema": INTEGER},
    "Page": {"name": "page", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "default": 1},
             "description": "Page number; anything else is a 422 with field `page`."},
    "Category": {"name": "category", "in": "query", "required": False, "schema": STRING,
                 "description": "Slug of a category; an unknown one is a 404 with field "
                                "`category`."},
    "Filter": {"name": "filter", "in": "query", "required": False,
               "schema": {"type": "string", "enum": list(FILTERS), "default": "all"},
               "description": "Anything else is a 422 with field `filter`."},
}


def _param(name):
    return {"$ref": f"#/components/parameters/{name}"}


PUBLIC = [{}, {"bearerAuth": []}]  # anonymous, or with a token (then sees own pending posts)
TOKEN = [{"bearerAuth": []}]


def _operation(operation_id, summary, responses, security=PUBLIC, parameters=(), body=None,
               description=None, tag="forum"):
    operation = {"operationId": operation_id, "summary": summary, "tags": [tag],
                 "security": security, "responses": responses}
    if description:
        operation["description"] = description
    if parameters:
        operation["parameters"] = [_param(name) for name in parameters]
    if body:
        operation["requestBody"] = {"required": True, "content": _json(ref(body))}
    return operation


PATHS = {
    "/categories": {"get": _operation(
        "listCategories", "Categories in display order",
        _ok(200, "The categories.", "CategoryList", ()))},
    "/threads": {
        "get": _operation(
            "listThreads", "Visible threads, most recent activity first",
            _ok(200, "One page of threads.", "ThreadList", (404, 422)),
            parameters=("Category", "Filter", "Page")),
        "post": _operation(
            "createThread", "Ask a question",
            _ok(201, "The new thread with its question.", "ThreadDetail", (400, 403, 422, 429),
                location="The thread in the API."),
            security=TOKEN, body="NewThread",
            description="The thread may be `pending` (held for review); it is then visible to "
                        "its author and moderators only."),
    },
    "/threads/{thread_id}": {"get": _operation(
        "getThread", "A thread with its question and one page of replies",
        _ok(200, "The thread.", "ThreadDetail", (404, 422)),
        parameters=("ThreadId", "Page"),
        description="Posts the caller may not see are left out. A page past the last one is a "
                    "404.")},
    "/threads/{thread_id}/posts": {"post": _operation(
        "createPost", "Reply to a thread",
        _ok(201, "The new post.", "Post", (400, 403, 404, 422, 429),
            location="The post in the API."),
        security=TOKEN, parameters=("ThreadId",), body="NewPost",
        description="A closed thread is a 403 for members.")},
    "/posts/{post_id}": {"get": _operation(
        "getPost", "One post", _ok(200, "The post.", "Post", (404,)), parameters=("PostId",))},
    "/posts/{post_id}/accept": {
        "post": _operation(
            "acceptAnswer", "Accept this reply as the answer (replaces an earlier one)",
            _ok(200, "The thread's state.", "ThreadState", (403, 404, 409)),
            security=TOKEN, parameters=("PostId",),
            description="Only the asker or a moderator. The question itself or a reply that is "
                        "not visible is a 409."),
        "delete": _operation(
            "removeAcceptedAnswer", "Take back the acceptance of this reply",
            _ok(200, "The thread's state.", "ThreadState", (403, 404)),
            security=TOKEN, parameters=("PostId",),
            description="Only the asker or a moderator. Nothing changes when this reply is not "
                        "the accepted answer."),
    },
    "/posts/{post_id}/helpful": {"post": _operation(
        "toggleHelpful", "Vote a reply helpful, or take the vote back",
        _ok(200, "Whether the vote stands now.", "HelpfulVote", (403, 404)),
        security=TOKEN, parameters=("PostId",),
        description="Not on one's own posts, nor on the question (403).")},
    "/me/export": {"get": _operation(
        "getMyDataExport", "Start the caller's data export, or see how it stands",
        _ok(200, "The caller's export.", "DataExport", (403,)), security=TOKEN, tag="privacy",
        description="Everything the site holds about the token's owner (GDPR Art. 15 and "
                    "20), as a ZIP of JSON files with a readable index.html. The first call "
                    "starts it and the worker builds it; later calls say how it stands. One "
                    "at a time: a new export starts a day after the last one. A suspended "
                    "account's token is refused (403).")},
    "/me/export/download": {"get": _operation(
        "downloadMyDataExport", "Download the caller's ready data export",
        {"200": {"description": "The ZIP file.",
                 "content": {"application/zip": {"schema": {
                     "type": "string", "contentMediaType": "application/zip"}}}},
         **error_responses(403, 404)},
        security=TOKEN, tag="privacy",
        description="404 while no export is ready (or after it expired).")},
    "/openapi.json": {"get": _operation(
        "getOpenAPI", "This document", _ok(200, "The OpenAPI 3.1 document.", "OpenAPI", ()))},
}


# --- Extension and assembly ----------------------------------------------------------------------

def _relative(path):
    return path[len(PREFIX):] if path.startswith(PREFIX + "/") else path


def register_paths(paths, schemas=None):
    """Add a feature's operations (path keys relative to ``/api/v1``) and schemas.

    Calling it again with the same definitions does nothing (``init_app`` runs for
    every app); a different definition of an existing operation or schema is an error.
    """
    for path, item in paths.items():
        target = _extra_paths.setdefault(_relative(path), {})
        for key, value in item.items():
            known = PATHS.get(_relative(path), {}).get(key, target.get(key))
            if known is not None and known != value:
                raise ValueError(f"{key.upper()} {path} is already described differently")
            target[key] = copy.deepcopy(value)
    for name, schema in (schemas or {}).items():
        known = SCHEMAS.get(name, _extra_schemas.get(name))
        if known is not None and known != schema:
            raise ValueError(f"schema {name!r} is already defined differently")
        _extra_schemas[name] = copy.deepcopy(schema)


def add_properties(app, schema, properties):
    """Document keys a feature adds to a core request body schema (``NewThread``,
    ``NewPost``). Kept in ``app.extensions``, so only an app that loaded the feature
    describes them; adding the same definition again does nothing."""
    core = SCHEMAS.get(schema)
    if core is None or "properties" not in core:
        raise ValueError(f"schema {schema!r} has no properties to add to")
    added = app.extensions.setdefault("openapi_properties", {}).setdefault(schema, {})
    for name, definition in properties.items():
        known = core["properties"].get(name, added.get(name))
        if known is not None and known != definition:
            raise ValueError(f"property {name!r} of {schema!r} is already described differently")
        added[name] = copy.deepcopy(definition)


def openapi_path(rule):
    """``/api/v1/threads/<int:thread_id>`` -> ``/threads/{thread_id}``."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", _relative(rule))


def _routed_paths():
    return {openapi_path(rule.rule) for rule in current_app.url_map.iter_rules()
            if rule.rule.startswith(PREFIX + "/")}


def _with_input_errors(item):
    for method in set(WRITE_METHODS) & set(item):
        responses = {**error_responses(*INPUT_ERRORS), **item[method]["responses"]}
        item[method]["responses"] = dict(sorted(responses.items()))
    return item


def document():
    routed = _routed_paths()
    paths = copy.deepcopy(PATHS)
    for path, item in _extra_paths.items():
        if path in routed:
            paths.setdefault(path, {}).update(copy.deepcopy(item))
    paths = {path: _with_input_errors(item) for path, item in paths.items()}
    schemas = {**copy.deepcopy(SCHEMAS), **copy.deepcopy(_extra_schemas)}
    for name, properties in current_app.extensions.get("openapi_properties", {}).items():
        schemas[name]["properties"].update(copy.deepcopy(properties))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "customer-community API", "version": "1",
            "description": "JSON API for mobile apps, chatbots and CRMs. Send "
                           "`Authorization: Bearer <token>` (tokens are created on the settings "
                           "page or with `flask --app community users token E`). Every error is "
                           "`{\"error\": {\"code\", \"message\", \"fields\"}}` with its HTTP "
                           "status; a method a path does not support is a 405, an unknown path "
                           "a 404. The body of every write call (POST, PUT, PATCH, DELETE) is "
                           "read before anything else, on any path: a body too large is a "
                           "413, JSON nested too deeply a 400 `bad_json`, a value that cannot "
                           "be stored (a control character, a number larger than any id, "
                           "2147483647) a 422.",
        },
        "servers": [{"url": PREFIX}],
        "tags": [{"name": "forum", "description": "Categories, threads, posts, votes."},
                 {"name": "privacy", "description": "The caller's own data (GDPR)."}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": schemas,
            "responses": copy.deepcopy(RESPONSES),
            "parameters": copy.deepcopy(PARAMETERS),
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "An API token of a member."}},
        },
    }
