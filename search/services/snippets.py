"""Highlighted snippets, built safely.

Every piece of user text is escaped; the only markup in a snippet is the ``<mark>``
element added here around matched words. Words match when one of their stems is
one of the query's stems, so "kündigen" is marked for the query "Kündigung".
"""
import re

from markupsafe import Markup, escape
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.highlight import (FIRST, BasicFragmentScorer, ContextFragmenter, Formatter,
                              get_text, top_fragments)

from ..engine import analysis

SNIPPET_CHARS = 220

_tokenizer = RegexTokenizer(analysis.TOKEN_PATTERN) | LowercaseFilter()
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


def _matched(tokens, stems):
    for t in tokens:
        t.matched = _matches(t.text, stems)
        yield t


def _has_match(text, stems):
    """Whether any word of ``text`` matches: a cheap test on its distinct words, so
    the texts without a match are never run through the fragmenter."""
    return any(_matches(word, stems) for word in set(analysis.words(text)))


def _tokens(text, stems):
    return _matched(_tokenizer(text, chars=True, mode="query", removestops=False), stems)


def highlight_all(text, stems):
    """The whole of a short text (a title) with matches marked."""
    text = text or ""
    pieces, index = [], 0
    for found in _WORD.finditer(text):
        if _matches(found.group().lower(), stems):
            pieces.append(escape(text[index:found.start()]))
            pieces.append(Markup("<mark>%s</mark>") % found.group())
            index = found.end()
    pieces.append(escape(text[index:]))
    return Markup("").join(pieces)


def snippet(stems, *texts, length=SNIPPET_CHARS):
    """The best fragments of the first text that has a match, else the start of the first."""
    fragmenter = ContextFragmenter(maxchars=length, surround=length // 3)
    for text in texts:
        if not text or not _has_match(text, stems):
            continue
        if len(text) <= length:
            marked = highlight_all(text, stems)
            if "<mark>" in marked:
                return marked
            continue
        fragments = top_fragments(fragmenter.fragment_tokens(text, _tokens(text, stems)), 2,
                                  BasicFragmentScorer(), FIRST, minscore=1)
        if fragments:
            return Markup(MarkFormatter().format(fragments))
    return plain_start(next((t for t in texts if t), ""), length)


def plain_start(text, length=SNIPPET_CHARS):
    if len(text) > length:
        text = text[:length - 1].rsplit(" ", 1)[0] + "…"
    return escape(text)
