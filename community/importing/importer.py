"""Import threads from another forum: ``flask --app community import threads FILE.jsonl``.

One thread per line::

    {"external_id": "old-forum-4711", "category": "Mobilfunk / Mobile",
     "title": "...", "body": "... Markdown ...", "tags": ["roaming"],
     "author": {"name": "Anna", "email": "anna@example.com"},
     "created_at": "2024-03-01T09:30:00Z",
     "replies": [{"body": "...", "author": {"name": "Bob"}, "created_at": "...",
                  "external_id": "old-forum-post-99", "accepted": true}]}

- ``external_id``, ``category``, ``title``, ``body`` and ``author`` are required;
  ``created_at`` (ISO 8601, UTC when no offset is given, or Unix seconds), ``tags``,
  ``replies`` and, per reply, ``external_id`` and ``accepted`` are optional. A reply
  without ``created_at`` gets the time of the post before it.
- Authors are matched by e-mail (lowercased) or created without a password (they
  cannot log in until they reset it). Without an e-mail the author becomes the
  pseudonymous ``imported-<sha1 of the name>@users.invalid``.
- Categories are matched by the slug of their name, created when missing.
- A line whose ``external_id`` is already there is skipped, so re-running a file
  imports nothing twice.
- Each line is validated completely (JSON, fields, times, the services' title, body
  and tag rules) before anything is written; bad lines are reported with their
  line number and skipped. Good lines are committed in batches; if a service still
  refuses a line while writing, the batch is rolled back, that line reported, and
  the other lines of the batch written again one by one.
- Threads and replies are written through ``community.services.threads`` with their original
  ``created_at``, so counters, events and outbox rows are those of real use. The
  source forum already moderated its content, so the visibility policies (spam
  heuristics, pre-moderation of new members) are not applied to imported posts.
"""
import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone

import click
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from .. import clock
from ..services import accounts, categories, threads
from ..errors import ServiceError, ValidationError
from ..extensions import db
from ..models import Category, Post, Thread, User
from ..text import slugify

REQUIRED = ("external_id", "category", "title", "body", "author")
PSEUDONYM_DOMAIN = "users.invalid"


class LineError(Exception):
    """Why one line cannot be imported."""


@dataclass
class Summary:
    imported: int = 0
    replies: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list = field(default_factory=list)


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


# ------------------------------------------------------------------ validation

def pseudonymous_email(name):
    return f"imported-{hashlib.sha1(name.encode('utf-8')).hexdigest()}@{PSEUDONYM_DOMAIN}"


def _author(value, where):
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, dict):
        raise LineError(f"{where}: must be an object with name and/or email")
    name = " ".join(str(value.get("name") or "").split())
    email = value.get("email")
    if email:
        try:
            email = accounts.normalize_email(str(email))
        except ValidationError:
            raise LineError(f"{where}: invalid e-mail address {email!r}") from None
        name = name or email.split("@")[0]
    elif name:
        email = pseudonymous_email(name)
    else:
        raise LineError(f"{where}: needs a name or an e-mail address")
    if len(name) < 2:
        name = f"{name} ({email.split('@')[0][:12]})"
    return Author(email=email, name=name[:60].rstrip())


def _time(value, where, default):
    if value in (None, ""):
        return default
    try:
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, (int, float)):
            moment = datetime.fromtimestamp(value, timezone.utc)
        else:
            moment = datetime.fromisoformat(str(value).strip())
    except (TypeError, ValueError, OverflowError, OSError):
        raise LineError(f"{where}: not a date and time: {value!r}") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    if moment > clock.now():
        raise LineError(f"{where}: is in the future ({value})")
    return moment


def _fields_message(error):
    details = "; ".join(f"{name}: {message}" for name, message in error.fields.items())
    return details or error.message


def parse_line(raw, number):
    """Turn one line into a validated Record (nothing is written); raises LineError."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise LineError("not UTF-8 text") from None
    except json.JSONDecodeError as error:
        message = error.msg.removesuffix(" at").removesuffix(" starting")
        raise LineError(f"invalid JSON: {message} (column {error.colno})") from None
    if not isinstance(data, dict):
        raise LineError("not a JSON object")
    missing = [name for name in REQUIRED if data.get(name) in (None, "", [], {})]
    if missing:
        raise LineError("missing " + ", ".join(missing))
    external_id = str(data["external_id"]).strip()
    if not external_id or len(external_id) > 200:
        raise LineError("external_id must have 1 to 200 characters")
    category = " ".join(str(data["category"]).split())
    if not 2 <= len(category) <= 80:
        raise LineError("category: use 2 to 80 characters")

    title, title_error = threads.clean_title(str(data["title"]))
    body, body_error = threads.clean_body(str(data["body"]))
    tags = data.get("tags") or []
    if not isinstance(tags, (list, str)):
        raise LineError("tags: must be a list of names")
    tags, tags_error = threads.clean_tags(tags)
    problems = {k: v for k, v in (("title", title_error), ("body", body_error),
                                  ("tags", tags_error)) if v}
    if problems:
        raise LineError(_fields_message(ValidationError("", fields=problems)))
    author = _author(data["author"], "author")
    created_at = _time(data.get("created_at"), "created_at", clock.now())

    raw_replies = data.get("replies") or []
    if not isinstance(raw_replies, list):
        raise LineError("replies: must be a list")
    replies, previous, reply_ids, accepted = [], created_at, set(), 0
    for position, item in enumerate(raw_replies, start=1):
        where = f"reply {position}"
        if not isinstance(item, dict):
            raise LineError(f"{where}: not a JSON object")
        missing = [name for name in ("body", "author") if item.get(name) in (None, "", {})]
        if missing:
            raise LineError(f"{where}: missing " + ", ".join(missing))
        reply_body, error = threads.clean_body(str(item["body"]))
        if error:
            raise LineError(f"{where}: body: {error}")
        when = _time(item.get("created_at"), f"{where}: created_at", previous)
        if when < created_at:
            raise LineError(f"{where}: created_at is before the question")
        reply_id = item.get("external_id")
        reply_id = str(reply_id).strip() if reply_id not in (None, "") else None
        if reply_id and (len(reply_id) > 200 or reply_id in reply_ids):
            raise LineError(f"{where}: external_id is too long or used twice")
        reply_ids.add(reply_id)
        accepted += bool(item.get("accepted"))
        replies.append(ReplyRecord(body=reply_body, author=_author(item["author"],
                                                                   f"{where}: author"),
                                   created_at=when, external_id=reply_id,
                                   accepted=bool(item.get("accepted"))))
        previous = when
    if accepted > 1:
        raise LineError("only one reply can be the accepted answer")
    # Replies are numbered in the order they were written.
    replies.sort(key=lambda r: r.created_at)
    return Record(line=number, external_id=external_id, category=category, title=title,
                  body=body, tags=tags, author=author, created_at=created_at, replies=replies)


# ------------------------------------------------------------------ writing

class Importer:
    def __init__(self, summary, report):
        self.summary = summary
        self.report = report
        self.users = {}        # e-mail -> user id, of the current transaction
        self.categories = {}   # slug -> category id, of the current transaction
        self.batch = []        # records written in the current transaction
        self.map_ids = []      # external ids to write to the map after the next commit

    def forget(self):
        self.users.clear()
        self.categories.clear()

    def user(self, author, when):
        user_id = self.users.get(author.email)
        if user_id is not None:
            return db.session.get(User, user_id)
        user = db.session.scalar(select(User).where(User.email == author.email))
        if user is None:
            user = User(email=author.email, name=author.name, role="customer",
                        password_hash=None, created_at=min(when, clock.now()))
            db.session.add(user)
            db.session.flush()
        self.users[author.email] = user.id
        return user

    def category(self, name):
        slug = slugify(name, max_length=80)
        category_id = self.categories.get(slug)
        if category_id is not None:
            return db.session.get(Category, category_id)
        category = categories.find_by_slug(slug)
        if category is None:
            category = categories.create_category(name)
        self.categories[slug] = category.id
        return category

    def write(self, record):
        asker = self.user(record.author, record.created_at)
        # Imported posts were moderated by the forum they come from: ``imported``
        # publishes them as they are.
        thread = threads.create_thread(asker, self.category(record.category), record.title,
                                       record.body, record.tags, created_at=record.created_at,
                                       imported=True)
        thread.external_id = record.external_id
        db.session.flush()
        for position, item in enumerate(record.replies, start=1):
            if item.external_id and db.session.scalar(
                    select(Post.id).where(Post.external_id == item.external_id)):
                raise LineError(f"reply {position}: external_id {item.external_id!r} "
                                f"is already there")
            post = threads.reply(self.user(item.author, item.created_at), thread, item.body,
                                 created_at=item.created_at, imported=True)
            if item.external_id:
                post.external_id = item.external_id
            if item.accepted:
                threads.accept_answer(asker, post)
                thread.accepted_at = item.created_at
        db.session.flush()

    def fail(self, line, reason):
        self.summary.failed += 1
        self.summary.errors.append((line, reason))
        self.report(line, reason)

    def add(self, record):
        """Write a validated record into the current transaction."""
        try:
            self.write(record)
        except (LineError, ServiceError, SQLAlchemyError) as error:
            self.rollback_and_replay(record, error)
            return
        self.batch.append(record)
        self.map_ids.append(record.external_id)

    def rollback_and_replay(self, failed, error):
        db.session.rollback()
        self.forget()
        self.fail(failed.line, _reason(error))
        replay, self.batch = self.batch, []
        for record in replay:
            try:
                self.write(record)
                db.session.commit()
            except (LineError, ServiceError, SQLAlchemyError) as error:
                db.session.rollback()
                self.forget()
                self.fail(record.line, _reason(error))
            else:
                self._count([record])
        self.commit()

    def _count(self, records):
        self.summary.imported += len(records)
        self.summary.replies += sum(len(r.replies) for r in records)

    def commit(self):
        db.session.commit()
        self._count(self.batch)
        self.batch = []


def _reason(error):
    if isinstance(error, ServiceError):
        return _fields_message(error) if error.fields else error.message
    if isinstance(error, SQLAlchemyError):
        detail = str(getattr(error, "orig", None) or error).strip().splitlines()
        first = detail[0] if detail else ""
        return f"the database refused it ({error.__class__.__name__}: {first})"
    return str(error)


def _write_map(out, external_ids):
    if not external_ids:
        return
    found = {}
    unique = list(dict.fromkeys(external_ids))
    for start in range(0, len(unique), 500):
        chunk = unique[start:start + 500]
        found.update(db.session.execute(select(Thread.external_id, Thread.id)
                                        .where(Thread.external_id.in_(chunk))).all())
    for external_id in external_ids:
        if external_id in found:
            out.write(json.dumps({"external_id": external_id, "thread_id": found[external_id]},
                                 ensure_ascii=False) + "\n")


def import_threads(path, map_path=None, batch_size=200, report=None, progress=True):
    """Import a JSON Lines file; returns a Summary. ``report(line, reason)`` hears of bad lines."""
    summary = Summary()
    if report is None:
        def report(line, reason):
            click.echo(f"line {line}: {reason}", err=True)
    importer = Importer(summary, report)
    map_out = open(map_path, "w", encoding="utf-8") if map_path else None
    size = os.path.getsize(path)
    bar = click.progressbar(length=size, label="Importing") if progress else None
    try:
        with open(path, "rb") as lines, (bar or contextlib.nullcontext()):
            for number, raw in enumerate(lines, start=1):
                if bar is not None:
                    bar.update(len(raw))
                if not raw.strip():
                    continue
                try:
                    record = parse_line(raw, number)
                except LineError as error:
                    importer.fail(number, str(error))
                    continue
                if db.session.scalar(select(Thread.id).where(
                        Thread.external_id == record.external_id)) is not None:
                    summary.skipped += 1
                    importer.map_ids.append(record.external_id)
                else:
                    importer.add(record)
                if len(importer.batch) >= batch_size or len(importer.map_ids) >= 1000:
                    importer.commit()
                    if map_out:
                        _write_map(map_out, importer.map_ids)
                    importer.map_ids = []
            importer.commit()
            if map_out:
                _write_map(map_out, importer.map_ids)
            importer.map_ids = []
    finally:
        if map_out:
            map_out.close()
    return summary
