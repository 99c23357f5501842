"""Writing validated records in batches: a fixed number of statements per batch, whatever
its size (users, tags, threads, posts, thread pointers, tags of threads, category
counters), each one executemany; new rows' ids are read back by their unique keys.

Imported history is written as it was: no write checks, no holds, no per-post events.
The texts are rendered by the services' renderer (``community.markup.render``), once per
distinct text, plain text by its checked shortcut (``rendering.py``). Counters are those
the services keep (``threads.refresh_counters``): a thread's reply count, last post and
accepted answer, and its category's counts, moved by SQL expressions by the rows
inserted. One ``threads_imported`` event per batch lets
features catch up (search indexes the threads); receivers that react to new activity
(notifications, escalation, spam memory) are not told, as history is not news.
"""
from flask import current_app
from sqlalchemy import bindparam, insert, or_, select, update

from .. import clock, events
from ..extensions import db
from ..models import Category, Post, Tag, Thread, User, thread_tags
from ..services import categories
from ..text import slugify
from .rendering import Renderer

CHUNK = 500   # values per IN (...) list


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


class Writer:
    """Writes batches of records; remembers the ids of users, categories and tags it
    has seen committed, and forgets what a rolled-back batch created."""

    def __init__(self, mapper=map):
        self.renderer = Renderer(mapper)
        self.ids = {User: {}, Category: {}, Tag: {}}
        self._created = []      # (model, key) created in the current transaction

    def rolled_back(self):
        for model, key in self._created:
            self.ids[model].pop(key, None)
        self._created = []

    def committed(self):
        self._created = []

    # --- the rows a batch refers to --------------------------------------------------

    def _users(self, records):
        wanted = {}
        for record in records:
            for post in [record] + record.replies:
                when = post.created_at
                known = wanted.get(post.author.email)
                if known is None or when < known[1]:
                    wanted[post.author.email] = (post.author.name, when)
        self._resolve(User, User.email, wanted, lambda email, info: {
            "email": email, "name": info[0], "role": "customer", "password_hash": None,
            "created_at": min(info[1], clock.now())})

    def _tags(self, records):
        wanted = {name: None for record in records for name in record.tags}
        self._resolve(Tag, Tag.name, wanted, lambda name, _: {"name": name})

    def _resolve(self, model, column, wanted, row):
        """Ids of ``wanted`` keys (``column`` values): known, found, or inserted."""
        known = self.ids[model]
        missing = [key for key in wanted if key not in known]
        for chunk in _chunks(missing):
            known.update(db.session.execute(
                select(column, model.id).where(column.in_(chunk))).all())
        new = [key for key in missing if key not in known]
        if new:
            db.session.execute(insert(model.__table__), [row(key, wanted[key]) for key in new])
            for chunk in _chunks(new):
                known.update(db.session.execute(
                    select(column, model.id).where(column.in_(chunk))).all())
            self._created += [(model, key) for key in new]

    def _categories(self, records):
        known = self.ids[Category]
        for name in dict.fromkeys(record.category for record in records):
            slug = slugify(name, max_length=80)
            if slug in known:
                continue
            category = categories.find_by_slug(slug) or categories.create_category(name)
            known[slug] = category.id
            self._created.append((Category, slug))

    def _taken_reply_ids(self, records):
        """Reply external ids already in the database (or twice in this batch): the
        replies are imported without them, as a warning says."""
        ids = [reply.external_id for record in records for reply in record.replies
               if reply.external_id]
        taken = set()
        for chunk in _chunks(set(ids)):
            taken.update(db.session.scalars(select(Post.external_id)
                                            .where(Post.external_id.in_(chunk))))
        seen = set()
        for record in records:
            for position, reply in enumerate(record.replies, start=2):
                if not reply.external_id:
                    continue
                if reply.external_id in taken or reply.external_id in seen:
                    message = (f"{reply.external_id!r} is already there (another thread); "
                               "imported without it")
                    record.warnings.append((f"reply {position - 1}: external_id", message))
                    reply.external_id = None
                else:
                    seen.add(reply.external_id)

    # --- the batch -------------------------------------------------------------------

    def prepare(self, records):
        """Start rendering the texts of records to be written after the current batch."""
        self.renderer.prefetch([text for record in records for text in
                                [record.body] + [r.body for r in record.replies]])

    def write(self, records):
        """Write ``records`` (none of them imported before) in the current transaction;
        returns their thread ids, in order."""
        if not records:
            return []
        self._users(records)
        self._tags(records)
        self._categories(records)
        self._taken_reply_ids(records)
        users, category_ids = self.ids[User], self.ids[Category]
        html = self.renderer.render_all([text for record in records for text in
                                         [record.body] + [r.body for r in record.replies]])
        thread_rows = []
        for record in records:
            last = record.replies[-1] if record.replies else record
            accepted = next((r for r in record.replies if r.accepted), None)
            thread_rows.append({
                "category_id": category_ids[slugify(record.category, max_length=80)],
                "author_id": users[record.author.email], "title": record.title,
                "slug": slugify(record.title), "status": "open", "visibility": "visible",
                "pinned": False, "created_at": record.created_at,
                "last_activity_at": last.created_at, "reply_count": len(record.replies),
                "helpful_count": 0, "last_author_id": users[last.author.email],
                "accepted_by_id": users[record.author.email] if accepted else None,
                "accepted_at": accepted.created_at if accepted else None,
                "external_id": record.external_id})
        # Plain executemany, ids read back by their unique keys: RETURNING in parameter
        # order costs one statement per row on SQLite.
        db.session.execute(insert(Thread.__table__), thread_rows)
        by_external_id = {}
        for chunk in _chunks(record.external_id for record in records):
            by_external_id.update(db.session.execute(
                select(Thread.external_id, Thread.id).where(Thread.external_id.in_(chunk))).all())
        thread_ids = [by_external_id[record.external_id] for record in records]
        post_rows = []
        for record, thread_id in zip(records, thread_ids):
            for number, post in enumerate([record] + record.replies, start=1):
                post_rows.append({
                    "thread_id": thread_id, "author_id": users[post.author.email],
                    "number": number, "body": post.body, "body_html": html[post.body],
                    "visibility": "visible", "is_official": False, "helpful_count": 0,
                    "created_at": post.created_at,
                    "external_id": None if number == 1 else post.external_id})
        db.session.execute(insert(Post.__table__), post_rows)
        post_ids = {}
        for chunk in _chunks(thread_ids):
            post_ids.update(((thread_id, number), post_id) for post_id, thread_id, number in
                            db.session.execute(select(Post.id, Post.thread_id, Post.number)
                                               .where(Post.thread_id.in_(chunk))))
        pointers, tag_rows = [], []
        for record, thread_id in zip(records, thread_ids):
            ids = [post_ids[thread_id, number] for number in range(1, 2 + len(record.replies))]
            accepted = next((ids[n] for n, r in enumerate(record.replies, start=1)
                             if r.accepted), None)
            pointers.append({"thread_id": thread_id, "first": ids[0], "last": ids[-1],
                             "accepted": accepted})
            tag_rows += [{"thread_id": thread_id, "tag_id": self.ids[Tag][name]}
                         for name in record.tags]
        db.session.execute(update(Thread.__table__).where(Thread.id == bindparam("thread_id"))
                           .values(first_post_id=bindparam("first"), last_post_id=bindparam("last"),
                                   accepted_post_id=bindparam("accepted")), pointers)
        if tag_rows:
            db.session.execute(insert(thread_tags), tag_rows)
        self._count(records, thread_rows, thread_ids)
        with db.session.no_autoflush:   # receivers add rows (outbox): one flush for all
            events.threads_imported.send(current_app._get_current_object(),
                                         thread_ids=list(thread_ids))
        return list(thread_ids)

    def _count(self, records, thread_rows, thread_ids):
        """What the batch adds to its categories: counts, and the latest thread."""
        per_category = {}
        for record, row, thread_id in zip(records, thread_rows, thread_ids):
            counts = per_category.setdefault(row["category_id"], [0, 0, 0, 0, None])
            counts[0] += 1
            counts[1] += 1 + len(record.replies)
            counts[2] += row["accepted_at"] is not None
            counts[3] += not record.replies
            if counts[4] is None or row["last_activity_at"] >= counts[4][0]:
                counts[4] = (row["last_activity_at"], thread_id)
        for category_id, (threads, posts, solved, unanswered, latest) in per_category.items():
            db.session.execute(
                update(Category).where(Category.id == category_id).values(
                    thread_count=Category.thread_count + threads,
                    post_count=Category.post_count + posts,
                    solved_count=Category.solved_count + solved,
                    unanswered_count=Category.unanswered_count + unanswered))
            db.session.execute(
                update(Category).where(Category.id == category_id, or_(
                    Category.last_activity_at.is_(None),
                    Category.last_activity_at <= latest[0]))
                .values(last_activity_at=latest[0], last_thread_id=latest[1]))
