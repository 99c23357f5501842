"""Mentions: ``@name`` in a post tells that member.

Display names have spaces and are not unique, so the rule is:

- Write ``@[Anna Schmidt]`` (the display name in brackets) or ``@AnnaSchmidt``
  (the display name without its spaces). Case does not matter.
- When several members have that name, the one who took part in the thread
  (asked or answered) is meant; when that still leaves more than one, or none
  of them took part, nobody is told: a mention never reaches a wrong person.
- Mentions in code, code blocks and quotes do not count; at most
  ``MAX_MENTIONS`` different names per post; nobody is told about mentioning
  themselves.
"""
import re
from html import unescape

from sqlalchemy import func, select

from ..extensions import db
from ..models import Post, User

MAX_MENTIONS = 10
MENTION_RE = re.compile(r"(?<![\w@.])@(?:\[([^\]\n]{2,60})\]|(\w[\w.'-]{1,59}))")
_SKIP_RE = re.compile(r"<(pre|code|blockquote)\b[^>]*>.*?</\1>", re.S | re.I)
_TAG_RE = re.compile(r"<[^>]+>")


def name_key(name):
    """How names are compared: without spaces, case-folded."""
    return "".join(name.split()).casefold()


def _ascii_lower(text):
    return "".join(c.lower() if c.isascii() else c for c in text)


def mentioned_names(html):
    """The name keys mentioned in stored post HTML, in order, at most MAX_MENTIONS."""
    text = unescape(_TAG_RE.sub(" ", _SKIP_RE.sub(" ", html or "")))
    keys = []
    for bracketed, plain in MENTION_RE.findall(text):
        raw = bracketed or plain.rstrip(".'-")
        key = name_key(raw)
        if len(key) >= 2 and key not in keys:
            keys.append(key)
        if len(keys) == MAX_MENTIONS:
            break
    return keys


def mentioned_users(post, thread):
    """Members ``post`` mentions, by the rule above (at most three queries)."""
    keys = mentioned_names(post.body_html)
    if not keys:
        return []
    # SQLite's lower() folds ASCII only: also compare with that folding.
    variants = set(keys) | {_ascii_lower(k) for k in keys}
    squashed = func.lower(func.replace(User.name, " ", ""))
    candidates = {}
    for user in db.session.scalars(select(User).where(squashed.in_(variants))):
        candidates.setdefault(name_key(user.name), []).append(user)
    chosen = []
    ambiguous = [users for key, users in candidates.items() if len(users) > 1]
    participants = _participants(thread, [u.id for users in ambiguous for u in users])
    for key in keys:
        users = candidates.get(key, [])
        if len(users) > 1:
            users = [u for u in users if u.id in participants]
        if len(users) == 1 and users[0].id != post.author_id:
            chosen.append(users[0])
    return chosen


def _participants(thread, user_ids):
    if not user_ids:
        return set()
    return set(db.session.scalars(select(Post.author_id).distinct().where(
        Post.thread_id == thread.id, Post.visibility == "visible",
        Post.author_id.in_(user_ids))))
