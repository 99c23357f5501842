"""Searching the PostgreSQL backend's index: the query trees the services build
(Whoosh's ``Term``, ``Or``, ``And``, ``FuzzyTerm``, ``Every``; filters of ``Term`` and
``DateRange``) become a ``tsquery`` that the GIN index answers, and the matching
threads are ranked by the project's BM25F (reader.RankWeighting), computed here
from each candidate's term frequencies and the statistics tables (pg_index.py), as
the Whoosh backend computes it from its postings.

Reading the term frequencies of every match costs about a millisecond per hundred
threads, so a query matching thousands of threads (a common word) is first cut to
the ``RERANK`` best by PostgreSQL's ``ts_rank`` with the field weights, in SQL, and
only those are ranked by BM25F; up to ``RERANK`` matches the order is exactly
BM25F's. The total is always exact. Typos are looked up in the spelling words
(``search_terms.spell``) through a trigram index, then checked by edit distance.
"""
import math
from collections.abc import Mapping

from sqlalchemy import Text, and_, cast, false, func, or_, select, text, true
from sqlalchemy.dialects.postgresql import TSQUERY
from whoosh import query as Q
from whoosh.util.numeric import byte_to_length, length_to_byte

from community.extensions import db

from . import pg_index, pg_terms, reader
from .pg_terms import lexeme, quote

D = pg_index.D
RERANK = 200
# ts_rank's weights for D, C, B, A (parts/spelling, answers, question, title): the
# search page's field weights (reader.FIELDS), scaled to 1.
RANK_WEIGHTS = "{0.2,0.33,0.5,1.0}"
TRIGRAM_THRESHOLD = 0.2      # low enough for one typo in a four-letter word
TYPO_CANDIDATES = 200


class PgSearcher:
    """One search's view of the index (see backend.py for what the services ask)."""

    def __init__(self, session=None, weighting=None):
        self.session = session or db.session
        self.weighting = weighting or reader.RankWeighting()
        self._counts = {}
        self._totals = None
        self._typos = {}
        self._excerpts = {}
        self._last = []
        self.statements = 0

    # --- statistics ---------------------------------------------------------------

    def prefetch(self, text_):
        """Read the statistics a query of ``text_`` will ask about, in one query."""
        self._load(pg_terms.query_candidates(text_))

    def _load(self, terms):
        missing = [t for t in terms if t not in self._counts]
        if missing:
            self.statements += 1
            found = pg_index.term_counts(self.session, missing)
            for term in missing:
                self._counts[term] = found.get(term)

    def counts(self, term):
        self._load([term])
        return self._counts[term]

    def doc_frequency(self, field, text_):
        counts = self.counts(text_)
        return counts[field] if counts else 0

    def totals(self):
        if self._totals is None:
            self.statements += 1
            self._totals = pg_index.totals(self.session)
        return self._totals

    def doc_count(self):
        return self.totals()["documents"]

    def reader(self):
        return self   # the compound vocabulary asks doc_frequency of the reader

    def idf(self, field, text_):
        """Whoosh's idf: log(N / (df + 1)) + 1."""
        return math.log(self.doc_count() / (self.doc_frequency(field, text_) + 1)) + 1

    def average_length(self, field):
        documents = self.doc_count()
        return (self.totals()[field] / documents if documents else 0) or 1

    # --- what the services ask ------------------------------------------------------

    def ranker(self):
        return PgRanker(self)

    def stored_fields(self, docnum):
        return StoredFields(self, docnum)

    def matched_stems(self, q):
        """Stems to highlight: the query's own, and those of the words its typo terms
        matched."""
        stems = set()
        for leaf in q.leaves():
            if isinstance(leaf, Q.FuzzyTerm):
                for word in self.typos(leaf):
                    stems.update(_word_stems(word))
            elif isinstance(leaf, Q.Term) and leaf.fieldname in ("title", "body", "answers",
                                                                  "parts"):
                stems.add(leaf.text)
            elif isinstance(leaf, Q.Term) and leaf.fieldname == "spell":
                stems.update(_word_stems(leaf.text))
        return stems

    def correct(self, word, maxdist):
        """The most frequent spelling word within ``maxdist`` edits of ``word`` (same
        first letter), or None; as Whoosh's corrector chooses."""
        found = self._near(word, maxdist, prefix=1)
        found = [(n, w) for w, n in found if w != word]
        if not found:
            return None
        return min(found, key=lambda item: (-item[0], item[1]))[1]

    def typos(self, fuzzy):
        """The spelling words a FuzzyTerm stands for."""
        key = (fuzzy.text, fuzzy.maxdist, fuzzy.prefixlength)
        if key not in self._typos:
            self._typos[key] = sorted(w for w, _ in self._near(*key))
        return self._typos[key]

    def _near(self, word, maxdist, prefix):
        """``[(word, documents)]`` of spelling words within ``maxdist`` edits."""
        self.statements += 1
        self.session.execute(text("SELECT set_config('pg_trgm.similarity_threshold', "
                                  ":threshold, true)"), {"threshold": str(TRIGRAM_THRESHOLD)})
        T = pg_index.T
        rows = self.session.execute(
            select(T.c.term, T.c.spell)
            .where(T.c.spell > 0, T.c.term.op("%")(word),
                   func.left(T.c.term, prefix) == word[:prefix],
                   func.length(T.c.term).between(len(word) - maxdist, len(word) + maxdist))
            .order_by(func.similarity(T.c.term, word).desc()).limit(TYPO_CANDIDATES)).all()
        return [(term, n) for term, n in rows if edit_distance(term, word, maxdist) <= maxdist]

    def excerpts(self, thread_id):
        """Body and answer excerpts of a result; read for the whole page at once."""
        if thread_id not in self._excerpts:
            wanted = [d for d in self._last if d not in self._excerpts] or [thread_id]
            if thread_id not in wanted:
                wanted.append(thread_id)
            self.statements += 1
            rows = dict(self.session.execute(
                select(D.c.thread_id, D.c.excerpts).where(D.c.thread_id.in_(wanted))).all())
            for d in wanted:
                self._excerpts[d] = rows.get(d) or {}
        return self._excerpts[thread_id]


class StoredFields(Mapping):
    """What a result carries for the page: ``thread_id`` at once, the excerpts when
    they are first asked for (similar questions never ask)."""

    def __init__(self, searcher, thread_id):
        self._searcher, self._thread_id = searcher, thread_id

    def __getitem__(self, key):
        if key == "thread_id":
            return str(self._thread_id)
        if key in ("body_text", "answers_text"):
            return self._searcher.excerpts(self._thread_id).get(key)
        raise KeyError(key)

    def __iter__(self):
        return iter(("thread_id", "body_text", "answers_text"))

    def __len__(self):
        return 3


class PgRanker:
    """``docs`` and ``top`` as the Whoosh backend's Ranker has them; documents are
    thread ids."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.session = searcher.session

    def docs(self, q):
        """The filter ``q`` as a SQL condition (None: no filter)."""
        if q is None:
            return None
        return _filter_sql(q)

    def top(self, q, limit, allowed=None, newest=False):
        """``(total, [(thread_id, score)])``: how many threads match, and the best
        ``limit`` by BM25F (or the newest ``limit``), ties by lower thread id."""
        match = _tsquery(q, self.searcher)
        if match is NOTHING:
            return 0, []
        where = [] if allowed is None else [allowed]
        if match is not EVERYTHING:
            where.append(D.c.document.op("@@")(cast(match, TSQUERY)))
        if newest:
            order = [D.c.created_at.desc(), D.c.thread_id]
            keep = limit
        elif match is EVERYTHING:
            order = [D.c.boost.desc(), D.c.thread_id]
            keep = limit
        else:
            order = [(func.ts_rank(text(f"'{RANK_WEIGHTS}'::float4[]"), D.c.document,
                                   cast(match, TSQUERY)) * D.c.boost).desc(), D.c.thread_id]
            keep = max(limit, RERANK)
        chosen = (select(D.c.thread_id, func.count().over().label("total"))
                  .where(and_(true(), *where)).order_by(*order).limit(keep).subquery())
        self.searcher.statements += 1
        rows = self.session.execute(
            select(chosen.c.total, D.c.thread_id, D.c.boost, cast(D.c.document, Text),
                   D.c.created_at, *(D.c[f"{f}_length"] for f in pg_terms.FIELDS))
            .join(chosen, chosen.c.thread_id == D.c.thread_id)).all()
        if not rows:
            return 0, []
        total = rows[0][0]
        scores = self._scores(q, rows)
        if newest:
            created = {row.thread_id: row.created_at for row in rows}
            best = sorted(sorted(scores), key=created.get, reverse=True)[:limit]
        else:
            best = sorted(scores, key=lambda d: (-scores[d], d))[:limit]
        self.searcher._last = best
        return total, [(d, scores[d]) for d in best]

    def _scores(self, q, rows):
        """Each row's final score: BM25F of ``q``, then the thread's boost."""
        leaves = _terms(q, self.searcher)
        self.searcher._load({t.text for t in leaves})
        lexemes = {lexeme(t.fieldname, t.text) for t in leaves}
        scores = {}
        for row in rows:
            doc = Doc(row, pg_terms.frequencies(row[3], lexemes))
            score = self._eval(q, doc)
            boost = round(row.boost * 100) / 100
            scores[row.thread_id] = (score if score is not None else 1.0) * boost
        return scores

    def _eval(self, q, doc):
        """The score of ``q`` for ``doc`` (None: no match), as scoring.Ranker sums it."""
        kind = type(q)
        if kind is Q.Term:
            return self._term(q, doc)
        if kind is Q.FuzzyTerm:
            # As Whoosh scores it: one word within reach counts as that word (without
            # the typo's boost); several count 1.0 together, whichever matched.
            words = self.searcher.typos(q)
            parts = [p for p in (self._term(Q.Term("spell", w), doc) for w in words)
                     if p is not None]
            if not parts:
                return None
            return parts[0] if len(words) == 1 else 1.0
        if kind is Q.Every:
            return 1.0
        if kind in (Q.And, Q.Phrase):   # a phrase: all its words (no positions compared)
            subs = q.subqueries if kind is Q.And else [
                Q.Term(q.fieldname, word) for word in q.words]
            parts = [self._eval(sub, doc) for sub in subs]
            if any(p is None for p in parts):
                return None
            score = sum(parts)
        elif kind is Q.Or:
            parts = [p for p in (self._eval(sub, doc) for sub in q.subqueries) if p is not None]
            if not parts:
                return None
            score = sum(parts)
        else:
            raise ValueError(f"the PostgreSQL backend does not rank {kind.__name__} queries")
        return score * q.boost

    def _term(self, q, doc):
        frequency = doc.frequency(q.fieldname, q.text)
        if not frequency:
            return None
        weighting = self.searcher.weighting
        k1 = weighting.K1
        b = weighting._field_B.get(q.fieldname, weighting.B)
        length = byte_to_length(length_to_byte(doc.length(q.fieldname)))
        norm = k1 * ((1 - b) + b * length / self.searcher.average_length(q.fieldname))
        idf = self.searcher.idf(q.fieldname, q.text)
        return q.boost * idf * (k1 + 1) * frequency / (frequency + norm)


class Doc:
    """A candidate's term frequencies (of the query's lexemes) and field lengths."""

    def __init__(self, row, frequencies):
        self.row, self.frequencies = row, frequencies

    def frequency(self, field, term):
        counts = self.frequencies.get(lexeme(field, term))
        return counts[pg_terms.WEIGHT_OF[field]] if counts else 0

    def length(self, field):
        return getattr(self.row, f"{field}_length")


# --- Query trees to SQL --------------------------------------------------------------------------

NOTHING, EVERYTHING = object(), object()
MAX_LEXEME_BYTES = 2046   # PostgreSQL's limit for a word in a tsvector or tsquery


def _tsquery(q, searcher):
    """The ``tsquery`` text matching what ``q`` matches, or NOTHING / EVERYTHING."""
    kind = type(q)
    if kind is Q.Every:
        return EVERYTHING
    if kind is Q.Term:
        lex = lexeme(q.fieldname, q.text)
        if len(lex.encode()) > MAX_LEXEME_BYTES:   # PostgreSQL refuses it; no document holds it
            return NOTHING
        return _lexeme_query(lex, {pg_terms.WEIGHT_OF[q.fieldname]}
                             if q.fieldname != "spell" else set())
    if kind is Q.FuzzyTerm:
        words = searcher.typos(q)
        return _or([quote(lexeme("spell", w)) for w in words]) if words else NOTHING
    if kind is Q.Phrase:
        return _and([_tsquery(Q.Term(q.fieldname, w), searcher) for w in q.words])
    if kind is Q.And:
        return _and([_tsquery(sub, searcher) for sub in q.subqueries])
    if kind is Q.Or:
        terms, others = {}, []
        for sub in q.subqueries:
            if type(sub) is Q.Term and sub.fieldname != "spell":
                terms.setdefault(sub.text, set()).add(pg_terms.WEIGHT_OF[sub.fieldname])
            else:
                others.append(_tsquery(sub, searcher))
        return _or([_lexeme_query(t, w) for t, w in terms.items()] + others)
    raise ValueError(f"the PostgreSQL backend does not match {kind.__name__} queries")


def _lexeme_query(lex, weights):
    # All four text fields is every plain lexeme: no weights to check.
    if not weights or weights == {"A", "B", "C", "D"}:
        return quote(lex)
    return f"{quote(lex)}:{''.join(sorted(weights))}"


def _and(parts):
    if any(p is NOTHING for p in parts):
        return NOTHING
    parts = [p for p in parts if p is not EVERYTHING]
    if not parts:
        return EVERYTHING
    return parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")"


def _or(parts):
    if any(p is EVERYTHING for p in parts):
        return EVERYTHING
    parts = [p for p in parts if p is not NOTHING]
    if not parts:
        return NOTHING
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


def _terms(q, searcher):
    """The Term leaves that score (typo terms expanded to their spelling words)."""
    found = []
    for leaf in q.leaves():
        if type(leaf) is Q.Term:
            found.append(leaf)
        elif type(leaf) is Q.FuzzyTerm:
            found.extend(Q.Term("spell", w) for w in searcher.typos(leaf))
        elif type(leaf) is Q.Phrase:
            found.extend(Q.Term(leaf.fieldname, w) for w in leaf.words)
    return found


def _filter_sql(q):
    """A filter query (category, solved, tag, thread id, dates) as a SQL condition."""
    kind = type(q)
    if kind is Q.And:
        return and_(true(), *(_filter_sql(sub) for sub in q.subqueries))
    if kind is Q.Or:
        return or_(false(), *(_filter_sql(sub) for sub in q.subqueries))
    if kind is Q.DateRange:
        conditions = []
        if q.startdate is not None:
            conditions.append(D.c.created_at >= q.startdate)
        if q.enddate is not None:
            conditions.append(D.c.created_at <= q.enddate)
        return and_(true(), *conditions)
    if kind is Q.Term:
        if q.fieldname == "category":
            return D.c.category_id == int(q.text)
        if q.fieldname == "solved":
            return D.c.solved.is_(bool(q.text))
        if q.fieldname == "thread_id":
            return D.c.thread_id == int(q.text)
        if q.fieldname == "tags":
            lex = lexeme("tags", q.text.lower())
            if len(lex.encode()) > MAX_LEXEME_BYTES:   # no tag is that long
                return false()
            return D.c.document.op("@@")(cast(quote(lex), TSQUERY))
    raise ValueError(f"the PostgreSQL backend cannot filter by {q!r}")


def _word_stems(word):
    return set(pg_terms.analysis.stems(pg_terms.analysis.fold(word)))


def edit_distance(a, b, limit):
    """Levenshtein distance of two words, or ``limit + 1`` once it is sure to exceed it
    (as Whoosh's automaton counts: a swapped pair is two edits)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
