"""Load the demo community (``community/demo/content.py``) through the services.

Everything is written as a person would write it (``accounts.create_user``,
``categories.create_category``, ``threads.create_thread/reply/toggle_helpful/
accept_answer``), so counters, events and outbox rows are exactly what real use
produces; only the times are set explicitly so the community looks lived in.

Loading is idempotent: accounts are matched by e-mail, categories by slug and
threads by their external id ``demo:<key>``, so running it twice adds nothing.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from .. import clock
from ..privacy import pages as legal_pages
from ..services import accounts, categories, threads
from ..extensions import db
from ..models import Category, Post, Thread, Vote
from . import content

EXTERNAL_PREFIX = "demo:"
# The newest demo post is at least this old, so "just now" stays free for the visitor.
NEWEST = timedelta(minutes=10)


@dataclass
class SeedResult:
    created: bool = False
    categories: int = 0
    threads: int = 0
    replies: int = 0
    votes: int = 0
    accepted: int = 0
    pending: int = 0
    accounts: list = field(default_factory=list)


def demo_accounts():
    """(email, role, password, staff title) of every demo account, in display order."""
    return [(a["email"], a["role"], a["password"], a.get("staff_title"))
            for a in content.ACCOUNTS]


def has_categories():
    return db.session.scalar(select(Category.id).limit(1)) is not None


def _ensure_accounts():
    users = {}
    for spec in content.ACCOUNTS:
        problem = accounts.password_problem(spec["password"], spec["email"], spec["name"])
        if problem:  # a mistake in content.py, not in the user's data
            raise RuntimeError(f"demo password for {spec['email']} is too weak: {problem}")
        user = accounts.find_by_email(spec["email"])
        if user is None:
            user = accounts.create_user(spec["email"], spec["name"], spec["password"],
                                        role=spec["role"], locale=spec.get("locale"),
                                        staff_title=spec.get("staff_title"))
            user.created_at = clock.now() - timedelta(days=60)
        users[spec["key"]] = user
    return users


def _ensure_categories():
    found = {}
    for position, spec in enumerate(content.CATEGORIES, start=1):
        category = categories.find_by_slug(spec["slug"])
        if category is None:
            category = categories.create_category(spec["name"], spec["description"],
                                                  slug=spec["slug"], position=position)
            category.created_at = clock.now() - timedelta(days=60)
        found[spec["key"]] = category
    return found


def _load_thread(spec, users, cats, base, result):
    asked_at = base - timedelta(days=spec["days_ago"])
    author = users[spec["author"]]
    # Curated content: published as it is (``imported``).
    thread = threads.create_thread(author, cats[spec["category"]], spec["title"], spec["body"],
                                   spec.get("tags", ()), created_at=asked_at, imported=True)
    thread.external_id = EXTERNAL_PREFIX + spec["key"]
    thread.pinned = bool(spec.get("pinned"))
    result.threads += 1
    latest = base - NEWEST
    when = asked_at
    for number, reply_spec in enumerate(spec.get("replies", ()), start=2):
        # Replies are listed in the order they were written; keep their times in order too.
        when = min(max(when, asked_at + timedelta(hours=reply_spec["after_hours"])), latest)
        replier = users[reply_spec["author"]]
        post = threads.reply(replier, thread, reply_spec["body"], created_at=when,
                             is_official=bool(reply_spec.get("official")), imported=True)
        result.replies += 1
        for offset, voter_key in enumerate(reply_spec.get("helpful", ()), start=1):
            threads.toggle_helpful(users[voter_key], post)
            vote = db.session.scalar(select(Vote).where(Vote.post_id == post.id,
                                                        Vote.user_id == users[voter_key].id))
            vote.created_at = min(when + timedelta(minutes=17 * offset), latest)
            result.votes += 1
        if reply_spec.get("accepted"):
            accepter = users[reply_spec.get("accepted_by", spec["author"])]
            threads.accept_answer(accepter, post)
            thread.accepted_at = min(when + timedelta(minutes=45), latest)
            result.accepted += 1
    if spec.get("closed"):
        threads.set_thread_status(users["katrin"], thread, "closed")
    db.session.flush()
    return thread


def _ensure_legal_pages(admin):
    """The example imprint and privacy policy, where an admin has not written one."""
    for (name, locale), body in content.LEGAL_PAGES.items():
        if not legal_pages.source(name, locale):
            legal_pages.save(admin, name, locale, body)


def seed(if_empty=False):
    """Load the demo community; with ``if_empty`` do nothing when any category exists."""
    result = SeedResult(accounts=demo_accounts())
    if if_empty and has_categories():
        return result
    base = clock.now()
    users = _ensure_accounts()
    cats = _ensure_categories()
    result.categories = len(cats)
    existing = set(db.session.scalars(
        select(Thread.external_id).where(Thread.external_id.like(EXTERNAL_PREFIX + "%"))))
    for spec in content.THREADS:
        if EXTERNAL_PREFIX + spec["key"] not in existing:
            _load_thread(spec, users, cats, base, result)
    _ensure_legal_pages(next(u for u in users.values() if u.role == "admin"))
    result.pending = db.session.scalar(
        select(db.func.count(Post.id)).join(Thread, Thread.id == Post.thread_id)
        .where(Thread.external_id.like(EXTERNAL_PREFIX + "%"), Post.visibility != "visible"))
    db.session.commit()
    result.created = True
    return result
