"""JSON API v1 of search: ``GET /api/v1/search`` and ``GET /api/v1/similar``, the same
services as the pages, described in the OpenAPI document."""
from flask import Blueprint, current_app, jsonify, request
from flask_babel import lazy_gettext as _l

from community.api.auth import api_user, authenticate
from community.api.openapi import DATETIME, INTEGER, STRING, error_responses, ref, register_paths
from community.errors import NotFound, ValidationError
from community.permissions import require
from community.template_helpers import iso, thread_url

from .services import query, similar

bp = Blueprint("search_api", __name__, url_prefix="/api/v1")
bp.before_request(authenticate)

MAX_LIMIT = 20


def _thread_fields(thread):
    return {"thread_id": thread.id, "title": thread.title, "status": thread.public_status,
            "url": thread_url(thread, _external=True)}


@bp.get("/search")
def search():
    require(api_user(), "search")
    args = request.args
    try:
        search_request = query.parse_request(args, per_page=current_app.config["SEARCH_PER_PAGE"])
    except ValidationError as error:
        if "category" in error.fields:   # an unknown category is a 404, as in /threads
            raise NotFound(_l("No such category."), fields={"category": error.fields["category"]})
        raise
    page = query.search(search_request)
    return jsonify(
        results=[{**_thread_fields(r.thread), "snippet": r.snippet.striptags(),
                  "snippet_html": str(r.snippet),
                  "category": {"slug": r.thread.category.slug, "name": r.thread.category.name},
                  "tags": [t.name for t in r.thread.tags], "solved": r.thread.is_solved,
                  "reply_count": r.thread.reply_count, "created_at": iso(r.thread.created_at),
                  "last_activity_at": iso(r.thread.last_activity_at), "score": round(r.score, 4)}
                 for r in page.results],
        total=page.total, page=page.page, pages=page.pages, suggestion=page.suggestion)


def _limit(raw):
    default = current_app.config["SEARCH_SIMILAR_LIMIT"]
    if raw in (None, ""):
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationError(_l("Please correct the marked fields."),
                              fields={"limit": _l("Use a number from 1 to %(max)s.", max=MAX_LIMIT)})
    return int(raw)


@bp.get("/similar")
def similar_threads():
    require(api_user(), "search")
    title = (request.args.get("title") or "").strip()
    body = request.args.get("body") or ""
    limit = _limit(request.args.get("limit"))
    if not title and not body.strip():
        raise ValidationError(_l("Please correct the marked fields."),
                              fields={"title": _l("Enter the question's title.")})
    found = similar.similar(title, body, limit=limit)
    return jsonify(results=[{**_thread_fields(s.thread), "score": round(s.score, 4),
                             "reply_count": s.thread.reply_count, "solved": s.thread.is_solved,
                             "official_answer": s.has_official} for s in found])


# --- OpenAPI -------------------------------------------------------------------------------------

def _query(name, description, schema=STRING, required=False):
    return {"name": name, "in": "query", "required": required, "schema": schema,
            "description": description}


STATUS = {"type": "string", "enum": ["open", "solved", "closed"]}
SCHEMAS = {
    "SearchResult": {"type": "object", "required": [
        "thread_id", "title", "status", "url", "snippet", "snippet_html", "category", "tags",
        "solved", "reply_count", "created_at", "last_activity_at", "score"], "properties": {
        "thread_id": INTEGER, "title": {**STRING, "description": "Plain text."},
        "status": STATUS, "url": {"type": "string", "format": "uri"},
        "snippet": {**STRING, "description": "Plain text around the matched words."},
        "snippet_html": {**STRING, "description": "The snippet, HTML-escaped, with the "
                                                  "matched words in `<mark>` elements."},
        "category": {"type": "object", "required": ["slug", "name"],
                     "properties": {"slug": STRING, "name": STRING}},
        "tags": {"type": "array", "items": STRING}, "solved": {"type": "boolean"},
        "reply_count": INTEGER, "created_at": DATETIME, "last_activity_at": DATETIME,
        "score": {"type": "number", "description": "Relevance; only comparable within "
                                                  "one response."}}},
    "SearchResults": {"type": "object", "required": ["results", "total", "page", "pages",
                                                     "suggestion"], "properties": {
        "results": {"type": "array", "items": ref("SearchResult")},
        "total": INTEGER, "page": INTEGER, "pages": INTEGER,
        "suggestion": {"type": ["string", "null"],
                       "description": "A corrected query (\"did you mean\") when little was "
                                      "found."}}},
    "SimilarThread": {"type": "object", "required": ["thread_id", "title", "status", "url",
                                                     "score", "reply_count", "solved",
                                                     "official_answer"], "properties": {
        "thread_id": INTEGER, "title": STRING, "status": STATUS,
        "url": {"type": "string", "format": "uri"},
        "score": {"type": "number", "description": "Relevance with the bounded bonus of "
                                                  "solved and officially answered threads; "
                                                  "only comparable within one response."},
        "reply_count": INTEGER,
        "solved": {"type": "boolean", "description": "The thread has an accepted answer "
                                                    "(also when it is closed)."},
        "official_answer": {"type": "boolean",
                            "description": "A support agent answered in the thread."}}},
    "SimilarThreads": {"type": "object", "required": ["results"], "properties": {
        "results": {"type": "array", "items": ref("SimilarThread")}}},
}

PATHS = {
    "/search": {"get": {
        "operationId": "searchThreads", "summary": "Search visible threads",
        "tags": ["search"], "security": [{}, {"bearerAuth": []}],
        "description": "German and English words match their other forms (stems, umlauts "
                       "and their transliterations, typos). Only content everyone may read "
                       "is searched; solved threads rank higher at equal relevance.",
        "parameters": [
            _query("q", "The words to search for."),
            _query("category", "Slug of a category; an unknown one is a 404 with field "
                               "`category`."),
            _query("status", "`solved` or `unsolved` (`open` works too).",
                   {"type": "string", "enum": ["solved", "unsolved", "open"]}),
            _query("tag", "Only threads with this tag."),
            _query("from", "Asked on or after this day (YYYY-MM-DD).",
                   {"type": "string", "format": "date"}),
            _query("to", "Asked on or before this day (YYYY-MM-DD).",
                   {"type": "string", "format": "date"}),
            _query("sort", "Order of the results.",
                   {"type": "string", "enum": ["relevance", "newest"], "default": "relevance"}),
            {"$ref": "#/components/parameters/Page"},
        ],
        "responses": {"200": {"description": "One page of results.", "content": {
            "application/json": {"schema": ref("SearchResults")}}},
            **error_responses(404, 422)}}},
    "/similar": {"get": {
        "operationId": "similarThreads",
        "summary": "Existing threads like a question about to be asked, solved ones first",
        "tags": ["search"], "security": [{}, {"bearerAuth": []}],
        "parameters": [
            _query("title", "The question's title (this or `body` is required)."),
            _query("body", f"The question's text (the first {similar.MAX_BODY_CHARS} characters "
                           "count)."),
            _query("limit", f"How many, 1 to {MAX_LIMIT}.",
                   {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 5}),
        ],
        "responses": {"200": {"description": "Up to `limit` threads.", "content": {
            "application/json": {"schema": ref("SimilarThreads")}}},
            **error_responses(422)}}},
}


def describe():
    register_paths(PATHS, schemas=SCHEMAS)
