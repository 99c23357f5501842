"""The agent bridge's tables, on the core's ``db`` and naming convention.

``Ticket.thread_id`` is unique: one ticket per thread is a database rule, and
tickets are created with insert-on-conflict-do-nothing (see ``tickets.open_ticket``),
so concurrent sweeps and clicks can never make a second one. ``TicketEvent`` and
``MetricEvent`` are append-only: the timeline and the dashboard read them, so
past figures do not change when posts are later hidden or edited.
"""
from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.clock import now
from community.extensions import db

STATUSES = ("new", "open", "pending", "solved", "closed")
ACTIVE_STATUSES = ("new", "open", "pending")
PRIORITIES = ("low", "normal", "high", "urgent")
PRIORITY_RANK = {"urgent": 0, "high": 1, "normal": 2, "low": 3}


class Ticket(db.Model):
    """The support team's case for one thread."""
    __tablename__ = "bridge_tickets"
    __table_args__ = (
        UniqueConstraint("connector", "external_id"),
        Index("ix_bridge_tickets_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(db.ForeignKey("threads.id"), unique=True)
    status: Mapped[str] = mapped_column(db.String(12), default="new")
    priority: Mapped[str] = mapped_column(db.String(12), default="normal")
    # Which rule opened it: no_reply | no_answer | urgent_terms | moderator | agent | asker
    reason: Mapped[str] = mapped_column(db.String(40))
    # Free text given with a manual escalation, or the urgent term that matched.
    reason_detail: Mapped[str] = mapped_column(db.String(500), default="")
    assignee_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"), index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    connector: Mapped[str] = mapped_column(db.String(40), default="builtin")
    external_id: Mapped[str | None] = mapped_column(db.String(200))
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    due_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    solved_at: Mapped[datetime | None] = mapped_column(db.DateTime)

    thread = relationship("Thread", lazy="raise_on_sql")
    assignee = relationship("User", lazy="raise_on_sql")

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    def is_overdue(self, at=None):
        return (self.first_response_at is None and self.is_active and self.due_at is not None
                and self.due_at < (at or now()))


class TicketEvent(db.Model):
    """One entry of a ticket's timeline; rows are only ever added.

    Kinds: created, assigned, status, priority, official_reply, reply_edited,
    customer_replied, confirmed, community_solved, note, private_request,
    private_detail, updated.
    """
    __tablename__ = "bridge_ticket_events"
    __table_args__ = (Index("ix_bridge_ticket_events_ticket_created", "ticket_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(db.ForeignKey("bridge_tickets.id"))
    kind: Mapped[str] = mapped_column(db.String(30))
    actor_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    data: Mapped[dict] = mapped_column(db.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now, index=True)

    actor = relationship("User", lazy="raise_on_sql")


class Watch(db.Model):
    """An unresolved thread without a ticket: the only rows the sweep reads.

    Added when a thread is asked, removed when it is solved, closed or escalated,
    so the sweep's cost follows the number of unresolved threads, not all threads.
    """
    __tablename__ = "bridge_watches"

    thread_id: Mapped[int] = mapped_column(db.ForeignKey("threads.id"), primary_key=True)
    category_id: Mapped[int] = mapped_column(db.ForeignKey("categories.id"), index=True)
    asked_at: Mapped[datetime] = mapped_column(db.DateTime)
    first_reply_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    staff_reply_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    urgent_term: Mapped[str | None] = mapped_column(db.String(80))


class CategoryRule(db.Model):
    """Escalation rule of one category; categories without a row use the config defaults."""
    __tablename__ = "bridge_category_rules"

    category_id: Mapped[int] = mapped_column(db.ForeignKey("categories.id"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    escalate_after_minutes: Mapped[int] = mapped_column()
    no_reply_after_minutes: Mapped[int] = mapped_column()
    # None: the asker may not ask the support team; 0: at once; else after that many minutes.
    ask_after_minutes: Mapped[int | None] = mapped_column()
    business_hours: Mapped[bool] = mapped_column(default=False)
    holidays: Mapped[str] = mapped_column(db.String(12), default="none")  # none | de
    updated_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    updated_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))


class UrgentTerm(db.Model):
    """A word or phrase that escalates a new question at once (admin-managed)."""
    __tablename__ = "bridge_urgent_terms"
    __table_args__ = (UniqueConstraint("language", "term"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(db.String(8))  # de | en
    term: Mapped[str] = mapped_column(db.String(80))
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)


class CannedReply(db.Model):
    """A reply template with placeholders {customer_name}, {thread_url}, {agent_name}."""
    __tablename__ = "bridge_canned_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(db.String(120))
    body: Mapped[str] = mapped_column(db.Text)
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)


class PrivateRequest(db.Model):
    """The desk asks the customer for private details; the answer is seen by agents only."""
    __tablename__ = "bridge_private_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(db.ForeignKey("bridge_tickets.id"), index=True)
    customer_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(db.Text)
    answer: Mapped[str | None] = mapped_column(db.Text)
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    answered_at: Mapped[datetime | None] = mapped_column(db.DateTime)

    ticket = relationship("Ticket", lazy="raise_on_sql")


class MetricEvent(db.Model):
    """A fact for the service dashboard, written when it happens and never changed.

    Kinds (at most one per thread each, by the unique constraint): asked,
    first_community_response, first_staff_response, solved_community, solved_agent,
    escalated, ticket_first_response, ticket_solved. ``seconds`` is the duration the
    fact measures (from question or ticket to the event).
    """
    __tablename__ = "bridge_metric_events"
    __table_args__ = (UniqueConstraint("kind", "thread_id"),
                      Index("ix_bridge_metric_events_kind_created", "kind", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(db.String(30))
    thread_id: Mapped[int] = mapped_column(db.ForeignKey("threads.id"))
    seconds: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
