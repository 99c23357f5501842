"""Ranking a query term at a time, straight from the index's posting blocks.

Whoosh scores document at a time through a tree of matcher objects: each matching
document costs a dozen Python calls per query term, and a common word ("Router")
in a large community matches half the threads in title, question and answers,
under two stems each. This module evaluates the same query trees block by block
with lists, dicts and set operations that run in C, and is exact: Whoosh's own
BM25F formula, idf, average and stored field lengths, query boosts and the final
document boost (``reader.RankWeighting``), so it returns what ``searcher.search``
would return (tests/search/test_scoring.py compares both), 3–5 times faster
(bench/RESULTS.md).

``Term``, ``Or`` and ``And`` take the fast path; any other query (typo terms, date
ranges, ``Every``) is handed to Whoosh's own matcher for its part of the tree.
"""
import heapq
from array import array
from collections import OrderedDict

from whoosh import query as Q
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length, length_to_byte

_LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]
MAX_CACHED_FILTERS = 256


class Statistics:
    """What ranking needs of one open searcher besides postings: length norms, the
    document boosts, sort columns. Computed on first use and kept for as long as
    the searcher lives (it sees one fixed index generation)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.weighting = searcher.weighting
        self.segments = [(leaf, offset) for leaf, offset in _leaves(searcher)]
        self.norms = {}
        self.columns = {}
        self.filters = {}
        self.boosts = None
        self.boost_range = None


class PostingsCache:
    """Decoded postings, kept across searchers (one cache per thread, like the
    searcher): a segment's files never change once written, so what was read of
    it stays true after the worker commits more segments, until Whoosh merges it
    away. Deleted documents are left out when the postings are used, not here.
    Holds at most ``capacity`` postings; the least recently used go first."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.size = 0
        self._entries = OrderedDict()

    def get(self, leaf, field, text):
        """``(ids, weights)`` of a term in a segment, deleted documents included."""
        if not self.capacity:
            return _read_postings(leaf, field, text)
        key = (_segment_key(leaf), field, text)
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
            return entry
        entry = _read_postings(leaf, field, text)
        if len(entry[0]) <= self.capacity:
            self._entries[key] = entry
            self.size += len(entry[0])
            while self.size > self.capacity:
                _, (ids, _) = self._entries.popitem(last=False)
                self.size -= len(ids)
        return entry


class Ranker:
    """Evaluates the queries of one search; a term's postings are read once even
    when the search tries several queries (every word, typos, any word)."""

    def __init__(self, statistics, cache=None):
        self.stats = statistics
        self.searcher = statistics.searcher
        self.weighting = statistics.weighting
        self.segments = statistics.segments
        self.cache = cache or PostingsCache(0)
        self._postings = {}
        self._scored = {}   # (field, offset, factor): [(ids, weights, scores)], see _term

    # --- public ----------------------------------------------------------------

    def scores(self, q):
        """``{docnum: score}`` of every document matching ``q`` (scores before the
        document boost), docnums global to the searcher."""
        found = {}
        for leaf, offset in self.segments:
            part = self._eval(q, leaf, offset)
            if part:
                found.update(part)
        return found

    def docs(self, q):
        """The set of documents matching ``q`` (a filter), or None for no filter.
        Filters made of terms (category, solved, tag) recur: they are kept with the
        searcher, like the statistics."""
        if q is None:
            return None
        key = _filter_key(q)
        cache = self.stats.filters
        if key is not None and key in cache:
            return cache[key]
        found = frozenset(self.scores(q))
        if key is not None:
            if len(cache) >= MAX_CACHED_FILTERS:
                cache.pop(next(iter(cache)))
            cache[key] = found
        return found

    def top(self, q, limit, allowed=None, newest=False, counted=True, candidates=None):
        """``(total, [(docnum, score)])``: how many documents match, and the best
        ``limit`` of them by final score (ties: lower docnum first, as Whoosh) or,
        with ``newest``, by creation time. ``counted`` and ``candidates`` are hints
        for the PostgreSQL backend (pg_search.PgRanker.top), which ranks a subset of
        the matches; here every match is ranked and counted anyway."""
        found = self.scores(q)
        if allowed is not None:
            found = {d: s for d, s in found.items() if d in allowed}
        if not found:
            return 0, []
        boosts = self.boosts()
        if newest:
            final = {d: s * boosts[d] for d, s in found.items()}
            created = self.column("created_at")
            best = heapq.nlargest(limit, final, key=lambda d: (created[d], -d))
            return len(final), [(d, final[d]) for d in best]
        # The best by final score, then lower docnum. At least ``limit`` documents end
        # at or above the limit-th best score before the boost times the smallest
        # boost; a document below that divided by the largest boost cannot reach them,
        # so only the others get their boost and a key (the floats compared in C).
        low, high = self.boost_range()
        floor = heapq.nlargest(limit, found.values())[-1] * low / high * (1 - 1e-9)
        final = {d: s * boosts[d] for d, s in found.items() if s >= floor}
        cut = heapq.nlargest(limit, final.values())[-1]
        best = heapq.nlargest(limit, [(s, -d) for d, s in final.items() if s >= cut])
        return len(found), [(-negative, s) for s, negative in best]

    def boosts(self):
        """The document boost of every document (``final`` of the weighting), as
        factors, by global docnum."""
        if self.stats.boosts is None:
            field = self.searcher.schema["boost"]
            self.stats.boosts = [(field.from_column_value(b) or 100) / 100
                                 for b in self.column("boost")]
        return self.stats.boosts

    def boost_range(self):
        """The smallest and the largest document boost."""
        if self.stats.boost_range is None:
            boosts = self.boosts()
            self.stats.boost_range = (min(boosts), max(boosts)) if boosts else (1.0, 1.0)
        return self.stats.boost_range

    def column(self, name):
        """A sortable field's value for every document, by global docnum (raw column
        values: numbers, which order as the field's values do)."""
        columns = self.stats.columns
        if name not in columns:
            values = []
            for leaf, _ in self.segments:
                values.extend(leaf.column_reader(name, translate=False))
            columns[name] = values
        return columns[name]

    # --- evaluation ----------------------------------------------------------------

    def _eval(self, q, leaf, offset):
        kind = type(q)
        if kind is Q.Term:
            scored = self._term(q, leaf, offset)
        elif kind is Q.Or:
            parts = [p for p in (self._eval(s, leaf, offset) for s in q.subqueries) if p]
            scored = _sum_union(parts)
        elif kind is Q.And:
            parts = []
            for sub in q.subqueries:
                part = self._eval(sub, leaf, offset)
                if not part:
                    return {}
                parts.append(part)
            scored = _sum_intersection(parts)
        else:
            return self._whoosh(q, leaf, offset)
        if q.boost != 1.0 and kind is not Q.Term:
            scored = {d: s * q.boost for d, s in scored.items()}
        return scored

    def _term(self, q, leaf, offset):
        field, text = q.fieldname, q.text
        key = (field, text, offset)
        if key not in self._postings:
            ids, weights = self.cache.get(leaf, field, text)
            deleted = leaf.deleted_docs_set if ids else None
            if deleted:
                kept = [(d, w) for d, w in zip(ids, weights) if d not in deleted]
                ids, weights = [d for d, _ in kept], [w for _, w in kept]
            self._postings[key] = ids, weights
        ids, weights = self._postings[key]
        if not ids:
            return {}
        if not self.searcher.schema[field].scorable:
            return dict.fromkeys((offset + d for d in ids), q.boost)
        idf = self.searcher.idf(field, text)
        factor = q.boost * idf * (self.weighting.K1 + 1)
        # A word's German and English stems mostly have the same postings ("rout",
        # "router"): with the same factor they score the same, so score them once.
        same = self._scored.setdefault((field, offset, factor), [])
        for seen_ids, seen_weights, scored in same:
            if seen_ids == ids and seen_weights == weights:
                return scored
        norm = self._norm(field, leaf, offset)
        scored = {offset + d: factor * w / (w + norm[d]) for d, w in zip(ids, weights)}
        same.append((ids, weights, scored))
        return scored

    def _norm(self, field, leaf, offset):
        """K1 * ((1 - B) + B * length / average length) for every document of a segment
        (the length part of BM25; Whoosh stores lengths as one byte)."""
        key = (field, offset)
        norms = self.stats.norms
        if key not in norms:
            k1 = self.weighting.K1
            b = self.weighting._field_B.get(field, self.weighting.B)
            average = self.searcher.avg_field_length(field) or 1
            table = [k1 * ((1 - b) + b * length / average) for length in _LENGTH_OF_BYTE]
            norms[key] = [table[byte] for byte in _length_bytes(leaf, field)]
        return norms[key]

    def _whoosh(self, q, leaf, offset):
        """Any other query: Whoosh's matcher, one document at a time."""
        searcher = self.searcher
        if not searcher.is_atomic():
            searcher = next(s for s, o in searcher.subsearchers if o == offset)
        matcher = q.matcher(searcher)
        scored = {}
        while matcher.is_active():
            scored[offset + matcher.id()] = matcher.score()
            matcher.next()
        return scored


def _filter_key(q):
    """A hashable key for a filter of terms joined by And, else None (not cached)."""
    if type(q) is Q.Term:
        return ("term", q.fieldname, q.text)
    if type(q) is Q.And:
        keys = tuple(_filter_key(sub) for sub in q.subqueries)
        return None if None in keys else ("and",) + keys
    return None


def _leaves(searcher):
    if searcher.is_atomic():
        return [(searcher.reader(), 0)]
    return [(s.reader(), offset) for s, offset in searcher.subsearchers]


def _sum_union(parts):
    if not parts:
        return {}
    if len(parts) == 1:
        return parts[0]
    parts.sort(key=len, reverse=True)
    if parts[1] is parts[0]:
        total, index = {d: s + s for d, s in parts[0].items()}, 2    # (0.0 + s) + s
    else:
        total, index = dict(parts[0]), 1
    get = total.get
    while index < len(parts):
        part = parts[index]
        if index + 1 < len(parts) and parts[index + 1] is part:
            # The same scores twice in a row (two stems of a word, see Ranker._term):
            # both additions, in order, in one pass.
            for d, s in part.items():
                total[d] = (get(d, 0.0) + s) + s
            index += 2
            continue
        for d, s in part.items():
            total[d] = get(d, 0.0) + s
        index += 1
    return total


def _sum_intersection(parts):
    if len(parts) == 1:
        return parts[0]
    parts.sort(key=len)
    keys = parts[0].keys()
    for part in parts[1:]:
        keys = keys & part.keys()
        if not keys:
            return {}
    return {d: sum(part[d] for part in parts) for d in keys}


def _segment_key(leaf):
    return getattr(leaf._storage, "folder", id(leaf._storage)), leaf.segment().segment_id()


def _read_postings(leaf, field, text):
    """``(ids, weights)`` of a term's postings in a segment, deleted documents included.

    Reads Whoosh's posting blocks whole (``W3LeafMatcher``, the codec of every index
    this project writes); any other matcher is read posting by posting.
    """
    try:
        matcher = leaf.postings(field, text)
    except TermNotFound:
        return (), ()
    if not isinstance(matcher, W3LeafMatcher) and isinstance(getattr(matcher, "child", None),
                                                              W3LeafMatcher):
        matcher = matcher.child  # FilterMatcher over the deleted documents
    ids, weights = array("i"), array("f")
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    return ids, weights


def _length_bytes(leaf, field):
    """The stored length byte of ``field`` for every document of a segment, read
    whole from the codec's lengths column (a byte per document)."""
    count = leaf.doc_count_all()
    try:
        column = leaf._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
        if column is None:
            return bytes(count)
        raw = column._dbfile.get(column._basepos, column._count)
    except AttributeError:  # not the codec this was written for: ask document by document
        return bytes(length_to_byte(leaf.doc_field_length(d, field, 0) or 0)
                     for d in range(count))
    return bytes(raw) + bytes(count - len(raw))

