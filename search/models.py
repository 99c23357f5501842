"""Deflection bookkeeping: which suggested threads a member opened while asking, and
the counts per day that the service dashboard reads (table ``search_deflection_days``)."""
from datetime import date, datetime

from sqlalchemy import Index
from sqlalchemy.orm import Mapped, mapped_column

from community.clock import now
from community.extensions import db


class SuggestionOpen(db.Model):
    """A member opened a similar question suggested on the ask form. Kept until the
    ask session is settled (see ``search.services.deflection``), then folded into the day's counts."""
    __tablename__ = "search_suggestion_opens"
    __table_args__ = (Index("ix_search_suggestion_opens_user_draft", "user_id", "draft"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"))
    # One ask form session (a random token in the form), so several opens while asking
    # one question count as one deflection.
    draft: Mapped[str] = mapped_column(db.String(32))
    thread_id: Mapped[int] = mapped_column(db.ForeignKey("threads.id", ondelete="CASCADE"))
    opened_at: Mapped[datetime] = mapped_column(db.DateTime, default=now, index=True)
    # Set when the member posted a question after all.
    asked_at: Mapped[datetime | None] = mapped_column(db.DateTime)


class DeflectionDay(db.Model):
    """Counts per UTC day of the first opened suggestion of each ask session."""
    __tablename__ = "search_deflection_days"

    day: Mapped[date] = mapped_column(db.Date, primary_key=True)
    opened: Mapped[int] = mapped_column(default=0)      # suggestions opened
    sessions: Mapped[int] = mapped_column(default=0)    # ask sessions with an opened suggestion
    deflected: Mapped[int] = mapped_column(default=0)   # ... that ended without a question
