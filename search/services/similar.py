"""Similar questions: threads that may already answer what someone is about to ask.

Two stages, both above the backend seam (so the Whoosh and the PostgreSQL backends
rank alike):

1. Retrieval: every word of the title plus the most distinctive words of the body
   (term frequency × inverse document frequency), each matching any of its stems in
   the title, question, answers and compound parts of existing threads: BM25F
   (search/engine/scoring.py, pg_search.py), with the solved/official bonus of
   ``ranking.py`` applied by the index.
2. Reranking of the best ``RERANK_DEPTH``: each candidate's relevance becomes its
   BM25F share of the best one plus ``QUESTION_SIMILARITY`` × the cosine similarity
   of the asked question (title and text) and the candidate's question (title and
   text, read from the database, the first ``RERANK_BODY_CHARS``), over stems
   weighted by their inverse document frequency in the index. BM25F sums evidence
   over long threads and their answers; the cosine asks whether the two questions
   are about the same thing, length-normalised. The bonus stays a factor of the
   result.

The weights were chosen on the SemEval-2016 question–question training questions
and confirmed on the dev questions (bench/search_quality.py, bench/RESULTS.md).
"""
import math
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import aliased
from whoosh import query as Q

from community.extensions import db
from community.models import Post, Thread

from ..engine import analysis, backends, reader
from . import ranking

# Field weights of the similarity query (see bench/RESULTS.md for how they were chosen).
FIELDS = (("title", 1.0), ("body", 1.0), ("answers", 0.6), ("parts", 0.3))
TITLE_WEIGHT = 1.0
BODY_TERMS = 100    # a pasted log should not become a 1,000-word query
# What a similarity query reads at most: the longest title a thread may have, and
# enough of the body for its distinctive words (anyone may ask, without logging in).
MAX_TITLE_CHARS = 200
MAX_BODY_CHARS = 5000
PHRASE_BOOST = 0.0
# Suggestions scoring below this share of the best one are noise, not suggestions.
MIN_SHARE = 0.25
# Reranking (see the module's docstring): how many of the best BM25F matches, how much
# of each candidate's question is read, and the weight of the questions' cosine
# similarity beside the BM25F share (1.0: chosen on train, bench/RESULTS.md).
RERANK_DEPTH = 50
RERANK_BODY_CHARS = 1000
QUESTION_SIMILARITY = 1.0
# A question with a text is a query of dozens of words: the PostgreSQL backend ranks
# the best 100 of its ts_rank candidates by BM25F instead of 200 (pg_search.RERANK),
# 6 ms less, and the same suggestions (bench/RESULTS.md, PostgreSQL backend).
ASK_CANDIDATES = 100
IDF_CACHE = 200_000


@dataclass
class Suggestion:
    thread: Thread
    score: float
    has_official: bool = False     # an official answer (staff) is among its replies

    @property
    def thread_id(self):
        return self.thread.id


def _idf(searcher, stems):
    df = max(searcher.doc_frequency("body", s) + searcher.doc_frequency("title", s)
             for s in stems)
    return math.log(1 + searcher.doc_count() / (1 + df))


def _phrases(title_terms, boost):
    """Adjacent title words that also stand together in a thread (German stems, which
    every word has at its position)."""
    stems = [analysis.german_stem(folded) for _, folded, _ in title_terms]
    return [Q.Or([Q.Phrase("title", [a, b], slop=1, boost=boost),
                  Q.Phrase("body", [a, b], slop=2, boost=boost / 2)])
            for a, b in zip(stems, stems[1:])]


def similarity_query(searcher, title, body="", body_terms=BODY_TERMS, fields=FIELDS,
                     title_weight=TITLE_WEIGHT, phrase_boost=PHRASE_BOOST):
    """An Or query of the title's words and the body's most distinctive words."""
    known = reader.vocabulary(searcher)
    groups, seen = [], set()
    title_terms = analysis.terms(title)
    for _, folded, stems in title_terms:
        if folded not in seen:
            seen.add(folded)
            groups.append(reader.word_query(stems, analysis.split_compound(folded, known),
                                            fields=fields, boost=title_weight))
    if phrase_boost:
        groups.extend(_phrases(title_terms, phrase_boost))
    counts = Counter((folded, stems) for _, folded, stems in analysis.terms(body)
                     if folded not in seen)
    ranked = sorted(counts.items(), reverse=True,
                    key=lambda item: (1 + math.log(item[1])) * _idf(searcher, item[0][1]))
    for (folded, stems), _ in ranked[:body_terms]:
        groups.append(reader.word_query(stems, fields=fields))
    return Q.Or(groups) if groups else None


def scored_ids(searcher, title, body="", limit=50, only=None, question_similarity=None,
               depth=RERANK_DEPTH, **params):
    """[(thread_id, score)] best first: BM25F from the index, the best ``depth``
    reranked (``question_similarity``: the cosine's weight, default
    ``QUESTION_SIMILARITY``; 0: not reranked); ``only`` (a query) restricts the threads
    considered without changing their scores."""
    if question_similarity is None:
        question_similarity = QUESTION_SIMILARITY
    q = similarity_query(searcher, title, body, **params)
    if q is None:
        return []
    ranker = searcher.ranker()
    wanted = max(limit, depth) if question_similarity else limit
    _, top = ranker.top(q, wanted, ranker.docs(only), counted=False,
                        candidates=ASK_CANDIDATES if body else None)
    hits = [(int(searcher.stored_fields(docnum)["thread_id"]), score) for docnum, score in top]
    if question_similarity and hits:
        best = hits[0][1] or 1.0
        reranked = rerank(searcher, title, body, hits[:depth], question_similarity)
        # Beyond the reranked ones (only when more than ``depth`` are asked for): their
        # BM25F share, never above the last reranked thread.
        floor = reranked[-1][1] if reranked else 1.0
        hits = reranked + [(tid, min(floor, score / best)) for tid, score in hits[depth:]]
    return hits[:limit]


def _weights(searcher, text, idf):
    """``{stem: weight}`` of a text: (1 + log tf) × idf per stem, a word's stems
    sharing its count (German and English stems of one word)."""
    counts = Counter()
    for _, _, stems in analysis.terms(text):
        for stem in stems:
            counts[stem] += 1.0 / len(stems)
    return {stem: (1 + math.log(n)) * idf(stem) for stem, n in counts.items()}


def cosine(a, b):
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(stem, 0.0) for stem, w in a.items())
    return dot / math.sqrt(sum(w * w for w in a.values()) * sum(w * w for w in b.values()))


def candidate_questions(thread_ids):
    """``{thread_id: (title, question text, bonus)}`` of the candidates, in one query;
    ``bonus`` as ``ranking.bonus`` (the factor the index applied to the score)."""
    official = aliased(Post)
    has_official = exists().where(and_(official.thread_id == Thread.id, official.is_official,
                                       official.visibility == "visible"))
    rows = db.session.execute(
        select(Thread.id, Thread.title, Thread.accepted_post_id.is_not(None),
               has_official, Post.body)
        .join(Post, Post.id == Thread.first_post_id)
        .where(Thread.id.in_(thread_ids)))
    return {tid: (title, (text or "")[:RERANK_BODY_CHARS], ranking.bonus(solved, official))
            for tid, title, solved, official, text in rows}


def _stem_idf(searcher):
    """``idf(stem)`` from the index's title and question frequencies. The values are
    kept with the index reader (the Whoosh backend's lives as long as its index
    generation, so they are read once per process; the PostgreSQL backend's lives for
    one search), at most ``IDF_CACHE`` of them."""
    holder = searcher.reader()
    cache = getattr(holder, "_forum_similar_idf", None)
    if cache is None or len(cache) > IDF_CACHE:
        cache = {}
        holder._forum_similar_idf = cache
    documents = searcher.doc_count()

    def idf(stem):
        value = cache.get(stem)
        if value is None:
            df = searcher.doc_frequency("title", stem) + searcher.doc_frequency("body", stem)
            value = cache[stem] = math.log(1 + documents / (1 + df))
        return value
    return idf


def rerank(searcher, title, body, hits, weight=QUESTION_SIMILARITY):
    """``hits`` ([(thread_id, BM25F score with the bonus)], best first) ordered by
    (BM25F share of the best + ``weight`` × cosine of the two questions) × bonus."""
    questions = candidate_questions([tid for tid, _ in hits])
    # The statistics of every word read below, in one round trip (PostgreSQL).
    searcher.prefetch(" ".join(f"{t} {b}" for t, b, _ in questions.values()))
    idf = _stem_idf(searcher)
    asked = _weights(searcher, f"{title} {body}", idf)
    best = hits[0][1] or 1.0
    scored = []
    for tid, score in hits:
        if tid not in questions:      # gone from the database since it was indexed
            continue
        other_title, other_body, factor = questions[tid]
        similarity = cosine(asked, _weights(searcher, f"{other_title} {other_body}", idf))
        scored.append((tid, (score / factor / best + weight * similarity) * factor))
    scored.sort(key=lambda hit: -hit[1])
    return scored


def similar(title, body="", limit=5, exclude=None):
    """Up to ``limit`` visible threads like the question ``title``/``body``, best first:
    relevance with the bounded bonus of solved and officially answered threads
    (``ranking.py``, applied by the index to every match), never solved ones first."""
    with backends.current().searcher() as searcher:
        if searcher is None:
            return []
        title, body = (title or "")[:MAX_TITLE_CHARS], (body or "")[:MAX_BODY_CHARS]
        searcher.prefetch(f"{title} {body}")
        hits = scored_ids(searcher, title, body, limit=limit * 3 + 5)
    hits = [(i, s) for i, s in hits if i != exclude]
    if not hits:
        return []
    best = hits[0][1]
    hits = [(i, s) for i, s in hits if s >= best * MIN_SHARE]
    threads = {t.id: t for t in db.session.scalars(
        select(Thread).where(Thread.id.in_([i for i, _ in hits]),
                             Thread.visibility == "visible"))}
    found = [Suggestion(threads[i], s) for i, s in hits if i in threads][:limit]
    official = set(db.session.scalars(
        select(Post.thread_id).where(Post.thread_id.in_([s.thread_id for s in found]),
                                     Post.is_official, Post.visibility == "visible")
        .distinct())) if found else set()
    for suggestion in found:
        suggestion.has_official = suggestion.thread_id in official
    return found

