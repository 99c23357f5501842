from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Index, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import now
from ..extensions import db

ROLES = ("customer", "moderator", "agent", "admin")
STAFF_ROLES = ("moderator", "agent", "admin")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(db.String(254), unique=True)
    name: Mapped[str] = mapped_column(db.String(60))
    password_hash: Mapped[str | None] = mapped_column(db.String(255))
    role: Mapped[str] = mapped_column(db.String(20), default="customer")
    staff_title: Mapped[str | None] = mapped_column(db.String(60))
    locale: Mapped[str | None] = mapped_column(db.String(8))
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    # Bumped on password change: invalidates sessions and remember-me cookies.
    session_version: Mapped[int] = mapped_column(default=1)
    # Notifications: follow threads one asks or answers in; unread count for the bell
    # (kept on the row, so the header costs no query; see community/notifications).
    auto_subscribe: Mapped[bool] = mapped_column(default=True, server_default=true())
    unread_notifications: Mapped[int] = mapped_column(default=0, server_default="0")

    tokens = relationship("ApiToken", back_populates="user", lazy="raise_on_sql")

    @property
    def is_staff(self):
        return self.role in STAFF_ROLES

    def get_id(self):
        return f"{self.id}:{self.session_version}"

    def __repr__(self):
        return f"<User {self.id} {self.email} {self.role}>"


class ApiToken(db.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored."""
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(db.String(60))
    token_hash: Mapped[str] = mapped_column(db.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(db.String(12))
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    last_used_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(db.DateTime)

    user = relationship("User", back_populates="tokens")


class LoginAttempt(db.Model):
    """A login: failures are counted for throttling per (account, address), per address
    and per account; successes tell the addresses an account's owner logs in from, which
    the slower account-wide limit spares."""
    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_created", "email", "created_at"),
        Index("ix_login_attempts_ip_created", "ip", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(db.String(254))
    ip: Mapped[str] = mapped_column(db.String(64))
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
    succeeded: Mapped[bool] = mapped_column(default=False, server_default=false())


class Registration(db.Model):
    """An account created through the registration form, kept for limiting
    registrations per client address and per network (/24, /64)."""
    __tablename__ = "registrations"
    __table_args__ = (
        Index("ix_registrations_ip_created", "ip", "created_at"),
        Index("ix_registrations_network_created", "network", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ip: Mapped[str] = mapped_column(db.String(64))
    network: Mapped[str] = mapped_column(db.String(64))
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
