"""Moderation's part of the OpenAPI document (/api/v1/openapi.json), registered
through the core's ``register_paths`` from ``api.init_app``."""
from community.api.openapi import error_responses, ref, register_paths

from .labels import DECISION_REASONS, FLAG_REASONS
from .services import posts, queue, sanctions

STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
DATETIME = {"type": "string", "format": "date-time"}
TOKEN = [{"bearerAuth": []}]
TAGS = ["moderation"]
REASON_CODE = {"type": "string", "enum": list(DECISION_REASONS),
               "description": "Why, as a code the member reads in their language; required to "
                              "reject, hide or delete (a `reason` text alone counts as "
                              "`other`)."}
REASON = {"type": "string", "description": "Explanation the member reads (optional)."}
THREAD_TOOLS = ("pin", "unpin", "close", "reopen", "lock", "unlock", "move", "rename",
                "duplicate", "merge", "escalate")


def _nullable(schema):
    return {**schema, "type": [schema["type"], "null"]}


def _object(properties, required=()):
    return {"type": "object", "required": list(required), "properties": properties}


def _path(name, description, schema=INTEGER):
    return {"name": name, "in": "path", "required": True, "schema": schema,
            "description": description}


def _query(name, description, schema=STRING):
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


def _ok(status, description, schema):
    return {str(status): {"description": description,
                          "content": {"application/json": {"schema": ref(schema)}}}}


def _body(schema):
    return {"required": False, "content": {"application/json": {"schema": ref(schema)}},
            "description": "A JSON object; an empty body counts as `{}`."}


def _operation(operation_id, summary, responses, parameters=(), body=None, description=None):
    operation = {"operationId": operation_id, "summary": summary, "tags": TAGS,
                 "security": TOKEN, "responses": responses}
    if description:
        operation["description"] = description
    if parameters:
        operation["parameters"] = list(parameters)
    if body:
        operation["requestBody"] = _body(body)
    return operation


AUDIT_ENTRY = _object({
    "id": INTEGER, "actor": _nullable({**STRING, "description": "Name; null: automatic."}),
    "actor_id": _nullable(INTEGER), "action": {**STRING, "examples": ["post.hide"]},
    "target_type": {"type": "string", "enum": ["post", "thread", "user", "category",
                                               "blocked_word"]},
    "target_id": _nullable(INTEGER), "reason_code": STRING, "reason": STRING,
    "details": {"type": "object", "description": "Before/after of edits, moves and settings."},
    "created_at": DATETIME,
}, required=("id", "actor", "action", "target_type", "target_id", "reason", "created_at"))

SCHEMAS = {
    "ModFlagRequest": _object({
        "reason": {"type": "string", "enum": list(FLAG_REASONS)},
        "text": {**STRING, "maxLength": 500, "description": "Required (5+ characters) for "
                                                            "`other`."}}, required=("reason",)),
    "ModFlag": _object({"flag": _object({"id": INTEGER, "post_id": INTEGER, "reason": STRING,
                                         "created_at": DATETIME})}, required=("flag",)),
    "ModQueueItem": _object({
        "id": INTEGER, "kind": {"type": "string", "enum": list(queue.KINDS)},
        "version": {**INTEGER, "description": "Send it back with a decision."},
        "priority": {**INTEGER, "description": "10: urgent (private data, needs an official "
                                               "answer)."},
        "post_id": _nullable(INTEGER), "thread_id": _nullable(INTEGER),
        "thread_title": _nullable(STRING), "post_body": _nullable(STRING),
        "post_visibility": _nullable(STRING), "author_id": INTEGER,
        "author": _object({"id": INTEGER, "name": STRING,
                           "history": {"type": "object", "description": "Posts by visibility, "
                                       "flags received and upheld, sanctions."}}),
        "reasons": {"type": "array", "items": {"type": "object"},
                    "description": "Why a post is held: `{\"code\", \"detail\"}`."},
        "appeal_text": _nullable(STRING), "created_at": DATETIME,
        "flags": {"type": "array", "items": _object({
            "reason": STRING, "text": STRING, "user_id": INTEGER, "created_at": DATETIME})},
    }, required=("id", "kind", "version", "priority", "post_id", "author_id", "reasons",
                 "flags")),
    "ModQueue": _object({"total": INTEGER, "items": {"type": "array",
                                                     "items": ref("ModQueueItem")}},
                        required=("total", "items")),
    "ModItemDecision": _object({
        "version": INTEGER, "reason_code": REASON_CODE, "reason": REASON,
        "urgent": {**BOOLEAN, "description": "For `escalate`."}}, required=("version",)),
    "ModPostDecision": _object({
        "reason_code": REASON_CODE, "reason": REASON,
        "expected_visibility": {"type": "string", "enum": ["visible", "pending", "hidden",
                                                           "deleted"],
                                "description": "What you saw; if it changed meanwhile the "
                                               "call is a 409 and nothing happens."}}),
    "ModAuditEntry": AUDIT_ENTRY,
    "ModAuditLog": _object({"total": INTEGER, "entries": {"type": "array",
                                                          "items": ref("ModAuditEntry")}},
                           required=("total", "entries")),
    "ModResult": _object({
        "entry": {"oneOf": [ref("ModAuditEntry"), {"type": "null"}],
                  "description": "The audit entry; null when nothing changed."},
        "visibility": {**STRING, "description": "The post's visibility now (post actions)."}},
        required=("entry",)),
    "ModThreadTool": _object({
        "reason": STRING, "category_id": {**INTEGER, "description": "For `move`."},
        "title": {**STRING, "description": "For `rename`."},
        "tags": {"type": "array", "items": STRING, "description": "For `rename`."},
        "target_id": {**INTEGER, "description": "The other thread, for `duplicate` and "
                                                "`merge`."},
        "urgent": {**BOOLEAN, "description": "For `escalate`."}}),
    "ModSanctionRequest": _object({
        "kind": {"type": "string", "enum": list(sanctions.KINDS)},
        "days": {"type": ["integer", "null"], "minimum": 1, "maximum": sanctions.MAX_DAYS,
                 "description": "null: permanent."},
        "reason_code": REASON_CODE, "reason": REASON}, required=("kind", "reason_code")),
    "ModSanction": _object({"sanction": _object({
        "id": INTEGER, "kind": STRING, "ends_at": _nullable(DATETIME)})}, required=("sanction",)),
    "ModLiftRequest": _object({"reason": STRING}),
    "ModLifted": _object({"sanction": _object({"id": INTEGER, "lifted_at": DATETIME})},
                         required=("sanction",)),
}

POST_ID = _path("post_id", "The post.")
PATHS = {
    "/posts/{post_id}/flags": {"post": _operation(
        "flagPost", "Flag a post for the moderators (any signed-in member)",
        {**_ok(201, "The flag.", "ModFlag"), **error_responses(400, 403, 404, 409, 422)},
        parameters=[POST_ID], body="ModFlagRequest",
        description="One flag per member and post (again: 409 `already_flagged`); not on "
                    "one's own posts (403). Flags from several members hide the post until "
                    "reviewed.")},
    "/mod/queue": {"get": _operation(
        "reviewQueue", "Open review items, urgent first, then oldest first (moderators)",
        {**_ok(200, "The items.", "ModQueue"), **error_responses(403, 422)},
        parameters=[_query("kind", "Only this kind.", {"type": "string",
                                                       "enum": list(queue.KINDS)}),
                    _query("limit", "How many, 1 to 200.", {"type": "integer", "minimum": 1,
                                                            "maximum": 200, "default": 50})])},
    "/mod/items/{item_id}/{action}": {"post": _operation(
        "decideReviewItem", "Decide a review item (moderators)",
        {**_ok(200, "Decided.", "ModResult"), **error_responses(400, 403, 404, 409, 422)},
        parameters=[_path("item_id", "The review item."),
                    _path("action", "pending: approve, reject, delete; flagged: dismiss, hide, "
                                    "delete, escalate; appeal: grant, deny.",
                          {"type": "string", "enum": sorted({a for actions in queue.ACTIONS
                                                             .values() for a in actions})})],
        body="ModItemDecision",
        description="409 `already_handled` when another moderator decided first or the item "
                    "changed since `version`; the message says what happened.")},
    "/mod/posts/{post_id}/{action}": {"post": _operation(
        "moderatePost", "Hide, restore, soft-delete, approve or reject a post (moderators)",
        {**_ok(200, "Done.", "ModResult"), **error_responses(400, 403, 404, 409, 422)},
        parameters=[POST_ID, _path("action", "What to do.", {
            "type": "string", "enum": sorted(posts.ALLOWED_FROM) + ["approve", "reject"]})],
        body="ModPostDecision",
        description="Nothing is ever deleted: `delete` is a soft delete that `restore` undoes. "
                    "`approve` and `reject` decide a post waiting for review (409 "
                    "`not_pending` otherwise).")},
    "/mod/audit": {"get": _operation(
        "auditLog", "The audit log, newest first (moderators)",
        {**_ok(200, "The entries.", "ModAuditLog"), **error_responses(403, 422)},
        parameters=[_query("actor", "Name (part of it) or id."),
                    _query("action", "An action or its prefix, e.g. `post.`."),
                    _query("target_type", "post, thread, user, category or blocked_word."),
                    _query("target_id", "With `target_type`.", INTEGER),
                    _query("since", "From this day (YYYY-MM-DD).", {"type": "string",
                                                                    "format": "date"}),
                    _query("until", "Up to this day (YYYY-MM-DD).", {"type": "string",
                                                                     "format": "date"}),
                    _query("limit", "How many, 1 to 500.", {"type": "integer", "minimum": 1,
                                                            "maximum": 500, "default": 100})])},
    "/mod/threads/{thread_id}/{tool}": {"post": _operation(
        "threadTool", "Pin, close, lock, move, rename, mark as duplicate, merge or escalate "
                      "a thread (moderators)",
        {**_ok(200, "Done.", "ModResult"), **error_responses(400, 403, 404, 422)},
        parameters=[_path("thread_id", "The thread."),
                    _path("tool", "The tool.", {"type": "string", "enum": list(THREAD_TOOLS)})],
        body="ModThreadTool",
        description="`merge` moves every answer into `target_id` (order and authors kept) and "
                    "redirects the old address; `escalate` asks the support team to answer.")},
    "/mod/users/{user_id}/sanctions": {"post": _operation(
        "imposeSanction", "Silence or suspend a member (moderators: customers; admins: anyone "
                          "but themselves)",
        {**_ok(201, "The sanction.", "ModSanction"), **error_responses(400, 403, 404, 422)},
        parameters=[_path("user_id", "The member.")], body="ModSanctionRequest",
        description="The member is told the reason. A sanction ends by itself at `ends_at`.")},
    "/mod/sanctions/{sanction_id}/lift": {"post": _operation(
        "liftSanction", "End a sanction early",
        {**_ok(200, "Lifted.", "ModLifted"), **error_responses(400, 403, 404, 409, 422)},
        parameters=[_path("sanction_id", "The sanction.")], body="ModLiftRequest",
        description="409 `not_active` when it has already ended.")},
}


def describe():
    register_paths(PATHS, schemas=SCHEMAS)
