"""What makes the search page cheaper gives the same page: snippets as Whoosh's own
highlighter cuts them, the ranking of every match to the last bit, and a page that
reads its threads in a constant number of statements (bench/RESULTS.md, issue 15)."""
import heapq
import random

import pytest
from markupsafe import Markup
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.highlight import FIRST, BasicFragmentScorer, ContextFragmenter, top_fragments

from community.extensions import db
from search.engine import analysis, reader, scoring
from search.services import query, snippets

from .helpers import only_backend, titles

# --- snippets ------------------------------------------------------------------------


def _whoosh_snippet(stems, *texts, length=snippets.SNIPPET_CHARS):
    """The snippet as it was cut before: Whoosh's tokenizer, ContextFragmenter and
    top_fragments over every token."""
    tokenizer = RegexTokenizer(analysis.TOKEN_PATTERN) | LowercaseFilter()

    def tokens(text):
        for t in tokenizer(text, chars=True, mode="query", removestops=False):
            t.matched = snippets._matches(t.text, stems)
            yield t

    fragmenter = ContextFragmenter(maxchars=length, surround=length // 3)
    for text in texts:
        if not text or not any(snippets._matches(w, stems) for w in set(analysis.words(text))):
            continue
        if len(text) <= length:
            marked = snippets.highlight_all(text, stems)
            if "<mark>" in marked:
                return marked
            continue
        fragments = top_fragments(fragmenter.fragment_tokens(text, tokens(text)), 2,
                                  BasicFragmentScorer(), FIRST, minscore=1)
        if fragments:
            return Markup(snippets.MarkFormatter().format(fragments))
    return snippets.plain_start(next((t for t in texts if t), ""), length)


VOCABULARY = ("Router", "router", "WLAN", "Kündigung", "kündigen", "Vertrag", "der", "die",
              "and", "the", "Rechnung", "<b>", "&amp;", "Fritz!Box", "it's", "Störung",
              "a" * 70, "x" * 230, "Internet", "langsam", "abends", "Kanal", "6", "5G")


@pytest.mark.parametrize("seed", range(40))
def test_snippets_are_the_ones_whoosh_cuts(seed):
    rng = random.Random(seed)
    stems = {s for word in rng.sample(["router", "kündigung", "wlan", "rechnung", "kanal"],
                                      rng.randint(1, 3))
             for _, _, found in analysis.terms(word) for s in found}
    texts = [" ".join(rng.choice(VOCABULARY) + rng.choice(("", ",", ".", "\n"))
                      for _ in range(rng.randint(0, 400))) for _ in range(rng.randint(1, 3))]
    marks = snippets.marker(stems)
    for length in (snippets.SNIPPET_CHARS, 60):
        assert snippets.snippet(marks, *texts, length=length) == _whoosh_snippet(
            stems, *texts, length=length)
        assert snippets.snippet(stems, *texts, length=length) == _whoosh_snippet(
            stems, *texts, length=length)
    for text in texts:
        assert snippets.highlight_all(text[:200], marks) == snippets.highlight_all(text[:200],
                                                                                   stems)


# --- ranking -------------------------------------------------------------------------


class _PlainRanker(scoring.Ranker):
    """The ranker as it was: every term scored on its own, every match sorted by key."""

    def _term(self, q, leaf, offset):
        ids, weights = self._postings_of(q, leaf, offset)
        if not ids:
            return {}
        idf = self.searcher.idf(q.fieldname, q.text)
        factor = q.boost * idf * (self.weighting.K1 + 1)
        norm = self._norm(q.fieldname, leaf, offset)
        return {offset + d: factor * w / (w + norm[d]) for d, w in zip(ids, weights)}

    def _postings_of(self, q, leaf, offset):
        scoring.Ranker._term(self, q, leaf, offset)      # reads and keeps the postings
        return self._postings[(q.fieldname, q.text, offset)]

    def top(self, q, limit, allowed=None, newest=False, **hints):
        found = self.scores(q)
        if allowed is not None:
            found = {d: s for d, s in found.items() if d in allowed}
        boosts = self.boosts()
        final = {d: s * boosts[d] for d, s in found.items()}
        best = heapq.nlargest(limit, final, key=lambda d: (final[d], -d))
        return len(final), [(d, final[d]) for d in best]


@only_backend("whoosh")
def test_the_ranking_is_the_plain_one_to_the_last_bit(app, make_category, make_thread,
                                                      make_reply, worker):
    """Stems with the same postings scored once, the best found among the scores from
    the limit-th up: the same documents in the same order with the same floats, ties
    (identical threads) by document order."""
    category = make_category()
    rng = random.Random(15)
    words = ["Router", "routers", "WLAN", "Vertrag", "Kündigung", "langsam", "abends"]
    for n in range(60):
        if n % 4 == 0:      # identical threads: equal scores
            title, body = "Router langsam", "Der Router ist abends langsam."
        else:
            title = " ".join(rng.choices(words, k=3))
            body = " ".join(rng.choices(words + ["und", "der"], k=rng.randint(3, 40)))
        thread = make_thread(category=category, title=title, body=body)
        if n % 3 == 0:
            make_reply(thread, body=" ".join(rng.choices(words, k=12)))
        if n % 20 == 19:
            db.session.commit()
            worker()        # several segments
    db.session.commit()
    worker()
    compared = 0
    with app.test_request_context(), reader.open_searcher() as searcher:
        for text in ("router", "Router langsam", "wlan", "kündigung vertrag", "abends"):
            request = query.parse_request({"q": text})
            for _, q in query._attempts(whoosh_searcher(searcher), request):
                for limit in (1, 5, 20, 100):
                    ranker = reader.ranker(searcher)
                    plain = _PlainRanker(ranker.stats, ranker.cache)
                    assert ranker.top(q, limit) == plain.top(q, limit), (text, limit)
                    compared += 1
    assert compared >= 20


def whoosh_searcher(raw):
    from search.engine.whoosh_backend import WhooshSearcher
    return WhooshSearcher(raw)


# --- statements ----------------------------------------------------------------------


def test_the_results_page_reads_its_threads_in_a_constant_number_of_statements(
        testapp, make_category, make_thread, make_reply, count_queries, worker):
    category = make_category()

    def statements(q):
        testapp.get("/search", {"q": q})           # the searcher and the caches warm
        with count_queries() as counted:
            page = testapp.get("/search", {"q": q})
        return counted.count, page

    thread = make_thread(category=category, title="Fritzbox hangs", body="Fritzbox hangs.")
    make_reply(thread, body="Restart the fritzbox.")
    worker()
    one, page = statements("fritzbox")
    assert titles(page) == ["Fritzbox hangs"]
    for n in range(19):
        thread = make_thread(category=make_category() if n % 2 else category,
                             title=f"Fritzbox question {n}", body=f"The fritzbox and {n}.",
                             tags=[f"tag{n}", f"more{n}"] if n % 3 else [])
        for k in range(n % 3):
            make_reply(thread, body=f"Fritzbox answer {k}.")
    db.session.commit()
    worker()
    many, page = statements("fritzbox")
    assert len(titles(page)) == 20
    assert many == one
