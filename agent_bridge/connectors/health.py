"""What the connector health page shows, and retrying a failed delivery."""
import logging
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from community import clock
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
