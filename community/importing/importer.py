"""Import threads from another forum: ``flask --app community import threads FILE.jsonl``.

One thread per line::

    {"external_id": "old-forum-4711", "category": "Mobilfunk / Mobile",
     "title": "...", "body": "... Markdown ...", "tags": ["roaming"],
     "author": {"name": "Anna", "email": "anna@example.com"},
     "created_at": "2024-03-01T09:30:00Z",
     "replies": [{"body": "...", "author": {"name": "Bob"}, "created_at": "...",
                  "external_id": "old-forum-post-99", "accepted": true}]}

- ``external_id``, ``category``, ``title``, ``body`` (may be empty) and ``author`` are
  required; ``created_at`` (ISO 8601, UTC when no offset is given, or Unix seconds),
  ``tags``, ``replies`` and, per reply, ``external_id`` and ``accepted`` are optional;
  a reply needs ``body`` and ``author``. A reply without ``created_at`` gets the time of
  the post before it.
- History is imported as it was written (``records.py``): the rules for new posts do
  not apply. A line is rejected only when it cannot be understood; what had to be
  adapted to be stored is imported with a warning. Both name the line and the field.
- Authors are matched by e-mail (lowercased) or created without a password (they
  cannot log in until they reset it). Without an e-mail the author becomes the
  pseudonymous ``imported-<sha1 of the name>@users.invalid``.
- Categories are matched by the slug of their name, created when missing.
- A line whose ``external_id`` is already there is skipped, so re-running a file
  imports nothing twice.
- Lines are written in batches (``writer.py``), one transaction each; when the
  database refuses a batch, its lines are written again one by one and only the
  refused line is rejected. While a batch is written, the rendering processes
  already render the next one (``Renderer.prefetch``).
"""
import contextlib
import json
import os
from dataclasses import dataclass, field

import click
from sqlalchemy import func, select
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError

from .. import outbox
from ..extensions import db
from ..models import OutboxMessage, Thread
from .records import Rejected, parse_line
from .writer import Writer, _chunks

BATCH_POSTS = 5000   # a batch also ends after this many posts (long threads)
# The outbox kinds that make a thread findable; named, not imported: the core never
# imports the search feature (which may be switched off).
SEARCH_KINDS = ("search.*",)


@dataclass
class Notice:
    line: int
    kind: str          # "warning" or "rejected"
    field: str
    message: str

    def __str__(self):
        where = f"{self.field}: " if self.field else ""
        return f"line {self.line}: {self.kind}: {where}{self.message}"


@dataclass
class Summary:
    threads: int = 0
    replies: int = 0
    skipped: int = 0
    warnings: int = 0
    rejected: int = 0
    notices: list = field(default_factory=list)

    def __str__(self):
        return (f"Imported {self.threads} threads ({self.replies} replies); "
                f"{self.skipped} already there; {self.warnings} warnings; "
                f"{self.rejected} lines rejected.")


class Importer:
    """Reads lines into batches, writes each batch in one transaction, reports."""

    def __init__(self, summary, report, map_out=None, batch_size=500, mapper=map):
        self.summary = summary
        self.report = report
        self.map_out = map_out
        self.batch_size = batch_size
        self.writer = Writer(mapper)
        self.lines = []        # (line, external_id, record or None) of the batch
        self.posts = 0
        self.read = None       # the batch read before, rendered meanwhile, to write next

    def add(self, number, raw):
        try:
            record = parse_line(raw, number)
        except Rejected as error:
            self.lines.append((number, None, error))
        else:
            self.lines.append((number, record.external_id, record))
            self.posts += 1 + len(record.replies)
        if len(self.lines) >= self.batch_size or self.posts >= BATCH_POSTS:
            self.flush()

    def flush(self):
        """End the batch being read: hand its texts to the renderer, then write the
        batch before it (the rendering processes work on this one meanwhile)."""
        lines, self.lines, self.posts = self.lines, [], 0
        if lines:
            self._prefetch(lines)
        if self.read:
            self._write_lines(self.read)
        self.read = lines

    def finish(self):
        """Write what is still read but not written."""
        self.flush()
        self.flush()

    def _prefetch(self, lines):
        records = [item for _, _, item in lines if not isinstance(item, Rejected)]
        there = self._existing([r.external_id for r in records])
        self.writer.prepare([r for r in records if r.external_id not in there])

    def _write_lines(self, lines):
        """Write the batch: skip what is there, write the rest, report in line order."""
        records = [item for _, _, item in lines if not isinstance(item, Rejected)]
        there = self._existing([r.external_id for r in records])
        new, seen, skipped = [], set(), set()
        for record in records:
            if record.external_id in there or record.external_id in seen:
                skipped.add(record.line)
            else:
                seen.add(record.external_id)
                new.append(record)
        refused = self._write(new)
        notices = []
        for number, external_id, item in lines:
            if isinstance(item, Rejected):
                notices.append(Notice(number, "rejected", item.field, item.message))
            elif item.line in refused:
                notices.append(Notice(number, "rejected", "", refused[item.line]))
            elif number in skipped:
                self.summary.skipped += 1
            else:
                self.summary.threads += 1
                self.summary.replies += len(item.replies)
                notices += [Notice(number, "warning", where, message)
                            for where, message in item.warnings]
        for notice in notices:
            if notice.kind == "warning":
                self.summary.warnings += 1
            else:
                self.summary.rejected += 1
            self.summary.notices.append(notice)
            self.report(notice)
        self._write_map([external_id for _, external_id, item in lines
                         if not isinstance(item, Rejected) and item.line not in refused])

    def _existing(self, external_ids):
        found = set()
        for chunk in _chunks(set(external_ids)):
            found.update(db.session.scalars(select(Thread.external_id)
                                            .where(Thread.external_id.in_(chunk))))
        return found

    def _write(self, records):
        """Write and commit; ``{line: reason}`` of the records the database refused."""
        try:
            self.writer.write(records)
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            self.writer.rolled_back()
        else:
            self.writer.committed()
            return {}
        refused = {}
        for record in records:      # one by one, to find the line it did not take
            try:
                self.writer.write([record])
                db.session.commit()
            except (IntegrityError, DataError) as error:   # this line's data
                db.session.rollback()
                self.writer.rolled_back()
                refused[record.line] = _reason(error)
            except SQLAlchemyError:   # the database itself (gone, an old schema): stop
                db.session.rollback()
                raise
            else:
                self.writer.committed()
        return refused

    def _write_map(self, external_ids):
        if not self.map_out or not external_ids:
            return
        found = {}
        for chunk in _chunks(set(external_ids)):
            found.update(db.session.execute(select(Thread.external_id, Thread.id)
                                            .where(Thread.external_id.in_(chunk))).all())
        for external_id in external_ids:
            if external_id in found:
                self.map_out.write(json.dumps({"external_id": external_id,
                                               "thread_id": found[external_id]},
                                              ensure_ascii=False) + "\n")


def _reason(error):
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()
    first = detail[0] if detail else ""
    return f"the database refused it ({error.__class__.__name__}: {first[:300]})"


def import_threads(path, map_path=None, batch_size=500, report=None, progress=True,
                   mapper=map):
    """Import a JSON Lines file; returns a Summary. ``report(notice)`` hears of every
    warning and rejected line, in line order; ``mapper`` renders the texts (``map``, or a
    process pool's ``imap`` to use more cores)."""
    summary = Summary()
    if report is None:
        def report(notice):
            click.echo(str(notice), err=True)
    with contextlib.ExitStack() as stack:
        map_out = stack.enter_context(open(map_path, "w", encoding="utf-8")) if map_path \
            else None
        lines = stack.enter_context(open(path, "rb"))
        bar = stack.enter_context(click.progressbar(length=os.path.getsize(path),
                                                    label="Importing")) if progress else None
        importer = Importer(summary, report, map_out, batch_size, mapper)
        for number, raw in enumerate(lines, start=1):
            if bar is not None:
                bar.update(len(raw))
            if raw.strip():
                importer.add(number, raw)
        importer.finish()
    return summary


def make_searchable(stop=None):
    """Run the due rows of the search kinds now, in this process, as ``flask worker
    --once --kinds 'search.*'`` would (until ``stop``, a threading.Event, is set).
    Returns ``(done, waiting)``, or None when no feature indexes threads here."""
    if not outbox.known_kinds(SEARCH_KINDS):
        return None
    done = outbox.run_due(kinds=list(SEARCH_KINDS), stop=stop)
    waiting = db.session.scalar(
        select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "pending",
                                                   OutboxMessage.kind.like("search.%")))
    return done, waiting
