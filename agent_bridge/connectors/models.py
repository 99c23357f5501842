"""The connectors' own tables: what came in (idempotency) and where each poll stands."""
from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from community.clock import now
from community.extensions import db


class InboundEvent(db.Model):
    """One event a helpdesk sent us (a callback or a polled transaction).

    The unique constraint makes applying it exactly-once: a repeat, a replay or two
    workers polling at once insert the same row, and only the first one wins.
    """
    __tablename__ = "bridge_inbound_events"
    __table_args__ = (UniqueConstraint("connector", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    connector: Mapped[str] = mapped_column(db.String(40))
    external_id: Mapped[str] = mapped_column(db.String(200))
    kind: Mapped[str] = mapped_column(db.String(20))
    ticket_id: Mapped[int | None] = mapped_column(db.ForeignKey("bridge_tickets.id"), index=True)
    # applied | ignored (with the reason in ``note``)
    outcome: Mapped[str] = mapped_column(db.String(12), default="applied")
    note: Mapped[str] = mapped_column(db.String(200), default="")
    received_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)


class ConnectorState(db.Model):
    """Per connector: the poll position and the last poll's outcome (health page)."""
    __tablename__ = "bridge_connector_state"

    connector: Mapped[str] = mapped_column(db.String(40), primary_key=True)
    # Opaque to everyone but the connector, e.g. the last RT transaction id seen.
    position: Mapped[str | None] = mapped_column(db.String(200))
    # The helpdesk's name for the forum's own account (its actions are never posted back).
    own_account: Mapped[str | None] = mapped_column(db.String(200))
    last_poll_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    last_poll_ok_at: Mapped[datetime | None] = mapped_column(db.DateTime)
    last_poll_error: Mapped[str | None] = mapped_column(db.Text)

    @classmethod
    def of(cls, connector):
        """The connector's row, created (and flushed) on first use."""
        state = db.session.get(cls, connector)
        if state is None:
            state = cls(connector=connector)
            db.session.add(state)
            db.session.flush()
        return state


class ContactConsent(db.Model):
    """A customer allowed the support team's helpdesk to see their e-mail address.

    Without a row the helpdesk gets a pseudonymous address only.
    """
    __tablename__ = "bridge_contact_consents"

    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)


class Pseudonym(db.Model):
    """The pseudonymous address a helpdesk knows a customer by, kept once made: it stays
    the same for the customer across secret key rotations, and every host sends it."""
    __tablename__ = "bridge_pseudonyms"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id"), unique=True)
    address: Mapped[str] = mapped_column(db.String(254))
    made_at: Mapped[datetime] = mapped_column(db.DateTime, default=now)
