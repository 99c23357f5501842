"""Privacy by design: what the site holds about a member, and how every copy of it is
handed over (export, Art. 15/20 GDPR), removed (erasure, Art. 17), cut out of a post
(redaction) and deleted in time (retention).

The core cannot know the features' tables, so every part of the site, the core
included, hands over its share through the ``privacy.*`` hooks of community/hooks.py,
registered in its ``init_app`` with the ``register_*`` functions below:

- ``privacy.export``: an ``ExportPart``, one file of the member's ZIP, with the tables
  it covers; ``privacy.not_personal``: ``(table, reason)`` for a table with a user
  column that is deliberately not exported. ``uncovered_tables`` names any other
  table with a user column (a test keeps it empty), so a loaded feature cannot be
  forgotten.
- ``privacy.erase``: ``fn(erasure)`` erases or anonymises that part's copies.
- ``privacy.redact``: ``fn(redaction)`` cuts the redacted text out of its copies.
- ``privacy.detect``: ``fn(text) -> [Span]``, personal data found in a text (the
  agent bridge's IBAN, phone, e-mail and contract number patterns).
- ``privacy.retention``: a ``RetentionRule``, enforced by a periodic job.

Like every service these functions flush, never commit.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import clock, events, hooks, outbox
from ..errors import Conflict, ValidationError
from ..extensions import db
from ..models import Post, Thread, User
from ..permissions import has_role, require, rule
from ..privacy.models import PrivacyLog
from ..privacy.scrub import Scrubber

# What replaces personal data in a post, and a deleted member's posts and questions.
# Stored texts: the same words in every language, as the issue that asked for them says.
MARKER = "[removed: personal data]"
TOMBSTONE = "[deleted with the author's account]"
TOMBSTONE_TITLE = "[deleted question]"
# An erased account keeps its row (its posts stay readable under the new name); its
# address is in the reserved .invalid domain, which no mail ever goes to.
ERASED_DOMAIN = "erased.invalid"
REASON_LENGTH = (3, 500)


# --- What the parts register -------------------------------------------------------------

@dataclass(frozen=True)
class ExportPart:
    """One file of the export: ``<kind>.json`` holds ``collect(user)``'s rows (JSON-able
    dicts, nothing of other members and never a secret)."""
    kind: str
    title: object
    tables: tuple
    collect: object


@dataclass(frozen=True)
class RetentionRule:
    """What is deleted (or cut down) once it is older than a setting's days.

    ``purge(cutoff)`` deletes what is due and returns how many rows it changed;
    ``held()`` returns ``(rows, oldest datetime or None)`` for the report and the
    admin page; ``purpose`` is what the data is kept for (the record of processing).
    """
    name: str
    title: object
    setting: str
    purge: object
    held: object
    purpose: object = ""
    every: timedelta = timedelta(hours=1)
    job: bool = True  # False: enforced elsewhere (the outbox's own clean-up), only shown

    def days(self, config=None):
        return int((config or current_app.config)[self.setting])

    def cutoff(self):
        return clock.now() - timedelta(days=self.days())


@dataclass(frozen=True)
class Span:
    """Personal data found in a text: ``text[start:end]`` is of ``kind`` (``iban``...)."""
    start: int
    end: int
    kind: str
    label: object


def register_export(app, part):
    hooks.add(app, "privacy.export", part)


def register_not_personal(app, table, reason):
    hooks.add(app, "privacy.not_personal", (table, reason))


def register_retention(app, rule_):
    """The rule shows on the admin page and in the report, and a periodic job of the
    worker enforces it."""
    hooks.add(app, "privacy.retention", rule_)
    if rule_.job:
        outbox.register_periodic(app, f"privacy.retention.{rule_.name}", rule_.every,
                                 lambda: rule_.purge(rule_.cutoff()))


def retention_rules():
    return list(hooks.registered("privacy.retention"))


def export_parts():
    return list(hooks.registered("privacy.export"))


# --- Capabilities --------------------------------------------------------------------------

@rule("redact_post")
def _redact_post(user, post):
    """Moderators and the support team cut personal data out of posts."""
    return has_role(user, "moderator", "agent", "admin")


@rule("erase_member")
def _erase_member(user, member):
    return has_role(user, "admin")


@rule("view_member_data")
def _view_member_data(user, member):
    """What is held about a member (masked addresses, counts): moderators and admins."""
    return has_role(user, "moderator", "admin")


@rule("manage_privacy")
def _manage_privacy(user, obj):
    """Retention, the legal pages and the record of processing activities."""
    return has_role(user, "admin")


# --- Coverage: no table with a user column is forgotten ------------------------------------

USER_COLUMN_SUFFIXES = ("_user_id", "author_id", "actor_id")


def user_columns(metadata):
    """``{table: [column]}`` of the columns that name a member: a foreign key to
    ``users.id``, or a name that says so (``*_user_id``, ``author_id``, ``actor_id``)."""
    found = {}
    for table in metadata.sorted_tables:
        for column in table.columns:
            refers = any(fk.column.table.name == "users" for fk in column.foreign_keys)
            if refers or column.name == "user_id" or column.name.endswith(USER_COLUMN_SUFFIXES):
                found.setdefault(table.name, []).append(column.name)
    return found


def uncovered_tables(app=None):
    """Tables with a user column that no export part covers and nobody declared not
    personal; ``[]`` when every loaded part did its share."""
    covered = {table for part in hooks.registered("privacy.export", app=app)
               for table in part.tables}
    covered |= {"users"}
    covered |= {table for table, _reason in hooks.registered("privacy.not_personal", app=app)}
    return sorted(set(user_columns(db.metadata)) - covered)


# --- Export ----------------------------------------------------------------------------------

def collect(user):
    """``{kind: rows}``: everything the loaded parts hold about ``user``."""
    return {part.kind: part.collect(user) for part in export_parts()}


# --- Erasure ---------------------------------------------------------------------------------

def erased_name(user):
    return f"Former member {user.id}"


def erased_email(user):
    return f"erased-{user.id}@{ERASED_DOMAIN}"


def is_erased(user):
    return bool(user.email) and user.email.endswith("@" + ERASED_DOMAIN)


class _Counted:
    """What an erasure or redaction did, in numbers for the record (never data)."""

    def count(self, what, n):
        if n:
            self.counts[what] = self.counts.get(what, 0) + n


@dataclass
class Erasure(_Counted):
    """One erasure, handed to every ``privacy.erase`` function. ``scrubber`` replaces the
    old name (as a word), the old address and, with ``delete_posts``, the texts of
    the member's posts; a part that rewrote texts adds the threads to ``thread_ids``
    (reindexed) and the posts to ``post_ids`` (their e-mails and notifications are
    rewritten); ``counts`` are numbers for the record, never data."""
    user: User
    actor: object
    reason: str
    delete_posts: bool
    spam: bool
    old_name: str
    old_email: str
    new_name: str
    scrubber: Scrubber = field(default_factory=Scrubber)
    thread_ids: set = field(default_factory=set)
    post_ids: set = field(default_factory=set)
    counts: dict = field(default_factory=dict)

    @property
    def mode(self):
        """``spam``, ``delete_posts`` or ``anonymise`` (posts stay)."""
        return "spam" if self.spam else ("delete_posts" if self.delete_posts else "anonymise")


def _clean_reason(reason, required):
    reason = " ".join((reason or "").split())
    low, high = REASON_LENGTH
    if (required or reason) and not low <= len(reason) <= high:
        message = _l("Please give the reason in %(low)d to %(high)d characters.", low=low,
                     high=high)
        raise ValidationError(message, fields={"reason": message})
    return reason


def erase(user, actor, reason="", delete_posts=False, spam=False):
    """Erase ``user``'s personal data everywhere, keeping the account as an anonymous
    row so that threads stay readable. ``actor``: the member themselves (their
    password was checked by the caller), an admin, or None for the command line (an
    operator with the database's trust). ``delete_posts`` (always with ``spam``)
    replaces their posts' text by a tombstone and purges the revisions.

    Each part erases its copies through ``privacy.erase``; then the copies every part
    shares (outbox payloads, notifications, stored e-mails) are rewritten and the
    threads whose text changed are reindexed (``thread_updated``), all in this
    transaction. Returns the ``PrivacyLog`` entry.
    """
    own = actor is not None and actor.id == user.id
    if actor is not None and not own:
        require(actor, "erase_member", user, message=_l("Only admins can erase accounts."))
    if is_erased(user):
        raise Conflict(_l("This account has already been erased."), code="already_erased")
    reason = _clean_reason(reason, required=not own)
    if user.role == "admin" and _admins_besides(user) == 0:
        raise Conflict(_l("The last admin account cannot be erased; make someone else admin "
                          "first."), code="last_admin")
    erasure = Erasure(user=user, actor=actor, reason=reason, delete_posts=delete_posts or spam,
                      spam=spam, old_name=user.name, old_email=user.email,
                      new_name=erased_name(user))
    erasure.scrubber.replace_word(erasure.old_name, erasure.new_name)
    erasure.scrubber.replace(erasure.old_email, erased_email(user))
    _anonymise_account(user)
    for erase_part in hooks.registered("privacy.erase"):
        erase_part(erasure)
    from ..privacy import copies as privacy_copies
    privacy_copies.scrub(erasure.scrubber, post_ids=erasure.post_ids,
                         thread_ids=erasure.thread_ids, actor_ids={user.id}, counts=erasure)
    reindex(erasure.thread_ids, actor, "erasure")
    return log("erasure", user=user, actor=actor, reason=reason or str(_l("Own request")),
               mode=erasure.mode, by="member" if own else ("admin" if actor else "operator"),
               **erasure.counts)


def _admins_besides(user):
    return db.session.scalar(select(func.count(User.id)).where(
        User.role == "admin", User.id != user.id, User.email.not_like(f"%@{ERASED_DOMAIN}")))


def _anonymise_account(user):
    """The account row: a new name and an address nobody has, no password, no session."""
    user.name = erased_name(user)
    user.email = erased_email(user)
    user.password_hash = None
    user.session_version += 1  # every session and remember-me cookie ends now
    user.role = "customer"
    user.staff_title = None
    user.locale = None
    user.auto_subscribe = False
    user.unread_notifications = 0
    db.session.flush()


def reindex(thread_ids, actor, action):
    """Tell the index (and whoever else listens) that these threads' texts changed."""
    app = current_app._get_current_object()
    for thread in db.session.scalars(select(Thread).where(Thread.id.in_(sorted(thread_ids)))):
        events.thread_updated.send(app, thread=thread, user=actor,
                                   changes={"privacy": (None, action)})


def log(action, user=None, actor=None, post=None, reason="", **details):
    entry = PrivacyLog(action=action, user_id=user.id if user is not None else None,
                       post_id=post.id if post is not None else None,
                       actor_id=actor.id if actor is not None else None, reason=reason or "",
                       details=details, created_at=clock.now())
    db.session.add(entry)
    db.session.flush()
    return entry


# --- Redaction -------------------------------------------------------------------------------

@dataclass
class Redaction(_Counted):
    """One redaction of ``post``, handed to every ``privacy.redact`` function:
    ``scrubber`` replaces each removed text by ``MARKER``; ``kinds`` names the kinds
    of data (for the audit entry, never the data)."""
    post: Post
    thread: Thread
    actor: object
    kinds: list
    scrubber: Scrubber = field(default_factory=Scrubber)
    counts: dict = field(default_factory=dict)


def detect(text):
    """Personal data in ``text`` that the loaded parts recognise, in order."""
    spans = [span for find in hooks.registered("privacy.detect") for span in find(text or "")]
    return sorted(spans, key=lambda span: (span.start, -span.end))


REDACTABLE_KINDS = ("iban", "phone", "email", "customer_number", "address", "name", "other")


def redact(post, actor, texts, kinds=()):
    """Replace each of ``texts`` by ``MARKER`` in ``post``, every revision of it, the
    thread's title (for the question), the index, the outbox payloads, notifications
    and stored e-mails, and each part's copies (``privacy.redact``). ``kinds`` says
    what the texts were (``iban``, ``email``...; "other" when unknown). Returns the
    ``PrivacyLog`` entry; an audit entry names the post and the kinds, never the text.
    """
    require(actor, "redact_post", post, message=_l("You cannot redact posts."))
    thread = db.session.get(Thread, post.thread_id)
    texts = sorted({t for t in (t.strip() for t in texts) if t}, key=len, reverse=True)
    if not texts:
        message = _l("Select the personal data to remove.")
        raise ValidationError(message, fields={"text": message})
    held = _texts_of(post, thread)
    missing = [t for t in texts if not any(t in h for h in held)]
    if missing:
        message = _l("This text is not in the post or its earlier versions.")
        raise ValidationError(message, fields={"text": message})
    kinds = sorted({k if k in REDACTABLE_KINDS else "other" for k in kinds} or {"other"})
    redaction = Redaction(post=post, thread=thread, actor=actor, kinds=kinds)
    for text in texts:
        redaction.scrubber.replace(text, MARKER)
    for redact_part in hooks.registered("privacy.redact"):
        redact_part(redaction)
    from ..privacy import copies as privacy_copies
    privacy_copies.scrub(redaction.scrubber, post_ids={post.id}, thread_ids={thread.id},
                         counts=redaction)
    reindex({thread.id}, actor, "redaction")
    return log("redaction", user=db.session.get(User, post.author_id), actor=actor, post=post,
               kinds=kinds, spans=len(texts), **redaction.counts)


def _texts_of(post, thread):
    from ..models import PostRevision
    texts = [post.body] + list(db.session.scalars(
        select(PostRevision.body).where(PostRevision.post_id == post.id)))
    if post.is_question:
        texts.append(thread.title)
        texts += [t for t in db.session.scalars(
            select(PostRevision.title).where(PostRevision.post_id == post.id)) if t]
    return texts


def erase_own(user, password, delete_posts=False):
    """A member deletes their own account on the settings page; their password says
    it is really them (a session left open is not enough)."""
    from werkzeug.security import check_password_hash
    if not (user.password_hash and check_password_hash(user.password_hash, password or "")):
        raise ValidationError(_l("Please correct the marked fields."),
                              fields={"password": _l("This is not your password.")})
    return erase(user, user, delete_posts=delete_posts)
