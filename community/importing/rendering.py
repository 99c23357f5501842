"""Rendering imported texts: the services' renderer (``community.markup.render``), with a
shortcut for plain text.

Rendering is most of an import's work (markdown-it, then bleach's HTML parser, about a
millisecond a post). Most forum posts are plain sentences: no character Markdown,
HTML or the link finder reacts to. For those, the renderer's output is known — each
paragraph in ``<p>``, its lines kept, ``"`` as ``&quot;`` — and is written directly.
The shortcut is checked against the renderer: on the first texts of every import and
on one text in ``CHECK_EVERY`` after that; a difference (a plugin or option added to
the renderer) switches it off for the rest of the import, and every text is rendered.
``tests/community/test_import_rendering.py`` compares both on real forum text.
"""
import re

from .. import markup

# What makes a text not plain: Markdown and HTML syntax characters, mentions, link
# candidates (a dot or colon-slash before a letter: "example.com", "http://"), control
# characters, leading or trailing blanks on a line (indented code, hard breaks), and a
# line that starts like a block (list, heading, quote, rule, numbered list).
NOT_PLAIN = re.compile(
    r"[\\`*_\[\]<>&#~|@\t\r\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff]"
    r"|\.\w|:/|^[^\S\n]|[^\S\n]$|^[-+=]|^\d{1,9}[.)]", re.MULTILINE)
_PARAGRAPHS = re.compile(r"\n{2,}")
CHECK_FIRST = 20
CHECK_EVERY = 50


def is_plain(text):
    return NOT_PLAIN.search(text) is None


def plain_html(text):
    """What ``markup.render`` makes of a plain text (``is_plain``)."""
    return "".join(f"<p>{paragraph}</p>\n" for paragraph in _PARAGRAPHS.split(text.strip("\n"))
                   if paragraph).replace('"', "&quot;")


class Renderer:
    """``render_all(texts) -> {text: html}``, each distinct text once; ``mapper`` runs
    ``markup.render`` over the texts that need it (``map``, or a process pool's, whose
    processes have no app: see ``render_all``).

    ``prefetch(texts)`` hands the texts of the next batch to the mapper before this
    one is written: a pool's processes render them while this process writes to the
    database, and ``render_all`` takes what they rendered."""

    def __init__(self, mapper=map):
        self.mapper = mapper
        self.plain = 0          # plain texts seen, for the sampled checks
        self.shortcut = True
        self.ahead = []         # (texts, their html as the mapper yields it), in order
        self.rendered = {}      # what ``ahead`` has yielded so far

    def prefetch(self, texts):
        """Start rendering, by the mapper, what ``render_all`` will send it of these."""
        wanted = [text for text in dict.fromkeys(texts)
                  if "@" not in text and not (self.shortcut and is_plain(text))]
        if wanted:
            self.ahead.append((wanted, self.mapper(markup.render, wanted)))

    def _by_mapper(self, texts):
        """``markup.render`` of ``texts`` by the mapper: what was prefetched (waiting
        for the prefetches in order, no further than needed), the rest now."""
        missing = {text for text in texts if text not in self.rendered}
        while missing and self.ahead:
            wanted, html = self.ahead.pop(0)
            self.rendered.update(zip(wanted, html))
            missing.difference_update(wanted)
        found = {text: self.rendered.pop(text) for text in texts if text in self.rendered}
        rest = [text for text in texts if text not in found]
        if rest:
            found.update(zip(rest, self.mapper(markup.render, rest)))
        return found

    def _checked(self, text, html):
        self.plain += 1
        if self.plain > CHECK_FIRST and self.plain % CHECK_EVERY:
            return True
        if markup.render(text) == html:
            return True
        self.shortcut = False
        return False

    def render_all(self, texts):
        result, rest = {}, []
        for text in dict.fromkeys(texts):
            if self.shortcut and is_plain(text):
                html = plain_html(text)
                if self._checked(text, html):
                    result[text] = html
                    continue
            rest.append(text)
        if not self.shortcut:  # a check failed in this batch: render all of it
            rest = list(dict.fromkeys(texts))
        # Mentions link the app's members: only this process has the app (and its
        # database), so texts with an "@" are rendered here, the others by the mapper.
        here = [text for text in rest if "@" in text]
        elsewhere = [text for text in rest if "@" not in text]
        result.update(zip(here, map(markup.render, here)))
        result.update(self._by_mapper(elsewhere))
        return result
