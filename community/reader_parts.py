"""Pages rendered once for every reader, with the reader's own parts filled in.

Most of a thread page is the same for everyone who sees the same posts: titles,
texts, authors, dates, pagination. What differs per reader is small: the account
menu and bell, the banners (a sanction, a subscription), the buttons under each post
(helpful, accept, edit, flag) and the reply box. A template marks those with
``{{ part('name', *args) }}``; the named macro of ``community/_reader_parts.html``
renders them.

``render()`` draws the page in two steps: the *skeleton* (the template with a
marker where each part goes, and the CSRF token replaced by the page cache's
placeholder), then ``fill()`` (each part rendered for this reader, the token put in).
The skeleton is the same for every reader who sees the same posts, so members' pages
keep it in a per-process cache under the same versions as the visitors' page cache
(``page_cache.py``: the thread's version and the site's, moved in the transaction of
every change, so every host sees them): a member who sees what visitors see (no
pending post of their own on the page, not a moderator) gets the skeleton from the
cache and renders only their parts. Skeleton then fill is also the one way to render
such a page without the cache, so the two cannot drift apart.

Outside a skeleton (every other page), ``part()`` renders the macro in place.
"""
import secrets
import time
from dataclasses import dataclass

from flask import current_app, g, render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from markupsafe import Markup

from . import page_cache

TEMPLATE = "community/_reader_parts.html"


@dataclass
class Skeleton:
    version: tuple
    body: str
    parts: list      # (name, args) of each marker, in order
    nonce: str       # in each marker: no text of a post can make one
    stored: float


@pass_context
def part(context, name, *args):
    """The reader's part ``name``: a marker inside a skeleton, else the part itself."""
    recording = g.get("reader_parts")
    if recording is None:
        module = current_app.jinja_env.get_template(TEMPLATE).make_module(context.get_all())
        return getattr(module, name)(*args)
    recording.append((name, args))
    return Markup(f"\x02{g.reader_parts_nonce}:{len(recording) - 1}\x03")


def init_app(app):
    app.jinja_env.globals["part"] = part
    if "member_pages" not in app.extensions:
        megabytes = app.config.get("PAGE_CACHE_MB", page_cache.DEFAULT_MB)
        seconds = app.config.get("PAGE_CACHE_SECONDS", page_cache.DEFAULT_SECONDS)
        app.extensions["member_pages"] = page_cache.PageStore(
            int(megabytes * 1024 * 1024), seconds) if megabytes > 0 else None


def for_member(version_of, *args):
    """For a member's GET of a page kept under ``version_of(*args)`` (a version of
    page_cache.py): the page's key, its version and the skeleton kept under them, or
    None. Visitors (the page cache serves them whole) and other requests get three
    Nones: the page is rendered and not kept."""
    if request.method != "GET" or not current_user.is_authenticated:
        return None, None, None
    version = version_of(*args)
    if version is None:
        return None, None, None
    key = page_cache.page_key()
    return key, version, cached(key, version)


def rows(skeleton, name="new_link"):
    """The arguments of the skeleton's ``name`` parts: what a kept list shows (thread
    ids and their latest activity), for the reader's own marks."""
    return [args for part_name, args in skeleton.parts if part_name == name]


def cached(key, version):
    """The skeleton kept under ``key`` at ``version``, or None."""
    store = current_app.extensions.get("member_pages")
    return store.get(key, version) if store is not None else None


def render(template, key=None, version=None, skeleton=None, **context):
    """``template`` for this reader, from ``skeleton`` when given (``cached()``). With
    ``key`` and ``version`` (what the page shows: see the module's doc) a skeleton
    rendered now is kept for the next reader."""
    if skeleton is None:
        skeleton = _skeleton(template, version, context)
        store = current_app.extensions.get("member_pages") if key is not None else None
        if store is not None:
            store.put(key, skeleton)
    return fill(skeleton, context)


def _skeleton(template, version, context):
    nonce = secrets.token_hex(8)
    g.reader_parts, g.reader_parts_nonce = [], nonce
    token = g.pop("csrf_token", None)
    g.csrf_token = page_cache.PLACEHOLDER
    try:
        body = render_template(template, **context)
        parts = g.reader_parts
    finally:
        g.pop("reader_parts", None)
        g.pop("csrf_token", None)
        if token is not None:
            g.csrf_token = token
    return Skeleton(version, body, parts, nonce, time.monotonic())


def fill(skeleton, context):
    """The page: ``skeleton`` with this reader's parts and CSRF token in it."""
    variables = dict(context)
    current_app.update_template_context(variables)
    module = current_app.jinja_env.get_template(TEMPLATE).make_module(variables)
    pieces = skeleton.body.split("\x02")
    out = [pieces[0]]
    prefix = skeleton.nonce + ":"
    for piece in pieces[1:]:
        marker, end, rest = piece.partition("\x03")
        if end and marker.startswith(prefix):
            name, args = skeleton.parts[int(marker[len(prefix):])]
            out.append(str(getattr(module, name)(*args)))
            out.append(rest)
        else:  # not one of ours: keep it as it was
            out.append("\x02" + piece)
    body = "".join(out)
    if page_cache.PLACEHOLDER in body:
        body = body.replace(page_cache.PLACEHOLDER, generate_csrf())
    return body
