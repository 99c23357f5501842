"""Moderation's tables, on the core's ``db`` and naming convention.

Nothing here holds member content: posts and threads stay in the core tables and
are only ever hidden or soft-deleted. These rows record why and by whom.
"""
from datetime import datetime

from sqlalchemy import Index, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.clock import now
from community.extensions import db


class CategorySettings(db.Model):
    """Moderation mode of a category: open | new_members | all (pre-moderated)."""
    __tablename__ = "mod_category_settings"

    category_id: Mapped[int] = mapped_column(db.ForeignKey("categories.id"), primary_key=True)
    mode: Mapped[str] = mapped_column(db.String(20), default="open")
    updated_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    updated_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))


class MemberTrust(db.Model):
    """A trust level set by hand; without a row (or with "auto") trust is earned automatically."""
    __tablename__ = "mod_member_trust"

    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), primary_key=True)
    level: Mapped[str] = mapped_column(db.String(12))  # new | member | trusted | auto
    set_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)


class Flag(db.Model):
    """A member's report about a post. One per member and post."""
    __tablename__ = "mod_flags"
    __table_args__ = (
        UniqueConstraint("post_id", "user_id"),
        Index("ix_mod_flags_post_state", "post_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(db.ForeignKey("posts.id"))
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(db.String(30))
    text: Mapped[str] = mapped_column(db.String(500), default="")
    state: Mapped[str] = mapped_column(db.String(12), default="open")  # open|upheld|dismissed
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    resolved_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))

    user = relationship("User", foreign_keys=[user_id], lazy="raise_on_sql")


class ReviewItem(db.Model):
    """One entry of the review queue: a held post, a flagged post or an appeal.

    ``open_post_id`` equals ``post_id`` while the item is open and is NULL after:
    its unique constraint allows one open item per post on SQLite and PostgreSQL.
    ``version`` grows with every moderator change, so a decision taken on a stale
    page is refused instead of silently overriding another moderator.
    """
    __tablename__ = "mod_review_items"
    __table_args__ = (Index("ix_mod_review_items_state_priority", "state", "priority",
                            "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(db.String(12))  # pending | flagged | appeal
    state: Mapped[str] = mapped_column(db.String(12), default="open")  # open | resolved
    post_id: Mapped[int | None] = mapped_column(db.ForeignKey("posts.id"), index=True)
    open_post_id: Mapped[int | None] = mapped_column(db.ForeignKey("posts.id"), unique=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    notice_id: Mapped[int | None] = mapped_column(db.ForeignKey("mod_notices.id"))
    priority: Mapped[int] = mapped_column(default=0)
    # Why a post was held: [{"code": "links", "detail": "4"}, ...]
    reasons: Mapped[list] = mapped_column(db.JSON, default=list)
    text: Mapped[str] = mapped_column(db.Text, default="")  # the appeal's text
    auto_hidden: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    resolved_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    resolution: Mapped[str | None] = mapped_column(db.String(20))
    resolution_reason: Mapped[str] = mapped_column(db.Text, default="")

    post = relationship("Post", foreign_keys=[post_id], lazy="raise_on_sql")
    user = relationship("User", foreign_keys=[user_id], lazy="raise_on_sql")
    resolved_by = relationship("User", foreign_keys=[resolved_by_id], lazy="raise_on_sql")
    notice = relationship("Notice", foreign_keys=[notice_id], lazy="raise_on_sql")


class Sanction(db.Model):
    """Silence (read-only) or suspension (no login); ``ends_at`` NULL is permanent.

    A sanction expires by itself: it is active while ``now() < ends_at`` and it
    has not been lifted, so no job has to run for it to end.
    """
    __tablename__ = "mod_sanctions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(db.String(12))  # silence | suspend
    reason_code: Mapped[str] = mapped_column(db.String(30))
    reason: Mapped[str] = mapped_column(db.Text, default="")
    starts_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    ends_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    created_by_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    lifted_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    lifted_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    lift_reason: Mapped[str] = mapped_column(db.Text, default="")

    created_by = relationship("User", foreign_keys=[created_by_id], lazy="raise_on_sql")

    def is_active(self, at=None):
        at = at or now()
        return (self.lifted_at is None and self.starts_at <= at
                and (self.ends_at is None or at < self.ends_at))


class Notice(db.Model):
    """A statement of reasons for a member: a decision on their content, account
    or flag. Shown on /mod/notices (where it can be appealed); the member is told
    through the core's notifications."""
    __tablename__ = "mod_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(db.String(30))
    post_id: Mapped[int | None] = mapped_column(db.ForeignKey("posts.id"))
    thread_id: Mapped[int | None] = mapped_column(db.ForeignKey("threads.id"))
    sanction_id: Mapped[int | None] = mapped_column(db.ForeignKey("mod_sanctions.id"))
    reason_code: Mapped[str] = mapped_column(db.String(30), default="")
    reason: Mapped[str] = mapped_column(db.Text, default="")
    appealable: Mapped[bool] = mapped_column(default=False)
    appealed_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)

    post = relationship("Post", lazy="raise_on_sql")
    thread = relationship("Thread", lazy="raise_on_sql")
    sanction = relationship("Sanction", lazy="raise_on_sql")


class AuditEntry(db.Model):
    """Who did what to which target, why and when. Append-only (see below)."""
    __tablename__ = "mod_audit_log"
    __table_args__ = (Index("ix_mod_audit_log_actor_created", "actor_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))  # None: automatic
    action: Mapped[str] = mapped_column(db.String(40), index=True)
    target_type: Mapped[str] = mapped_column(db.String(20))
    target_id: Mapped[int | None] = mapped_column()
    reason_code: Mapped[str] = mapped_column(db.String(30), default="")
    reason: Mapped[str] = mapped_column(db.Text, default="")
    details: Mapped[dict] = mapped_column(db.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now, index=True)

    actor = relationship("User", lazy="raise_on_sql")


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _audit_is_append_only(mapper, connection, target):
    raise RuntimeError("audit entries are never changed or deleted")


class BlockedWord(db.Model):
    """A word or phrase that holds a post for review (it is never refused)."""
    __tablename__ = "mod_blocked_words"

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(db.String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))


class ThreadState(db.Model):
    """Moderation marks on a thread the core has no column for."""
    __tablename__ = "mod_thread_states"

    thread_id: Mapped[int] = mapped_column(db.ForeignKey("threads.id"), primary_key=True)
    locked: Mapped[bool] = mapped_column(default=False)
    duplicate_of_id: Mapped[int | None] = mapped_column(db.ForeignKey("threads.id"))
    # Set when this thread was merged into another; its URL redirects there.
    merged_into_id: Mapped[int | None] = mapped_column(db.ForeignKey("threads.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)

    duplicate_of = relationship("Thread", foreign_keys=[duplicate_of_id], lazy="raise_on_sql")
    merged_into = relationship("Thread", foreign_keys=[merged_into_id], lazy="raise_on_sql")


class PostFingerprint(db.Model):
    """Digest of a post's normalized text, to notice the same text posted repeatedly."""
    __tablename__ = "mod_post_fingerprints"
    __table_args__ = (Index("ix_mod_post_fingerprints_digest_created", "digest", "created_at"),)

    post_id: Mapped[int] = mapped_column(db.ForeignKey("posts.id"), primary_key=True)
    author_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    digest: Mapped[str] = mapped_column(db.String(64))
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
