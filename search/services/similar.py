"""Similar questions: threads that may already answer what someone is about to ask.

The query is every word of the title plus the most distinctive words of the body
(term frequency × inverse document frequency), each matching any of its stems in
the title, question, answers and compound parts of existing threads, weighted as
tuned on the SemEval-2016 question–question set (bench/search_quality.py,
bench/RESULTS.md).
"""
import math
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from whoosh import query as Q

from community.extensions import db
from community.models import Post, Thread

from ..engine import analysis, backends, reader

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


def scored_ids(searcher, title, body="", limit=50, only=None, **params):
    """[(thread_id, score)] best first, straight from the index; ``only`` (a query)
    restricts the threads considered without changing their scores."""
    q = similarity_query(searcher, title, body, **params)
    if q is None:
        return []
    ranker = searcher.ranker()
    _, top = ranker.top(q, limit, ranker.docs(only))
    return [(int(searcher.stored_fields(docnum)["thread_id"]), score) for docnum, score in top]


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

