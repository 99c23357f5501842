"""The worker's periodic poll of the configured connector (RT has no webhooks).

The job runs often and polls only when the connector's interval has passed since
the last poll, so the interval is a setting and not fixed at import. A failed poll
keeps its position: the next one resumes where the last one stopped.
"""
import logging
from datetime import timedelta


from community import clock
from community.extensions import db

from . import registry
from .models import ConnectorState

log = logging.getLogger(__name__)


POLL_EVERY = timedelta(seconds=15)


def poll_job():
    run_poll(force=False)


def run_poll(force=True):
    """Poll the configured connector if it polls and its interval has passed.
    Returns True when a poll ran and succeeded, False when it failed, None when
    nothing was due."""
    connector = registry.get()
    if not connector.polls or connector.settings_problem():
        return None
    state = ConnectorState.of(connector.name)
    now = clock.now()
    if not force and state.last_poll_at is not None \
            and now - state.last_poll_at < timedelta(seconds=connector.poll_every()):
        return None
    db.session.commit()
    try:
        connector.poll()
    except Exception as error:  # noqa: BLE001 - recorded for the health page, retried next time
        db.session.rollback()
        state = ConnectorState.of(connector.name)
        state.last_poll_at = now
        state.last_poll_error = str(error)[:2000]
        db.session.commit()
        log.warning("poll of %s failed: %s", connector.name, error)
        return False
    state = ConnectorState.of(connector.name)
    state.last_poll_at = now
    state.last_poll_ok_at = now
    state.last_poll_error = None
    db.session.commit()
    return True
