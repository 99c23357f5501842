"""Text analysis for German and English.

Every word goes through the same steps, in the index and in queries alike:

1. tokenize on word characters, lowercase;
2. fold: ä→ae, ö→oe, ü→ue, ß→ss first (so "Kündigung", "Kuendigung" and
   "kündigen" meet), then strip any other accent (é→e, ł→l);
3. drop German and English stop words (both lists: a post is often mixed);
4. stem with the Snowball stemmers of both languages and keep both stems at the
   word's position (one token when they agree). We do not guess a post's
   language: a query word matches whatever stem its own language gives.

German compounds ("Rechnungsadresse") are split by ``split_compound`` against
the vocabulary of the index; the parts go to their own field (see index.py and
bench/RESULTS.md for the decision and its figures).

Words longer than ``MAX_WORD`` are not words (a pasted hash, a key held down): they
are left out of the index and of queries, so no step above costs more than a
constant per word. Stemming and compound splitting are not linear in a word's
length; one 49,999-letter "word" kept the worker busy for nine minutes.

The analyzers are pickled into the index's schema by Whoosh, so they are built
from importable classes and hold no caches or readers themselves.
"""
import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer
from whoosh.lang import stemmer_for_language
from whoosh.lang.stopwords import stoplists

TOKEN_PATTERN = r"\w+(?:['’]\w+)?"
TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae",
                                 "œ": "oe", "ø": "oe", "ł": "l", "đ": "d", "ı": "i"})
# "Weg" (path) and "Will" (a name) are words people search for; keep them.
_KEPT = {"weg"}
# The longest German words people write are about 40–60 letters
# ("Donaudampfschifffahrtsgesellschaftskapitän" has 42).
MAX_WORD = 64

_stem_de = stemmer_for_language("de")
_stem_en = stemmer_for_language("en")


@lru_cache(maxsize=200_000)
def fold(word):
    """Lowercase, transliterate umlauts and ß, strip other accents."""
    word = word.lower().translate(TRANSLITERATION)
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


STOP_WORDS = frozenset(fold(w) for w in (stoplists["de"] | stoplists["en"]) - _KEPT)


@lru_cache(maxsize=200_000)
def stems(folded):
    """The German and the English stem of a folded word (one when they agree)."""
    de = german_stem(folded)
    en = _stem_en(folded)
    return (de,) if de == en else (de, en)


@lru_cache(maxsize=200_000)
def german_stem(folded):
    """The German stem alone (compound parts): cached, as compound splitting stems
    every cut of every long word, and rebuilds ask for the same words again and again."""
    return _stem_de(folded)


class FoldFilter(Filter):
    """Umlaut/ß transliteration and accent folding (see ``fold``); drops tokens longer
    than ``MAX_WORD`` (indexes built before the cap pickled this filter too, so the
    cap lives here rather than in a filter of its own)."""

    def __call__(self, tokens):
        for t in tokens:
            if len(t.text) > MAX_WORD:
                if t.removestops is False:  # highlighting wants every token
                    t.stopped = True
                    yield t
                continue
            t.text = fold(t.text)
            yield t


class BilingualStopFilter(Filter):
    """Removes German and English stop words and one-letter tokens (after folding)."""

    def __init__(self, renumber=False):
        self.renumber = renumber

    def __eq__(self, other):
        return type(other) is type(self) and other.renumber == self.renumber

    def __call__(self, tokens):
        for t in tokens:
            if len(t.text) > 1 and t.text not in STOP_WORDS:
                yield t
            elif t.removestops is False:  # highlighting wants every token
                t.stopped = True
                yield t


class BilingualStemFilter(Filter):
    """Emits the German stem and, when different, the English stem at the same position.

    Whoosh reuses one token object, so the second stem is the same token with new text;
    consumers copy what they keep.
    """

    is_morph = True

    def __eq__(self, other):
        return type(other) is type(self)

    def __call__(self, tokens):
        for t in tokens:
            if getattr(t, "stopped", False):
                yield t
                continue
            for stem in stems(t.text):
                t.text = stem
                yield t


def text_analyzer():
    """Stemmed and folded words: the title, body, answers and parts fields."""
    return (RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | FoldFilter()
            | BilingualStopFilter() | BilingualStemFilter())


def spelling_analyzer():
    """Lowercased whole words (umlauts kept): spelling suggestions and typo matching.

    Suggestions are shown to people, so they are real words ("kündigung"), never
    stems or transliterations.
    """
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()


_WORD = re.compile(TOKEN_PATTERN)


def words(text):
    """The lowercased words of ``text`` in order (no stop words removed)."""
    return [w.lower() for w in _WORD.findall(text or "")]


def terms(text):
    """Query terms of ``text``: one tuple of stems per word, stop words left out."""
    result = []
    for word in words(text):
        if len(word) > MAX_WORD:
            continue
        folded = fold(word)
        if len(folded) > 1 and folded not in STOP_WORDS:
            result.append((word, folded, stems(folded)))
    return result


# --- German compounds ----------------------------------------------------------------------------

MIN_COMPOUND = 9    # shorter words are rarely compounds worth splitting ("Passwort")
MIN_PART = 4        # shorter parts are mostly noise ("Ei", "Tor", "Bau")
# Splitting stems every cut of the word: quadratic in its length. Longer words are
# left whole (4,000 letters took 3.2 s).
MAX_COMPOUND = 40


def split_compound(folded, known, depth=2):
    """Split a folded word into known parts, e.g. "rechnungsadresse" → ["rechnung", "adress"].

    ``known(stem)`` says whether a German stem occurs in the vocabulary. The linking
    "s" of German compounds ("Rechnungs-") needs no rule: the German stemmer already
    removes it from the first part. The split with the longest known last part wins
    (the last part names the thing: a Rechnungsadresse is an Adresse). Returns the
    German stems of the parts, or [] when the word is not a compound of known words.
    """
    if not MIN_COMPOUND <= len(folded) <= MAX_COMPOUND or not folded.isalpha():
        return []
    for cut in range(MIN_PART, len(folded) - MIN_PART + 1):
        head, tail = folded[:cut], folded[cut:]
        tail_stem = german_stem(tail)
        if len(tail_stem) < MIN_PART - 1 or not known(tail_stem):
            continue
        head_stem = german_stem(head)
        if len(head_stem) >= MIN_PART - 1 and known(head_stem):
            return [head_stem, tail_stem]
        if depth > 1:
            inner = split_compound(head, known, depth - 1)
            if inner:
                return inner + [tail_stem]
    return []
