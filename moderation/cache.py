"""Per-request memo for lookups that permission checks repeat for every post on a
page (the member's sanction, the thread's lock). Outside a request nothing is
cached, so services called from the CLI or tests always read fresh rows."""
from flask import g, has_request_context

_MISSING = object()


def memo(namespace, key, load):
    if not has_request_context():
        return load()
    store = g.setdefault("_moderation_memo", {}).setdefault(namespace, {})
    value = store.get(key, _MISSING)
    if value is _MISSING:
        value = store[key] = load()
    return value


def put(namespace, key, value):
    if has_request_context():
        g.setdefault("_moderation_memo", {}).setdefault(namespace, {})[key] = value


def forget(namespace, key=None):
    if has_request_context():
        store = g.get("_moderation_memo", {}).get(namespace, {})
        if key is None:
            store.clear()
        else:
            store.pop(key, None)
