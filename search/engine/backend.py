"""The seam between search's services and the index underneath them.

Two backends keep the same index of visible threads and answer the same queries:

- ``whoosh``: files in the instance folder, written by the worker from outbox rows
  after the commit (one host, or one worker host whose folder the web hosts share);
- ``postgres``: tables in the database, written in the transaction of the change
  itself, so every host sees the same results at once.

``FORUM_SEARCH_BACKEND`` chooses (search/engine/backends.py).

A backend writes (``apply``, ``delete``), rebuilds (``reindex``), compares itself
with the database (``check``), says what keeps it from answering (``problem``) and
opens a ``searcher``. Queries are Whoosh query trees (``whoosh.query``: Term, Or,
And, FuzzyTerm, Every, DateRange), built once by the services from the project's
analysis (search/engine/reader.py); each backend's searcher evaluates them:

- statistics for building queries: ``doc_frequency(field, text)``, ``doc_count()``,
  ``reader()`` (an object with ``doc_frequency``: the compound vocabulary), and
  ``prefetch(text)``, read ahead for a query of ``text`` (one round trip instead of
  one per word);
- ``ranker()``: ``docs(filter_query)`` (an opaque set of allowed documents) and
  ``top(query, limit, allowed, newest)`` → ``(total, [(docnum, score)])``;
- ``stored_fields(docnum)``: ``thread_id``, ``body_text`` and ``answers_text``
  (excerpts for snippets);
- ``matched_stems(query)``: what to highlight; ``correct(word, maxdist)``: the
  vocabulary's best spelling within reach, for "did you mean".
"""
from abc import ABC, abstractmethod
from dataclasses import dataclass, field


class Busy(Exception):
    """The index is being written by someone else; try again in a moment."""


@dataclass
class CheckReport:
    indexed: int = 0
    visible: int = 0
    missing: list = field(default_factory=list)   # visible, not in the index
    stale: list = field(default_factory=list)     # in the index with other content
    extra: list = field(default_factory=list)     # in the index, not visible (any more)

    @property
    def ok(self):
        return not (self.missing or self.stale or self.extra)

    @property
    def wrong(self):
        return sorted(set(self.missing) | set(self.stale) | set(self.extra))

    @classmethod
    def compare(cls, fingerprints, session, batch=2000):
        """The report for an index holding ``{thread_id: fingerprint}``, read against
        the visible threads of the database in batches."""
        from ..services import documents
        report = cls(indexed=len(fingerprints))
        fingerprints = dict(fingerprints)
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


class Backend(ABC):
    name = ""
    # Whether index rows are written in the transaction of the change (else through
    # the outbox, after the commit).
    synchronous = False

    @abstractmethod
    def apply(self, thread_ids):
        """Write these threads as the database has them now; a thread that is not
        visible (any more) leaves the index."""

    @abstractmethod
    def delete(self, thread_ids):
        """Take these threads out of the index."""

    @abstractmethod
    def searcher(self):
        """A context manager yielding a searcher, or None when there is no index yet."""

    @abstractmethod
    def reindex(self, progress=None, processes=1):
        """Rebuild from the database; ``progress(done)`` after each batch, with up to
        ``processes`` processes. Returns the number of threads indexed."""

    @abstractmethod
    def check(self):
        """A CheckReport: the index compared with the database, thread by thread."""

    @abstractmethod
    def problem(self):
        """Why this backend cannot answer searches on this host, or None."""

    def ready(self):
        return self.problem() is None

    @abstractmethod
    def is_empty(self):
        """Whether nothing has been indexed yet (the worker then builds the index)."""

    def location(self):
        """Where the index is, for the operator."""
        return self.name

