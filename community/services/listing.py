"""Read queries for pages and the API. Each returns what one page shows, in a fixed
number of SQL queries however long the lists are."""
import math
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import defer, joinedload, load_only, selectinload

from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import Category, Post, Thread, User, Vote
from ..permissions import can, is_moderator

FILTERS = ("all", "unanswered", "unsolved", "solved")
SORTS = ("activity", "newest", "helpful")
# Far beyond any real list, and small enough that its offset fits in 64 bits.
MAX_PAGE = 1_000_000


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages


def page_number(raw):
    try:
        page = int(raw or 1)
    except (TypeError, ValueError):
        raise ValidationError(_l("Page must be a number."), fields={"page": _l("Must be a number.")})
    if page < 1:
        raise ValidationError(_l("Page must be 1 or more."), fields={"page": _l("Must be 1 or more.")})
    if page > MAX_PAGE:
        raise NotFound(_l("There is no such page."))
    return page


def _thread_list_options(query):
    return query.options(
        joinedload(Thread.author), joinedload(Thread.last_author), joinedload(Thread.category),
        selectinload(Thread.tags))


def list_threads(category=None, filter="all", sort="activity", page=1, per_page=25,
                 author=None, tag=None):
    """Visible threads, filtered, sorted and paginated (2 queries; 3 with an author or tag).

    The page's ids are read in the order of an index of ``Thread`` (one per sort order,
    see ``community/models/forum.py``), then the rows of those ids only: a page reads
    the threads it shows and the index entries before them, never the whole category
    nor the rows of the pages before it; the total comes from the counters
    the services keep on the categories, and is counted only for an author's or a
    tag's list."""
    if filter not in FILTERS:
        raise ValidationError(_l("Unknown filter."), fields={"filter": ", ".join(FILTERS)})
    if sort not in SORTS:
        raise ValidationError(_l("Unknown sort order."), fields={"sort": ", ".join(SORTS)})
    conditions = [Thread.visibility == "visible"]
    if category is not None:
        conditions.append(Thread.category_id == category.id)
    if author is not None:
        conditions.append(Thread.author_id == author.id)
    if tag:
        conditions.append(Thread.tags.any(name=tag))
    if filter == "unanswered":
        conditions.append(Thread.reply_count == 0)
    elif filter == "unsolved":
        conditions.append(Thread.accepted_post_id.is_(None))
    elif filter == "solved":
        conditions.append(Thread.accepted_post_id.is_not(None))
    order = {
        "activity": [Thread.last_activity_at.desc()],
        "newest": [Thread.created_at.desc()],
        "helpful": [Thread.helpful_count.desc(), Thread.last_activity_at.desc()],
    }[sort]
    if category is not None and sort == "activity":
        order.insert(0, Thread.pinned.desc())
    if author is None and not tag:
        total = kept_total(category, filter)
    else:
        total = db.session.scalar(select(func.count(Thread.id)).where(*conditions))
    order.append(Thread.id.desc())
    # The page's ids first, from the index alone (an index-only scan on PostgreSQL, a
    # covering index on SQLite, however deep the page); then only their rows.
    shown = (select(Thread.id).where(*conditions).order_by(*order).limit(per_page)
             .offset((page - 1) * per_page))
    query = _thread_list_options(select(Thread).where(Thread.id.in_(shown.scalar_subquery()))
                                 .order_by(*order))
    return Page(list(db.session.scalars(query)), page, per_page, total)


def kept_total(category, filter):
    """How many visible threads of ``category`` (None: of every category) ``filter``
    lists, from the categories' counters (``refresh_counters`` keeps them)."""
    if category is not None:
        counts = (category.thread_count, category.solved_count, category.unanswered_count)
    else:
        counts = db.session.execute(select(
            func.coalesce(func.sum(Category.thread_count), 0),
            func.coalesce(func.sum(Category.solved_count), 0),
            func.coalesce(func.sum(Category.unanswered_count), 0))).one()
    threads, solved, unanswered = (int(n) for n in counts)
    return {"all": threads, "solved": solved, "unsolved": threads - solved,
            "unanswered": unanswered}[filter]


def recent_threads(limit=10):
    query = _thread_list_options(select(Thread).where(Thread.visibility == "visible")
                                 .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
                                 .limit(limit))
    return list(db.session.scalars(query))


def _viewable_posts(viewer):
    """SQL condition: posts ``viewer`` may read."""
    if is_moderator(viewer):
        return Post.visibility.in_(("visible", "pending", "hidden", "deleted"))
    if viewer is not None and viewer.is_authenticated:
        return or_(Post.visibility == "visible",
                   and_(Post.visibility == "pending", Post.author_id == viewer.id))
    return Post.visibility == "visible"


@dataclass
class ThreadView:
    thread: Thread
    question: Post
    accepted: Post | None
    replies: Page
    my_votes: set = field(default_factory=set)
    # The reader sees the posts every visitor sees (no pending post of their own, not
    # a moderator): the page's skeleton is the one every reader gets (reader_parts.py).
    same_for_everyone: bool = True


def thread_page(thread_id, viewer, page=1, per_page=20, texts=True):
    """Everything the thread page shows, in a fixed number of queries. ``texts=False``:
    the posts without their texts and authors, for a page whose skeleton is kept
    (reader_parts.py): what the reader's own parts need (ids, authors' ids, states)."""
    query = select(Thread).where(Thread.id == thread_id)
    if texts:  # a kept skeleton shows the category, the tags and who accepted
        query = query.options(joinedload(Thread.category), joinedload(Thread.accepted_by),
                              selectinload(Thread.tags))
    thread = db.session.scalar(query)
    if thread is None or not can(viewer, "view_thread", thread):
        raise NotFound(_l("This thread does not exist."))
    viewable = _viewable_posts(viewer)
    loading = _POST_TEXTS if texts else _POST_STATES
    top_ids = [i for i in (thread.first_post_id, thread.accepted_post_id) if i]
    top = {p.id: p for p in db.session.scalars(
        select(Post).where(Post.id.in_(top_ids)).options(*loading))}
    question = top[thread.first_post_id]
    accepted = top.get(thread.accepted_post_id)
    reply_filter = [Post.thread_id == thread.id, Post.number > 1, viewable]
    same = thread.visibility == "visible" and question.visibility == "visible"
    if viewer is not None and viewer.is_authenticated:
        total, hidden = db.session.execute(select(
            func.count(Post.id), func.count(case((Post.visibility != "visible", 1))))
            .where(*reply_filter)).one()
        same = same and not hidden and not is_moderator(viewer)
    else:
        total = thread.reply_count
    pages = max(1, math.ceil(total / per_page))
    if page > pages:
        raise NotFound(_l("This page does not exist."))
    replies = list(db.session.scalars(
        select(Post).where(*reply_filter).order_by(Post.number).options(*loading)
        .limit(per_page).offset((page - 1) * per_page)))
    my_votes = set()
    if viewer is not None and viewer.is_authenticated:
        ids = [p.id for p in replies] + ([accepted.id] if accepted else [])
        my_votes = set(db.session.scalars(
            select(Vote.post_id).where(Vote.user_id == viewer.id, Vote.post_id.in_(ids))))
    return ThreadView(thread, question, accepted, Page(replies, page, per_page, total), my_votes,
                      same)


# The thread page's posts: whole, with their authors; or what a reader's own parts
# need of them (permissions, read marks, the moderation note).
_POST_TEXTS = (defer(Post.body), joinedload(Post.author), joinedload(Post.edited_by))
_POST_STATES = (load_only(Post.id, Post.thread_id, Post.author_id, Post.number,
                          Post.visibility, Post.helpful_count, Post.created_at,
                          Post.edited_by_id),)


def post_page(post, viewer, per_page=20):
    """The page of the thread on which ``post`` appears for ``viewer``."""
    if post.number == 1:
        return 1
    before = db.session.scalar(select(func.count(Post.id)).where(
        Post.thread_id == post.thread_id, Post.number > 1, Post.number < post.number,
        _viewable_posts(viewer)))
    return before // per_page + 1


def user_profile(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_l("No such member."))
    return user


def profile_stats(user):
    """Counts for the profile page, in one query."""
    visible = Post.visibility == "visible"
    row = db.session.execute(select(
        select(func.count(Thread.id)).where(Thread.author_id == user.id,
                                            Thread.visibility == "visible").scalar_subquery(),
        select(func.count(Post.id)).where(Post.author_id == user.id, Post.number > 1,
                                          visible).scalar_subquery(),
        select(func.count(Thread.id)).join(Post, Post.id == Thread.accepted_post_id)
        .where(Post.author_id == user.id, Thread.visibility == "visible").scalar_subquery(),
        select(func.coalesce(func.sum(Post.helpful_count), 0))
        .where(Post.author_id == user.id, visible).scalar_subquery(),
    )).one()
    return {"threads": row[0], "answers": row[1], "accepted": row[2], "helpful": row[3]}


def user_answers(user, page=1, per_page=20, accepted_only=False):
    conditions = [Post.author_id == user.id, Post.number > 1, Post.visibility == "visible",
                  Thread.visibility == "visible"]
    if accepted_only:
        conditions.append(Thread.accepted_post_id == Post.id)
    base = select(Post).join(Thread, Thread.id == Post.thread_id).where(*conditions)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    items = list(db.session.scalars(
        base.options(joinedload(Post.thread)).order_by(Post.created_at.desc())
        .limit(per_page).offset((page - 1) * per_page)))
    return Page(items, page, per_page, total)


def sitemap_threads(limit=50_000):
    return db.session.execute(
        select(Thread.id, Thread.slug, Thread.last_activity_at)
        .where(Thread.visibility == "visible").order_by(Thread.id.desc()).limit(limit)).all()


def category_feed(category, limit=30):
    """Newest visible threads of a category with their question text (2 queries)."""
    query = (select(Thread).where(Thread.category_id == category.id,
                                  Thread.visibility == "visible")
             .order_by(Thread.created_at.desc()).limit(limit)
             .options(joinedload(Thread.author), joinedload(Thread.first_post)))
    return list(db.session.scalars(query))


def all_category_slugs():
    return list(db.session.scalars(select(Category.slug).order_by(Category.position)))
