"""What ``/readyz`` checks: may this host take traffic?

- ``database``: a ``SELECT 1`` answers;
- ``migrations``: the database is at the migrations' head (a host running newer or
  older code than the schema is not ready);
- ``outbox``: no row has been due longer than ``FORUM_READY_OUTBOX_MAX_AGE`` (no
  worker runs, or they cannot keep up);
- each check a feature registers with the ``health.check`` hook (search: its
  backend answers).

Each check answers ``None`` (fine) or a short problem. ``/healthz`` asks nothing:
the process is up.
"""
import logging

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import func, select, text

from . import clock, heartbeat, hooks
from .extensions import db
from .models import OutboxMessage

log = logging.getLogger(__name__)


def database():
    db.session.execute(text("SELECT 1"))


def _head():
    """The migrations' head revision(s), read once per app."""
    state = current_app.extensions.setdefault("forum_health", {})
    if "heads" not in state:
        directory = current_app.extensions["migrate"].directory
        state["heads"] = frozenset(ScriptDirectory(directory).get_heads())
    return state["heads"]


def migrations():
    current = set(MigrationContext.configure(db.session.connection()).get_current_heads())
    if current != _head():
        return (f"the database is at {', '.join(sorted(current)) or 'no revision'}, the code "
                f"at {', '.join(sorted(_head()))}: run `flask --app community db upgrade`")
    return None


def outbox():
    limit = current_app.config["READY_OUTBOX_MAX_AGE"]
    if not limit:
        return None
    now = clock.now()
    oldest = db.session.scalar(select(func.min(OutboxMessage.run_after)).where(
        OutboxMessage.status == "pending", OutboxMessage.run_after <= now))
    waited = (now - oldest).total_seconds() if oldest is not None else 0
    if waited > limit:
        return f"an outbox row has been due for {int(waited)} s (limit {limit} s): is a worker running?"
    return None


def _run(name, check):
    """``{"ok": bool, "problem": text}``; an exception is a problem, logged with its detail."""
    try:
        problem = check()
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        db.session.rollback()
        log.warning("readiness check %s failed: %s", name, error)
        problem = f"{name} check failed ({type(error).__name__})"
    return {"ok": problem is None, **({"problem": problem} if problem else {})}


def readiness():
    """(ready, report): each check's result and the workers' heartbeats."""
    checks = {"database": _run("database", database)}
    reachable = checks["database"]["ok"]
    others = [("migrations", migrations), ("outbox", outbox),
              *hooks.registered("health.check")]
    for name, check in others:
        # Without the database, asking again would only wait for its timeout again.
        checks[name] = _run(name, check) if reachable else {
            "ok": False, "problem": "the database cannot be reached"}
    workers = _workers() if reachable else []
    ready = all(check["ok"] for check in checks.values())
    return ready, {"status": "ready" if ready else "not ready", "checks": checks,
                   "workers": workers}


def _workers():
    try:
        return [worker.as_json() for worker in heartbeat.recent()]
    except Exception as error:  # noqa: BLE001 - e.g. the table of a migration not applied yet
        db.session.rollback()
        log.warning("worker heartbeats cannot be read: %s", error)
        return []
