"""Rebuilding the index from the database, and checking it against the database.

``reindex`` fills a fresh generation while the live one keeps serving searches and
the worker keeps updating it; the threads the worker touched meanwhile are applied
again to the new generation under the write lock, which is then made live in one
atomic rename. A second rebuild at the same time is refused.
"""
import fcntl

from sqlalchemy import select
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index

from community.errors import Conflict
from community.extensions import db
from community.models import Post, Thread

from ..services import documents
from . import analysis, index, reader
from .backend import CheckReport

BATCH = 500


def compound_vocabulary():
    """German stems of every visible title and question: what compound words are split
    into during a rebuild (updates use the live index's titles and questions)."""
    known = set()
    rows = db.session.execute(
        select(Thread.title, Post.body).join(Post, Post.id == Thread.first_post_id)
        .where(Thread.visibility == "visible").execution_options(yield_per=2000))
    for title, body in rows:
        for _, folded, _ in analysis.terms(f"{title} {body}"):
            known.add(analysis.german_stem(folded))
    return known


def _reading_session():
    """A session of its own for reading everything: emptied after each batch without
    touching the objects of the caller's session."""
    return Session(db.engine)


def _rebuild_lock(base):
    base.mkdir(parents=True, exist_ok=True)
    handle = open(base / "rebuild.lock", "a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise Conflict("Another rebuild of the search index is running.") from None
    return handle


def reindex(progress=None, batch=BATCH):
    """Rebuild the whole index; ``progress(done)`` is called after each batch of
    threads. Returns the number of threads indexed."""
    base = index.root()
    lock = _rebuild_lock(base)
    try:
        with index.write_lock(base):
            path = index.start_building(base)
        try:
            count = _fill(path, progress, batch)
            with index.write_lock(base):
                changed = index.take_changed(base)
                if changed:
                    index.apply(path, documents.load(changed))
                index.publish(base, path)
                index.stop_building(base)
        except BaseException:
            with index.write_lock(base):
                index.stop_building(base, path)
            raise
    finally:
        lock.close()
    return count


def _fill(path, progress, batch):
    known = compound_vocabulary() if index.compounds_enabled() else set()
    compounds = index.compounds_enabled()
    ix = whoosh_index.open_dir(str(path))
    writer = ix.writer(limitmb=256)
    count = 0
    try:
        with _reading_session() as session:
            for ids in documents.visible_thread_ids(batch, session):
                for doc in documents.load(ids, session).values():
                    if doc is not None:
                        writer.add_document(**index.fields(doc, known.__contains__, compounds))
                        count += 1
                session.expunge_all()   # keep memory flat on large communities
                if progress:
                    progress(len(ids))
    except BaseException:
        writer.cancel()
        raise
    writer.commit(optimize=True)   # one segment: the fastest searches
    return count


def check(batch=2000):
    """Compare the live index with the database, thread by thread."""
    report = CheckReport()
    fingerprints = {}
    with reader.open_searcher() as searcher:
        if searcher is not None:
            for stored in searcher.all_stored_fields():
                fingerprints[int(stored["thread_id"])] = stored.get("fingerprint")
    report.indexed = len(fingerprints)
    with _reading_session() as session:
        for ids in documents.visible_thread_ids(batch, session):
            for thread_id, doc in documents.load(ids, session).items():
                if doc is None:
                    continue
                report.visible += 1
                known = fingerprints.pop(thread_id, None)
                if known is None:
                    report.missing.append(thread_id)
                elif known != doc.fingerprint:
                    report.stale.append(thread_id)
            session.expunge_all()
    report.extra = sorted(fingerprints)
    return report
