"""Tables of privacy by design (community/services/privacy.py): the members' data exports,
the record of erasures and redactions, and the legal pages admins write.

An export's ZIP is kept in the database, not in the instance folder: web hosts and
workers may share nothing but the database, and the host that serves the download
is rarely the worker that built it.
"""
from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..clock import now
from ..extensions import db


class DataExport(db.Model):
    """One "Download my data" request: built by the worker, downloadable by its member
    only until ``expires_at``, deleted by the retention job after that."""
    __tablename__ = "privacy_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    # pending (waits for the worker) | ready | failed
    status: Mapped[str] = mapped_column(db.String(12), default="pending")
    requested_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    ready_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(db.DateTime, index=True)
    size: Mapped[int | None] = mapped_column()
    # The ZIP; loaded only for a download (``deferred``), never with the row.
    data: Mapped[bytes | None] = deferred(mapped_column(db.LargeBinary))


class PrivacyLog(db.Model):
    """That an erasure, a redaction or an export happened: who, for whom, why, when.

    Never the data itself: ``details`` holds counts, modes and kinds of data only.
    Rows are only ever added (the record a data protection officer shows).
    """
    __tablename__ = "privacy_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(db.String(20), index=True)  # erasure|redaction|export
    # The member concerned (erased accounts stay as anonymous rows).
    user_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"), index=True)
    post_id: Mapped[int | None] = mapped_column(db.ForeignKey("posts.id"))
    actor_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))  # None: the CLI
    reason: Mapped[str] = mapped_column(db.Text, default="")
    details: Mapped[dict] = mapped_column(db.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now, index=True)


class LegalPage(db.Model):
    """The imprint or the privacy policy in one language, in Markdown (rendered and
    sanitized when saved, like posts)."""
    __tablename__ = "privacy_pages"
    __table_args__ = (UniqueConstraint("name", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(db.String(20))  # imprint | privacy
    locale: Mapped[str] = mapped_column(db.String(8))
    body: Mapped[str] = mapped_column(db.Text, default="")
    body_html: Mapped[str] = mapped_column(db.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    updated_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("users.id"))
