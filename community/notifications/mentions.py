"""Mentions: ``@name`` in a post links the member's profile and tells them.

Display names have spaces and are not unique, so the rule is:

- Write ``@[Anna Schmidt]`` (the display name in brackets) or ``@AnnaSchmidt``
  (the display name without its spaces). Case does not matter.
- A name that belongs to exactly one member becomes a link to their profile
  when the post is rendered (``link_mentions``, a plugin of the core's Markdown
  renderer, community/markup.py). A name that several members share, or nobody,
  stays plain text: a mention never reaches a wrong person.
- Mentions in code, code blocks, quotes and links do not count; at most
  ``MAX_MENTIONS`` different names per post.
- Who is told is read back from the stored HTML (``mentioned_users``), so the
  people linked and the people told are always the same. Nobody is told about
  mentioning themselves.
"""
import re

from flask import has_app_context
from markdown_it.token import Token
from sqlalchemy import func, select

from ..extensions import db
from ..models import User
from ..text import slugify
from .links import site_path

MAX_MENTIONS = 10
MENTION_CLASS = "mention"
MENTION_RE = re.compile(r"(?<![\w@.])@(?:\[([^\]\n]{2,60})\]|(\w[\w.'-]{1,59}))")
# A link made by ``link_mentions`` in stored (sanitized) HTML; attributes in any order.
_ANCHOR_RE = re.compile(r"<a\s[^>]*>")
_MENTION_HREF_RE = re.compile(r'href="[^"]*/u/(\d+)(?:-[^"/]*)?"')


def name_key(name):
    """How names are compared: without spaces, case-folded."""
    return "".join(name.split()).casefold()


def _ascii_lower(text):
    return "".join(c.lower() if c.isascii() else c for c in text)


def find_mentions(text):
    """(start, end, name key) of each ``@name`` in plain ``text``."""
    found = []
    for match in MENTION_RE.finditer(text):
        bracketed, plain = match.groups()
        raw = bracketed or plain.rstrip(".'-")
        end = match.end() if bracketed else match.start() + 1 + len(raw)
        key = name_key(raw)
        if len(key) >= 2:
            found.append((match.start(), end, key))
    return found


def members_named(keys):
    """name key -> the one member with that name; shared names are left out (one query)."""
    if not keys:
        return {}
    # SQLite's lower() folds ASCII only: also compare with that folding.
    variants = set(keys) | {_ascii_lower(k) for k in keys}
    squashed = func.lower(func.replace(User.name, " ", ""))
    candidates = {}
    for user in db.session.scalars(select(User).where(squashed.in_(variants))):
        candidates.setdefault(name_key(user.name), []).append(user)
    return {key: users[0] for key, users in candidates.items() if len(users) == 1}


# --- the Markdown plugin ---------------------------------------------------------

def link_mentions(md):
    """markdown-it plugin: ``@name`` of a member becomes a link to their profile."""
    md.core.ruler.push("mentions", _mentions_rule)


def _eligible_texts(tokens):
    """Text tokens outside quotes, links and code (code is never a text token)."""
    quoted = 0
    for token in tokens:
        if token.type == "blockquote_open":
            quoted += 1
        elif token.type == "blockquote_close":
            quoted -= 1
        elif token.type == "inline" and not quoted and token.children:
            in_link = 0
            for index, child in enumerate(token.children):
                if child.type == "link_open":
                    in_link += 1
                elif child.type == "link_close":
                    in_link -= 1
                elif child.type == "text" and not in_link and "@" in child.content:
                    yield token, index, child


def _mentions_rule(state):
    if not has_app_context():
        return  # rendered outside the app (no members to link)
    texts = list(_eligible_texts(state.tokens))
    found = {id(child): find_mentions(child.content) for _, _, child in texts}
    keys = []
    for spans in found.values():
        for _, _, key in spans:
            if key not in keys and len(keys) < MAX_MENTIONS:
                keys.append(key)
    members = members_named(keys)
    if not members:
        return
    # Replace from the last token backwards, so earlier indexes stay valid.
    for inline, index, child in reversed(texts):
        nodes = _split(child, found[id(child)], {k: members[k] for k in keys if k in members})
        if nodes is not None:
            inline.children[index:index + 1] = nodes


def _split(token, spans, members):
    nodes, last = [], 0
    for start, end, key in spans:
        user = members.get(key)
        if user is None:
            continue
        nodes.append(_text(token, token.content[last:start]))
        link = Token("link_open", "a", 1, level=token.level,
                     attrs={"href": site_path("users.profile", user_id=user.id,
                                              slug=slugify(user.name)),
                            "class": MENTION_CLASS})
        nodes += [link, _text(token, f"@{user.name}"), Token("link_close", "a", -1,
                                                             level=token.level)]
        last = end
    if not nodes:
        return None
    nodes.append(_text(token, token.content[last:]))
    return [node for node in nodes if node.type != "text" or node.content]


def _text(token, content):
    return Token("text", "", 0, level=token.level, content=content)


# --- who is told -----------------------------------------------------------------

def mentioned_user_ids(html):
    """Ids of the members a post's stored HTML links as mentions, in order."""
    ids = []
    for tag in _ANCHOR_RE.findall(html or ""):
        if f'class="{MENTION_CLASS}"' not in tag:
            continue
        match = _MENTION_HREF_RE.search(tag)
        if match and int(match.group(1)) not in ids:
            ids.append(int(match.group(1)))
    return ids[:MAX_MENTIONS]


def mentioned_users(post):
    """The members ``post`` mentions (one query), without its author."""
    ids = [uid for uid in mentioned_user_ids(post.body_html) if uid != post.author_id]
    if not ids:
        return []
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    return [users[uid] for uid in ids if uid in users]
