from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class WorkerHeartbeat(db.Model):
    """One worker process (host and pid), what it serves and when it was last alive."""
    __tablename__ = "worker_heartbeats"
    __table_args__ = (UniqueConstraint("host", "pid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    host: Mapped[str] = mapped_column(db.String(255))
    pid: Mapped[int]
    # The outbox kinds it serves: "*" (all), or its --kinds / --exclude-kinds patterns.
    kinds: Mapped[str] = mapped_column(db.String(500))
    started_at: Mapped[datetime] = mapped_column(db.DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(db.DateTime, index=True)
