"""Tables of notifications: who watches what, what each member was told, their
e-mail choices, and every e-mail the site sent or would have sent (the mailbox).
"""
from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now
from ..extensions import db


class ThreadSubscription(db.Model):
    """A member watching a thread. ``active`` False: they stopped watching, and
    automatic subscription leaves it so."""
    __tablename__ = "thread_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "thread_id"),
                      Index("ix_thread_subscriptions_thread_active", "thread_id", "active"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    thread_id: Mapped[int] = mapped_column(db.ForeignKey("threads.id"))
    active: Mapped[bool] = mapped_column(default=True)
    reason: Mapped[str] = mapped_column(db.String(12), default="watched")  # asked|replied|watched
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)


class CategorySubscription(db.Model):
    """A member watching a category: told about each new question in it."""
    __tablename__ = "category_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "category_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    category_id: Mapped[int] = mapped_column(db.ForeignKey("categories.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)


class NotificationPreference(db.Model):
    """A member's e-mail choice for one kind: immediately | digest | never.
    Kinds without a row use the kind's default (community/notifications/kinds.py)."""
    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(db.String(20))
    email: Mapped[str] = mapped_column(db.String(12))


class MailMessage(db.Model):
    """One e-mail, stored before it is sent: the outbox sends ``raw`` (so a retry
    sends the same bytes and Message-ID), admins see it on /admin/mailbox."""
    __tablename__ = "mail_messages"
    __table_args__ = (Index("ix_mail_messages_user_thread_created", "user_id", "thread_id",
                            "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    # Set for mails about one thread: the per-thread mail window is measured on it.
    thread_id: Mapped[int | None] = mapped_column(db.ForeignKey("threads.id"))
    kind: Mapped[str] = mapped_column(db.String(12))  # thread | notice | digest | test
    recipient: Mapped[str] = mapped_column(db.String(254))
    subject: Mapped[str] = mapped_column(db.String(300))
    message_id: Mapped[str] = mapped_column(db.String(250), unique=True)
    raw: Mapped[str] = mapped_column(db.Text)
    # queued | sent | logged (no SMTP server configured) | failed (refused for good)
    status: Mapped[str] = mapped_column(db.String(12), default="queued")
    error: Mapped[str | None] = mapped_column(db.Text)
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    sent_at: Mapped[datetime | None] = mapped_column(db.DateTime)

    user = relationship("User", lazy="raise_on_sql")


class Notification(db.Model):
    """Something a member is told about, in the app and (by their choice) by e-mail.

    ``event_key`` names the event; one notification per (recipient, event), so an
    event reaches each person once however often its signal fires.
    """
    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("user_id", "event_key"),
                      Index("ix_notifications_user_created", "user_id", "created_at"),
                      Index("ix_notifications_email_state_user", "email_state", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(db.String(20))
    event_key: Mapped[str] = mapped_column(db.String(120))
    thread_id: Mapped[int | None] = mapped_column(db.ForeignKey("threads.id"))
    post_id: Mapped[int | None] = mapped_column(db.ForeignKey("posts.id"))
    actor_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    data: Mapped[dict] = mapped_column(db.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    read_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    # none | queued (mail due) | digest (waits for the daily digest) | sent | dropped
    email_state: Mapped[str] = mapped_column(db.String(12), default="none")
    mail_id: Mapped[int | None] = mapped_column(db.ForeignKey("mail_messages.id"))

    user = relationship("User", foreign_keys=[user_id], lazy="raise_on_sql")
    actor = relationship("User", foreign_keys=[actor_id], lazy="raise_on_sql")
    thread = relationship("Thread", lazy="raise_on_sql")
    post = relationship("Post", lazy="raise_on_sql")
