"""The Whoosh backend: the index in ``<instance>/search-index/`` (index.py), read
per process (reader.py, scoring.py), rebuilt by rebuild.py. Updates reach it through
the outbox: the worker applies them after the commit, one writer at a time."""
from contextlib import contextmanager

from ..services import documents
from . import index, reader, rebuild
from .backend import Backend


class WhooshSearcher:
    """A Whoosh searcher with the backend seam's methods (see backend.py)."""

    def __init__(self, searcher):
        self.whoosh = searcher

    def prefetch(self, text):
        """Nothing to read ahead: the statistics are in this process's index reader."""

    def doc_frequency(self, field, text):
        return self.whoosh.doc_frequency(field, text)

    def doc_count(self):
        return self.whoosh.doc_count()

    def reader(self):
        return self.whoosh.reader()

    def ranker(self):
        return reader.ranker(self.whoosh)

    def stored_fields(self, docnum):
        return self.whoosh.stored_fields(docnum)

    def matched_stems(self, q):
        return reader.matched_stems(self.whoosh, q)

    def correct(self, word, maxdist):
        """The most frequent word of the index within ``maxdist`` edits (same first
        letter), or None."""
        found = self.whoosh.corrector("spell").suggest(word, limit=1, maxdist=maxdist, prefix=1)
        return found[0] if found else None


class WhooshBackend(Backend):
    name = "whoosh"

    def apply(self, thread_ids):
        self._write(documents.load(thread_ids), thread_ids)

    def delete(self, thread_ids):
        self._write(dict.fromkeys(int(i) for i in thread_ids), thread_ids)

    def _write(self, docs, thread_ids):
        with index.write_lock(timeout=index.LOCK_TIMEOUT) as base:
            path = index.ensure_live(base)
            index.apply(path, docs)
            index.note_changed(base, thread_ids)

    @contextmanager
    def searcher(self):
        with reader.open_searcher() as searcher:
            yield WhooshSearcher(searcher) if searcher is not None else None

    def reindex(self, progress=None, processes=1):
        return rebuild.reindex(progress=progress, processes=processes)

    def check(self):
        return rebuild.check()

    def problem(self):
        if self.is_empty() and documents.visible_thread_count():
            return "no search index on this host: run `flask --app community search reindex`"
        return None

    def is_empty(self):
        return index.live_generation() is None

    def location(self):
        return str(index.live_generation())
