"""Markdown to safe HTML: the one place where user text becomes markup.

Posts are rendered once, at write time: markdown-it (CommonMark, raw HTML off)
and then a single bleach ``Cleaner`` pass with an allowlist and a linkify filter.
Running ``bleach.linkify`` as a second pass would escape code blocks twice.
"""
import re
from functools import partial
from html import unescape

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset({
    "a", "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "img",
    "table", "thead", "tbody", "tr", "th", "td",
})
# Classes a link may carry; only the renderer's plugins produce them (raw HTML is
# off), e.g. "mention" for @name links (community/notifications/mentions.py).
LINK_CLASSES = frozenset({"mention"})


def _link_attribute(tag, name, value):
    return name in ("href", "title", "rel") or (name == "class" and value in LINK_CLASSES)


ALLOWED_ATTRIBUTES = {
    "a": _link_attribute,
    "img": ["src", "alt", "title"],
    "ol": ["start"],
    "th": ["align"],
    "td": ["align"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


def _link_attrs(attrs, new=False):
    href_key = (None, "href")
    if href_key not in attrs:
        return attrs
    attrs[(None, "rel")] = LINK_REL
    return attrs


_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"])

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    filters=[partial(LinkifyFilter, callbacks=[_link_attrs], skip_tags={"pre", "code"},
                     parse_email=False)],
)


_plugins = []


def use(plugin):
    """Add a markdown-it plugin (``plugin(md)``) to the renderer, once per process.
    Its output goes through the same sanitizer as everything else."""
    if plugin not in _plugins:
        _plugins.append(plugin)
        _md.use(plugin)


def render(source):
    """Return sanitized HTML for Markdown ``source``."""
    return _cleaner.clean(_md.render(source or ""))


_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_RE = re.compile(r"\s+")


def plain_text(html, limit=None):
    """Visible text of stored HTML, for snippets, feeds and meta descriptions."""
    text = _SPACE_RE.sub(" ", unescape(_TAG_RE.sub(" ", html or ""))).strip()
    if limit and len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text
