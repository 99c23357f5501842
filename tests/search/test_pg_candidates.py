"""The PostgreSQL backend on queries matching many threads (search/engine/pg_search.py):
the total stays exact, the candidates come from the GIN index and the rows' lengths
(a pool when there are more than ``POOL`` matches), the ranked ones are scored by the
same BM25F as every match is below ``RERANK``, and one search costs a fixed number
of statements whatever it matches. Sizes are made small here; bench/search_speed.py
measures the real ones."""
import pytest
from sqlalchemy import text
from whoosh import query as Q

from community.extensions import db
from search.engine import pg_search, pg_terms, reader

from .helpers import only_backend


@pytest.mark.parametrize("literal", [
    "'router':1A,5B,9C 'rout':1A,5B '=router':1,5,9 'routerreset':30",
    "'a''b':1A '=x':3 '#tag' 'c\\\\d':2B,4C 'e':7",          # quotes, backslashes: escaped
    "'a b':1 'c':2A,3A '#my tag'",                           # a space inside a lexeme
    "",
])
def test_document_text_is_read_as_pg_terms_reads_it(literal):
    lexemes = {"router", "rout", "=router", "a'b", "=x", "#tag", "c\\d", "a b", "c",
               "#my tag", "routerreset", "absent"}
    expected = {lex: dict(counts) for lex, counts in pg_terms.frequencies(literal, lexemes).items()}
    assert pg_search._frequencies(literal, lexemes) == expected


@pytest.fixture
def routers(make_category, make_thread, make_user):
    """12 threads about routers; the last two also about a rare word."""
    category, asker = make_category(), make_user()
    made = [make_thread(author=asker, category=category, title=f"Router question {n}",
                        body=f"Since update {n}: " + ("the router restarts. " * (1 + n % 4))
                        + ("Zebrafinken everywhere." if n >= 10 else ""))
            for n in range(12)]
    db.session.commit()
    return made


def _top(query_text, limit, any_word=False):
    searcher = pg_search.PgSearcher()
    searcher.prefetch(query_text)
    words = reader.query_words(searcher, query_text)
    q = Q.Or(words) if any_word else Q.And(words)
    ranker = searcher.ranker()
    total, top = ranker.top(q, limit)
    return searcher, total, top


@only_backend("postgres")
def test_below_rerank_every_match_is_ranked(app, routers, monkeypatch):
    with app.test_request_context():
        _, total, exact = _top("router", 12)
        monkeypatch.setattr(pg_search, "RERANK", 12)
        monkeypatch.setattr(pg_search, "POOL", 12)
        searcher, total_small, top = _top("router", 3)
    assert total == total_small == 12
    assert top == exact[:3]
    # the statement settings, the count, the documents (the statistics were prefetched,
    # the totals read once)
    assert searcher.statements == 2 + 1 + 1 + 1 + 1


@only_backend("postgres")
def test_beyond_the_pool_the_total_is_exact_and_scores_are_bm25f(app, routers, monkeypatch):
    with app.test_request_context():
        _, _, exact = _top("router zebrafinken", 12, any_word=True)
        monkeypatch.setattr(pg_search, "RERANK", 2)
        monkeypatch.setattr(pg_search, "POOL", 3)
        searcher, total, top = _top("router zebrafinken", 2, any_word=True)
        assert db.session.scalar(text("SELECT current_setting('enable_seqscan')")) == "on"
    assert total == 12
    # The rare word's threads are the pool, and the best by BM25F, with the scores
    # every match gets when all are ranked.
    assert sorted(top) == sorted(exact[:2])
    assert {d for d, _ in top} == {routers[10].id, routers[11].id}
    # the settings, the count, the documents of the pool (one statement), the totals
    assert searcher.statements == 2 + 1 + 1 + 1 + 1


def _uncounted(query_text, limit, **hints):
    searcher = pg_search.PgSearcher()
    searcher.prefetch(query_text)
    q = Q.Or(reader.query_words(searcher, query_text))
    return searcher, searcher.ranker().top(q, limit, counted=False, **hints)


@only_backend("postgres")
def test_the_ask_form_skips_the_count_when_the_statistics_show_more_than_the_pool(
        app, routers, monkeypatch):
    """The ask form needs no total: a word alone in more threads than the pool means
    the pool is needed anyway, and the same threads come out, uncounted."""
    monkeypatch.setattr(pg_search, "RERANK", 2)
    monkeypatch.setattr(pg_search, "POOL", 3)
    with app.test_request_context():
        _, counted, top = _top("router zebrafinken", 2, any_word=True)
        searcher, (total, uncounted) = _uncounted("router zebrafinken", 2)
    assert counted == 12 and total is None
    assert uncounted == top
    # the settings, the documents of the pool, the totals: no count
    assert searcher.statements == 2 + 1 + 1 + 1


@only_backend("postgres")
def test_a_query_the_statistics_cannot_bound_is_still_counted(app, routers, monkeypatch):
    monkeypatch.setattr(pg_search, "RERANK", 2)
    monkeypatch.setattr(pg_search, "POOL", 3)
    with app.test_request_context():
        # "zebrafinken" alone is in 2 threads: fewer than the pool, so it is counted
        # (the And of both words could match fewer still)
        _, (total, top) = _uncounted("zebrafinken", 5)
    assert total == 2
    assert {d for d, _ in top} == {routers[10].id, routers[11].id}


@only_backend("postgres")
def test_fewer_candidates_read_fewer_documents_with_the_same_best(app, routers, monkeypatch):
    monkeypatch.setattr(pg_search, "POOL", 12)
    with app.test_request_context():
        _, (_, every) = _uncounted("router zebrafinken", 2)
        _, (_, fewer) = _uncounted("router zebrafinken", 2, candidates=4)
    # ts_rank's best 4 hold the two rare-word threads, ranked by the same BM25F
    assert fewer == every[:2]


@only_backend("postgres")
def test_a_common_word_beyond_the_pool_still_counts_every_match(app, routers, monkeypatch):
    monkeypatch.setattr(pg_search, "RERANK", 2)
    monkeypatch.setattr(pg_search, "POOL", 4)
    with app.test_request_context():
        _, total, top = _top("router", 2)
    assert total == 12
    assert len(top) == 2 and len({d for d, _ in top}) == 2
    assert all(score > 0 for _, score in top)
