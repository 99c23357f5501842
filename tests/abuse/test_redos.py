"""Regular expressions and word analysis over what members type: work linear in the
text's length, counted, never timed.

Before the fix, `public_data("T" * 100000)` took 20.8 s (the e-mail pattern could
start anywhere in a run of word characters and scanned to its end each time), and
"kd" followed by 3,000 spaces took 416 s (three unbounded `\\s*` in a row). One
4,000-letter word took 3.2 s of compound splitting (every cut stemmed), and a post
with a 49,999-letter word kept the worker on its row for nine minutes.
"""
import re._parser as sre_parse

import pytest

from agent_bridge.services import privacy
from community import outbox
from community.notifications import mentions
from search.engine import analysis

N = 100_000
# Strings that make a backtracking pattern retry from (nearly) every position.
ADVERSARIAL = {
    "word run": "T" * N,
    "local part run": "a." * (N // 2),
    "ats": "a@" * (N // 2),
    "dots after an at": "a@" + "b." * (N // 2),
    "keyword and spaces": "kd" + " " * N,
    "keywords": "kundennummer " * (N // 13),
    "digits and spaces": "1 " * (N // 2),
    "digits and a letter": "1" * N + "a",
    "brackets": "1" + "(" * N,
    "iban-ish": "DE89 " * (N // 5),
    "mentions": "@" * N,
    "bracket mention": "@[" + "x" * N,
}
# Patterns that run over members' text, and the longest match each can make. A
# pattern whose longest match is bounded does a bounded amount of work at each
# start position, so its work is linear in the text's length.
USER_TEXT_PATTERNS = {
    "privacy.iban": privacy._IBAN,
    "privacy.email": privacy._EMAIL,
    "privacy.phone": privacy._PHONE,
    "privacy.customer_number": privacy._NUMBER,
    "mentions": mentions.MENTION_RE,
}
MAX_WIDTH = 1000


def longest_match(pattern):
    return sre_parse.parse(pattern.pattern, pattern.flags).getwidth()[1]


@pytest.mark.parametrize("name", sorted(USER_TEXT_PATTERNS))
def test_every_pattern_over_user_text_has_a_bounded_match_length(name):
    assert longest_match(USER_TEXT_PATTERNS[name]) <= MAX_WIDTH


def test_the_privacy_scanner_uses_only_the_checked_patterns():
    assert set(privacy.PATTERNS) == {USER_TEXT_PATTERNS[k] for k in USER_TEXT_PATTERNS
                                     if k.startswith("privacy.")}


class CountingPattern:
    """Wraps a compiled pattern and counts the characters it is asked to scan."""

    def __init__(self, pattern, counter):
        self.pattern, self.counter = pattern, counter

    def _count(self, text, pos=0, endpos=None):
        self.counter["chars"] += len(text[pos:endpos])

    def search(self, text, *args):
        self._count(text, *args)
        return self.pattern.search(text, *args)

    def finditer(self, text, *args):
        self._count(text, *args)
        return self.pattern.finditer(text, *args)

    def sub(self, repl, text, *args):
        self._count(text)
        return self.pattern.sub(repl, text, *args)


@pytest.fixture
def scanned(monkeypatch):
    """The number of characters the privacy patterns are asked to scan."""
    counter = {"chars": 0}
    for attr in ("_IBAN", "_EMAIL", "_PHONE", "_NUMBER"):
        monkeypatch.setattr(privacy, attr, CountingPattern(getattr(privacy, attr), counter))
    return counter


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_public_data_scans_each_character_a_bounded_number_of_times(name, scanned):
    counter = scanned
    text = ADVERSARIAL[name]
    assert privacy.public_data(text) in ([], ["phone"], ["iban"], ["customer_number"],
                                         ["phone", "customer_number"])
    # Each pattern reads the text once, at most up to the scan limit.
    assert counter["chars"] <= 5 * min(len(text), privacy.SCAN_LIMIT)


def test_patterns_still_find_what_they_are_for():
    assert privacy.public_data("IBAN DE89 3704 0044 0532 0130 00 bitte") == ["iban"]
    assert privacy.public_data("call me: +49 170 1234567") == ["phone"]
    assert privacy.public_data("write to max.mustermann+forum@example.co.uk") == ["email"]
    assert privacy.public_data("Kundennummer: AB-1234567") == ["customer_number"]
    assert privacy.public_data("Vertragsnr.   4711-08") == ["customer_number"]
    assert privacy.public_data("see 2026-11-30 or version 1.2.3") == []


# --- Long words ---------------------------------------------------------------------------------

class CountingStemmer:
    """Counts the letters the German stemmer is asked to stem."""

    def __init__(self, stem):
        self.stem, self.letters = stem, 0

    def __call__(self, word):
        self.letters += len(word)
        return self.stem(word)


@pytest.fixture
def stemmer(monkeypatch):
    counting = CountingStemmer(analysis._stem_de)
    monkeypatch.setattr(analysis, "_stem_de", counting)
    analysis.stems.cache_clear()
    analysis.fold.cache_clear()
    yield counting
    analysis.stems.cache_clear()
    analysis.fold.cache_clear()


def test_compound_splitting_of_one_long_word_does_constant_work(stemmer):
    known_calls = []
    parts = analysis.split_compound("a" * 49_999, lambda stem: known_calls.append(stem) or True)
    assert parts == []
    assert stemmer.letters == 0 and known_calls == []
    # Real compounds are still split.
    assert analysis.split_compound("rechnungsadresse", {"rechnung", "adress"}.__contains__) \
        == ["rechnung", "adress"]


def test_the_analyzer_drops_words_longer_than_any_real_word(stemmer):
    text = "Router " + "x" * 49_999 + " Kündigung"
    tokens = [t.text for t in analysis.text_analyzer()(text)]
    assert "router" in tokens and "kuendig" in tokens
    assert all(len(t) <= analysis.MAX_WORD for t in tokens)
    assert stemmer.letters < 100
    assert [w for _, w, _ in analysis.terms(text)] == ["router", "kuendigung"]


def test_a_post_with_a_huge_word_is_indexed_with_bounded_work(
        app, make_thread, make_reply, stemmer):
    thread = make_thread(title="Router keeps restarting at night",
                         body="It restarts. " + "z" * 49_900)
    make_reply(thread, body="Same here: " + "Q" * 49_000)
    stemmer.letters = 0
    assert outbox.drain() >= 1
    # Stemming every cut of a 49,999-letter word would be about 1.25e9 letters.
    assert stemmer.letters < 10_000


def test_similar_questions_for_a_long_title_do_bounded_work(
        testapp, make_thread, stemmer):
    make_thread(title="Router keeps restarting at night", body="It restarts every night.")
    outbox.drain()
    stemmer.letters = 0
    response = testapp.get("/api/v1/similar", {"title": "a" * 3_900})
    assert response.status_int == 200 and response.json == {"results": []}
    response = testapp.get("/api/v1/similar", {"title": "Router " + "b" * 3_900,
                                               "body": "c" * 100_000})
    assert response.status_int == 200
    assert [r["title"] for r in response.json["results"]] == ["Router keeps restarting at night"]
    assert stemmer.letters < 1_000


def test_a_search_for_a_long_word_does_bounded_work(testapp, make_thread, stemmer):
    make_thread(title="Router keeps restarting at night", body="It restarts every night.")
    outbox.drain()
    stemmer.letters = 0
    page = testapp.get("/search", {"q": "routr " + "y" * 190})
    assert page.status_int == 200
    assert stemmer.letters < 1_000


def test_a_huge_title_through_the_api_is_refused_before_a_long_scan(
        testapp, make_user, make_category, scanned):
    """A million-character title over the API: the length is refused, and the
    privacy scan reads no more than any field may hold."""
    from community.services import accounts
    from community.extensions import db
    user = make_user()
    category = make_category()
    _, token = accounts.create_token(user)
    db.session.commit()
    response = testapp.post_json("/api/v1/threads", {
        "category": category.slug, "title": "T" * 1_000_000, "body": "kd" + " " * 40_000},
        headers={"Authorization": f"Bearer {token}"}, expect_errors=True)
    assert response.status_int in (413, 422)
    assert response.json["error"]["code"] in ("too_large", "invalid")
    assert scanned["chars"] <= 5 * 2 * privacy.SCAN_LIMIT
