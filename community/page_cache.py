"""The visitors' page cache: whole HTML pages for readers who are not logged in.

A page is stored under what it shows: the view's version (one cheap query: the
thread's ``page_version``, the category's ``category:<id>`` row of ``page_versions``
or the sum of all of them for the home page, and the ``site`` row), its address with the query string, the locale,
the theme and the loaded features. Versions live in the database, so every process on
every host sees a change at once; each process keeps its own pages (an LRU bounded in
bytes, ``FORUM_PAGE_CACHE_MB``; 0 turns the cache off) and renders a page again when
its version moved, or after ``FORUM_PAGE_CACHE_SECONDS`` whatever happened.

Versions move forward inside the transaction of the change (so a reader sees the new
data and the new version together, or neither), without the writers knowing:

- a ``before_flush`` listener bumps a thread's version whenever its row, or any row
  carrying its ``thread_id`` (posts, and features' rows: tickets, moderation marks),
  is written, and the thread's category's version with it; a category's own row
  written (its counters) bumps it too; the ``page_versions`` rows move when the
  transaction commits, last and in name order (see ``_bump_at_commit``);
- the ``site`` version moves when a member's name, role or staff title, a category's
  name, address, description or order, or a thread's title or visibility changes
  (shown on many pages: next to posts, in breadcrumbs, in a duplicate's banner);
- the core's events cover what SQL statements write past the ORM (a helpful vote's
  count on the thread, imported threads).

Pages carry a CSRF token per visitor (the language and theme switches): a page is
rendered with a placeholder in its place, and each response gets the reader's own.
Visitors with flashed messages are served without the cache.
"""
import functools
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import current_app, g, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import String, bindparam, cast, event, func, inspect, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from . import events
from .extensions import db
from .models import Category, Thread, User
from .models.forum import PageVersion

SITE = "site"
CATEGORY = "category:"   # + the category's id: the version of its lists
# Attributes shown on many pages: changing one moves the site version. A thread's
# title and visibility are shown on other threads' pages too (a duplicate's banner).
SITE_WIDE = {User: ("name", "role", "staff_title"),
             Category: ("name", "slug", "description", "position"),
             Thread: ("title", "slug", "visibility")}
# What stands for the visitor's CSRF token in a stored page (plain ASCII: nothing escapes it).
PLACEHOLDER = "page-cache-csrf-placeholder"
DEFAULT_MB = 16
DEFAULT_SECONDS = 300


@dataclass
class Entry:
    version: tuple
    body: str
    headers: list
    stored: float


class PageStore:
    """Pages of one process: one entry per address and reader kind, the least recently
    used dropped first once the bodies pass ``limit`` bytes."""

    def __init__(self, limit, seconds):
        self.limit, self.seconds = limit, seconds
        self.entries = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key, version):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry.version != version \
                    or time.monotonic() - entry.stored > self.seconds:
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        if len(entry.body) > self.limit:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self.entries[key] = entry
            self.size += len(entry.body)
            while self.size > self.limit:
                _, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped.body)


def init_app(app):
    """Set up the cache of ``app`` (once; both page blueprints ask for it)."""
    if "page_cache" in app.extensions:
        return
    megabytes = app.config.get("PAGE_CACHE_MB", DEFAULT_MB)
    seconds = app.config.get("PAGE_CACHE_SECONDS", DEFAULT_SECONDS)
    app.extensions["page_cache"] = PageStore(int(megabytes * 1024 * 1024), seconds) \
        if megabytes > 0 else None
    _listen_to_flushes()
    events.post_voted.connect(_voted, sender=app, weak=False)
    imported = getattr(events, "threads_imported", None)
    if imported is not None:
        imported.connect(_imported, sender=app, weak=False)


# ------------------------------------------------------------------ versions

def thread_version(thread_id, slug=None):
    """Version of a thread page, or None when it is not for the cache (no such thread,
    not visible, or an old address the view redirects)."""
    row = _read("thread", id=thread_id).first()
    if row is None or row.visibility != "visible" or row.slug != slug:
        return None
    return row.page_version, row.site


def category_version(slug):
    row = _read("category", slug=slug).first()
    return tuple(row) if row is not None else None


def _category_key(category_id):
    return f"{CATEGORY}{category_id}"


def home_version():
    """All categories' versions (their sum moves with each of them) and the site's."""
    return tuple(_read("home").one())


def _read(name, **params):
    """A Core statement on the session's connection: no ORM work for three numbers."""
    return db.session.connection().execute(_statements()[name], params)


@functools.cache
def _statements():
    """Built once: the version is read on every cached page."""
    site = func.coalesce(select(PageVersion.version).where(PageVersion.name == SITE)
                         .scalar_subquery(), 0).label("site")
    own = func.coalesce(select(PageVersion.version).where(
        PageVersion.name == literal(CATEGORY).concat(cast(Category.id, String)))
        .scalar_subquery(), 0)
    return {
        "thread": select(Thread.page_version, Thread.slug, Thread.visibility, site)
        .where(Thread.id == bindparam("id")),
        "category": select(own, site).where(Category.slug == bindparam("slug")),
        "home": select(
            func.coalesce(select(func.sum(PageVersion.version))
                          .where(PageVersion.name.startswith(CATEGORY)).scalar_subquery(), 0),
            select(func.count(Category.id)).scalar_subquery(), site),
    }


_listening = []


def _listen_to_flushes():
    """One listener for the process (the session class is shared by every app)."""
    if not _listening:
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "before_commit", _bump_at_commit)
        event.listen(Session, "after_commit", _forget_bumped)
        event.listen(Session, "after_soft_rollback", _forget_bumped_rollback)
        _listening.append(True)


def _forget_bumped(session):
    session.info.pop("page_cache_bumped", None)
    session.info.pop("page_cache_pending", None)


def _forget_bumped_rollback(session, previous_transaction):
    _forget_bumped(session)


def _before_flush(session, flush_context, instances):
    threads, categories, site = set(), set(), False
    dirty = [obj for obj in session.dirty if session.is_modified(obj, include_collections=False)]
    for obj in (*session.new, *dirty, *session.deleted):
        site = site or _changes_site(obj)
        if isinstance(obj, Thread):
            if obj.id is not None:
                threads.add(obj.id)
            categories.update(_category_ids(obj))
        elif isinstance(obj, Category):
            if obj.id is not None:
                categories.add(obj.id)
        elif isinstance(getattr(obj, "thread_id", None), int):
            threads.add(obj.thread_id)
    if threads or categories or site:
        _bump(session, threads, categories, site)


def _changes_site(obj):
    names = SITE_WIDE.get(type(obj))
    if names is None:
        return False
    state = inspect(obj)
    if state.pending:  # nothing shows a new row yet; the lists' own versions move
        return False
    return state.deleted or any(state.attrs[name].history.has_changes() for name in names)


def _category_ids(thread):
    """The thread's category, and the one it leaves when it moves."""
    history = inspect(thread).attrs.category_id.history
    return {i for i in (*history.deleted, thread.category_id) if i}


def _bump(session, threads, categories, site=False):
    """Move the versions forward once per transaction (once is enough: readers see the
    version and the data of one commit). Threads of the session's identity map get
    the bump in the UPDATE they are written by; the others get their own. Categories
    and the site are bumped when the transaction commits (``_bump_at_commit``): a
    writer takes a category's row after its thread's, and taking it at a flush in the
    middle of a transaction would hold it while later statements wait for threads."""
    if not current_app or "page_cache" not in current_app.extensions:
        return
    bumped = session.info.setdefault("page_cache_bumped", set())
    todo = {i for i in threads if (Thread, i) not in bumped}
    bumped.update((Thread, i) for i in todo)
    others = []
    for row_id in todo:
        obj = session.identity_map.get(session.identity_key(Thread, row_id))
        if obj is not None and obj not in session.deleted:
            obj.page_version = Thread.page_version + 1
        else:
            others.append(row_id)
    if others:
        session.connection().execute(
            update(Thread.__table__).where(Thread.__table__.c.id.in_(others))
            .values(page_version=Thread.__table__.c.page_version + 1))
    pending = session.info.setdefault("page_cache_pending", set())
    pending.update((Category, i) for i in categories)
    if site:
        pending.add((PageVersion, SITE))


def _bump_at_commit(session):
    """The categories' and the site's versions: rows of ``page_versions`` only, taken
    last in the transaction and in name order, so two commits never wait for each
    other in a circle (the commit's own flush comes after this event: flush first)."""
    session.flush()
    pending = session.info.pop("page_cache_pending", None)
    if not pending:
        return
    names = sorted((SITE if model is PageVersion else _category_key(key))
                   for model, key in pending)
    _bump_rows(session.connection(), names)


def _bump_rows(connection, names):
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[connection.dialect.name]
    statement = insert(PageVersion.__table__).values([{"name": n, "version": 1} for n in names])
    connection.execute(statement.on_conflict_do_update(
        index_elements=["name"], set_={"version": PageVersion.__table__.c.version + 1}))


def _voted(sender, post, **kwargs):
    """A vote's count on the thread is written by an SQL statement: its list rows change."""
    _bump(db.session, set(), {db.session.scalar(
        select(Thread.category_id).where(Thread.id == post.thread_id))})


def _imported(sender, thread_ids, **kwargs):
    _bump(db.session, set(), set(db.session.scalars(
        select(Thread.category_id).where(Thread.id.in_(thread_ids)).distinct())))


def touch_thread(thread_id):
    """Tell the cache that a thread page shows something new that no row of the
    thread records (a feature's state read from elsewhere)."""
    _bump(db.session, {thread_id}, set())


# ------------------------------------------------------------------ serving

def cached(version):
    """Serve a view's GET requests by visitors from the cache. ``version(**view_args)``
    returns the page's version (one query), or None to render without the cache."""
    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            store = current_app.extensions.get("page_cache")
            if store is None or not _for_the_cache():
                return view(*args, **kwargs)
            page_version = version(**kwargs)
            if page_version is None:
                return view(*args, **kwargs)
            key = page_key()
            entry = store.get(key, page_version)
            if entry is None:
                entry = _render(view, args, kwargs, page_version)
                if isinstance(entry, Entry):
                    store.put(key, entry)
                else:
                    return entry  # not a page to keep (an error, a redirect)
            return _response(entry)
        return wrapper
    return decorate


def _for_the_cache():
    return (request.method == "GET" and not current_user.is_authenticated
            and not session.get("_flashes"))


def page_key():
    """What a page's HTML depends on besides its version: address, language, theme and
    the loaded features."""
    theme = current_app.jinja_env.globals.get("current_theme")
    return (request.endpoint, request.full_path, str(get_locale() or ""),
            theme() if theme else "", tuple(current_app.extensions.get("forum_features", ())))


def _render(view, args, kwargs, page_version):
    """The view's response; an Entry when it is a page to keep (200, HTML)."""
    g.csrf_token = PLACEHOLDER
    try:
        response = make_response(view(*args, **kwargs))
    finally:
        g.pop("csrf_token", None)
    if response.status_code != 200 or response.mimetype != "text/html" \
            or response.direct_passthrough or "Set-Cookie" in response.headers:
        if not response.direct_passthrough and PLACEHOLDER.encode() in response.get_data():
            response.set_data(response.get_data().replace(PLACEHOLDER.encode(),
                                                          generate_csrf().encode()))
        return response
    headers = [(k, v) for k, v in response.headers.items()
               if k.lower() not in ("content-length", "set-cookie")]
    return Entry(page_version, response.get_data(as_text=True), headers, time.monotonic())


def _response(entry):
    body = entry.body
    if PLACEHOLDER in body:  # a page without forms sets no CSRF token, as rendered
        body = body.replace(PLACEHOLDER, generate_csrf())
    response = current_app.response_class(body, status=200)
    for name, value in entry.headers:
        response.headers[name] = value
    return response
