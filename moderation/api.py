"""JSON API v1 of moderation: the same services and capability checks as the
pages. Bearer tokens through the core's API authentication; no cookies, no CSRF.
Errors are the core's ``{"error": {"code", "message", "fields"}}``."""
from flask import Blueprint, jsonify, request
from flask_babel import lazy_gettext as _l

from community.services import accounts, threads
from community.api.auth import authenticate, require_user
from community.errors import Conflict, NotFound, ValidationError
from community.api.errors import json_body
from community.extensions import csrf, db
from community.models import Category
from community.permissions import can, require
from community.template_helpers import iso

from .services import audit, flags, items, posts, queue, sanctions, threadtools

bp = Blueprint("moderation_api", __name__, url_prefix="/api/v1")
bp.before_request(authenticate)


def _done(payload, status=200):
    return jsonify(payload), status


def _entry(entry):
    return {"id": entry.id, "actor": entry.actor.name if entry.actor else None,
            "actor_id": entry.actor_id, "action": entry.action, "target_type": entry.target_type,
            "target_id": entry.target_id, "reason_code": entry.reason_code,
            "reason": entry.reason, "details": entry.details, "created_at": iso(entry.created_at)}


def _limit(default, maximum):
    raw = request.args.get("limit") or str(default)
    if not raw.isdigit():
        raise ValidationError(_l("limit must be a number."), fields={"limit": "number"})
    return max(1, min(int(raw), maximum))


def _text(data, name):
    """A string field of the body ("" when missing); another type is a 422."""
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise ValidationError(_l("%(name)s must be a string.", name=name),
                              fields={name: "string"})
    return value or ""


def _reason(data):
    """``reason_code`` and ``reason``; a reason text alone counts as code "other"."""
    reason = _text(data, "reason")
    return _text(data, "reason_code") or ("other" if reason else ""), reason


@bp.post("/posts/<int:post_id>/flags")
def flag_post(post_id):
    user = require_user()
    post = threads.get_post(post_id)
    if not can(user, "view_post", post):
        raise NotFound(_l("This post does not exist."))
    data = json_body(allow_empty=True)
    flag = flags.flag_post(user, post, _text(data, "reason"), _text(data, "text"))
    return _done({"flag": {"id": flag.id, "post_id": post.id, "reason": flag.reason,
                           "created_at": iso(flag.created_at)}}, 201)


@bp.get("/mod/queue")
def review_queue():
    require(require_user(), "review")
    kind = request.args.get("kind") or None
    if kind is not None and kind not in queue.KINDS:
        raise ValidationError(_l("kind must be pending, flagged or appeal."),
                              fields={"kind": "pending|flagged|appeal"})
    page = queue.open_items(page=1, per_page=_limit(50, 200), kind=kind)
    return jsonify(total=page.total, items=[{
        "id": e.item.id, "kind": e.item.kind, "version": e.item.version,
        "priority": e.item.priority, "post_id": e.item.post_id,
        "thread_id": e.thread.id if e.thread else None,
        "thread_title": e.thread.title if e.thread else None,
        "post_body": e.post.body if e.post else None,
        "post_visibility": e.post.visibility if e.post else None,
        "author_id": e.item.user_id,
        "author": {"id": e.item.user.id, "name": e.item.user.name, "history": e.author},
        "reasons": e.item.reasons, "appeal_text": e.item.text or None,
        "created_at": iso(e.item.created_at),
        "flags": [{"reason": f.reason, "text": f.text, "user_id": f.user_id,
                   "created_at": iso(f.created_at)} for f in e.flags]} for e in page.items])


@bp.post("/mod/items/<int:item_id>/<action>")
def decide_item(item_id, action):
    user = require_user()
    require(user, "review")
    data = json_body(allow_empty=True)
    if not isinstance(data.get("version"), int):
        raise ValidationError(_l("Send the item's version as you saw it."),
                              fields={"version": "int"})
    code, reason = _reason(data)
    entry = queue.resolve(user, item_id, action, data["version"], code, reason,
                          bool(data.get("urgent")))
    return _done({"entry": _entry(entry)})


@bp.post("/mod/posts/<int:post_id>/<action>")
def moderate_post(post_id, action):
    """hide | restore | delete on any post; approve | reject decide its waiting item."""
    user = require_user()
    require(user, "review")
    post = threads.get_post(post_id)
    data = json_body(allow_empty=True)
    code, reason = _reason(data)
    if action in ("approve", "reject"):
        item = items.open_item(post.id)
        if item is None or item.kind != "pending":
            raise Conflict(_l("This post does not wait for approval."), code="not_pending")
        entry = queue.resolve(user, item.id, action, item.version, code, reason)
    elif action in posts.ALLOWED_FROM:
        expected = _text(data, "expected_visibility") or post.visibility
        entry = posts.moderate(user, post, action, expected, code, reason)
    else:
        raise NotFound(_l("Unknown action."))
    return _done({"entry": _entry(entry), "visibility": post.visibility})


@bp.get("/mod/audit")
def audit_log():
    require(require_user(), "review")
    filters = {name: request.args.get(name) or None
               for name in ("actor", "action", "target_type", "target_id", "since", "until")}
    if filters["target_id"] and not filters["target_id"].isdigit():
        raise ValidationError(_l("target_id must be a number."), fields={"target_id": "number"})
    page = audit.search(page=1, per_page=_limit(100, 500), **filters)
    return jsonify(total=page.total, entries=[_entry(e) for e in page.items])


@bp.post("/mod/threads/<int:thread_id>/<tool>")
def thread_tool(thread_id, tool):
    """pin | unpin | close | reopen | lock | unlock | move {category_id} |
    rename {title, tags} | duplicate {target_id} | merge {target_id} | escalate {reason, urgent}."""
    user = require_user()
    require(user, "review")
    thread = threads.get_thread(thread_id)
    data = json_body(allow_empty=True)
    reason = _text(data, "reason")
    if tool in ("pin", "unpin"):
        entry = threadtools.set_pinned(user, thread, tool == "pin", reason)
    elif tool in ("close", "reopen", "lock", "unlock"):
        entry = threadtools.set_status(user, thread, tool, reason)
    elif tool == "move":
        category_id = data.get("category_id")
        category = db.session.get(Category, category_id) if isinstance(category_id, int) \
            and not isinstance(category_id, bool) else None
        if category is None:
            raise ValidationError(_l("No such category."), fields={"category_id": "unknown"})
        entry = threadtools.move(user, thread, category, reason)
    elif tool == "rename":
        tags = data.get("tags")  # missing: the tags stay as they are
        if tags is not None and (not isinstance(tags, list)
                                 or not all(isinstance(t, str) for t in tags)):
            raise ValidationError(_l("tags must be a list of strings."), fields={"tags": "list"})
        entry = threadtools.rename(user, thread, _text(data, "title") or thread.title, tags,
                                   reason)
    elif tool in ("duplicate", "merge"):
        other = threadtools.find_thread(str(data.get("target_id") or ""))
        call = threadtools.mark_duplicate if tool == "duplicate" else threadtools.merge
        entry = call(user, thread, other, reason)
    elif tool == "escalate":
        entry = threadtools.escalate(user, thread, reason, bool(data.get("urgent")))
    else:
        raise NotFound(_l("Unknown tool."))
    return _done({"entry": _entry(entry) if entry else None})


@bp.post("/mod/users/<int:user_id>/sanctions")
def impose_sanction(user_id):
    moderator = require_user()
    require(moderator, "sanction")
    member = accounts.get_user(user_id)
    require(moderator, "sanction", member, message=_l("You cannot sanction this member."))
    data = json_body(allow_empty=True)
    days = data.get("days")
    if days is not None and not isinstance(days, int):
        raise ValidationError(_l("days must be a whole number or null."), fields={"days": "int"})
    sanction = sanctions.impose(moderator, member, _text(data, "kind"), days,
                                _text(data, "reason_code"), _text(data, "reason"))
    return _done({"sanction": {"id": sanction.id, "kind": sanction.kind,
                               "ends_at": iso(sanction.ends_at) or None}}, 201)


@bp.post("/mod/sanctions/<int:sanction_id>/lift")
def lift_sanction(sanction_id):
    moderator = require_user()
    require(moderator, "sanction")
    sanction = sanctions.lift(moderator, sanctions.get(sanction_id), _text(json_body(allow_empty=True), "reason"))
    return _done({"sanction": {"id": sanction.id, "lifted_at": iso(sanction.lifted_at)}})


def init_app(app):
    from .openapi import describe
    csrf.exempt(bp)
    app.register_blueprint(bp)
    describe()
