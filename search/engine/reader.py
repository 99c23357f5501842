"""Reading the index: a read-only searcher per request and the ranking model."""
import threading
from contextlib import contextmanager

from flask import current_app
from whoosh import query as Q
from whoosh.filedb.filestore import FileStorage
from whoosh.scoring import BM25F

from . import analysis, index, scoring

# Query-time weight of each text field, for the search page.
FIELDS = (("title", 3.0), ("body", 1.5), ("answers", 1.0), ("parts", 0.6))


class RankWeighting(BM25F):
    """BM25F, then the document's boost: at equal relevance solved and officially
    answered threads rank higher (``ThreadDocument.boost``).

    Length normalisation is milder than Whoosh's default (B 0.5 instead of 0.75, full
    for the long answers field) and term frequency saturates sooner (K1 0.9): tuned
    on the SemEval-2016 training questions (bench/search_quality.py).
    """

    use_final = True

    def __init__(self, **kwargs):
        kwargs.setdefault("K1", 0.9)
        kwargs.setdefault("B", 0.5)
        kwargs.setdefault("title_B", 0.75)
        kwargs.setdefault("answers_B", 1.0)
        super().__init__(**kwargs)
        self._searcher = self._boosts = None

    def final(self, searcher, docnum, score):
        if self._searcher is not searcher:
            self._searcher = searcher
            self._boosts = searcher.reader().column_reader("boost")
        return score * (self._boosts[docnum] or 100) / 100


_cache = threading.local()


class _Kept:
    """A thread's open searcher. Without mmap (below) its segments hold open files:
    closed when the searcher is replaced, and when the thread ends (a server that
    runs each request in a thread of its own drops one per request)."""

    def __init__(self, path, ix, searcher):
        self.path, self.ix, self.searcher = path, ix, searcher

    def replace(self, searcher):
        self.close()
        self.searcher = searcher

    def close(self):
        searcher, self.searcher = self.searcher, None
        if searcher is not None:
            searcher.close()

    def __del__(self):
        self.close()


@contextmanager
def open_searcher():
    """A searcher on the live index, or None when nothing has been indexed yet.

    Each thread of a web process keeps its searcher open between requests (opening
    an index costs more than most searches) and refreshes it when the worker has
    committed or a rebuild has swapped in a new generation.
    """
    path = index.live_generation()
    if path is None:
        yield None
        return
    kept = getattr(_cache, "entry", None)
    if kept is not None and kept.path == path:
        if kept.ix.latest_generation() != kept.searcher.reader().generation():
            # A fresh reader, not Searcher.refresh(): that reuses segment readers and
            # so would miss deletions committed to an existing segment.
            kept.replace(kept.ix.searcher(weighting=RankWeighting()))
    else:
        if kept is not None:
            kept.close()
        # No mmap: Whoosh copies each file it opens inside an mmapped compound segment
        # into a BytesIO of its own (70 MiB per web process at 200,000 posts); read
        # through the file instead, the page cache shares it and searches are as fast.
        ix = FileStorage(str(path), readonly=True, supports_mmap=False).open_index()
        kept = _cache.entry = _Kept(path, ix, ix.searcher(weighting=RankWeighting()))
    yield kept.searcher


def ranker(searcher):
    """A term-at-a-time ranker for one search on ``searcher``; the statistics it needs
    are kept with the searcher, for as long as it lives."""
    statistics = getattr(searcher, "_forum_statistics", None)
    if statistics is None:
        statistics = searcher._forum_statistics = scoring.Statistics(searcher)
    return scoring.Ranker(statistics, postings_cache())


def postings_cache():
    """This thread's cache of decoded postings (``FORUM_SEARCH_POSTINGS_CACHE``)."""
    capacity = int(current_app.config.get("SEARCH_POSTINGS_CACHE", 0))
    cache = getattr(_cache, "postings", None)
    if cache is None or cache.capacity != capacity:
        cache = _cache.postings = scoring.PostingsCache(capacity)
    return cache


def vocabulary(searcher):
    return index.vocabulary_lookup(searcher.reader())


def word_query(stems, parts=(), fields=FIELDS, boost=1.0):
    """Any stem of one query word in any text field; a compound query word also
    matches documents that have all its parts."""
    alternatives = [Q.Term(name, stem, boost=weight * boost)
                    for stem in stems for name, weight in fields]
    if parts:
        alternatives.append(Q.And([
            Q.Or([Q.Term(name, part, boost=weight * boost * 0.5) for name, weight in fields])
            for part in parts]))
    return Q.Or(alternatives)


# Typo matching walks a Levenshtein automaton over the vocabulary; its cost grows with
# the word, and nobody mistypes a 30-letter word in a way we could correct.
MAX_TYPO_WORD = 30


def fuzzy_query(word):
    """Words within one or two typos (by length) of ``word``, or None for short words
    (and for very long ones)."""
    if not 4 <= len(word) <= MAX_TYPO_WORD or not word.isalpha():
        return None
    # Whoosh's automaton counts a swapped pair of letters as two edits ("Vertrga").
    return Q.FuzzyTerm("spell", word, maxdist=1 if len(word) < 6 else 2, prefixlength=1,
                       boost=0.5)


def known_word(searcher, stems):
    return any(searcher.doc_frequency(name, stem) for stem in stems
               for name in ("title", "body", "answers"))


def query_words(searcher, text, fuzzy=False):
    """One query per word of ``text`` (stop words skipped), with compound parts and,
    when ``fuzzy``, typo alternatives for the words the index does not have."""
    known = vocabulary(searcher)
    groups = []
    for word, folded, stems in analysis.terms(text):
        parts = analysis.split_compound(folded, known)
        group = word_query(stems, parts)
        typo = fuzzy_query(word) if fuzzy and not parts and not known_word(searcher, stems) \
            else None
        groups.append(Q.Or([group, typo]) if typo is not None else group)
    return groups


def existing_terms(searcher, q):
    """The (field, text) terms of ``q`` that occur in the index, typo terms expanded.

    Whoosh's own ``Query.existing_terms`` reuses its ``fieldname`` argument as a loop
    variable and so drops every field after the first; this walks the leaves itself.
    """
    index_reader = searcher.reader()
    found = set()
    for leaf in q.leaves():
        for fieldname, text in leaf.expanded_terms(index_reader):
            btext = text if isinstance(text, bytes) else text.encode()
            if (fieldname, btext) in index_reader:
                found.add((fieldname, btext.decode()))
    return found


def matched_stems(searcher, q):
    """Stems to highlight: the query's own terms, and the words its typo terms matched."""
    stems = set()
    for fieldname, text in existing_terms(searcher, q):
        if fieldname == "spell":
            stems.update(analysis.stems(analysis.fold(text)))
        elif fieldname in ("title", "body", "answers", "parts"):
            stems.add(text)
    return stems
