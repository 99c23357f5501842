"""Named capabilities: the only place that knows what a role may do.

Views, the API and templates ask ``can(user, "accept_answer", thread)``. A
capability is a rule function, declared with ``rule`` (a capability nobody asks for
does nothing, so declaring one is not per app). A feature changes the core's
capabilities only for the app that loads it, through the hooks
``permission.restrict`` (a further condition: a silenced member may not reply) and
``permission.allow`` (another way to be granted one: agents confirm answers in
threads they have a ticket for); see ``restrict`` and ``allow``.
"""
from . import hooks
from .errors import Forbidden

_rules = {}


def rule(name):
    def decorator(fn):
        _rules[name] = fn
        return fn
    return decorator


def restrict(app, name, fn):
    """In ``app``, ``fn(user, obj)`` must also hold for capability ``name``."""
    hooks.add(app, "permission.restrict", fn, key=name)


def allow(app, name, fn):
    """In ``app``, ``fn(user, obj)`` also grants capability ``name`` (restrictions
    still apply)."""
    hooks.add(app, "permission.allow", fn, key=name)


def can(user, capability, obj=None):
    check = _rules.get(capability)
    if check is None:
        raise KeyError(f"unknown capability {capability!r}")
    if not check(user, obj) and not any(
            alt(user, obj) for alt in hooks.registered("permission.allow", capability)):
        return False
    return all(extra(user, obj) for extra in hooks.registered("permission.restrict", capability))


def require(user, capability, obj=None, message=None):
    if not can(user, capability, obj):
        raise Forbidden(message or "You are not allowed to do that.", code="forbidden")


def _signed_in(user):
    return user is not None and getattr(user, "is_authenticated", False)


def has_role(user, *roles):
    return _signed_in(user) and user.role in roles


def is_moderator(user):
    return has_role(user, "moderator", "admin")


@rule("moderate")
def _moderate(user, obj):
    return is_moderator(user)


@rule("admin")
def _admin(user, obj):
    return has_role(user, "admin")


@rule("use_desk")
def _use_desk(user, obj):
    return has_role(user, "agent", "admin")


@rule("signed_in")
def _signed(user, obj):
    return _signed_in(user)


@rule("ask")
def _ask(user, category):
    return _signed_in(user)


@rule("view_thread")
def _view_thread(user, thread):
    if thread.visibility == "visible":
        return True
    if thread.visibility == "pending" and _signed_in(user) and user.id == thread.author_id:
        return True
    return is_moderator(user)


@rule("view_post")
def _view_post(user, post):
    if post.visibility == "visible":
        return True
    if post.visibility == "pending" and _signed_in(user) and user.id == post.author_id:
        return True
    return is_moderator(user)


@rule("reply")
def _reply(user, thread):
    if not _signed_in(user) or not can(user, "view_thread", thread):
        return False
    return thread.status == "open" or is_moderator(user)


@rule("edit_post")
def _edit_post(user, post):
    if not _signed_in(user):
        return False
    if is_moderator(user):
        return True
    return user.id == post.author_id and post.visibility in ("visible", "pending")


@rule("vote_helpful")
def _vote(user, post):
    return (_signed_in(user) and user.id != post.author_id and not post.is_question
            and post.visibility == "visible")


@rule("accept_answer")
def _accept(user, thread):
    if not _signed_in(user):
        return False
    return user.id == thread.author_id or is_moderator(user)


@rule("create_token")
def _create_token(user, obj):
    return _signed_in(user)


@rule("watch")
def _watch(user, obj):
    """Follow a thread or category (stopping is always allowed)."""
    return _signed_in(user)


@rule("see_private")
def _see_private(user, obj):
    return has_role(user, "agent", "admin")
