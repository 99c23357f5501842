"""The bonus of solved and officially answered threads: relevance first, the bonus second.

A thread's relevance (BM25F) is multiplied by ``bonus(solved, has_official)``: at equal
relevance a solved thread ranks first, but an unsolved thread that is more than the
bonus more relevant stays ahead of it. So a near-duplicate that is still open (the
thread the asker should join) is not pushed below loosely related solved ones, as
the old "solved first" partition of the suggestions did.

The factor is stored with each thread in the index (``ThreadDocument.boost``) and
applied to every match, so the search page sorted by relevance, the ask form's
suggestions and ``/api/v1/similar`` rank alike, and a page boundary never depends on
which threads happened to be fetched. The values were chosen on data
(``bench/search_quality.py --bonus``; bench/RESULTS.md): the largest bonus that costs
no ranking quality on the SemEval-2016 training questions (where "solved" means an
answer judged good), confirmed on the dev questions and the German judged set.
"""
SOLVED_BONUS = 0.15      # tuned: see bench/RESULTS.md, "Relevance first, solved as a bonus"
OFFICIAL_BONUS = 0.05    # no data to tune it on (SemEval has no staff): kept below solved


def bonus(solved, has_official):
    """The factor a thread's relevance is multiplied by (1 to 1 + both bonuses)."""
    return 1.0 + (SOLVED_BONUS if solved else 0.0) + (OFFICIAL_BONUS if has_official else 0.0)
