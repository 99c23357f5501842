"""What the connector health page shows, and retrying a failed delivery."""
import logging
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from community import clock
from community.metrics import Reading
from community.errors import Conflict, NotFound
from community.extensions import db
from community.models import OutboxMessage

from . import registry
from .models import ConnectorState
from .outbound import KIND

log = logging.getLogger(__name__)

LISTED = 50


@dataclass
class Overview:
    connector: object
    settings_problem: str | None
    state: ConnectorState | None
    pending_count: int
    failed_count: int
    oldest_pending_at: object
    last_delivered_at: object
    pending: list
    failed: list

    @property
    def failing(self):
        """Deliveries are waiting because the helpdesk did not take them."""
        return any(row.last_error for row in self.pending)


def _count(status):
    return db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.kind == KIND, OutboxMessage.status == status))


def _rows(status):
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == KIND, OutboxMessage.status == status)
        .order_by(OutboxMessage.id).limit(LISTED)))


def overview():
    connector = registry.get()
    return Overview(
        connector=connector,
        settings_problem=connector.settings_problem(),
        state=db.session.get(ConnectorState, connector.name),
        pending_count=_count("pending"),
        failed_count=_count("failed"),
        oldest_pending_at=db.session.scalar(
            select(func.min(OutboxMessage.created_at))
            .where(OutboxMessage.kind == KIND, OutboxMessage.status == "pending")),
        last_delivered_at=db.session.scalar(
            select(func.max(OutboxMessage.done_at))
            .where(OutboxMessage.kind == KIND, OutboxMessage.status == "done")),
        pending=_rows("pending"),
        failed=_rows("failed"),
    )


def check_now():
    """Ask the helpdesk live (short timeout); returns ``Health``."""
    return registry.get().health()


def retry(admin, row_id):
    """Put a failed delivery back in the outbox, due now, with a fresh count of attempts."""
    row = db.session.get(OutboxMessage, row_id)
    if row is None or row.kind != KIND:
        raise NotFound(_l("This delivery does not exist."))
    if row.status != "failed":
        raise Conflict(_l("This delivery is not failed (any more)."), code="not_failed")
    row.status = "pending"
    row.attempts = 0
    row.claimed_until = None
    row.run_after = clock.now()
    log.info("admin %s retries delivery %s (%s) of connector %s", admin.id, row.id, row.key,
             current_app.config["BRIDGE_CONNECTOR"])
    return row


# --- /metrics (the core's ``metrics.collect`` hook) ---------------------------------------

def readings():
    """Each connector's health, read from the database at scrape time (every host
    reports the same; nothing asks the helpdesk): the configured connector, and any
    other that still has deliveries waiting or failed, or a poll position."""
    now = clock.now()
    connector_of = OutboxMessage.payload["connector"].as_string()
    figures = {}

    def of(name):
        return figures.setdefault(name, {"retrying": 0, "failed": 0, "success": None,
                                         "poll_error": False})

    of(registry.configured_name())
    for name, status, count, erring in db.session.execute(
            select(connector_of, OutboxMessage.status, func.count(),
                   func.sum(case((OutboxMessage.last_error.is_not(None), 1), else_=0)))
            .where(OutboxMessage.kind == KIND, OutboxMessage.status.in_(("pending", "failed")))
            .group_by(connector_of, OutboxMessage.status)):
        if status == "failed":
            of(name)["failed"] += count
        else:
            of(name)["retrying"] += int(erring or 0)
    for name, delivered_at in db.session.execute(
            select(connector_of, func.max(OutboxMessage.done_at))
            .where(OutboxMessage.kind == KIND, OutboxMessage.status == "done")
            .group_by(connector_of)):
        of(name)["success"] = delivered_at
    for state in db.session.scalars(select(ConnectorState)):
        figure = of(state.connector)
        figure["poll_error"] = state.last_poll_error is not None
        if state.last_poll_ok_at is not None:
            figure["success"] = max(filter(None, (figure["success"], state.last_poll_ok_at)))
    found = []
    for name, figure in sorted(figures.items()):
        labels = {"connector": name}
        up = not figure["retrying"] and not figure["poll_error"]
        found += [
            Reading("forum_bridge_connector_up", "1 when the helpdesk took the connector's "
                    "last deliveries and its last poll (0: a delivery waits for a retry, or "
                    "the last poll failed).", 1 if up else 0, labels),
            Reading("forum_bridge_connector_deliveries_retrying", "Deliveries to the "
                    "helpdesk whose last attempt failed, waiting for their retry.",
                    figure["retrying"], labels),
            Reading("forum_bridge_connector_deliveries_failed", "Deliveries to the helpdesk "
                    "failed for good (an admin retries them on /admin/connectors).",
                    figure["failed"], labels)]
        if figure["success"] is not None:
            found.append(Reading(
                "forum_bridge_connector_last_success_age_seconds", "Seconds since the "
                "helpdesk last took a delivery or answered a poll (kept done deliveries "
                "and the poll state; none before the first success).",
                max(0.0, (now - figure["success"]).total_seconds()), labels))
    return found
