"""Categories, threads, posts, tags, votes and revisions.

Counters and "latest" pointers are kept on the rows (maintained by the services in
``community/services/threads.py``) so that every list page is one query, whatever its size.
``Thread.page_version`` (and ``PageVersion`` rows) move forward whenever what a page
shows changes: the page cache (``community/page_cache.py``) keys pages by them.
"""
from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now
from ..extensions import db

VISIBILITIES = ("visible", "pending", "hidden", "deleted")

thread_tags = db.Table(
    "thread_tags",
    db.Column("thread_id", db.ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True),
    db.Column("tag_id", db.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(db.String(80), unique=True)
    name: Mapped[str] = mapped_column(db.String(80))
    description: Mapped[str] = mapped_column(db.Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    thread_count: Mapped[int] = mapped_column(default=0)
    post_count: Mapped[int] = mapped_column(default=0)
    solved_count: Mapped[int] = mapped_column(default=0)
    unanswered_count: Mapped[int] = mapped_column(default=0)
    last_activity_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    last_thread_id: Mapped[int | None] = mapped_column(
        db.ForeignKey("threads.id", use_alter=True, ondelete="SET NULL"))

    last_thread = relationship("Thread", foreign_keys=[last_thread_id], lazy="raise_on_sql",
                               post_update=True)


class Tag(db.Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(db.String(40), unique=True)


class Thread(db.Model):
    __tablename__ = "threads"
    # One index per sort order of the lists (community/services/listing.py): the columns
    # every query holds equal, then the sort, then what the filters test (unanswered:
    # reply_count, (un)solved: accepted_post_id), so a page reads its rows in order and
    # skips filtered-out threads inside the index. ``ix_threads_recent``: the lists of
    # all categories (the home page).
    __table_args__ = (
        Index("ix_threads_list_activity", "category_id", "visibility", "pinned",
              "last_activity_at", "id", "reply_count", "accepted_post_id"),
        Index("ix_threads_list_newest", "category_id", "visibility", "created_at", "id",
              "reply_count", "accepted_post_id"),
        Index("ix_threads_list_helpful", "category_id", "visibility", "helpful_count",
              "last_activity_at", "id", "reply_count", "accepted_post_id"),
        Index("ix_threads_recent", "visibility", "last_activity_at", "id", "reply_count",
              "accepted_post_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(db.ForeignKey("categories.id"))
    author_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(db.String(200))
    slug: Mapped[str] = mapped_column(db.String(120))
    # open | closed; "solved" is derived from accepted_post_id.
    status: Mapped[str] = mapped_column(db.String(12), default="open")
    # visible | pending | hidden | deleted: follows the question post.
    visibility: Mapped[str] = mapped_column(db.String(12), default="visible")
    pinned: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    last_activity_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    reply_count: Mapped[int] = mapped_column(default=0)
    helpful_count: Mapped[int] = mapped_column(default=0)
    first_post_id: Mapped[int | None] = mapped_column(
        db.ForeignKey("posts.id", use_alter=True, ondelete="SET NULL"))
    last_post_id: Mapped[int | None] = mapped_column(
        db.ForeignKey("posts.id", use_alter=True, ondelete="SET NULL"))
    last_author_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    accepted_post_id: Mapped[int | None] = mapped_column(
        db.ForeignKey("posts.id", use_alter=True, ondelete="SET NULL"))
    accepted_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    accepted_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    external_id: Mapped[str | None] = mapped_column(db.String(200), unique=True)
    page_version: Mapped[int] = mapped_column(default=0)

    category = relationship("Category", foreign_keys=[category_id], lazy="raise_on_sql")
    author = relationship("User", foreign_keys=[author_id], lazy="raise_on_sql")
    last_author = relationship("User", foreign_keys=[last_author_id], lazy="raise_on_sql")
    accepted_by = relationship("User", foreign_keys=[accepted_by_id], lazy="raise_on_sql")
    first_post = relationship("Post", foreign_keys=[first_post_id], lazy="raise_on_sql",
                              post_update=True)
    accepted_post = relationship("Post", foreign_keys=[accepted_post_id], lazy="raise_on_sql",
                                 post_update=True)
    tags = relationship("Tag", secondary=thread_tags, lazy="raise_on_sql",
                        order_by="Tag.name")

    @property
    def is_solved(self):
        return self.accepted_post_id is not None

    @property
    def public_status(self):
        """open | solved | closed, as the API and the badges say it."""
        if self.status == "closed":
            return "closed"
        return "solved" if self.is_solved else "open"


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_thread_number", "thread_id", "number"),
        Index("ix_posts_author_created", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(db.ForeignKey("threads.id"))
    author_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    # 1 is the question; replies count up in the order they were written.
    number: Mapped[int] = mapped_column()
    body: Mapped[str] = mapped_column(db.Text)
    body_html: Mapped[str] = mapped_column(db.Text)
    visibility: Mapped[str] = mapped_column(db.String(12), default="visible")
    is_official: Mapped[bool] = mapped_column(default=False)
    helpful_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    edited_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    edited_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    external_id: Mapped[str | None] = mapped_column(db.String(200), unique=True)

    thread = relationship("Thread", foreign_keys=[thread_id], lazy="raise_on_sql")
    author = relationship("User", foreign_keys=[author_id], lazy="raise_on_sql")
    edited_by = relationship("User", foreign_keys=[edited_by_id], lazy="raise_on_sql")

    @property
    def is_question(self):
        return self.number == 1


class PostRevision(db.Model):
    """The text a post had before an edit."""
    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(db.ForeignKey("posts.id"), index=True)
    editor_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    title: Mapped[str | None] = mapped_column(db.String(200))
    body: Mapped[str] = mapped_column(db.Text)
    reason: Mapped[str] = mapped_column(db.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)

    editor = relationship("User", lazy="raise_on_sql")


class Vote(db.Model):
    """A "helpful" vote: one per person and post."""
    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("post_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(db.ForeignKey("posts.id"))
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)


class PageVersion(db.Model):
    """A version of what pages show and no thread row holds: ``site`` (members' names
    and roles, categories' names), ``category:<id>`` (a category's lists). It moves
    forward when that changes. A category's version is not a column of its row: the
    row is locked by every writer of its counters, and moving it at commit would
    check its foreign keys again (deadlocks on PostgreSQL)."""
    __tablename__ = "page_versions"

    name: Mapped[str] = mapped_column(db.String(40), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


class ReadMark(db.Model):
    """Where a member stopped reading a thread: the time of the newest post they have
    seen on it (community/services/read_marks.py). One row per member and thread read."""
    __tablename__ = "read_marks"

    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(db.ForeignKey("threads.id"), primary_key=True)
    read_until: Mapped[datetime] = mapped_column(db.DateTime)
