from datetime import datetime

from sqlalchemy import Index
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import now
from ..extensions import db


class OutboxMessage(db.Model):
    """Work outside the database, written in the same transaction as its cause.

    ``key`` is the idempotency key: enqueueing the same key twice keeps one row.
    A worker holds the rows it claimed by ``claim_token`` until ``claimed_until``
    (its lease, renewed while it runs them); ``attempts`` counts the runs started.
    """
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_run_after", "status", "run_after"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(db.String(80))
    key: Mapped[str] = mapped_column(db.String(200), unique=True)
    # Rows with the same ordering key run one after another, in id order.
    ordering_key: Mapped[str | None] = mapped_column(db.String(120), index=True)
    payload: Mapped[dict] = mapped_column(db.JSON, default=dict)
    status: Mapped[str] = mapped_column(db.String(12), default="pending")  # pending|done|failed
    attempts: Mapped[int] = mapped_column(default=0)
    run_after: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    claimed_until: Mapped[datetime | None] = mapped_column(db.DateTime)
    claim_token: Mapped[str | None] = mapped_column(db.String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    done_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    last_error: Mapped[str | None] = mapped_column(db.Text)


class PeriodicRun(db.Model):
    """When a periodic job runs next, for the whole cluster: the worker whose
    conditional UPDATE moves ``next_run_at`` forward runs the job; the others do not."""
    __tablename__ = "periodic_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(db.String(120), unique=True)
    next_run_at: Mapped[datetime] = mapped_column(db.DateTime)
    last_run_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    # How long the last run took (from last_run_at), and when a run last ended without
    # an error: read by /metrics, the same on every host.
    last_duration_seconds: Mapped[float | None] = mapped_column(db.Float)
    last_succeeded_at: Mapped[datetime | None] = mapped_column(db.DateTime)
