"""Highlighted snippets, built safely.

Every piece of user text is escaped; the only markup in a snippet is the ``<mark>``
element added here around matched words. Words match when one of their stems is
one of the query's stems, so "kündigen" is marked for the query "Kündigung".

The fragments are Whoosh's (``ContextFragmenter``, ``BasicFragmentScorer``, best two
in text order), worked out here over the text's words without Whoosh's token objects
and filter chain, and each distinct word is looked up once per page of results
(``Marker``); tests/search/test_results_speed.py compares both ways.
"""
import re
from collections import deque

from markupsafe import Markup, escape
from whoosh.highlight import (DEFAULT_CHARLIMIT, FIRST, BasicFragmentScorer, Formatter,
                              get_text, mkfrag, top_fragments)

from ..engine import analysis

SNIPPET_CHARS = 220

_WORD = re.compile(analysis.TOKEN_PATTERN)


class MarkFormatter(Formatter):
    between = " … "

    def _text(self, text):
        return str(escape(text))

    def format_token(self, text, token, replace=False):
        return f"<mark>{escape(get_text(text, token, replace))}</mark>"


def _matches(word, stems):
    """Whether a lowercased word is one the query asked for (through its stems)."""
    folded = analysis.fold(word)
    return folded not in analysis.STOP_WORDS and any(s in stems for s in analysis.stems(folded))


class Marker:
    """Which lowercased words the query asked for, each word worked out once: a page
    of results asks about the same words again and again."""

    def __init__(self, stems):
        self.stems = stems
        self._yes, self._no = set(), set()

    def matched(self, words):
        """The words of the set ``words`` that match."""
        for word in words - self._yes - self._no:
            (self._yes if _matches(word, self.stems) else self._no).add(word)
        return words & self._yes


def marker(stems):
    """A ``Marker`` for the query's stems (or the one given)."""
    return stems if isinstance(stems, Marker) else Marker(stems)


class _Match:
    """A matched word of a fragment, as Whoosh's formatter and scorer read it."""
    __slots__ = ("startchar", "endchar", "text")
    boost = 1.0

    def __init__(self, startchar, endchar, text):
        self.startchar, self.endchar, self.text = startchar, endchar, text


def _matched_words(text, marks):
    """The distinct lowercased words of ``text`` that match (a cheap test, so the texts
    without a match are never run through the fragmenter)."""
    return marks.matched(set(analysis.words(text)))


def _fragments(text, matched, maxchars, surround, charlimit=DEFAULT_CHARLIMIT):
    """Whoosh's ``ContextFragmenter.fragment_tokens`` over the words of ``text``, step
    for step (the same fragments), on plain values instead of a token stream;
    ``matched``: the lowercased words to mark."""
    first = None
    firsts = deque()
    countdown = -1
    tks = []
    endchar = None
    currentlen = 0
    for found in _WORD.finditer(text):
        startchar, endchar = found.span()
        tlength = endchar - startchar
        if charlimit and endchar > charlimit:
            break
        word = found.group().lower()
        is_match = word in matched
        if countdown < 0 and not is_match:
            firsts.append(startchar)
            while firsts and endchar - firsts[0] > surround:
                firsts.popleft()
        elif currentlen + tlength > maxchars:
            countdown = 0
        elif is_match:
            countdown = surround
            if first is None:
                if firsts:
                    first = firsts[0]
                else:
                    first = startchar
                    countdown += surround
            tks.append(_Match(startchar, endchar, word))
        if countdown >= 0:
            currentlen += tlength
            countdown -= tlength
            if countdown <= 0:
                yield mkfrag(text, tks, startchar=first, endchar=endchar)
                tks = []
                firsts = deque()
                first = None
                currentlen = 0
    if tks:
        yield mkfrag(text, tks, startchar=first, endchar=endchar)


def highlight_all(text, stems):
    """The whole of a short text (a title) with matches marked (``stems``: the query's
    stems or their ``Marker``)."""
    text = text or ""
    matched = _matched_words(text, marker(stems))
    if not matched:
        return escape(text)
    pieces, index = [], 0
    for found in _WORD.finditer(text):
        word = found.group()
        if word.lower() in matched:
            pieces += (escape(text[index:found.start()]), "<mark>", escape(word), "</mark>")
            index = found.end()
    pieces.append(escape(text[index:]))
    return Markup("".join(pieces))   # every piece of text escaped above


def snippet(stems, *texts, length=SNIPPET_CHARS):
    """The best fragments of the first text that has a match, else the start of the first
    (``stems``: the query's stems or their ``Marker``)."""
    marks = marker(stems)
    for text in texts:
        matched = _matched_words(text, marks) if text else None
        if not matched:
            continue
        if len(text) <= length:
            marked = highlight_all(text, marks)
            if "<mark>" in marked:
                return marked
            continue
        fragments = top_fragments(_fragments(text, matched, length, length // 3), 2,
                                  BasicFragmentScorer(), FIRST, minscore=1)
        if fragments:
            return Markup(MarkFormatter().format(fragments))
    return plain_start(next((t for t in texts if t), ""), length)


def plain_start(text, length=SNIPPET_CHARS):
    if len(text) > length:
        text = text[:length - 1].rsplit(" ", 1)[0] + "…"
    return escape(text)
