"""What the ticket page shows about the customer and about similar solved threads.

Similar threads come from the core's similar-threads provider when one is
registered (the search feature: stems, compounds, the question's text and the
answers count), else from a plain database query (same category, solved, sharing
title words): the search package is another feature and is never imported here.
"""
import re
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from community.services import similar
from community.extensions import db
from community.models import Post, Thread

from ..models import Ticket

STOP_WORDS = frozenset("""
aber alle auch bitte dass dein denn dies doch eine einem einen einer eines habe haben hallo
ich ist kann keine kein mein meine mit nach nicht noch oder sich sind über und unter vom von
was weil wenn wie wird wurde zum zur about after again also been before cannot could does
from have hello help into just more need only other please should some than that their them
then there they this what when where which will with would your
""".split())
_WORD = re.compile(r"\w{4,}", re.UNICODE)


@dataclass
class CustomerHistory:
    threads: list        # [(Thread, Ticket or None)], newest first, this thread excluded
    accepted_posts: int  # answers of theirs that were accepted elsewhere


def customer_history(thread, limit=20):
    """The asker's other questions with their tickets (2 queries)."""
    rows = db.session.execute(
        select(Thread, Ticket).outerjoin(Ticket, Ticket.thread_id == Thread.id)
        .where(Thread.author_id == thread.author_id, Thread.id != thread.id)
        .order_by(Thread.created_at.desc()).limit(limit)).all()
    accepted = db.session.scalar(
        select(db.func.count(Thread.id)).join(Post, Post.id == Thread.accepted_post_id)
        .where(Post.author_id == thread.author_id, Thread.author_id != thread.author_id))
    return CustomerHistory(threads=[(row[0], row[1]) for row in rows], accepted_posts=accepted)


def title_words(title):
    return {w for w in (m.lower() for m in _WORD.findall(title or "")) if w not in STOP_WORDS}


def similar_solved(thread, body=None, limit=5, candidates=50):
    """Solved, visible threads like ``thread`` (``body``: its question's text), best
    first: the provider's (3 queries with search's), or, without a provider or when
    it finds none (an index not built yet), the same category's by title words."""
    if body is None:
        body = db.session.scalar(select(Post.body).where(Post.id == thread.first_post_id))
    ids = similar.similar_threads(thread.title, body or "", exclude_id=thread.id, limit=limit,
                                  solved_only=True)
    if ids:
        return _solved_threads(ids)
    return _sharing_title_words(thread, limit, candidates)


def _solved_threads(ids):
    """The threads of ``ids`` in that order, still visible and solved (one query)."""
    rows = db.session.scalars(
        select(Thread).options(joinedload(Thread.accepted_post))
        .where(Thread.id.in_(ids), Thread.visibility == "visible",
               Thread.accepted_post_id.is_not(None))).unique()
    found = {t.id: t for t in rows}
    return [found[i] for i in ids if i in found]


def _sharing_title_words(thread, limit, candidates):
    """Solved, visible threads of the same category whose titles share the most words."""
    words = title_words(thread.title)
    if not words:
        return []
    rows = db.session.scalars(
        select(Thread).options(joinedload(Thread.accepted_post))
        .where(Thread.category_id == thread.category_id, Thread.id != thread.id,
               Thread.accepted_post_id.is_not(None), Thread.visibility == "visible",
               or_(*(Thread.title.ilike(f"%{word}%") for word in sorted(words))))
        .order_by(Thread.created_at.desc()).limit(candidates)).unique()
    scored = [(len(words & title_words(t.title)), t) for t in rows]
    scored = [(score, t) for score, t in scored if score]
    scored.sort(key=lambda pair: (-pair[0], -pair[1].id))
    return [t for _, t in scored[:limit]]
