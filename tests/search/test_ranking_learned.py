"""Similar questions rerank the best BM25F matches by how alike the two questions are
(search/services/similar.py; chosen on SemEval-2016, bench/RESULTS.md, issue 16
point 5): a thread that asks the same question beats a long thread that only mentions
the words in its answers, the reranking reads a bounded number of candidates, and the
bonus of solved threads stays a factor. Through ``/api/v1/similar`` and the ask form,
on every backend the database allows."""
import pytest

from search.engine import backends
from search.services import ranking, similar
from tests.conftest import login

from .test_similar import check_similar
from .test_similar_ranking import make_solved

ASK = ("Renew my residence permit",
       "My residence permit expires next month. How do I renew the residence permit?")
# The same question, asked in a few words.
SAME = ("Residence permit expires soon, how to renew it?",
        "The permit expires in March and I need to renew it.")
# Another question, whose long answers mention the permit and its renewal again and again.
OTHER = ("Moving flats: the residence permit and which offices to tell",
         "We move to a new flat in another district next month, with the children, the car "
         "and the dog. Which offices and companies do we tell, and in which order?")
OTHER_ANSWERS = [
    "Tell the residence permit office: the residence permit carries your address, and when "
    "you renew the residence permit it must be the new one.",
    "Yes, the residence permit office first. My residence permit expires next year and they "
    "said to renew the permit with the new address, or the renewal is refused.",
    "Also the car registration, the school and the vet. But the residence permit comes "
    "first: renew, permit, address, all in one visit.",
]


def _threads(make_user, make_category, make_thread, make_reply):
    asker, category = make_user(), make_category()
    same = make_thread(author=asker, category=category, title=SAME[0], body=SAME[1])
    other = make_thread(author=asker, category=category, title=OTHER[0], body=OTHER[1])
    for text in OTHER_ANSWERS:
        make_reply(other, body=text)
    return same, other


def _bm25f_only(title, body):
    with backends.current().searcher() as searcher:
        searcher.prefetch(f"{title} {body}")
        return [tid for tid, _ in similar.scored_ids(searcher, title, body, limit=10,
                                                     question_similarity=0.0)]


def test_the_same_question_beats_a_long_thread_that_only_shares_words(
        testapp, make_user, make_category, make_thread, make_reply, worker):
    same, other = _threads(make_user, make_category, make_thread, make_reply)
    worker()

    # BM25F alone sums the answers' evidence: the long thread comes first ...
    assert _bm25f_only(*ASK) == [other.id, same.id]
    # ... the reranking asks whether the questions are alike.
    results = testapp.get("/api/v1/similar", {"title": ASK[0], "body": ASK[1]}).json["results"]
    assert [r["thread_id"] for r in results] == [same.id, other.id]
    assert results[0]["score"] > results[1]["score"]

    login(testapp, make_user())                 # the ask form, without JavaScript
    page = check_similar(testapp.get("/ask"), *ASK)
    assert [a.get_text() for a in page.html.select(".similar-list li a")][:2] == \
        [SAME[0], OTHER[0]]


def test_reranking_reads_a_bounded_number_of_candidates(
        app, make_user, make_category, make_thread, make_reply, worker, monkeypatch):
    category = make_category()
    made = [make_thread(category=category, title=f"Residence permit question {n}",
                        body=f"Question {n} about renewing the residence permit.")
            for n in range(6)]
    worker()
    asked = []
    read = similar.candidate_questions
    monkeypatch.setattr(similar, "candidate_questions",
                        lambda ids: asked.append(list(ids)) or read(ids))

    with backends.current().searcher() as searcher:
        hits = similar.scored_ids(searcher, *ASK, limit=6, depth=4)
    assert asked and all(len(ids) <= 4 for ids in asked)
    assert sorted(tid for tid, _ in hits) == sorted(t.id for t in made)
    # Beyond the reranked four: never above them, in BM25F's order.
    scores = [score for _, score in hits]
    assert scores == sorted(scores, reverse=True)
    assert similar.RERANK_DEPTH == 50 and similar.RERANK_BODY_CHARS == 1000


def test_the_solved_bonus_is_still_a_factor_after_reranking(
        testapp, make_user, make_category, make_thread, make_reply, worker):
    category, answer = make_category(), "The immigration office renews it in one visit."
    open_one = make_thread(author=make_user(), category=category, title=SAME[0], body=SAME[1])
    make_reply(open_one, body=answer)     # the same text, not accepted
    solved = make_solved(make_thread, make_reply, make_user(), category, SAME[0], SAME[1],
                         answer)
    worker()

    results = testapp.get("/api/v1/similar", {"title": ASK[0], "body": ASK[1]}).json["results"]
    assert [r["thread_id"] for r in results] == [solved.id, open_one.id]
    # Equally relevant and equally alike: the scores differ by exactly the bonus.
    assert results[0]["score"] / results[1]["score"] == pytest.approx(1 + ranking.SOLVED_BONUS, rel=1e-3)


def test_cosine_of_idf_weighted_stems():
    assert similar.cosine({}, {"a": 1.0}) == 0.0
    assert similar.cosine({"a": 1.0, "b": 1.0}, {"a": 2.0, "b": 2.0}) == pytest.approx(1.0)
    assert similar.cosine({"a": 1.0}, {"b": 1.0}) == 0.0
