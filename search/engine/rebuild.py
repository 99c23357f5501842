"""Rebuilding the index from the database, and checking it against the database.

``reindex`` fills a fresh generation while the live one keeps serving searches and
the worker keeps updating it; the threads the worker touched meanwhile are applied
again to the new generation under the write lock, which is then made live in one
atomic rename. A second rebuild at the same time is refused.
"""
import fcntl
import multiprocessing
import os
import shutil

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

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


def reindex(progress=None, batch=BATCH, processes=1):
    """Rebuild the whole index; ``progress(done)`` is called after each batch of
    threads. With ``processes`` > 1, that many processes index a share of the
    threads each (see ``_fill_in_parallel``; not for a database in memory, which
    other processes cannot open). Returns the number of threads indexed."""
    base = index.root()
    lock = _rebuild_lock(base)
    try:
        with index.write_lock(base):
            path = index.start_building(base)
        try:
            if processes > 1 and db.engine.url.database not in (None, "", ":memory:"):
                count = _fill_in_parallel(path, progress, batch, processes)
            else:
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


def _fill(path, progress, batch, known=None, batches=None, optimize=True):
    """Index the visible threads (or those of ``batches``, lists of ids) into the
    empty index at ``path``."""
    compounds = index.compounds_enabled()
    if known is None:
        known = compound_vocabulary() if compounds else set()
    ix = whoosh_index.open_dir(str(path))
    writer = ix.writer(limitmb=256)
    count = 0
    try:
        with _reading_session() as session:
            for ids in batches or documents.visible_thread_ids(batch, session):
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
    writer.commit(optimize=optimize)   # one segment: the fastest searches
    return count


# --- Several processes ----------------------------------------------------------------------------

def _fill_in_parallel(path, progress, batch, processes):
    """Analysing and writing postings is most of a rebuild and runs in Python: each of
    ``processes`` forked processes indexes a contiguous share of the threads into an
    index of its own, and their segments then join the new generation as they are
    (one segment per process, in thread order; no merge)."""
    known = compound_vocabulary() if index.compounds_enabled() else set()
    with _reading_session() as session:
        ids = [i for chunk in documents.visible_thread_ids(5000, session) for i in chunk]
    if not ids:
        return 0
    size = -(-len(ids) // processes)
    shares = [ids[start:start + size] for start in range(0, len(ids), size)]
    parts = [path / f"part-{n}" for n in range(len(shares))]
    context = multiprocessing.get_context("fork")
    messages = context.Queue()
    app = current_app._get_current_object()
    children = [context.Process(target=_fill_share, daemon=True,
                                args=(app, part, share, batch, known, messages))
                for part, share in zip(parts, shares)]
    for child in children:
        child.start()
    count, running = 0, len(children)
    try:
        while running:
            kind, value = messages.get()
            if kind == "progress":
                if progress:
                    progress(value)
            elif kind == "done":
                count += value
                running -= 1
            else:
                raise RuntimeError(f"a rebuild process failed: {value}")
    finally:
        for child in children:
            child.join(timeout=5 if running else None)
            if child.is_alive():
                child.terminate()
    _adopt(path, parts)
    return count


def _fill_share(app, part, share, batch, known, messages):
    """In a child process: index ``share`` (thread ids, ascending) into ``part``."""
    try:
        with app.app_context():
            db.engine.dispose(close=False)
            part.mkdir()
            whoosh_index.create_in(str(part), index.schema())
            batches = [share[start:start + batch] for start in range(0, len(share), batch)]
            count = _fill(part, lambda n: messages.put(("progress", n)), batch, known=known,
                          batches=batches, optimize=False)
        messages.put(("done", count))
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which raises
        messages.put(("failed", repr(error)))


def _adopt(path, parts):
    """Move the parts' segments into the index at ``path`` and commit them there, in
    order, as one new generation."""
    storage = FileStorage(str(path))
    schema = whoosh_index.open_dir(str(path)).schema
    segments = []
    for part in parts:
        for segment in TOC.read(FileStorage(str(part)), whoosh_index._DEF_INDEX_NAME).segments:
            prefix = f"{segment.indexname}_{segment.segid}."
            for name in os.listdir(part):
                if name.startswith(prefix):
                    os.replace(part / name, path / name)
            segments.append(segment)
        shutil.rmtree(part)
    generation = TOC._latest_generation(storage, whoosh_index._DEF_INDEX_NAME) + 1
    TOC(schema, segments, generation).write(storage, whoosh_index._DEF_INDEX_NAME)


def check(batch=2000):
    """Compare the live index with the database, thread by thread."""
    fingerprints = {}
    with reader.open_searcher() as searcher:
        if searcher is not None:
            for stored in searcher.all_stored_fields():
                fingerprints[int(stored["thread_id"])] = stored.get("fingerprint")
    with _reading_session() as session:
        return CheckReport.compare(fingerprints, session, batch)
