"""API v1 routes of the core: categories, threads, posts, helpful votes, accepted answers.

Each handler parses the request, loads what it acts on (404, also for what the caller
may not see), calls one service function (which checks the capability: 403), commits
once and serializes. Errors become ``{"error": {"code", "message", "fields"}}`` in
``community/api/errors.py``.
"""
from flask import current_app, jsonify, request, url_for
from flask_babel import lazy_gettext as _l

from ..privacy import exports as privacy_exports
from ..services import accounts, categories, listing, threads
from ..errors import NotFound, ValidationError
from ..permissions import can, require
from . import bp, serializers
from .auth import api_user, require_user
from .errors import json_body


# --- Parsing and loading -------------------------------------------------------------------------

def _strings(data, *names):
    """String fields of the body (missing: ""); a field of another type is a 422."""
    values, fields = [], {}
    for name in names:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            fields[name] = "Must be a string."
        values.append(value if isinstance(value, str) else "")
    return values, fields


def _tag_list(data, fields):
    tags = data.get("tags")
    if tags is None:
        return []
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        fields["tags"] = "Must be a list of strings."
        return []
    return tags


def _visible_thread(user, thread_id, lock=False):
    """The thread, or 404 when it is missing or hidden from ``user``; ``lock``: read
    with its row lock, for a write that locks it anyway (one statement, not two)."""
    thread = threads.lock_thread(thread_id) if lock else threads.get_thread(thread_id)
    if not can(user, "view_thread", thread):
        raise NotFound(_l("This thread does not exist."))
    return thread


def _visible_post(user, post_id):
    """The post and its thread, or 404 when either is missing or hidden from ``user``."""
    post = threads.get_post(post_id)
    thread = threads.get_thread(post.thread_id)
    if not (can(user, "view_post", post) and can(user, "view_thread", thread)):
        raise NotFound(_l("This post does not exist."))
    return post, thread


def _confirmed(data):
    """What the client confirmed: ``X`` for each ``"X_ok": true`` in the body (a feature
    documents its key, e.g. ``public_data_ok``; see threads.Write). Anything but a
    boolean there is a 422, so ``"false"`` never confirms."""
    keys = [name for name in data if name.endswith("_ok")]
    wrong = {name: "Must be true or false." for name in keys if not isinstance(data[name], bool)}
    if wrong:
        raise ValidationError(_l("Please correct the marked fields."), fields=wrong)
    return frozenset(name[:-3] for name in keys if data[name] is True)


def _created(payload, location):
    response = jsonify(payload)
    response.status_code = 201
    response.headers["Location"] = location
    return response


# --- Reading -------------------------------------------------------------------------------------

@bp.get("/categories")
def list_categories():
    return jsonify(categories=[serializers.category(c) for c in categories.all_categories()])


@bp.get("/threads")
def list_threads():
    slug = request.args.get("category")
    category = None
    if slug is not None:
        category = categories.find_by_slug(slug)
        if category is None:
            raise NotFound(_l("No such category."), fields={"category": "No such category."})
    page = listing.list_threads(category=category, filter=request.args.get("filter", "all"),
                                page=listing.page_number(request.args.get("page")),
                                per_page=current_app.config["THREADS_PER_PAGE"])
    return jsonify(serializers.thread_page(page))


@bp.get("/threads/<int:thread_id>")
def get_thread(thread_id):
    view = listing.thread_page(thread_id, api_user(),
                               page=listing.page_number(request.args.get("page")),
                               per_page=current_app.config["POSTS_PER_PAGE"])
    return jsonify(serializers.thread_detail(view))


@bp.get("/posts/<int:post_id>")
def get_post(post_id):
    post, _ = _visible_post(api_user(), post_id)
    return jsonify(serializers.post(post, author_row=accounts.get_user(post.author_id)))


@bp.get("/openapi.json")
def openapi():
    from .openapi import document
    return jsonify(document())


# --- Writing -------------------------------------------------------------------------------------

@bp.post("/threads")
def create_thread():
    user = require_user()
    data = json_body()
    (slug, title, body), fields = _strings(data, "category", "title", "body")
    tags = _tag_list(data, fields)
    category = categories.find_by_slug(slug) if slug else None
    if category is None and "category" not in fields:
        fields["category"] = "No such category." if slug else "Required."
    if fields:
        raise ValidationError(_l("Please correct the marked fields."), fields=fields)
    thread = threads.create_thread(user, category, title, body, tags, confirmed=_confirmed(data))
    view = listing.thread_page(thread.id, user, per_page=current_app.config["POSTS_PER_PAGE"])
    return _created(serializers.thread_detail(view),
                    url_for("api.get_thread", thread_id=thread.id, _external=True))


@bp.post("/threads/<int:thread_id>/posts")
def create_post(thread_id):
    user = require_user()
    data = json_body()
    (body,), fields = _strings(data, "body")
    if fields:
        raise ValidationError(_l("Please correct the marked fields."), fields=fields)
    thread = _visible_thread(user, thread_id, lock=True)
    post = threads.reply(user, thread, body, confirmed=_confirmed(data))
    return _created(serializers.post(post, author_row=user),
                    url_for("api.get_post", post_id=post.id, _external=True))


@bp.post("/posts/<int:post_id>/accept")
def accept_answer(post_id):
    user = require_user()
    post, _ = _visible_post(user, post_id)
    thread = threads.accept_answer(user, post)
    return jsonify(serializers.thread_state(thread))


@bp.delete("/posts/<int:post_id>/accept")
def remove_accepted_answer(post_id):
    """Idempotent: when ``post`` is not (or no longer) the accepted answer, nothing changes."""
    user = require_user()
    post, thread = _visible_post(user, post_id)
    if thread.accepted_post_id == post.id:
        threads.remove_accepted_answer(user, thread)
    else:
        require(user, "accept_answer", thread)  # same answer for a no-op as for the change
    return jsonify(serializers.thread_state(thread))


@bp.post("/posts/<int:post_id>/helpful")
def toggle_helpful(post_id):
    user = require_user()
    post, _ = _visible_post(user, post_id)
    helpful = threads.toggle_helpful(user, post)
    return jsonify(post_id=post.id, helpful=helpful, helpful_count=post.helpful_count)


# --- The caller's own data -----------------------------------------------------------------------

def _export_state(export):
    ready = export.status == "ready"
    return {"id": export.id, "status": export.status,
            "requested_at": serializers.iso(export.requested_at),
            "ready_at": serializers.iso(export.ready_at),
            "expires_at": serializers.iso(export.expires_at),
            "size": export.size if ready else None,
            "download_url": url_for("api.download_my_export", _external=True) if ready else None}


@bp.get("/me/export")
def my_export():
    """The caller's data export: started by the first call, built by the worker; later
    calls say how it stands (one at a time, a new one a day after the last)."""
    user = require_user()
    export, _started = privacy_exports.request_export(user, source="api")
    return jsonify(_export_state(export))


@bp.get("/me/export/download")
def download_my_export():
    user = require_user()
    export = privacy_exports.latest(user)
    if export is None or export.status != "ready":
        raise NotFound(_l("No data export is ready; GET /api/v1/me/export starts one."))
    return privacy_exports.response(privacy_exports.downloadable(user, export.id))
