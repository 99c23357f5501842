"""The hook catalogue: every extension point the core offers, declared once.

Feature packages (moderation, search, agent_bridge) reach the core through these
hooks, through the events in ``community/events.py`` and through Flask's own
``init_app`` mechanisms (blueprints, CLI groups, settings). Each feature registers
its functions in its ``init_app(app)``, so the registrations belong to that app:
two apps in one process (tests, a CLI beside a server) never see each other's
features, and no hook needs to ask "is my feature loaded here?".

A hook has one of three shapes:

- ``list``: every registered function is asked, in registration order;
- ``keyed``: functions registered under a key (a capability, an outbox kind), and
  asked for that key only;
- ``single``: at most one provider; the caller has a fallback when there is none.

``docs/architecture.md`` lists the catalogue; ``tests/test_hooks.py`` fails when a
hook is used without being declared here, or declared without a description.
"""
from dataclasses import dataclass

from flask import current_app

KEY = "forum_hooks"


@dataclass(frozen=True)
class Hook:
    name: str
    shape: str
    doc: str


CATALOGUE = {hook.name: hook for hook in (
    # Pages
    Hook("nav.link", "list",
         "``(endpoint, label, capability)``: a header link, shown to whoever has the "
         "capability (the review queue, the desk)."),
    Hook("template.post_actions", "list",
         "``fn(post, thread) -> Markup``: buttons under each post (called per post: no queries)."),
    Hook("template.thread_banner", "list",
         "``fn(thread) -> Markup``: a banner above a thread (locked, has a ticket)."),
    Hook("template.ask_form", "list",
         "``fn(form) -> Markup``: more on the ask form (similar questions)."),
    Hook("template.write_notice", "list",
         "``fn(action, target) -> Markup``: above the ask, reply and edit forms, what the "
         "member's text would meet, before they type it (a sanction, which replaces the "
         "form; a review first; a rate limit). ``action`` is ``ask``, ``reply`` or ``edit``; "
         "``target`` the chosen category (or None), the thread, or the post."),
    Hook("template.register_form", "list",
         "``fn(form) -> Markup``: more fields on the register form (a honeypot)."),
    # Writes
    # Neither write hook is asked for imported writes (``imported=True``: another forum's
    # history, the demo): those are published as written, without holds, rate limits,
    # spam rules or checks, so a hook never needs to recognise them.
    Hook("write.visibility", "list",
         "``fn(user, category, thread, title, body) -> 'pending' | None``: hold a new "
         "question (``thread`` None) or reply for review. Not asked for imported writes."),
    Hook("write.check", "list",
         "``fn(write: threads.Write) -> None``, raising a ServiceError to refuse a "
         "question, reply or edit before it is saved. ``write.action`` is ``ask``, "
         "``reply`` or ``edit``; ``write.texts`` maps field names to the text about to be "
         "saved (lengths already checked); ``write.confirmed`` is the names the writer "
         "confirmed (e.g. ``public_data``). Not asked for imported writes."),
    # Accounts
    Hook("account.login_check", "list",
         "``fn(user) -> message | None``: refuse a login (a suspension)."),
    Hook("account.registration_check", "list",
         "``fn(form: dict) -> message | None``: refuse a registration (a honeypot)."),
    Hook("account.access_check", "list",
         "``fn(user, write) -> ServiceError | None``: refuse an API token's call (a "
         "suspension refuses all, a silence every write)."),
    # Permissions
    Hook("permission.restrict", "keyed",
         "``fn(user, obj) -> bool`` under a capability: a further condition that must "
         "hold (a silenced member may not reply)."),
    Hook("permission.allow", "keyed",
         "``fn(user, obj) -> bool`` under a capability: another way to be granted it "
         "(agents confirm answers in threads with a ticket); restrictions still apply."),
    # Background work
    Hook("outbox.handler", "keyed",
         "``fn(payload)`` under an outbox kind: runs the rows of that kind."),
    Hook("outbox.periodic", "keyed",
         "``PeriodicJob`` under its name: a job the worker runs every so often."),
    # Operations
    Hook("health.check", "list",
         "``(name, fn)``: ``fn() -> problem | None``, one check of ``/readyz`` (the search "
         "backend answers); a problem (a short text) or an exception makes the host not ready."),
    Hook("metrics.collect", "list",
         "``fn() -> [metrics.Reading]``: gauges read at each scrape of ``/metrics`` (connector "
         "health, sweep figures); one cheap query at most."),
    # Privacy (community/services/privacy.py registers and asks them)
    Hook("privacy.export", "list",
         "``privacy.ExportPart(kind, title, tables, collect)``: one file of a member's data "
         "export; ``collect(user)`` returns JSON-able rows, nothing of other members, no "
         "secrets; ``tables`` are the tables it covers."),
    Hook("privacy.not_personal", "list",
         "``(table, reason)``: a table with a user column that is deliberately not "
         "exported (every other such table must be covered by an export part)."),
    Hook("privacy.erase", "list",
         "``fn(erasure: privacy.Erasure)``: erase or anonymise the part's copies of a "
         "member's data (``erasure.scrubber`` rewrites texts; add changed threads to "
         "``erasure.thread_ids``)."),
    Hook("privacy.redact", "list",
         "``fn(redaction: privacy.Redaction)``: cut the redacted texts out of the part's "
         "copies of a post (``redaction.scrubber``)."),
    Hook("privacy.detect", "list",
         "``fn(text) -> [privacy.Span]``: personal data in a text (IBAN, phone, e-mail, "
         "contract number), offered for redaction."),
    Hook("privacy.retention", "list",
         "``privacy.RetentionRule``: data deleted after a setting's days, by a periodic "
         "job (``privacy.register_retention``), shown on the admin page and in the report."),
    Hook("privacy.processing", "list",
         "``community.privacy.record.Activity``: one processing activity of the record of processing "
         "activities (Art. 30 GDPR): purpose, legal basis, data, recipients, retention."),
    # Services between features
    Hook("similar.threads", "single",
         "``fn(title, body, limit=n, exclude=thread_id)``: threads like a question, best "
         "first (see ``community/services/similar.py``)."),
)}


def init_app(app):
    app.extensions[KEY] = {name: ({} if hook.shape == "keyed" else [])
                           for name, hook in CATALOGUE.items() if hook.shape != "single"}


def _registry(app, name):
    if name not in CATALOGUE:
        raise KeyError(f"{name!r} is not a hook of community/hooks.py")
    return (app or current_app).extensions[KEY]


def add(app, name, fn, key=None):
    """Register ``fn`` for hook ``name`` (under ``key`` for keyed hooks) in ``app``."""
    hook = CATALOGUE.get(name)
    registry = _registry(app, name)
    if hook.shape == "single":
        registry[name] = fn
    elif hook.shape == "keyed":
        if key is None:
            raise ValueError(f"hook {name!r} needs a key")
        registry[name].setdefault(key, []).append(fn)
    else:
        registry[name].append(fn)
    return fn


def registered(name, key=None, app=None):
    """What is registered for ``name`` in ``app`` (default: the current app): a list,
    a ``{key: [fn]}`` mapping for a keyed hook without ``key``, or the provider of a
    single hook (None when there is none)."""
    hook = CATALOGUE.get(name)
    registry = _registry(app, name)
    if hook.shape == "single":
        return registry.get(name)
    if hook.shape == "keyed":
        return registry[name] if key is None else registry[name].get(key, [])
    return registry[name]
