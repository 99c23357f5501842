"""The Whoosh index on disk: schema, generations, the one writer.

Layout of ``<instance>/search-index/``::

    CURRENT              name of the live generation (replaced atomically)
    gen-<time>-<id>/     a complete Whoosh index; the live one and its predecessor
    write.lock           held by whoever writes the live generation
    BUILDING             while ``search reindex`` runs: the generation being built
    CHANGED              thread ids the worker updated while that build ran

Web processes only read: they open the generation named by ``CURRENT`` read-only.
The worker applies updates under ``write.lock``, so several workers never write at
once. A rebuild fills a new generation and then, holding ``write.lock``, catches
up with the threads the worker changed meanwhile and swaps ``CURRENT``; readers
see the old index or the new one, never an empty or half-built one.
"""
import fcntl
import os
import secrets
import shutil
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app
from whoosh import index as whoosh_index
from whoosh.fields import BOOLEAN, DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from . import analysis
from .backend import Busy

DIRECTORY = "search-index"
LOCK_TIMEOUT = 30.0


class IndexBusy(Busy):
    """The write lock could not be taken in time (another writer is busy)."""


def schema():
    text = analysis.text_analyzer()
    return Schema(
        thread_id=ID(stored=True, unique=True),
        title=TEXT(analyzer=text, stored=True),
        body=TEXT(analyzer=text),
        answers=TEXT(analyzer=text),
        # German stems of compound parts ("rechnungsadresse" → rechnung, adress)
        parts=TEXT(analyzer=text, phrase=False),
        # whole lowercased words: spelling suggestions and typo matching
        spell=TEXT(analyzer=analysis.spelling_analyzer(), phrase=False),
        body_text=STORED,
        answers_text=STORED,
        category=ID(stored=True),
        tags=KEYWORD(stored=True, commas=True, lowercase=True),
        status=ID(stored=True),
        solved=BOOLEAN(stored=True),
        has_official=BOOLEAN(stored=True),
        reply_count=NUMERIC(stored=True),
        created_at=DATETIME(stored=True, sortable=True),
        last_activity_at=DATETIME(stored=True, sortable=True),
        # ranking weight in percent (Whoosh's float columns cannot be written)
        boost=NUMERIC(int, bits=16, sortable=True, default=100),
        fingerprint=STORED,
        indexed_at=STORED,
    )


# --- Where things are ----------------------------------------------------------------------------

def root():
    return Path(current_app.instance_path) / DIRECTORY


def live_generation(base=None):
    """The directory of the live index, or None before the first document was written."""
    base = base or root()
    try:
        name = (base / "CURRENT").read_text().strip()
    except FileNotFoundError:
        return None
    path = base / name
    return path if name and path.is_dir() else None


def building_generation(base=None):
    base = base or root()
    try:
        path = base / (base / "BUILDING").read_text().strip()
    except FileNotFoundError:
        return None
    return path if path.is_dir() else None


def new_generation(base):
    base.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    path = base / f"gen-{stamp}-{secrets.token_hex(3)}"
    path.mkdir()
    whoosh_index.create_in(str(path), schema())
    return path


def _write_atomically(path, text):
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def publish(base, path):
    """Make ``path`` the live generation; keep its predecessor for readers still on it."""
    previous = live_generation(base)
    _write_atomically(base / "CURRENT", path.name)
    keep = {path.name, previous.name if previous else None}
    building = building_generation(base)
    if building is not None:
        keep.add(building.name)
    for old in base.glob("gen-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)


@contextmanager
def write_lock(base=None, timeout=LOCK_TIMEOUT):
    """The one-writer lock of the live index (an OS file lock: released if we crash)."""
    base = base or root()
    base.mkdir(parents=True, exist_ok=True)
    with open(base / "write.lock", "a") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexBusy("the search index is being written by another process")
                time.sleep(0.05)
        try:
            yield base
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_live(base):
    """The live generation, created empty on first use. Call with the write lock held."""
    path = live_generation(base)
    if path is None:
        path = new_generation(base)
        publish(base, path)
    return path


# --- Changes during a rebuild --------------------------------------------------------------------

def note_changed(base, thread_ids):
    """While a rebuild runs, remember which threads the worker updated (under the write
    lock), so the rebuild applies them again before it goes live."""
    if building_generation(base) is None:
        return
    with open(base / "CHANGED", "a") as journal:
        journal.write("".join(f"{i}\n" for i in thread_ids))


def take_changed(base):
    try:
        text = (base / "CHANGED").read_text()
    except FileNotFoundError:
        return []
    (base / "CHANGED").unlink()
    return sorted({int(line) for line in text.split()})


def start_building(base):
    """A fresh, empty generation named in ``BUILDING``; called with the write lock held."""
    (base / "CHANGED").unlink(missing_ok=True)
    path = new_generation(base)
    _write_atomically(base / "BUILDING", path.name)
    return path


def stop_building(base, path=None):
    (base / "BUILDING").unlink(missing_ok=True)
    (base / "CHANGED").unlink(missing_ok=True)
    if path is not None and live_generation(base) != path:
        shutil.rmtree(path, ignore_errors=True)


# --- Documents -----------------------------------------------------------------------------------


def vocabulary_lookup(reader, extra=frozenset()):
    """``known(stem)`` for compound splitting: stems of titles and questions in the index.
    Each stem is looked up once per lookup function (a batch of updates, a query): the
    index asks every segment twice, and a batch asks for the same stems thousands of
    times."""
    answers = {}

    def known(stem):
        found = answers.get(stem)
        if found is None:
            found = answers[stem] = (stem in extra or reader.doc_frequency("title", stem) > 0
                                     or reader.doc_frequency("body", stem) > 0)
        return found
    return known


def own_stems(doc):
    """German stems of the document's title and question (its compound vocabulary)."""
    return {analysis.german_stem(folded)
            for _, folded, _ in analysis.terms(f"{doc.title} {doc.body}")}


def batch_stems(docs):
    """The compound vocabulary that documents written together bring along."""
    return set().union(*(own_stems(doc) for doc in docs if doc is not None))


def compound_parts(doc, known, splits=None):
    """The parts of the compounds in the document's text, as one string of stems.
    ``splits`` (a dict) keeps each word's split for the next documents written with
    the same ``known``."""
    parts = []
    seen = set()
    splits = {} if splits is None else splits
    for text in (doc.title, doc.body, doc.answers_text):
        for _, folded, _ in analysis.terms(text):
            if folded in seen:
                continue
            seen.add(folded)
            split = splits.get(folded)
            if split is None:
                split = splits[folded] = analysis.split_compound(folded, known)
            parts.extend(split)
    return " ".join(parts)


def fields(doc, known, compounds=True, splits=None):
    """The Whoosh fields of ``doc`` (a documents.ThreadDocument)."""
    answers = doc.answers_text
    return dict(
        thread_id=str(doc.thread_id), title=doc.title, body=doc.body, answers=answers,
        parts=compound_parts(doc, known, splits) if compounds else "",
        spell=" ".join((doc.title, doc.body, answers)),
        body_text=doc.body_excerpt, answers_text=doc.answer_excerpts,
        category=str(doc.category_id), tags=",".join(doc.tags), status=doc.status,
        solved=doc.solved, has_official=doc.has_official, reply_count=doc.reply_count,
        created_at=doc.created_at, last_activity_at=doc.last_activity_at,
        boost=round(doc.boost * 100), fingerprint=doc.fingerprint,
        indexed_at=datetime.now(timezone.utc).isoformat())


def compounds_enabled():
    return current_app.config.get("SEARCH_COMPOUNDS", True)


# Segments. Every update commit writes one new segment; Whoosh's default policy
# (MERGE_SMALL) leaves segments of a few hundred documents alone until there are
# about fourteen, then merges them all in one commit (a pause of seconds), and a
# segment whose threads were written again since keeps their old versions as deleted
# documents. Here each commit merges what is cheap and worth it, smallest first:
# segments with no live document left (free), segments at least half replaced (few
# live documents to copy), and the smallest while more than MAX_SEGMENTS would
# remain; but it copies at most MERGE_BUDGET live documents (copying costs about as
# much as indexing them), so the large segment a rebuild wrote is never merged by an
# update: `search reindex` writes it anew.
MAX_SEGMENTS = 8
MERGE_BUDGET = 1000      # live documents one update commit copies from older segments at most


def merge_policy(writer, segments):
    """A Whoosh ``mergetype`` (see above): merges segments into the commit's new one
    and returns those it keeps."""
    from whoosh.reading import SegmentReader

    by_size = sorted(segments, key=lambda s: s.doc_count())
    keep, merge, budget = [], [], MERGE_BUDGET
    for position, segment in enumerate(by_size):
        live = segment.doc_count()
        remaining = len(keep) + len(by_size) - position + 1    # if merging stopped here
        wanted = (live == 0 or live * 2 <= segment.doc_count_all()
                  or remaining > MAX_SEGMENTS)
        if wanted and live <= budget:
            merge.append(segment)
            budget -= live
        else:
            keep.append(segment)
    if merge and not keep and writer.docnum == 0 and budget == MERGE_BUDGET:
        # Nothing but deletions: keep a segment, as an index of no segment at all
        # reads as Whoosh's EmptyReader, which the search readers do not expect.
        keep.append(merge.pop())
    for segment in merge:
        if segment.doc_count():
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
    return keep


def apply(path, docs, known=None):
    """Write ``{thread_id: ThreadDocument or None}`` into the index at ``path``, in one
    Whoosh commit (``merge_policy``).

    ``known`` (a set of German stems) is the vocabulary for compound splitting; by
    default the index's own titles and questions plus those of the documents written
    (a batch is split as if its documents had come one after the other). Each stem is
    looked up and each word split once per batch.
    """
    compounds = compounds_enabled()
    ix = whoosh_index.open_dir(str(path))
    with ix.reader() as reader:
        if known is None:
            batch = batch_stems(docs.values())
            known_in_index = vocabulary_lookup(reader)
            lookup = lambda stem: stem in batch or known_in_index(stem)  # noqa: E731
        else:
            lookup = known.__contains__
        splits = {}
        writer = ix.writer(timeout=LOCK_TIMEOUT)
        try:
            for thread_id, doc in docs.items():
                if doc is None:
                    writer.delete_by_term("thread_id", str(thread_id))
                    continue
                writer.update_document(**fields(doc, lookup, compounds, splits))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=merge_policy)


def doc_count(path):
    ix = whoosh_index.open_dir(str(path), readonly=True)
    return ix.doc_count()
