"""The search service: parse what the person asked for, search, check against the
database, highlight. The HTML page and the API both call ``search``.

Matching, in order, until something is found:

1. every word (any of its stems, in title, question, answers or compound parts);
2. the same, each word also allowing a typo or two ("Kündigugn");
3. any of the words (a long pasted question rarely matches in full).

When fewer than ``FEW`` threads are found, a spelling suggestion is made from the
words of the index ("did you mean …").
"""
from dataclasses import dataclass
from datetime import datetime, time
from functools import cache

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import bindparam, select
from whoosh import query as Q

from community.errors import ValidationError
from community.extensions import db
from community.models import Category, Post, Tag, Thread, thread_tags
from community.services.listing import Page, page_number

from ..engine import analysis, backends, reader
from . import snippets

SORTS = ("relevance", "newest")
STATUSES = ("", "solved", "unsolved")
PER_PAGE = 20
MAX_QUERY_CHARS = 200
MAX_WORDS = 16
FEW = 3


@dataclass
class SearchRequest:
    q: str = ""
    category: Category | None = None
    status: str = ""
    tag: str = ""
    date_from: datetime | None = None
    date_to: datetime | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def has_filters(self):
        return bool(self.category or self.status or self.tag or self.date_from or self.date_to)


class ShownCategory:
    """What a result row shows of its thread's category."""
    __slots__ = ("slug", "name")

    def __init__(self, slug, name):
        self.slug, self.name = slug, name


class ShownTag:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


class ShownThread:
    """The columns of a thread a result row shows (page and API), read in one lean
    statement instead of whole ``Thread`` rows with their category; the status rules
    are the model's own."""
    __slots__ = ("id", "title", "slug", "status", "accepted_post_id", "reply_count",
                 "created_at", "last_activity_at", "category", "tags")
    COLUMNS = (Thread.id, Thread.title, Thread.slug, Thread.status, Thread.accepted_post_id,
               Thread.reply_count, Thread.created_at, Thread.last_activity_at)

    is_solved = Thread.is_solved
    public_status = Thread.public_status

    def __init__(self, row, category):
        (self.id, self.title, self.slug, self.status, self.accepted_post_id,
         self.reply_count, self.created_at, self.last_activity_at) = row
        self.category = category
        self.tags = []


@dataclass
class Result:
    thread: ShownThread
    title: Markup
    snippet: Markup
    score: float


@dataclass
class SearchPage(Page):
    """One page of results (``items``), paged like every list of the site."""
    request: SearchRequest = None
    suggestion: str | None = None
    match: str = "all"      # all | typo | any: how the results were found

    @classmethod
    def empty(cls, request):
        return cls(items=[], page=request.page, per_page=request.per_page, total=0,
                   request=request)

    @property
    def results(self):
        return self.items


def _date(raw, name, end=False):
    if not raw:
        return None
    try:
        day = datetime.strptime(raw.strip(), "%Y-%m-%d")
    except ValueError:
        raise ValidationError(_l("Please correct the marked fields."),
                              fields={name: _l("Use a date like 2026-01-31.")})
    return datetime.combine(day.date(), time.max if end else time.min)


def parse_request(args, per_page=PER_PAGE):
    """A SearchRequest from query-string arguments (``q, category, status, tag, from,
    to, sort, page``); unknown values are a ValidationError naming the field."""
    fields = {}
    slug = (args.get("category") or "").strip()
    category = None
    if slug:
        category = db.session.scalar(select(Category).where(Category.slug == slug))
        if category is None:
            fields["category"] = _l("No such category.")
    status = (args.get("status") or "").strip()
    if status == "open":
        status = "unsolved"
    if status not in STATUSES:
        fields["status"] = _l("Use solved or unsolved.")
    sort = (args.get("sort") or "relevance").strip()
    if sort not in SORTS:
        fields["sort"] = _l("Use relevance or newest.")
    if fields:
        raise ValidationError(_l("Please correct the marked fields."), fields=fields)
    return SearchRequest(
        q=" ".join((args.get("q") or "").split())[:MAX_QUERY_CHARS], category=category,
        status=status, tag=(args.get("tag") or "").strip().lower(),
        date_from=_date(args.get("from"), "from"), date_to=_date(args.get("to"), "to", end=True),
        sort=sort, page=page_number(args.get("page")), per_page=per_page)


def category_choices():
    """``(slug, name)`` rows of every category in display order: the page's category
    filter (without the latest thread and author ``categories.all_categories`` loads)."""
    return db.session.execute(select(Category.slug, Category.name)
                              .order_by(Category.position, Category.name)).all()


def _filter(request):
    conditions = []
    if request.category is not None:
        conditions.append(Q.Term("category", str(request.category.id)))
    if request.status:
        conditions.append(Q.Term("solved", request.status == "solved"))
    if request.tag:
        conditions.append(Q.Term("tags", request.tag))
    if request.date_from or request.date_to:
        conditions.append(Q.DateRange("created_at", request.date_from, request.date_to))
    return Q.And(conditions) if conditions else None


def _run(ranker, q, request, allowed):
    """``(total, [(docnum, score)])`` up to the end of the requested page."""
    return ranker.top(q, request.page * request.per_page, allowed,
                      newest=request.sort == "newest")


def _attempts(searcher, request):
    """(match, query) in the order they are tried."""
    text = " ".join(request.q.split()[:MAX_WORDS])
    if not analysis.terms(text):
        if request.has_filters:
            yield "all", Q.Every()
        return
    exact = reader.query_words(searcher, text)
    yield "all", Q.And(exact)
    # Typo alternatives only for words the index does not know: a known word is not
    # a typo, and expanding it would cost a full pass for nothing.
    typo = reader.query_words(searcher, text, fuzzy=True)
    if typo != exact:
        yield "typo", Q.And(typo)
    if len(typo) > 1:
        yield "any", Q.Or(typo)


def search(request):
    """One page of results for ``request`` (a SearchRequest)."""
    page = SearchPage.empty(request)
    with backends.current().searcher() as searcher:
        if searcher is None:
            return page
        searcher.prefetch(request.q)
        ranker = searcher.ranker()
        allowed = ranker.docs(_filter(request))
        for match, q in _attempts(searcher, request):
            total, top = _run(ranker, q, request, allowed)
            if total:
                break
        else:
            if request.q:
                page.suggestion = suggest(searcher, request.q)
            return page
        page.match = match
        page.total = total
        start = (request.page - 1) * request.per_page
        hits = []
        for docnum, score in top[start:]:
            stored = searcher.stored_fields(docnum)
            hits.append((int(stored["thread_id"]), score, stored))
        stems = searcher.matched_stems(q)
        if page.total < FEW and request.q:
            page.suggestion = suggest(searcher, request.q)
    page.items = _results(hits, stems)
    return page


def _results(hits, stems):
    """Results for the index hits, in their order, of the threads still visible now.

    The database has the last word: a thread hidden a moment ago, before the worker
    updated the index, is never shown, and a snippet quotes only replies that are
    still visible (2 queries per page).
    """
    if not hits:
        return []
    threads = _shown_threads([h[0] for h in hits])
    answer_ids = [post_id for _, _, stored in hits for post_id, _ in stored.get("answers_text") or ()]
    visible_answers = {post_id for post_id, visibility in db.session.execute(
        _statements()["answers"], {"ids": answer_ids})
        if visibility == "visible"} if answer_ids else set()
    marks = snippets.marker(stems)
    results = []
    for thread_id, score, stored in hits:
        thread = threads.get(thread_id)
        if thread is None:
            continue
        answers = [text for post_id, text in stored.get("answers_text") or ()
                   if post_id in visible_answers]
        results.append(Result(
            thread=thread, title=snippets.highlight_all(thread.title, marks),
            snippet=snippets.snippet(marks, stored.get("body_text"), *answers),
            score=score))
    return results


@cache
def _statements():
    """The result rows' two statements, built once (``ids``: expanding parameters)."""
    ids = bindparam("ids", expanding=True)
    return {
        "shown": select(*ShownThread.COLUMNS, Thread.visibility, Category.id, Category.slug,
                        Category.name, Tag.name)
        .join(Category, Category.id == Thread.category_id)
        .outerjoin(thread_tags, thread_tags.c.thread_id == Thread.id)
        .outerjoin(Tag, Tag.id == thread_tags.c.tag_id)
        .where(Thread.id.in_(ids)).order_by(Thread.id, Tag.name),
        "answers": select(Post.id, Post.visibility).where(Post.id.in_(ids))}


def _shown_threads(ids):
    """``{id: ShownThread}`` of the visible threads among ``ids``, with their category
    and their tags in name order, in one statement (a row per tag). Visibility is
    checked here, not in the statement: with it there, SQLite walks the visibility
    index over every visible thread instead of looking the ids up by primary key."""
    threads, categories = {}, {}
    for *row, visibility, category_id, slug, name, tag in db.session.execute(
            _statements()["shown"], {"ids": ids}):
        if visibility != "visible":
            continue
        thread = threads.get(row[0])
        if thread is None:
            category = categories.get(category_id)
            if category is None:
                category = categories[category_id] = ShownCategory(slug, name)
            thread = threads[row[0]] = ShownThread(row, category)
        if tag is not None:
            thread.tags.append(ShownTag(tag))
    return threads


def _known(searcher, word):
    """Whether the index has the word, as written or through one of its stems."""
    if searcher.doc_frequency("spell", word):
        return True
    stems = analysis.stems(analysis.fold(word))
    return any(searcher.doc_frequency(name, stem)
               for stem in stems for name in ("title", "body", "answers"))


def suggest(searcher, text):
    """A corrected query made of words of the index, or None when nothing to correct."""
    words, changed = [], False
    for word in analysis.words(text)[:MAX_WORDS]:
        if (not 3 <= len(word) <= reader.MAX_TYPO_WORD or not word.isalpha()
                or _known(searcher, word)):
            words.append(word)
            continue
        found = searcher.correct(word, maxdist=1 if len(word) < 6 else 2)
        if found and analysis.fold(found) != analysis.fold(word):
            words.append(found)
            changed = True
        else:
            words.append(word)
    return " ".join(words) if changed else None
