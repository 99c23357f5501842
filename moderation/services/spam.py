"""Spam heuristics. They only ever hold a post for review, never refuse or delete
it: a false positive costs the author a short wait, not their text."""
import hashlib
import re
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from community import clock, markup
from community.errors import RateLimited
from community.extensions import db
from community.models import Post
from community.permissions import require

from ..models import BlockedWord, PostFingerprint
from . import audit, invalid

# Starter list for admins (German and English): advertising that keeps coming back
# and the worst insults. Admins extend or trim it on /mod/blocked-words.
STARTER_WORDS = (
    "viagra", "cialis", "casino bonus", "online casino", "payday loan", "replica watches",
    "crypto giveaway", "bitcoin doubler", "binary options", "work from home and earn",
    "buy followers", "seo services", "escort service",
    "kredit ohne schufa", "sofortkredit", "potenzmittel", "sportwetten tipps",
    "gratis iphone", "schnell reich werden", "geld verdienen von zu hause",
    "arschloch", "wichser", "hurensohn", "fuck you", "motherfucker",
)

_WORD = re.compile(r"\w+", re.UNICODE)

_LINK = re.compile(r"<a\s[^>]*>")


def count_links(body):
    """Links a post carries, not counting @mentions (profile links the core adds)."""
    return sum('class="mention"' not in tag for tag in _LINK.findall(markup.render(body)))


def normalize(text):
    return " ".join(_WORD.findall((text or "").lower()))


def digest(text):
    return hashlib.sha256(normalize(text).encode()).hexdigest()


def _long_enough(text):
    return len(normalize(text)) >= current_app.config["MOD_REPEAT_MIN_LENGTH"]


def repeated(user, body):
    """True when the author already posted this text in the window, or enough others did."""
    if not _long_enough(body):
        return False
    since = clock.now() - timedelta(hours=current_app.config["MOD_REPEAT_WINDOW_HOURS"])
    authors = set(db.session.scalars(
        select(PostFingerprint.author_id).distinct()
        .where(PostFingerprint.digest == digest(body), PostFingerprint.created_at >= since)))
    others = len(authors - {user.id})
    return user.id in authors or others >= current_app.config["MOD_REPEAT_OTHER_ACCOUNTS"]


def remember(post):
    """Keep the fingerprint of a new post (only texts long enough to count)."""
    if _long_enough(post.body):
        db.session.add(PostFingerprint(post_id=post.id, author_id=post.author_id,
                                       digest=digest(post.body), created_at=post.created_at))


def blocked_words_in(*texts):
    words = list(db.session.scalars(select(BlockedWord.word)))
    if not words:
        return []
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)",
                         re.IGNORECASE | re.UNICODE)
    found = []
    for text in texts:
        for match in pattern.finditer(text or ""):
            word = match.group(1).lower()
            if word not in found:
                found.append(word)
    return found


def rate_applies(user, level):
    """The new members' posting rate holds for members still "new", and for every member
    during their first MOD_NEW_MEMBER_MIN_HOURS whatever their trust level: trust can be
    earned within minutes (approved posts in open categories), and a fresh account must
    not post at full speed on the strength of it."""
    hours = current_app.config["MOD_NEW_MEMBER_MIN_HOURS"]
    return level == "new" or clock.now() - user.created_at < timedelta(hours=hours)


def rate_window_columns(user_id, window_start=None):
    """The member's posts in the current rate window: their count and the oldest one's
    time, as scalar subqueries (another statement may share them; ``window_start``,
    given, may be a bound parameter: ``rate_window_start()``)."""
    window_start = rate_window_start() if window_start is None else window_start
    recent = (Post.author_id == user_id, Post.created_at > window_start)
    return [select(func.count(Post.id)).where(*recent).scalar_subquery(),
            select(func.min(Post.created_at)).where(*recent).scalar_subquery()]


def rate_window_start():
    return clock.now() - timedelta(minutes=current_app.config["MOD_NEW_MEMBER_RATE_MINUTES"])


def next_post_at(recent, oldest):
    """When one more post is allowed, or None while the window has room: the oldest post
    in the window leaves it first."""
    config = current_app.config
    if recent < config["MOD_NEW_MEMBER_RATE_POSTS"] or oldest is None:
        return None
    return oldest + timedelta(minutes=config["MOD_NEW_MEMBER_RATE_MINUTES"])


def check_rate(user, level="new"):
    """New members may write only so many posts per window (refused, text kept)."""
    if not rate_applies(user, level):
        return
    recent, oldest = db.session.execute(select(*rate_window_columns(user.id))).one()
    allowed_at = next_post_at(recent, oldest)
    if allowed_at is not None:
        config = current_app.config
        message = _l("New members can write %(n)d posts within %(minutes)d minutes. Please wait "
                     "a little and send it again; your text is kept below.",
                     n=config["MOD_NEW_MEMBER_RATE_POSTS"],
                     minutes=config["MOD_NEW_MEMBER_RATE_MINUTES"])
        wait = (allowed_at - clock.now()).total_seconds()
        raise RateLimited(message, retry_after=max(1, wait), fields={"body": message})


def _clean_words(text):
    words = []
    for raw in re.split(r"[\n,;]+", text or ""):
        word = " ".join(raw.split()).lower()[:100]
        if len(word) >= 2 and word not in words:
            words.append(word)
    return words


def add_words(admin, text):
    """Add words or phrases (one per line or comma-separated); returns those added."""
    require(admin, "manage_blocked_words")
    existing = set(db.session.scalars(select(BlockedWord.word)))
    added = [w for w in _clean_words(text) if w not in existing]
    if not added and not _clean_words(text):
        raise invalid("words", _l("Enter at least one word of 2 or more characters."))
    rows = [BlockedWord(word=word, created_at=clock.now(), created_by_id=admin.id)
            for word in added]
    db.session.add_all(rows)
    db.session.flush()
    if rows:  # one action, one entry, however many words it added
        audit.record(admin, "blocked_word.add", "blocked_word",
                     rows[0].id if len(rows) == 1 else None, words=added)
    return added


def add_starters(admin):
    return add_words(admin, "\n".join(STARTER_WORDS))


def remove_word(admin, word_id):
    require(admin, "manage_blocked_words")
    row = db.session.get(BlockedWord, word_id)
    if row is None:
        return None
    audit.record(admin, "blocked_word.remove", "blocked_word", row.id, word=row.word)
    db.session.delete(row)  # a setting, not member content; the audit entry keeps the word
    db.session.flush()
    return row.word


def all_words():
    return list(db.session.scalars(select(BlockedWord).order_by(BlockedWord.word)))
