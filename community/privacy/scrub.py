"""Replacing a text in every copy of it: post sources, JSON payloads, stored e-mails.

A ``Scrubber`` holds what an erasure or a redaction replaces: literal texts (a
deleted post's body by the tombstone, a redacted span by the marker) and words (an
erased member's old display name, only where it stands as a whole word, so erasing
"Anna" leaves "Annabelle" alone). Every copy is rewritten with the same scrubber, so
the post, its revisions, the outbox payloads, the notifications and the e-mails end
up saying the same.

Finding the rows to rewrite never reads a whole table into Python: ``rows_containing``
asks the database for rows whose text (or JSON text) contains a short needle of one
of the old texts, and only those are rewritten.
"""
import email
import email.policy
import json
import re

from markupsafe import escape
from sqlalchemy import cast, or_, select

from ..extensions import db

# Needles are the first characters of an old text: long enough to be rare, short
# enough that LIKE stays cheap whatever was erased.
NEEDLE_LENGTH = 60


class Scrubber:
    def __init__(self):
        self.literal = {}
        self.words = {}
        self._pattern = None

    def replace(self, old, new):
        """Replace ``old`` wherever it appears (an exact text)."""
        if old and old != new:
            self.literal[old] = new

    def replace_word(self, old, new):
        """Replace ``old`` where it stands as a whole word (a name), also as HTML
        writes it (``O&#39;Brien``)."""
        if old and old != new:
            self.words[old] = new
            self.words.setdefault(str(escape(old)), str(escape(new)))
            self._pattern = None

    def __bool__(self):
        return bool(self.literal or self.words)

    def _word_pattern(self):
        if self._pattern is None and self.words:
            # Literals only, longest first; bounded by the lookarounds: linear in the text.
            names = sorted(self.words, key=len, reverse=True)
            alternatives = "|".join(map(re.escape, names))
            self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
        return self._pattern

    def text(self, value):
        """``value`` with every replacement made (None stays None)."""
        if not value or not isinstance(value, str):
            return value
        for old in sorted(self.literal, key=len, reverse=True):
            if old in value:
                value = value.replace(old, self.literal[old])
        pattern = self._word_pattern()
        if pattern is not None:
            value = pattern.sub(lambda match: self.words[match.group(0)], value)
        return value

    def json(self, value):
        """A copy of the JSON value ``value`` with every string (keys too) scrubbed."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {self.text(key): self.json(item) for key, item in value.items()}
        return value

    def needles(self):
        """Short texts one of which a row must contain to need rewriting: each old
        text's beginning, as written and as JSON writes it (``\\u00fc`` for ü)."""
        found = set()
        for old in [*self.literal, *self.words]:
            head = old[:NEEDLE_LENGTH]
            found.add(head)
            found.add(json.dumps(head)[1:-1])
        return sorted(found)


def rows_containing(model, column, scrubber, *where):
    """Rows of ``model`` whose ``column`` (text or JSON) may contain what ``scrubber``
    replaces; the caller rewrites them with ``scrubber.text``/``.json``."""
    needles = scrubber.needles()
    if not needles:
        return []
    text = cast(column, db.Text) if isinstance(column.type, db.JSON) else column
    return list(db.session.scalars(select(model).where(
        or_(*(text.contains(needle, autoescape=True) for needle in needles)), *where)))


def _rewrite(rows, attribute, scrub):
    changed = 0
    for row in rows:
        old = getattr(row, attribute)
        new = scrub(old)
        if new != old:
            setattr(row, attribute, new)  # a new object: a JSON column sees the change
            changed += 1
    return changed


def rewrite_json(rows, attribute, scrubber):
    """Scrub the JSON ``attribute`` of each row; returns how many changed."""
    return _rewrite(rows, attribute, scrubber.json)


def rewrite_text(rows, attribute, scrubber):
    """Scrub the text ``attribute`` of each row; returns how many changed."""
    return _rewrite(rows, attribute, scrubber.text)


def scrub_mail(raw, scrubber):
    """A stored e-mail (``MailMessage.raw``) with its subject and text parts scrubbed,
    or None when nothing in it changes. The message keeps its Message-ID and headers,
    so a mail still queued is sent as it now reads."""
    message = email.message_from_string(raw, policy=email.policy.SMTP)
    changed = False
    subject = str(message["Subject"] or "")
    if scrubber.text(subject) != subject:
        message.replace_header("Subject", scrubber.text(subject))
        changed = True
    for part in message.walk():
        if part.get_content_maintype() != "text" or part.is_multipart():
            continue
        content = part.get_content()
        scrubbed = scrubber.text(content)
        if scrubbed != content:
            part.set_content(scrubbed, subtype=part.get_content_subtype(),
                             cte="quoted-printable")
            changed = True
    if not changed:
        return None
    return message.as_bytes(policy=email.policy.SMTP).decode("ascii")
