"""The core's own share of privacy by design: what the core's tables hold about a
member (export), how they are erased, and how a redaction reaches a post and its
revisions. Registered like any feature's parts (``register`` below), before them.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select

from .. import hooks, markup
from ..extensions import db
from ..models import (
    ApiToken,
    CategorySubscription,
    LoginAttempt,
    MailMessage,
    Notification,
    NotificationPreference,
    OutboxMessage,
    Post,
    PostRevision,
    ReadMark,
    Thread,
    ThreadSubscription,
    Vote,
)
from ..notifications import delivery, digest, mail
from ..notifications.kinds import headline
from ..notifications.mentions import find_mentions, name_key
from .models import DataExport, PrivacyLog
from ..services import privacy
from ..services.privacy import ExportPart
from ..text import slugify

# A deleted post's text is replaced in the copies (helpdesk payloads, desk timelines)
# only when it is long enough to be its own: "Thanks!" is in many people's posts.
MIN_COPY_LENGTH = 20


def iso(value):
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def register(app):
    for part in PARTS:
        privacy.register_export(app, part)
    privacy.register_not_personal(app, "privacy_pages", "who last edited the imprint or "
                                  "privacy policy: an admin's work, not data about a member")
    # The core's parts come first: the features' load after the core.
    hooks.add(app, "privacy.erase", erase)
    hooks.add(app, "privacy.redact", redact)


# --- Export -------------------------------------------------------------------------------

def _profile(user):
    return [{"id": user.id, "name": user.name, "email": user.email, "role": user.role,
             "staff_title": user.staff_title, "language": user.locale,
             "registered_at": iso(user.created_at),
             "follows_threads_i_write_in": user.auto_subscribe}]


def _threads(user):
    asked = [{"id": t.id, "title": t.title, "status": t.public_status, "visibility": t.visibility,
              "created_at": iso(t.created_at), "accepted_post_id": t.accepted_post_id}
             for t in db.session.scalars(select(Thread).where(Thread.author_id == user.id)
                                         .order_by(Thread.id))]
    accepted = [{"thread_id": thread_id, "accepted_post_id": post_id, "accepted_at": iso(at),
                 "accepted_by_me": True}
                for thread_id, post_id, at in db.session.execute(
                    select(Thread.id, Thread.accepted_post_id, Thread.accepted_at)
                    .where(Thread.accepted_by_id == user.id, Thread.author_id != user.id))]
    return asked + accepted


def _posts(user):
    posts = list(db.session.scalars(select(Post).where(Post.author_id == user.id)
                                    .order_by(Post.id)))
    revisions = {}
    for revision in db.session.scalars(
            select(PostRevision).where(PostRevision.post_id.in_([p.id for p in posts]))
            .order_by(PostRevision.id)):
        revisions.setdefault(revision.post_id, []).append({
            "title": revision.title, "body": revision.body, "reason": revision.reason,
            "replaced_at": iso(revision.created_at),
            "edited_by": "me" if revision.editor_id == user.id else "staff"})
    return [{"id": p.id, "thread_id": p.thread_id, "number": p.number,
             "is_question": p.is_question, "body": p.body, "visibility": p.visibility,
             "official": p.is_official, "helpful_votes": p.helpful_count,
             "created_at": iso(p.created_at), "edited_at": iso(p.edited_at),
             "earlier_versions": revisions.get(p.id, [])} for p in posts]


def _votes(user):
    return [{"post_id": post_id, "thread_id": thread_id, "voted_at": iso(at)}
            for post_id, thread_id, at in db.session.execute(
                select(Vote.post_id, Post.thread_id, Vote.created_at)
                .join(Post, Post.id == Vote.post_id).where(Vote.user_id == user.id)
                .order_by(Vote.id))]


def _read_marks(user):
    return [{"thread_id": thread_id, "read_until": iso(at)}
            for thread_id, at in db.session.execute(
                select(ReadMark.thread_id, ReadMark.read_until)
                .where(ReadMark.user_id == user.id).order_by(ReadMark.thread_id))]


def _tokens(user):
    """Names and dates only: never the hash, nor the prefix (a piece of the secret)."""
    return [{"name": t.name, "created_at": iso(t.created_at), "last_used_at": iso(t.last_used_at),
             "revoked_at": iso(t.revoked_at)}
            for t in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                        .order_by(ApiToken.id))]


def _logins(user):
    """The member's logins with the address they came from; failed attempts without
    one (it may be someone else's, trying the member's address)."""
    return [{"at": iso(a.created_at), "succeeded": a.succeeded,
             "ip": a.ip if a.succeeded else None}
            for a in db.session.scalars(select(LoginAttempt).where(LoginAttempt.email == user.email)
                                        .order_by(LoginAttempt.id))]


def _notifications(user):
    """What the member was told; who caused it is another member, named nowhere."""
    notifications = list(db.session.scalars(select(Notification).where(
        Notification.user_id == user.id).order_by(Notification.id)))
    titles = dict(db.session.execute(select(Thread.id, Thread.title).where(
        Thread.id.in_({n.thread_id for n in notifications}), Thread.visibility == "visible")).all())
    rows = []
    for n in notifications:
        data = n.data or {}
        rows.append({"kind": n.kind, "text": headline(n, None, titles.get(n.thread_id)),
                     "thread_id": n.thread_id, "post_id": n.post_id,
                     "reason": data.get("reason"), "message": data.get("message"),
                     "created_at": iso(n.created_at), "read_at": iso(n.read_at),
                     "email": n.email_state})
    return rows


def _notification_settings(user):
    from ..notifications.preferences import preferences
    watched = db.session.scalars(select(ThreadSubscription).where(
        ThreadSubscription.user_id == user.id).order_by(ThreadSubscription.id))
    categories = db.session.scalars(select(CategorySubscription).where(
        CategorySubscription.user_id == user.id).order_by(CategorySubscription.id))
    return ([{"setting": "email", "kind": kind, "choice": choice}
             for kind, choice in preferences(user).items()]
            + [{"setting": "watch_thread", "thread_id": s.thread_id, "active": s.active,
                "reason": s.reason, "since": iso(s.created_at)} for s in watched]
            + [{"setting": "watch_category", "category_id": s.category_id,
                "since": iso(s.created_at)} for s in categories])


def _emails(user):
    return [{"subject": m.subject, "to": m.recipient, "kind": m.kind, "status": m.status,
             "created_at": iso(m.created_at), "sent_at": iso(m.sent_at),
             "text": mail.text_part(m.raw)}
            for m in db.session.scalars(select(MailMessage).where(MailMessage.user_id == user.id)
                                        .order_by(MailMessage.id))]


def _privacy(user):
    exports = [{"request": "export", "status": e.status, "requested_at": iso(e.requested_at),
                "ready_at": iso(e.ready_at), "expires_at": iso(e.expires_at)}
               for e in db.session.scalars(select(DataExport).where(DataExport.user_id == user.id)
                                           .order_by(DataExport.id))]
    record = [{"request": entry.action, "at": iso(entry.created_at), "post_id": entry.post_id,
               "kinds": (entry.details or {}).get("kinds")}
              for entry in db.session.scalars(select(PrivacyLog).where(
                  PrivacyLog.user_id == user.id).order_by(PrivacyLog.id))]
    return exports + record


PARTS = (
    ExportPart("profile", _l("Your account"), ("users",), _profile),
    ExportPart("threads", _l("Questions you asked and answers you accepted"), ("threads",),
               _threads),
    ExportPart("posts", _l("Your posts, each with its earlier versions"),
               ("posts", "post_revisions"), _posts),
    ExportPart("votes", _l("Answers you marked helpful"), ("votes",), _votes),
    ExportPart("read_marks", _l("Where you stopped reading each thread"), ("read_marks",),
               _read_marks),
    ExportPart("api_tokens", _l("Your API tokens (names and dates, never the tokens)"),
               ("api_tokens",), _tokens),
    ExportPart("logins", _l("Your logins"), ("login_attempts",), _logins),
    ExportPart("notifications", _l("Your notifications"), ("notifications",), _notifications),
    ExportPart("notification_settings", _l("Your notification settings and what you watch"),
               ("notification_preferences", "thread_subscriptions", "category_subscriptions"),
               _notification_settings),
    ExportPart("emails", _l("E-mails we sent you"), ("mail_messages",), _emails),
    ExportPart("privacy_requests", _l("Your data exports and erasures"),
               ("privacy_exports", "privacy_log"), _privacy),
)


# --- Erasure ------------------------------------------------------------------------------

def erase(erasure):
    """The core's copies: sign-in data, notifications and e-mails go; posts are
    tombstoned (with ``delete_posts``) and mentions of the old name rewritten."""
    user = erasure.user
    for model, condition, what in (
            (ApiToken, ApiToken.user_id == user.id, "api_tokens"),
            (LoginAttempt, LoginAttempt.email == erasure.old_email, "logins"),
            (NotificationPreference, NotificationPreference.user_id == user.id, "settings"),
            (ThreadSubscription, ThreadSubscription.user_id == user.id, "settings"),
            (CategorySubscription, CategorySubscription.user_id == user.id, "settings"),
            (DataExport, DataExport.user_id == user.id, "exports"),
            (ReadMark, ReadMark.user_id == user.id, "read_marks")):
        erasure.count(what, db.session.execute(delete(model).where(condition)).rowcount)
    _drop_own_notifications(erasure)
    if erasure.delete_posts:
        _tombstone_posts(erasure)
    else:
        _unsign_posts(erasure)
    _rewrite_mentions(erasure)


def _drop_own_notifications(erasure):
    """The member's notifications and e-mails, and the outbox rows that would still
    compose or send them."""
    user_id = erasure.user.id
    notification_ids = set(db.session.scalars(select(Notification.id)
                                              .where(Notification.user_id == user_id)))
    mail_ids = set(db.session.scalars(select(MailMessage.id).where(MailMessage.user_id == user_id)))
    waiting = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.status != "done",
        OutboxMessage.kind.in_((delivery.COMPOSE, mail.SEND, digest.DIGEST))))
    for row in waiting:
        payload = row.payload or {}
        if (payload.get("notification_id") in notification_ids
                or payload.get("mail_id") in mail_ids or payload.get("user_id") == user_id):
            db.session.delete(row)
    erasure.count("notifications", db.session.execute(
        delete(Notification).where(Notification.user_id == user_id)).rowcount)
    db.session.execute(Notification.__table__.update()
                       .where(Notification.mail_id.in_(list(mail_ids)))
                       .values(mail_id=None))
    erasure.count("emails", db.session.execute(
        delete(MailMessage).where(MailMessage.user_id == user_id)).rowcount)


def _tombstone_posts(erasure):
    """Their posts' text becomes the tombstone (the thread still reads in order), their
    questions' titles too, and every earlier version of those posts is purged."""
    posts = list(db.session.scalars(select(Post).where(Post.author_id == erasure.user.id)))
    for post in posts:
        if len(post.body) >= MIN_COPY_LENGTH:
            erasure.scrubber.replace(post.body, privacy.TOMBSTONE)
        post.body = privacy.TOMBSTONE
        post.body_html = markup.render(privacy.TOMBSTONE)
        erasure.post_ids.add(post.id)
        erasure.thread_ids.add(post.thread_id)
        if post.is_question:
            thread = db.session.get(Thread, post.thread_id)
            erasure.scrubber.replace(thread.title, privacy.TOMBSTONE_TITLE)
            thread.title = privacy.TOMBSTONE_TITLE
            thread.slug = slugify(thread.title)
    erasure.count("posts_deleted", len(posts))
    if posts:
        erasure.count("revisions_purged", db.session.execute(delete(PostRevision).where(
            PostRevision.post_id.in_([p.id for p in posts]))).rowcount)
    db.session.flush()


def _unsign_posts(erasure):
    """Posts that stay keep their text, but not the member's old name or address (a
    signature, "call me at ..."): in the post, its earlier versions and the title."""
    scrubber, user_id = erasure.scrubber, erasure.user.id
    changed = 0
    for post in db.session.scalars(select(Post).where(Post.author_id == user_id)):
        body = scrubber.text(post.body)
        if body != post.body:
            post.body, post.body_html = body, markup.render(body)
            erasure.post_ids.add(post.id)
            erasure.thread_ids.add(post.thread_id)
            changed += 1
    for revision in db.session.scalars(select(PostRevision).join(
            Post, Post.id == PostRevision.post_id).where(Post.author_id == user_id)):
        body, title = scrubber.text(revision.body), scrubber.text(revision.title)
        if (body, title) != (revision.body, revision.title):
            revision.body, revision.title = body, title
            changed += 1
    for thread in db.session.scalars(select(Thread).where(Thread.author_id == user_id)):
        title = scrubber.text(thread.title)
        if title != thread.title:
            thread.title, thread.slug = title, slugify(title)
            erasure.thread_ids.add(thread.id)
            changed += 1
    erasure.count("own_texts_unsigned", changed)
    db.session.flush()


def rewrite_mentions(text, old_key, new_name):
    """``text`` with every ``@name`` mention of ``old_key`` written as ``@[new_name]``."""
    for start, end, key in reversed(find_mentions(text or "")):
        if key == old_key:
            text = f"{text[:start]}@[{new_name}]{text[end:]}"
    return text


def _mention_of(column, old_key):
    """Rows whose text may mention the name (``@[Anna Schmidt]`` or ``@AnnaSchmidt``):
    spaces removed and lowercased by the database, compared by Python afterwards."""
    squashed = func.lower(func.replace(column, " ", ""))
    return or_(*(squashed.contains(f"@{prefix}{key}", autoescape=True)
                 for key in {old_key, old_key.lower()} for prefix in ("", "[")))


def _rewrite_mentions(erasure):
    """Posts that mention the member link their profile: the mention is rewritten in the
    source and the HTML rendered again (with the new name); earlier versions too."""
    user, old_key = erasure.user, name_key(erasure.old_name)
    links = (f"/u/{user.id}-", f'/u/{user.id}"')
    posts = db.session.scalars(select(Post).where(
        or_(*(Post.body_html.contains(link, autoescape=True) for link in links),
            _mention_of(Post.body, old_key))))
    changed = 0
    for post in posts:
        body = rewrite_mentions(post.body, old_key, erasure.new_name)
        html = markup.render(body)
        if (body, html) != (post.body, post.body_html):
            post.body, post.body_html = body, html
            erasure.post_ids.add(post.id)
            erasure.thread_ids.add(post.thread_id)
            changed += 1
    for revision in db.session.scalars(select(PostRevision).where(
            _mention_of(PostRevision.body, old_key))):
        body = rewrite_mentions(revision.body, old_key, erasure.new_name)
        if body != revision.body:
            revision.body = body
            changed += 1
    erasure.count("mentions_rewritten", changed)
    db.session.flush()


# --- Redaction ------------------------------------------------------------------------------

def redact(redaction):
    """The post, every earlier version of it and (for a question) the thread's title."""
    post, thread, scrubber = redaction.post, redaction.thread, redaction.scrubber
    body = scrubber.text(post.body)
    if body != post.body:
        post.body, post.body_html = body, markup.render(body)
        redaction.count("posts", 1)
    revisions = list(db.session.scalars(select(PostRevision)
                                        .where(PostRevision.post_id == post.id)))
    for revision in revisions:
        body, title = scrubber.text(revision.body), scrubber.text(revision.title)
        if (body, title) != (revision.body, revision.title):
            revision.body, revision.title = body, title
            redaction.count("revisions", 1)
    if post.is_question and scrubber.text(thread.title) != thread.title:
        thread.title = scrubber.text(thread.title)
        thread.slug = slugify(thread.title)
        redaction.count("titles", 1)
    db.session.flush()
