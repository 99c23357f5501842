"""Deflection: a member about to ask opens a suggested similar question and does not
post after all. That is a question answered without being asked, the number the
service dashboard wants per day.

Opening a suggestion records a ``SuggestionOpen`` for the member's ask session (a
token of the ask form, signed for that member: the link is a plain GET so it opens
in a new tab and without JavaScript, and a link or image someone else planted in a
post cannot record opens for its readers, since it cannot carry their token). Posting a question marks the member's open sessions
as "asked anyway". ``settle`` (a periodic worker job) folds every session whose last
open is older than ``SEARCH_DEFLECTION_HOURS`` into ``DeflectionDay`` and deletes
its rows, so only counts are kept, not who read what.
"""
import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update

from community import clock, events
from community.extensions import db
from community.permissions import require
from community.security import signing_keys

from ..models import DeflectionDay, SuggestionOpen

DRAFT = re.compile(r"([0-9a-f]{12})-([0-9a-f]{16})")


def _signature(user_id, nonce, key=None):
    key = (key or current_app.config["SECRET_KEY"]).encode()
    message = f"search-draft:{user_id}:{nonce}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


def issue_draft(user):
    """A new ask session's token, valid for ``user`` only (29 characters), signed with
    the current secret key."""
    nonce = secrets.token_hex(6)
    return f"{nonce}-{_signature(getattr(user, 'id', None), nonce)}"


def valid_draft(user, raw):
    """``raw`` if it is an ask session token issued to ``user``, else None. A token
    signed before a key rotation stays valid while its key is in
    ``FORUM_SECRET_KEY_FALLBACKS`` (an ask form open in a browser keeps counting)."""
    match = DRAFT.fullmatch((raw or "").strip())
    if not match or not getattr(user, "is_authenticated", False):
        return None
    nonce, signature = match.groups()
    # Every key is tried (no early exit), so the time taken says nothing about which.
    matches = [hmac.compare_digest(signature, _signature(user.id, nonce, key))
               for key in signing_keys()]
    return raw.strip() if any(matches) else None


def record_open(user, thread, draft):
    """``user`` opened ``thread`` from the suggestions of ask session ``draft``; only
    a session issued to ``user`` counts."""
    require(user, "view_thread", thread)
    draft = valid_draft(user, draft)
    if draft is None:
        return None   # a visitor, or a link that was not made for this member
    row = SuggestionOpen(user_id=user.id, draft=draft, thread_id=thread.id,
                         opened_at=clock.now())
    db.session.add(row)
    return row


def _asked(sender, thread, user, **_):
    """The member asked after all: their open sessions are not deflections."""
    db.session.execute(update(SuggestionOpen)
                       .where(SuggestionOpen.user_id == user.id,
                              SuggestionOpen.asked_at.is_(None))
                       .values(asked_at=clock.now())
                       .execution_options(synchronize_session=False))


def connect(app):
    events.thread_created.connect(_asked, sender=app)


def settle():
    """Fold ask sessions that ended into the day counts. Safe with several workers: a
    session counts only for whoever deletes its rows."""
    cutoff = clock.now() - timedelta(hours=current_app.config["SEARCH_DEFLECTION_HOURS"])
    sessions = db.session.execute(
        select(SuggestionOpen.user_id, SuggestionOpen.draft, func.min(SuggestionOpen.opened_at),
               func.max(SuggestionOpen.asked_at))
        .group_by(SuggestionOpen.user_id, SuggestionOpen.draft)
        .having(func.max(SuggestionOpen.opened_at) <= cutoff)).all()
    settled = 0
    for user_id, draft, first_open, asked_at in sessions:
        opened = db.session.execute(
            delete(SuggestionOpen).where(SuggestionOpen.user_id == user_id,
                                         SuggestionOpen.draft == draft,
                                         SuggestionOpen.opened_at <= cutoff)
            .execution_options(synchronize_session=False)).rowcount
        if not opened:
            continue
        _add_to_day(first_open.date(), opened, deflected=int(asked_at is None))
        settled += 1
    return settled


def _add_to_day(day, opened, deflected):
    """Add to the day's counts in SQL, so concurrent workers never lose an update."""
    changed = db.session.execute(
        update(DeflectionDay).where(DeflectionDay.day == day)
        .values(opened=DeflectionDay.opened + opened, sessions=DeflectionDay.sessions + 1,
                deflected=DeflectionDay.deflected + deflected)
        .execution_options(synchronize_session=False)).rowcount
    if not changed:
        db.session.add(DeflectionDay(day=day, opened=opened, sessions=1, deflected=deflected))
        db.session.flush()


def recent_days(days=30):
    """The day counts of the last ``days`` days, newest first (days without any
    opened suggestion have no row)."""
    since = (clock.now() - timedelta(days=days)).date()
    return list(db.session.scalars(select(DeflectionDay).where(DeflectionDay.day > since)
                                   .order_by(DeflectionDay.day.desc())))


def pending_sessions():
    """Ask sessions with opened suggestions whose outcome is not known yet."""
    return db.session.scalar(select(func.count()).select_from(
        select(SuggestionOpen.user_id, SuggestionOpen.draft)
        .group_by(SuggestionOpen.user_id, SuggestionOpen.draft).subquery()))
