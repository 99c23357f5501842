"""A thread as the PostgreSQL backend stores it: the project's analysis (analysis.py),
written as a ``tsvector`` literal, and read back.

PostgreSQL's own text search configurations cannot produce these terms (its
``german`` configuration neither folds "ü" and "ue" alike nor splits compounds), so
the terms are made here, exactly as the Whoosh backend makes them, and handed to
PostgreSQL verbatim: a ``tsvector`` literal takes its lexemes as written, like the
``simple`` configuration, which only lowercases. Each word's position is kept and
each position carries its field as the weight:

- A title, B question, C answers: both stems of every word that is not a stop word;
- D compound parts (plain lexemes), spelling words (``=word``: every lowercased word,
  what typo matching and "did you mean" look up) and tags (``#tag``, no position).

A term's frequency in a field is the number of its positions with that field's
weight. PostgreSQL keeps positions up to 16,383 and at most 256 per lexeme: a
term's frequency stops counting there (only in threads of some 16,000 words; BM25
saturates long before), the field lengths are counted exactly.
"""
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from . import analysis

TEXT_FIELDS = (("title", "A"), ("body", "B"), ("answers", "C"))
FIELDS = ("title", "body", "answers", "parts", "spell")
WEIGHT_OF = {"title": "A", "body": "B", "answers": "C", "parts": "D", "spell": "D"}
SPELL, TAG = "=", "#"
MAX_POSITION = 16383
MAX_POSITIONS = 256


def lexeme(field, text):
    """The lexeme of a term of a field (spelling words carry ``=``, tags ``#``)."""
    if field == "spell":
        return SPELL + text
    if field == "tags":
        return TAG + text
    return text


def field_of(lexeme_text, weight):
    """``(field, term)`` of a lexeme position with ``weight``; None for tags."""
    if lexeme_text.startswith(SPELL):
        return "spell", lexeme_text[1:]
    if lexeme_text.startswith(TAG):
        return None
    return {"A": "title", "B": "body", "C": "answers", "D": "parts"}[weight], lexeme_text


@dataclass
class Terms:
    """A thread's analysed terms: positions per lexeme, and per field the frequency
    of each term and the field's length. ``folded`` keeps the thread's folded words
    (not stop words) in the order they first occur, ``own`` the German stems of its
    title and question: what compound splitting asks about (``add_parts``)."""
    positions: dict = field(default_factory=lambda: defaultdict(list))
    frequencies: dict = field(default_factory=lambda: {f: Counter() for f in FIELDS})
    tags: list = field(default_factory=list)
    folded: dict = field(default_factory=dict)
    own: set = field(default_factory=set)
    position: int = 0      # the last position written

    def lengths(self):
        return {f: sum(self.frequencies[f].values()) for f in FIELDS}

    def presence(self):
        """``{field: set of terms}``: what the thread adds to each term's document count."""
        return {f: set(self.frequencies[f]) for f in FIELDS}

    def literal(self):
        """The ``tsvector`` literal (duplicate positions, past the limit, PostgreSQL
        merges)."""
        parts = [f"{quote(lex)}:{','.join(positions)}" for lex, positions in self.positions.items()]
        parts.extend(quote(TAG + tag) for tag in self.tags)
        return " ".join(parts)


@lru_cache(maxsize=200_000)
def _word(word):
    """What a (lowercased) word adds: ``(spelling lexeme, folded, stems)``, folded
    None and no stems for a stop word or one letter; None for a word over
    ``analysis.MAX_WORD`` (it keeps its position, nothing else). Each word once, as
    forum text says the same words again and again. The German stem comes first."""
    if len(word) > analysis.MAX_WORD:
        return None
    folded = analysis.fold(word)
    if len(folded) > 1 and folded not in analysis.STOP_WORDS:
        return SPELL + word, folded, analysis.stems(folded)
    return SPELL + word, None, ()


# "1A" … "16383D": a position with its weight, written once.
_AT = {weight: [f"{min(p, MAX_POSITION)}{weight}" for p in range(MAX_POSITION + 1)]
       for weight in "ABCD"}


def _at(weight, position):
    table = _AT[weight]
    return table[position] if position <= MAX_POSITION else table[MAX_POSITION]


def analyse(doc, known, compounds=True):
    """The Terms of ``doc`` (a documents.ThreadDocument). ``known(stem)`` tells
    compound splitting which German stems the community uses (see index.compound_parts)."""
    terms = analyse_words(doc)
    if compounds:
        add_parts(terms, Splitter(known))
    return terms


def analyse_words(doc):
    """The Terms of ``doc`` without compound parts (which need the vocabulary,
    ``add_parts``): each word's spelling and stems at its position, A title, B
    question, C answers."""
    terms = Terms(tags=sorted({t.lower() for t in doc.tags}))
    positions, folded_words, own = terms.positions, terms.folded, terms.own
    spelled_words = []
    position = 0
    spell_at = _AT["D"]
    for field_name, text in (("title", doc.title), ("body", doc.body),
                             ("answers", doc.answers_text)):
        field_at, stemmed = _AT[WEIGHT_OF[field_name]], []
        for word in analysis.words(text):
            position += 1
            analysed = _word(word)
            if analysed is None:
                continue
            spelled, folded, stems = analysed
            if position > MAX_POSITION:
                position_at = MAX_POSITION
            else:
                position_at = position
            entries = positions[spelled]
            if len(entries) < MAX_POSITIONS:
                entries.append(spell_at[position_at])
            spelled_words.append(word)
            if folded is None:
                continue
            folded_words[folded] = None
            at = field_at[position_at]
            for stem in stems:
                entries = positions[stem]
                if len(entries) < MAX_POSITIONS:
                    entries.append(at)
            stemmed += stems
            if field_name != "answers":
                own.add(stems[0])
        terms.frequencies[field_name].update(stemmed)
    terms.frequencies["spell"].update(spelled_words)
    terms.position = position
    return terms


class Splitter:
    """``split(folded)``: ``analysis.split_compound`` against one vocabulary, each
    word once (the documents of a batch share most of their words)."""

    def __init__(self, known):
        self.known = known
        self.done = {}

    def __call__(self, folded):
        parts = self.done.get(folded)
        if parts is None:
            parts = self.done[folded] = analysis.split_compound(folded, self.known)
        return parts


def add_parts(terms, split):
    """Add the parts of the thread's compounds (weight D, after its last word), as
    the Whoosh index's ``parts`` field has them (``index.compound_parts``, analysed
    again)."""
    parts = []
    for folded in terms.folded:
        parts.extend(split(folded))
    if not parts:
        return
    counts, position = terms.frequencies["parts"], terms.position
    for _, _, stems in analysis.terms(" ".join(parts)):
        position += 1
        at = _at("D", position)
        for stem in stems:
            entries = terms.positions[stem]
            if len(entries) < MAX_POSITIONS:
                entries.append(at)
            counts[stem] += 1
    terms.position = position


@lru_cache(maxsize=200_000)
def candidates(folded):
    """Every German stem that splitting the folded word may ask about, whatever the
    vocabulary: each cut's last part, its first part and, one level down, the cuts of
    the first part (``analysis.split_compound`` asks about a first part only after
    finding the last one known, so a vocabulary that knows nothing, as
    ``split_compound(folded, record)`` would, asks about last parts only)."""
    asked = set()
    _candidates(folded, 2, asked)
    return frozenset(asked)


def _candidates(folded, depth, asked):
    if not (analysis.MIN_COMPOUND <= len(folded) <= analysis.MAX_COMPOUND
            and folded.isalpha()):
        return
    shortest = analysis.MIN_PART - 1
    for cut in range(analysis.MIN_PART, len(folded) - analysis.MIN_PART + 1):
        head, tail = folded[:cut], folded[cut:]
        tail_stem = analysis.german_stem(tail)
        if len(tail_stem) < shortest:
            continue
        asked.add(tail_stem)
        head_stem = analysis.german_stem(head)
        if len(head_stem) >= shortest:
            asked.add(head_stem)
        if depth > 1:
            _candidates(head, depth - 1, asked)


def query_candidates(text):
    """The terms a query's statistics may be asked about: each word (spelling), its
    stems, and the stems of its possible compound parts."""
    asked = set()

    def record(stem):
        asked.add(stem)
        return False
    for word, folded, stems in analysis.terms(text):
        asked.add(word)
        asked.update(stems)
        analysis.split_compound(folded, record)
    return asked


def quote(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


# --- Reading a stored document ---------------------------------------------------------------------

_ENTRY = re.compile(r"'((?:[^'\\]|''|\\.)*)'(?::([0-9A-D,]+))?")


def _unquote(text):
    return re.sub(r"\\(.)", r"\1", text.replace("''", "'"))


def presence(literal):
    """``{field: set of terms}`` of a stored ``tsvector``'s text: what the document
    adds to each term's document count."""
    found = {f: set() for f in FIELDS}
    for match in _ENTRY.finditer(literal or ""):
        lex, positions = _unquote(match.group(1)), match.group(2)
        for weight in _weights(positions):
            placed = field_of(lex, weight)
            if placed is not None:
                found[placed[0]].add(placed[1])
    return found


def _weights(positions):
    if not positions:
        return set()
    return {p[-1] if p[-1] in "ABC" else "D" for p in positions.split(",")}


def frequencies(literal, lexemes):
    """``{lexeme: Counter(weight → positions)}`` of the given lexemes in a stored
    ``tsvector``'s text (the text PostgreSQL prints: weight D is left unwritten)."""
    found = {}
    literal = literal or ""
    for lex in lexemes:
        quoted = quote(lex)
        start = 0
        while True:
            at = literal.find(quoted, start)
            if at < 0:
                break
            end = at + len(quoted)
            if (at == 0 or literal[at - 1] == " ") and (end == len(literal)
                                                       or literal[end] in ": "):
                counts = Counter()
                if end < len(literal) and literal[end] == ":":
                    stop = literal.find(" ", end)
                    for p in literal[end + 1:stop if stop >= 0 else None].split(","):
                        counts[p[-1] if p[-1] in "ABC" else "D"] += 1
                found[lex] = counts
                break
            start = end
    return found
