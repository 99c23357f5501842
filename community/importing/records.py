"""Reading one line of an import file into a ``Record``, and what was noticed on the way.

History is taken as it was written: the rules for new posts (lengths, links, rates,
blocked words, repeated text, holds, the public-data warning) do not apply. A line is
rejected (``Rejected``) only when it cannot be understood: invalid JSON, a required
field missing, a time that is not a time (or lies in the future). Whatever the
database cannot hold as written is adapted and reported as a warning naming the
field: a title longer than its column is shortened at a word boundary (the full
title starts the question), characters no database stores are removed, a second
accepted answer or a reply id used twice is dropped.
"""
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .. import clock
from ..errors import ValidationError
from ..inputs import clean_text, has_unstorable
from ..services import accounts, threads
from ..text import normalize_tag

REQUIRED = ("external_id", "category", "title", "body", "author")
REPLY_REQUIRED = ("body", "author")
PSEUDONYM_DOMAIN = "users.invalid"
# Column sizes (community/models): what a value may hold without being adapted.
MAX_EXTERNAL_ID = 200
MAX_CATEGORY = 80
MAX_NAME = 60
MAX_TAG = 40


class Rejected(Exception):
    """A line that cannot be understood: nothing of it is imported."""

    def __init__(self, field, message):
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


@dataclass
class Author:
    email: str
    name: str


@dataclass
class ReplyRecord:
    body: str
    author: Author
    created_at: datetime
    external_id: str | None = None
    accepted: bool = False


@dataclass
class Record:
    line: int
    external_id: str
    category: str
    title: str
    body: str
    tags: list
    author: Author
    created_at: datetime
    replies: list
    warnings: list = field(default_factory=list)   # [(field, message)]


def pseudonymous_email(name):
    return f"imported-{hashlib.sha1(name.encode('utf-8')).hexdigest()}@{PSEUDONYM_DOMAIN}"


class _Reader:
    """Turns one decoded JSON object into a Record, collecting warnings."""

    def __init__(self, number):
        self.number = number
        self.warnings = []

    def warn(self, where, message):
        self.warnings.append((where, message))

    def text(self, value, where):
        """A string as written, without the characters no database can store."""
        text = value if isinstance(value, str) else str(value)
        if has_unstorable(text):
            text = clean_text(text)
            self.warn(where, "control characters removed (no database stores them)")
        return text

    def required(self, data, names, prefix=""):
        missing = [name for name in names if data.get(name) is None
                   or (name != "body" and data.get(name) in ("", [], {}))]
        if missing:
            raise Rejected(prefix + missing[0], "missing" if len(missing) == 1 else
                           "missing (and " + ", ".join(missing[1:]) + ")")

    def external_id(self, value, where):
        text = self.text(value, where).strip()
        if not text:
            raise Rejected(where, "missing")
        if len(text) > MAX_EXTERNAL_ID:
            raise Rejected(where, f"longer than {MAX_EXTERNAL_ID} characters")
        return text

    def title(self, value):
        title = " ".join(self.text(value, "title").split())
        if not title:
            raise Rejected("title", "missing")
        low, high = threads.TITLE_LENGTH
        if len(title) > high:
            short = shorten(title, high)
            self.warn("title", f"{_chars(title)}, longer than a title may be ({high}); "
                      f"shortened to \"{short}\", the full title starts the question")
            return short, title
        if len(title) < low:
            self.warn("title", f"{_chars(title)}, shorter than a new title may be "
                      f"({low}); imported as written")
        return title, None

    def body(self, value, where):
        body = self.text(value, where).strip()
        low, high = threads.BODY_LENGTH
        if len(body) < low:
            self.warn(where, f"{_chars(body)}, shorter than a new post may be ({low}); "
                      "imported as written")
        elif len(body) > high:
            self.warn(where, f"{_chars(body)}, longer than a new post may be ({high}); "
                      "imported as written")
        return body

    def author(self, value, where):
        if isinstance(value, str):
            value = {"name": value}
        if not isinstance(value, dict):
            raise Rejected(where, "must be an object with name and/or email")
        name = " ".join(self.text(value.get("name") or "", f"{where}.name").split())
        email = value.get("email")
        if email:
            try:
                email = accounts.normalize_email(self.text(email, f"{where}.email"))
            except ValidationError:
                self.warn(f"{where}.email", f"not an e-mail address ({str(email)[:80]!r}); "
                          "the author is matched by name")
                name = name or " ".join(str(value["email"]).split())
                email = None
        if email:
            name = name or email.split("@")[0]
        elif name:
            email = pseudonymous_email(name)
        else:
            raise Rejected(where, "needs a name or an e-mail address")
        if len(name) < 2:
            name = f"{name} ({email.split('@')[0][:12]})"
        return Author(email=email, name=name[:MAX_NAME].rstrip())

    def time(self, value, where, default):
        if value in (None, ""):
            return default
        try:
            if isinstance(value, bool):
                raise TypeError
            if isinstance(value, (int, float)):
                moment = datetime.fromtimestamp(value, UTC)
            else:
                moment = datetime.fromisoformat(str(value).strip())
        except (TypeError, ValueError, OverflowError, OSError):
            raise Rejected(where, f"not a date and time: {str(value)[:80]!r}") from None
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        if moment > clock.now():
            raise Rejected(where, f"in the future ({str(value)[:80]})")
        return moment

    def category(self, value):
        name = " ".join(self.text(value, "category").split())
        if len(name) < 2:
            raise Rejected("category", "needs at least 2 characters")
        if len(name) > MAX_CATEGORY:
            name = shorten(name, MAX_CATEGORY)
            self.warn("category", f"longer than {MAX_CATEGORY} characters; shortened to "
                      f"\"{name}\"")
        return name

    def tags(self, value):
        if value in (None, ""):
            return []
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list):
            raise Rejected("tags", "must be a list of names")
        names = []
        for raw in value:
            name = normalize_tag(self.text(raw, "tags"))
            if len(name) < 2:
                self.warn("tags", f"{str(raw)[:40]!r} is not a tag name (2 to {MAX_TAG} "
                          "letters); left out")
            elif name not in names:
                names.append(name)
        return names

    def replies(self, value, question_at):
        if value is None:
            return []
        if not isinstance(value, list):
            raise Rejected("replies", "must be a list")
        replies, previous, seen_ids, accepted = [], question_at, set(), False
        for position, item in enumerate(value, start=1):
            where = f"reply {position}"
            if not isinstance(item, dict):
                raise Rejected(where, "not a JSON object")
            self.required(item, REPLY_REQUIRED, prefix=f"{where}: ")
            body = self.body(item["body"], f"{where}: body")
            when = self.time(item.get("created_at"), f"{where}: created_at", previous)
            if when < question_at:
                self.warn(f"{where}: created_at", "before the question; set to the "
                          "question's time")
                when = question_at
            reply_id = item.get("external_id")
            reply_id = None if reply_id in (None, "") else \
                self.external_id(reply_id, f"{where}: external_id")
            if reply_id and reply_id in seen_ids:
                self.warn(f"{where}: external_id", f"{reply_id!r} used twice in this thread; "
                          "imported without it")
                reply_id = None
            seen_ids.add(reply_id)
            is_accepted = bool(item.get("accepted"))
            if is_accepted and accepted:
                self.warn(f"{where}: accepted", "a thread has one accepted answer; the "
                          "earlier one stays accepted")
                is_accepted = False
            accepted = accepted or is_accepted
            replies.append(ReplyRecord(body=body, author=self.author(item["author"],
                                                                     f"{where}: author"),
                                       created_at=when, external_id=reply_id,
                                       accepted=is_accepted))
            previous = when
        # Replies are numbered in the order they were written (a stable sort).
        replies.sort(key=lambda reply: reply.created_at)
        return replies


def _chars(text):
    return "1 character" if len(text) == 1 else f"{len(text)} characters"


def shorten(text, limit):
    """``text`` cut at the last word boundary that leaves room for "…" within ``limit``."""
    cut = text[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:-–") + "…"


def decode(raw):
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise Rejected("", "not UTF-8 text") from None
    except json.JSONDecodeError as error:
        message = error.msg.removesuffix(" at").removesuffix(" starting")
        raise Rejected("", f"invalid JSON: {message} (column {error.colno})") from None
    except RecursionError:
        raise Rejected("", "invalid JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise Rejected("", "not a JSON object")
    return data


def parse_line(raw, number):
    """One line of the file (bytes) as a Record; raises Rejected. Nothing is written."""
    data = decode(raw)
    reader = _Reader(number)
    reader.required(data, REQUIRED)
    external_id = reader.external_id(data["external_id"], "external_id")
    title, full_title = reader.title(data["title"])
    body = reader.body(data["body"], "body")
    if full_title:
        body = f"{full_title}\n\n{body}".strip()
    created_at = reader.time(data.get("created_at"), "created_at", clock.now())
    return Record(line=number, external_id=external_id,
                  category=reader.category(data["category"]), title=title, body=body,
                  tags=reader.tags(data.get("tags")),
                  author=reader.author(data["author"], "author"), created_at=created_at,
                  replies=reader.replies(data.get("replies"), created_at),
                  warnings=reader.warnings)
