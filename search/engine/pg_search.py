"""Searching the PostgreSQL backend's index: the query trees the services build
(Whoosh's ``Term``, ``Or``, ``And``, ``FuzzyTerm``, ``Every``; filters of ``Term`` and
``DateRange``) become a ``tsquery`` that the GIN index answers, and the matching
threads are ranked by the project's BM25F (reader.RankWeighting), computed here
from each candidate's term frequencies and the statistics tables (pg_index.py), as
the Whoosh backend computes it from its postings.

How a query is answered (``PgRanker.top``; figures in bench/RESULTS.md, "Speed"):

1. The total is counted from the GIN index alone: no document is read (a
   sequential scan would uncompress every ``tsvector``; the planner is told so for
   the statements of one search, ``_index_scans``). The ask form needs no total:
   when the statistics show more than ``POOL`` matches, nothing is counted.
2. Up to ``RERANK`` matches (the ask form's questions: ``similar.ASK_CANDIDATES``):
   every match is ranked by BM25F, exactly as the Whoosh backend ranks it.
3. Up to ``POOL`` matches: PostgreSQL's ``ts_rank`` with the field weights picks the
   ``RERANK`` best, which are ranked by BM25F.
4. More: ``ts_rank`` ranks a pool of ``POOL`` candidates chosen without reading a
   document (``_pool``): the threads holding the query's rarest lexemes (by the
   statistics), or, for common words, the matches whose lengths allow the highest
   BM25F. Threads outside the pool are counted, never shown: on the benchmark
   community this keeps most of the Whoosh backend's results, not all
   (bench/RESULTS.md, "Speed").

Of each document read, only the query's lexemes travel (``ts_delete`` in SQL); the
BM25F of a query tree is a function made once per query (``_compile``). Typos are
looked up in the spelling words (``search_terms.spell``) through a trigram index,
then checked by edit distance.
"""
import functools
import math
from collections.abc import Mapping
from contextlib import contextmanager

from sqlalchemy import Text, and_, any_, cast, false, func, or_, select, text, true
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY
from whoosh import query as Q
from whoosh.util.numeric import byte_to_length, length_to_byte

from community.extensions import db

from . import pg_index, pg_terms, reader
from .pg_terms import lexeme, quote

D = pg_index.D
RERANK = 200
# A query matching more threads than this has ts_rank rank a pool of candidates
# chosen by the statistics (PgRanker._pool), not every match.
POOL = 1000
# ts_rank's weights for D, C, B, A (parts/spelling, answers, question, title): the
# search page's field weights (reader.FIELDS), scaled to 1.
RANK_WEIGHTS = "{0.2,0.33,0.5,1.0}"
TRIGRAM_THRESHOLD = 0.2      # low enough for one typo in a four-letter word
TYPO_CANDIDATES = 200
WORD_CACHE = 50_000


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
        terms = set()
        for word in set(pg_terms.analysis.words(text_)):
            terms |= _word_candidates(word)
        self._load(terms)

    def _load(self, terms):
        missing = [t for t in terms if t not in self._counts]
        if missing:
            self.statements += 1
            found = _term_counts(self.session, missing)
            for term in missing:
                self._counts[term] = found.get(term)

    def counts(self, term):
        try:
            return self._counts[term]   # asked tens of thousands of times per question
        except KeyError:
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


def _term_counts(session, terms):
    """As pg_index.term_counts, the terms as one array parameter: a statement with a
    parameter per term (hundreds for the ask form's reranking) costs more to send and
    parse than to run."""
    T = pg_index.T
    rows = session.execute(select(T.c.term, *(T.c[f] for f in pg_terms.FIELDS)).where(
        T.c.term == any_(cast(sorted(set(terms)), ARRAY(Text)))))
    return {row[0]: dict(zip(pg_terms.FIELDS, row[1:])) for row in rows}


@functools.lru_cache(maxsize=WORD_CACHE)
def _word_candidates(word):
    """pg_terms.query_candidates of one word (its stems, the stems of its possible
    compound parts), kept per process: the ask form's reranking reads the statistics
    of 50 questions' words, mostly the same words every time."""
    return frozenset(pg_terms.query_candidates(word))


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

    def top(self, q, limit, allowed=None, newest=False, counted=True, candidates=None):
        """``(total, [(thread_id, score)])``: how many threads match, and the best
        ``limit`` by BM25F (or the newest ``limit``), ties by lower thread id.

        The total is counted from the GIN index alone (no document is read), unless
        the caller does not need it (``counted=False``: the total is then None) and the
        statistics show that there are more than ``POOL`` matches anyway (the ask
        form's questions: a bitmap scan of 10,000 matches costs 5-10 ms). Then at
        most ``max(limit, candidates)`` (default ``RERANK``) documents are read and
        ranked by BM25F: all the matches when there are no more; else the best of the
        candidates by ``ts_rank``, which ranks every match up to ``POOL`` of them and,
        beyond, a pool chosen by the statistics (see ``_pool``)."""
        match = _tsquery(q, self.searcher)
        if match is NOTHING:
            return 0, []
        candidates = candidates or RERANK
        where = [] if allowed is None else [allowed]
        if match is not EVERYTHING:
            where.append(_matching(match))
        surely_more = (not counted and not newest and allowed is None
                       and self._least_matches(q) > max(POOL, limit, candidates))
        with self._index_scans(match is not EVERYTHING):
            return self._top(q, match, where, max(limit, candidates), limit, allowed,
                             newest, surely_more)

    def _least_matches(self, q):
        """How many threads ``q`` matches at least, by the statistics: the most that
        hold one of its terms that alone makes a match (a Term under nothing but Ors)."""
        kind = type(q)
        if kind is Q.Term:
            return (self.searcher.counts(q.text) or {}).get(q.fieldname, 0)
        if kind is Q.Or:
            return max((self._least_matches(sub) for sub in q.subqueries), default=0)
        return 0

    @contextmanager
    def _index_scans(self, wanted):
        """The statements of one ``top`` read ``search_documents`` through its indexes:
        the planner's cost of ``@@`` does not see that a sequential scan uncompresses
        every document (60 ms on 20,000 threads) where the GIN index answers a count
        from its entries (5 ms). JIT compiling is off meanwhile (a plan the setting
        makes look expensive would otherwise be compiled, for longer than it runs)."""
        if not wanted:
            yield
            return
        self.searcher.statements += 2
        previous = self.session.execute(text(
            "SELECT current_setting('enable_seqscan'), current_setting('jit'), "
            "set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)")).one()
        yield
        # (Not after an error: the transaction is rolled back, and the settings with it.)
        self.session.execute(text(
            "SELECT set_config('enable_seqscan', :scan, true), set_config('jit', :jit, true)"),
            {"scan": previous[0], "jit": previous[1]})

    def _top(self, q, match, where, keep, limit, allowed, newest, surely_more):
        if surely_more:
            total = None      # more than POOL, not counted
        else:
            self.searcher.statements += 1
            total = self.session.scalar(select(func.count()).select_from(D).where(*where))
            if not total:
                return 0, []
        if newest:
            chosen = _newest(where, limit)
        elif match is EVERYTHING:
            chosen = select(D.c.thread_id).where(*where).order_by(
                D.c.boost.desc(), D.c.thread_id).limit(limit)
        elif total is not None and total <= keep:
            chosen = None      # every match is ranked by BM25F
        else:
            size = max(POOL, keep)
            if total is None or total > size:
                pool = self._pool(q, match, allowed, size).subquery()
                candidates = [D.c.thread_id.in_(select(pool.c.thread_id))]
            else:
                candidates = where
            chosen = select(D.c.thread_id).where(*candidates).order_by(
                (func.ts_rank(text(f"'{RANK_WEIGHTS}'::float4[]"), D.c.document,
                              cast(match, TSQUERY)) * D.c.boost).desc(),
                D.c.thread_id).limit(keep)
        leaves = _terms(q, self.searcher)
        lexemes = sorted({lexeme(t.fieldname, t.text) for t in leaves})
        # Of each document only the query's lexemes travel: the document without
        # (ts_delete) the lexemes it has besides them.
        others = func.tsvector_to_array(func.ts_delete(D.c.document, cast(lexemes, ARRAY(Text))))
        columns = (D.c.thread_id, D.c.boost, cast(func.ts_delete(D.c.document, others), Text),
                   D.c.created_at, *(D.c[f"{f}_length"] for f in pg_terms.FIELDS))
        if chosen is None:
            statement = select(*columns).where(*where)
        else:
            chosen = chosen.subquery()
            statement = select(*columns).join(chosen, chosen.c.thread_id == D.c.thread_id)
        self.searcher.statements += 1
        rows = self.session.execute(statement).all()
        if not rows:
            return 0, []
        scores = self._scores(q, rows, leaves, set(lexemes))
        if newest:
            created = {row.thread_id: row.created_at for row in rows}
            best = sorted(sorted(scores), key=created.get, reverse=True)[:limit]
        else:
            best = sorted(scores, key=lambda d: (-scores[d], d))[:limit]
        self.searcher._last = best
        return total, [(d, scores[d]) for d in best]

    def _bounds(self, q):
        """``({lexeme: BM25F bound}, {lexeme: documents})`` of the query's Term leaves:
        boost × idf × (K1 + 1), summed over the fields a lexeme is asked in; the
        documents by the statistics (the most of any of its fields)."""
        bounds, documents = {}, {}
        k1 = self.searcher.weighting.K1
        for leaf, weight in _weighted_terms(q):
            lex = lexeme(leaf.fieldname, leaf.text)
            counts = self.searcher.counts(leaf.text) or {}
            bounds[lex] = bounds.get(lex, 0.0) + (
                weight * self.searcher.idf(leaf.fieldname, leaf.text) * (k1 + 1))
            documents[lex] = max(documents.get(lex, 0), counts.get(leaf.fieldname, 0))
        return bounds, documents

    def _pool(self, q, match, allowed, size):
        """The candidates (a select of thread ids, run as a part of the ranking
        statement: a round trip with 1,000 ids each way cost 2-3 ms) of a query
        matching more than ``size`` threads:
        those holding one of its "essential" lexemes (the ones that can add most to a
        score, taken by their BM25F bound while their documents, by the statistics,
        stay within ``size``), or all the matches when no lexeme is that rare (one
        common word); of these the ``size`` whose lengths allow the highest BM25F.
        Read from the GIN index and the rows' lengths: no document is read."""
        essential = self._essential(q, size)
        if essential:
            match = f"({match}) & ({' | '.join(quote(lex) for lex in essential)})"
        where = [_matching(match)] + ([] if allowed is None else [allowed])
        return self._likeliest(q, where, size)

    def _likeliest(self, q, where, size):
        """The ``size`` matches of ``where`` whose lengths allow the highest BM25F: each
        field's bound (``_bounds``, per field) for a term found once,
        bound / (1 + K1 × ((1 − B) + B × length / average length)), summed. Found
        first (the GIN index), then ordered (``OFFSET 0``, as ``_newest``)."""
        weighting, k1 = self.searcher.weighting, self.searcher.weighting.K1
        fields = {}
        for leaf, weight in _weighted_terms(q):
            if leaf.fieldname in ("title", "body", "answers", "parts"):
                fields[leaf.fieldname] = fields.get(leaf.fieldname, 0.0) + (
                    weight * self.searcher.idf(leaf.fieldname, leaf.text) * (k1 + 1))
        found = select(D.c.thread_id, *(D.c[f"{f}_length"] for f in fields)) \
            .where(*where).offset(0).subquery()
        prior = sum(
            (bound / (1 + k1 * ((1 - weighting._field_B.get(f, weighting.B))
                                + weighting._field_B.get(f, weighting.B)
                                * found.c[f"{f}_length"] / self.searcher.average_length(f)))
             for f, bound in fields.items()), start=0.0) if fields else found.c.thread_id
        return (select(found.c.thread_id)
                .order_by(prior.desc(), found.c.thread_id.desc()).limit(size))

    def _essential(self, q, size):
        """Lexemes of ``q`` by their BM25F bound (``_bounds``), highest first, as many
        as keep the threads holding one of them within ``size`` (by the statistics)."""
        bounds, documents = self._bounds(q)
        chosen, held = [], 0
        for lex in sorted(bounds, key=lambda lex: (-bounds[lex], lex)):
            if 0 < documents[lex] and held + documents[lex] <= size:
                chosen.append(lex)
                held += documents[lex]
        return chosen

    def _scores(self, q, rows, leaves, lexemes):
        """Each row's final score: BM25F of ``q``, then the thread's boost (``leaves``:
        its Term leaves; ``lexemes``: theirs, all a row's text holds)."""
        self.searcher._load({t.text for t in leaves})
        score_of = self._compile(q)
        scores = {}
        for row in rows:
            score = score_of(Doc(self.searcher, row, _frequencies(row[2], lexemes)))
            boost = round(row.boost * 100) / 100
            scores[row.thread_id] = (score if score is not None else 1.0) * boost
        return scores

    def _compile(self, q):
        """``score(doc)`` of ``q`` (None: no match), as scoring.Ranker sums it: a
        function per node of the tree, made once per query. A node none of whose
        lexemes the document holds is not evaluated further."""
        kind = type(q)
        if kind is Q.Term:
            return self._compile_term(q)
        if kind is Q.Every:
            return lambda doc: 1.0
        if kind is Q.FuzzyTerm:
            # As Whoosh scores it: one word within reach counts as that word (without
            # the typo's boost); several count 1.0 together, whichever matched.
            words = self.searcher.typos(q)
            terms = [self._compile_term(Q.Term("spell", w)) for w in words]
            several = len(words) != 1

            def evaluate(doc):
                parts = [p for term in terms if (p := term(doc)) is not None]
                if not parts:
                    return None
                return 1.0 if several else parts[0]
        elif kind in (Q.And, Q.Phrase):   # a phrase: all its words (no positions compared)
            subs = q.subqueries if kind is Q.And else [
                Q.Term(q.fieldname, word) for word in q.words]
            children, boost = [self._compile(sub) for sub in subs], q.boost

            def evaluate(doc):
                parts = [child(doc) for child in children]
                if None in parts:
                    return None
                return sum(parts) * boost
        elif kind is Q.Or and all(type(sub) is Q.Term for sub in q.subqueries):
            # One word in every field (reader.word_query): its terms inline, in order.
            terms, boost = [self._term_constants(sub) for sub in q.subqueries], q.boost

            def evaluate(doc):
                frequencies, parts = doc.frequencies, []
                for lex, weight, field, factor in terms:
                    counts = frequencies.get(lex)
                    if counts:
                        frequency = counts.get(weight)
                        if frequency:
                            parts.append(factor * frequency / (frequency + doc.norm(field)))
                if not parts:
                    return None
                return sum(parts) * boost
        elif kind is Q.Or:
            children, boost = [self._compile(sub) for sub in q.subqueries], q.boost

            def evaluate(doc):
                parts = [p for child in children if (p := child(doc)) is not None]
                if not parts:
                    return None
                return sum(parts) * boost
        else:
            raise ValueError(f"the PostgreSQL backend does not rank {kind.__name__} queries")
        if any(type(leaf) is Q.Every for leaf in q.leaves()):
            return evaluate
        held = frozenset(lexeme(t.fieldname, t.text) for t in _terms(q, self.searcher))

        def when_held(doc):
            return None if held.isdisjoint(doc.frequencies) else evaluate(doc)
        return when_held

    def _term_constants(self, q):
        """``(lexeme, weight, field, boost × idf × (K1 + 1))`` of a Term."""
        k1 = self.searcher.weighting.K1
        return (lexeme(q.fieldname, q.text), pg_terms.WEIGHT_OF[q.fieldname], q.fieldname,
                q.boost * self.searcher.idf(q.fieldname, q.text) * (k1 + 1))

    def _compile_term(self, q):
        """BM25F of one term: boost × idf × (K1 + 1) × tf / (tf + K1 × length norm)."""
        lex, weight, field, factor = self._term_constants(q)

        def term(doc):
            counts = doc.frequencies.get(lex)
            if not counts:
                return None
            frequency = counts.get(weight)
            if not frequency:
                return None
            return factor * frequency / (frequency + doc.norm(field))
        return term


class Doc:
    """A candidate's term frequencies (of the query's lexemes) and the length norm of
    each field, K1 × ((1 − B) + B × length / average length), with the length as
    Whoosh stores it (one byte)."""

    def __init__(self, searcher, row, frequencies):
        self.searcher, self.row, self.frequencies = searcher, row, frequencies
        self._norms = {}

    def norm(self, field):
        norm = self._norms.get(field)
        if norm is None:
            weighting = self.searcher.weighting
            k1, b = weighting.K1, weighting._field_B.get(field, weighting.B)
            length = byte_to_length(length_to_byte(getattr(self.row, f"{field}_length")))
            norm = self._norms[field] = k1 * ((1 - b) + b * length / self.searcher.average_length(field))
        return norm


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


def _newest(where, limit):
    """The newest ``limit`` thread ids matching ``where``. The matches are found first
    (the GIN index), then sorted: ``OFFSET 0`` keeps the planner from walking the
    ``created_at`` index instead, which reads document after document until enough
    match."""
    found = select(D.c.thread_id, D.c.created_at).where(*where).offset(0).subquery()
    return (select(found.c.thread_id)
            .order_by(found.c.created_at.desc(), found.c.thread_id).limit(limit))


def _matching(match):
    """The SQL condition of a ``tsquery`` text."""
    return D.c.document.op("@@")(cast(match, TSQUERY))


def _weighted_terms(q, boost=1.0):
    """``[(Term, weight)]``: the Term leaves of ``q`` (not those of typo terms and
    phrases) with the product of their own and their parents' boosts."""
    kind = type(q)
    if kind is Q.Term:
        return [(q, boost * q.boost)]
    if kind in (Q.And, Q.Or):
        found = []
        for sub in q.subqueries:
            found.extend(_weighted_terms(sub, boost * q.boost))
        return found
    return []


def _frequencies(literal, lexemes):
    """As pg_terms.frequencies, reading the text once, entry by entry (for many
    lexemes): each entry is ``'lexeme'`` and its positions, split at the spaces, unless
    a lexeme holds a quote, a backslash or a space (then by pg_terms' pattern)."""
    found = {}
    if not literal:
        return found
    if "''" in literal or "\\" in literal:
        return _frequencies_quoted(literal, lexemes)
    for entry in literal.split(" "):
        end = entry.rfind("'")
        if end <= 0 or entry[0] != "'":
            return _frequencies_quoted(literal, lexemes)
        lex = entry[1:end]
        if lex in lexemes:
            found[lex] = _weight_counts(entry[end + 2:])
    return found


def _frequencies_quoted(literal, lexemes):
    found = {}
    for entry in pg_terms._ENTRY.finditer(literal):
        lex = pg_terms._unquote(entry.group(1))
        if lex in lexemes:
            found[lex] = _weight_counts(entry.group(2))
    return found


def _weight_counts(positions):
    """``{weight: positions}`` of a lexeme's positions (``1A,5,7B``; D unwritten)."""
    counts = {}
    if positions:
        for p in positions.split(","):
            weight = p[-1] if p[-1] in "ABC" else "D"
            counts[weight] = counts.get(weight, 0) + 1
    return counts


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
