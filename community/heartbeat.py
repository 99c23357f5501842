"""Worker heartbeats: each worker process records, every
``FORUM_WORKER_HEARTBEAT_SECONDS``, that it is alive and what it serves, in one row
per host and pid. ``/readyz`` and ``/admin/connectors`` list them, so an operator
sees a worker that stopped (its row stops moving) on any host.
"""
import os
import socket
from dataclasses import dataclass
from datetime import timedelta

import click
from flask import current_app
from sqlalchemy import delete, select

from . import clock
from .extensions import db
from .models.heartbeat import WorkerHeartbeat

KEY = "forum_heartbeat"
FORGET_AFTER = timedelta(days=7)   # rows of workers gone this long are deleted
LISTED_FOR = timedelta(days=1)     # workers shown: those seen within this


@dataclass
class Worker:
    host: str
    pid: int
    kinds: str
    started_at: object
    last_seen_at: object
    seconds_ago: int
    alive: bool

    def as_json(self):
        return {"host": self.host, "pid": self.pid, "kinds": self.kinds,
                "started_at": self.started_at.isoformat() + "Z",
                "last_seen_at": self.last_seen_at.isoformat() + "Z",
                "seconds_ago": self.seconds_ago, "alive": self.alive}


def describe(kinds=None, exclude_kinds=()):
    """What a worker serves, as stored: ``*``, ``bridge.*`` or ``* not bridge.*``."""
    served = ",".join(kinds) if kinds else "*"
    return f"{served} not {','.join(exclude_kinds)}" if exclude_kinds else served


def beat(kinds=None, exclude_kinds=(), force=False):
    """Record that this worker process is alive (at most every
    ``WORKER_HEARTBEAT_SECONDS`` unless ``force``); commits. Returns whether it wrote."""
    state = current_app.extensions.setdefault(KEY, {"started": clock.now(), "last": None})
    now = clock.now()
    every = timedelta(seconds=current_app.config["WORKER_HEARTBEAT_SECONDS"])
    if not force and state["last"] is not None and now - state["last"] < every:
        return False
    host, pid = socket.gethostname(), os.getpid()
    row = db.session.scalar(select(WorkerHeartbeat).where(WorkerHeartbeat.host == host,
                                                          WorkerHeartbeat.pid == pid))
    if row is None:
        # Only this process writes its (host, pid): no other writer can race it.
        row = WorkerHeartbeat(host=host, pid=pid, started_at=state["started"])
        db.session.add(row)
    row.kinds = describe(kinds, exclude_kinds)[:500]
    row.last_seen_at = now
    db.session.execute(delete(WorkerHeartbeat)
                       .where(WorkerHeartbeat.last_seen_at < now - FORGET_AFTER)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    state["last"] = now
    return True


def beat_from_worker_command():
    """The periodic job: the worker command's own ``--kinds``/``--exclude-kinds`` are
    the click context's parameters (the job runs inside that command)."""
    context = click.get_current_context(silent=True)
    params = context.params if context is not None else {}
    beat(params.get("kinds"), params.get("exclude_kinds") or ())


def recent():
    """The workers seen within a day, most recently seen first."""
    now = clock.now()
    alive_within = 3 * current_app.config["WORKER_HEARTBEAT_SECONDS"]
    rows = db.session.scalars(select(WorkerHeartbeat)
                              .where(WorkerHeartbeat.last_seen_at >= now - LISTED_FOR)
                              .order_by(WorkerHeartbeat.last_seen_at.desc()))
    workers = []
    for row in rows:
        ago = max(0, int((now - row.last_seen_at).total_seconds()))
        workers.append(Worker(row.host, row.pid, row.kinds, row.started_at, row.last_seen_at,
                              ago, ago <= alive_within))
    return workers


def init_app(app):
    from . import outbox
    # Every worker process beats, not one per cluster like the other periodic jobs.
    outbox.register_periodic(app, "core.heartbeat",
                             timedelta(seconds=app.config["WORKER_HEARTBEAT_SECONDS"]),
                             beat_from_worker_command, each_worker=True)
