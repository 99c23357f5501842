"""What the index holds for a thread, read from the database.

``load`` returns one ``ThreadDocument`` per visible thread; threads that are not
visible (pending, hidden, deleted, merged away) get ``None``, which the writer
turns into a deletion. Only visible replies contribute text. The fingerprint is a
hash of everything indexed, so ``search check`` can compare index and database
without a revision counter on the core's tables.
"""
import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from community.extensions import db
from community.markup import plain_text
from community.models import Post, Thread

from . import ranking

EXCERPT_CHARS = 2000      # stored text for snippets; the full text is indexed
ANSWER_EXCERPTS = 4       # stored answer excerpts per thread, for snippets


@dataclass
class ThreadDocument:
    thread_id: int
    title: str
    body: str
    answers: list      # [(post_id, plain text)] of the visible replies, best first
    category_id: int
    tags: list = field(default_factory=list)
    status: str = "open"           # open | solved | closed, as the badges say
    solved: bool = False
    has_official: bool = False
    reply_count: int = 0
    created_at: datetime = None
    last_activity_at: datetime = None

    @property
    def fingerprint(self):
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        data["last_activity_at"] = self.last_activity_at.isoformat()
        raw = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha1(raw).hexdigest()

    @property
    def answers_text(self):
        return "\n\n".join(text for _, text in self.answers)

    @property
    def body_excerpt(self):
        return self.body[:EXCERPT_CHARS]

    @property
    def answer_excerpts(self):
        """``[(post_id, text)]`` of the first answers, with their post ids: a snippet
        only shows a reply that is still visible."""
        return [(post_id, text[:EXCERPT_CHARS // ANSWER_EXCERPTS])
                for post_id, text in self.answers[:ANSWER_EXCERPTS]]

    @property
    def boost(self):
        """The bounded bonus of solved and officially answered threads (``ranking.py``)."""
        return ranking.bonus(self.solved, self.has_official)


def _answers(replies, accepted_post_id):
    """Visible replies, the accepted one first, then official ones, then in order."""
    ordered = sorted(replies, key=lambda p: (p.id != accepted_post_id, not p.is_official,
                                             p.number))
    return [(p.id, plain_text(p.body_html)) for p in ordered]


def load(thread_ids, session=None, fresh=False):
    """``{thread_id: ThreadDocument or None}`` for the given ids (3 queries). With
    ``fresh``, rows the session already holds are read again (what another
    transaction committed since: the PostgreSQL backend writes under a lock taken
    after they were first read)."""
    session = session or db.session
    ids = list(dict.fromkeys(int(i) for i in thread_ids))
    result = dict.fromkeys(ids)
    if not ids:
        return result
    options = {"populate_existing": True} if fresh else {}
    threads = list(session.scalars(
        select(Thread).where(Thread.id.in_(ids), Thread.visibility == "visible")
        .options(selectinload(Thread.tags)).execution_options(**options)))
    posts = {}
    if threads:
        rows = session.scalars(
            select(Post).where(Post.thread_id.in_([t.id for t in threads]),
                               Post.visibility == "visible").order_by(Post.number)
            .execution_options(**options))
        for post in rows:
            posts.setdefault(post.thread_id, []).append(post)
    for thread in threads:
        thread_posts = posts.get(thread.id, [])
        question = next((p for p in thread_posts if p.number == 1), None)
        if question is None:
            continue
        replies = [p for p in thread_posts if p.number > 1]
        result[thread.id] = ThreadDocument(
            thread_id=thread.id, title=thread.title, body=plain_text(question.body_html),
            answers=_answers(replies, thread.accepted_post_id),
            category_id=thread.category_id, tags=[t.name for t in thread.tags],
            status=thread.public_status, solved=thread.is_solved,
            has_official=any(p.is_official for p in replies), reply_count=thread.reply_count,
            created_at=thread.created_at, last_activity_at=thread.last_activity_at)
    return result


def visible_thread_ids(batch=2000, session=None):
    """Ids of every visible thread, ascending, in batches (for reindex and check)."""
    session = session or db.session
    last = 0
    while True:
        ids = list(session.scalars(
            select(Thread.id).where(Thread.visibility == "visible", Thread.id > last)
            .order_by(Thread.id).limit(batch)))
        if not ids:
            return
        yield ids
        last = ids[-1]


def visible_thread_count():
    return db.session.scalar(select(db.func.count(Thread.id))
                             .where(Thread.visibility == "visible"))
