"""Prometheus metrics at ``/metrics`` (``prometheus_client``).

Two kinds of figures:

- counted by each web process as requests pass: requests by endpoint, method and
  status, and their latency. Under gunicorn with ``PROMETHEUS_MULTIPROC_DIR`` set,
  every worker process writes them there and a scrape adds them up (multiprocess
  mode, see deploy/gunicorn.conf.py);
- read from the database at scrape time, so every host reports the same: the outbox
  backlog, oldest waiting row, retries and failures by kind (one query), each
  worker's heartbeat, each periodic job's last run (``periodic_runs``: its age, its
  duration, its last success), and what the features add through the
  ``metrics.collect`` hook (``Reading``s: the agent bridge's escalations and
  connector health).

Only addresses in ``FORUM_METRICS_ALLOW`` may read them (the client address after
``FORUM_PROXY_COUNT``'s proxies).
"""
import logging
import os
import time
from dataclasses import dataclass, field

from flask import current_app, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import case, func, select

from . import clock, heartbeat, hooks, outbox
from .extensions import db
from .models import OutboxMessage
from .models.outbox import PeriodicRun

log = logging.getLogger(__name__)

REQUESTS = Counter("forum_http_requests", "HTTP requests answered, by endpoint, method and "
                   "status.", ["endpoint", "method", "status"], registry=None)
LATENCY = Histogram("forum_http_request_duration_seconds", "Time to answer a request, by "
                    "endpoint.", ["endpoint"], registry=None)


@dataclass
class Reading:
    """One value a feature reports through the ``metrics.collect`` hook: a gauge, or
    with ``type="counter"`` a count that only grows (exposed as ``<name>_total``)."""
    name: str     # e.g. forum_bridge_connector_up
    doc: str
    value: float
    labels: dict = field(default_factory=dict)
    type: str = "gauge"


def allowed(address):
    """Whether ``address`` (the client's) is in ``FORUM_METRICS_ALLOW``."""
    import ipaddress
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in network for network in current_app.config["METRICS_ALLOW"])


def exposition():
    """The text a scrape gets."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(_Database())
    return generate_latest(registry)


class _ThisProcess:
    def collect(self):
        yield from REQUESTS.collect()
        yield from LATENCY.collect()


class _Database:
    """Figures every host reads alike from the database, at scrape time; when the
    database cannot answer, ``forum_database_up`` says so and the rest is left out."""

    def collect(self):
        up = GaugeMetricFamily("forum_database_up", "1 when the database answered this scrape.")
        try:
            families = [*outbox_families(), *worker_families(), *periodic_families(),
                        *feature_families()]
        except Exception as error:  # noqa: BLE001 - the scrape still reports the rest
            db.session.rollback()
            log.warning("metrics from the database failed: %s", error)
            families = []
        up.add_metric([], 1 if families else 0)
        yield up
        yield from families


def outbox_families():
    now = clock.now()
    rows = db.session.execute(
        select(OutboxMessage.kind, OutboxMessage.status, func.count(),
               func.min(OutboxMessage.created_at),
               func.sum(case((OutboxMessage.attempts > 0, 1), else_=0)))
        .where(OutboxMessage.status.in_(("pending", "failed")))
        .group_by(OutboxMessage.kind, OutboxMessage.status)).all()
    backlog = GaugeMetricFamily("forum_outbox_backlog", "Outbox rows waiting to run, by kind.",
                                labels=["kind"])
    oldest = GaugeMetricFamily(
        "forum_outbox_oldest_age_seconds", "Age of the oldest waiting outbox row, by kind "
        "(for search.index: the search index lag).", labels=["kind"])
    retrying = GaugeMetricFamily("forum_outbox_retrying", "Waiting outbox rows that failed "
                                 "before and will be retried, by kind.", labels=["kind"])
    failed = GaugeMetricFamily("forum_outbox_failed", "Outbox rows failed for good (shown to "
                               "admins), by kind.", labels=["kind"])
    # Every kind this app runs has a value, 0 included, so no series comes and goes.
    values = {kind: {"backlog": 0, "oldest": 0.0, "retrying": 0, "failed": 0}
              for kind in hooks.registered("outbox.handler")}
    for kind, status, count, first, retried in rows:
        value = values.setdefault(kind, {"backlog": 0, "oldest": 0.0, "retrying": 0,
                                         "failed": 0})
        if status == "failed":
            value["failed"] = count
        else:
            value["backlog"], value["retrying"] = count, int(retried or 0)
            value["oldest"] = max(0.0, (now - first).total_seconds())
    for kind, value in sorted(values.items()):
        backlog.add_metric([kind], value["backlog"])
        oldest.add_metric([kind], value["oldest"])
        retrying.add_metric([kind], value["retrying"])
        failed.add_metric([kind], value["failed"])
    return backlog, oldest, retrying, failed


def worker_families():
    seen = GaugeMetricFamily("forum_worker_last_seen_seconds", "Seconds since each worker's "
                             "last heartbeat.", labels=["host", "pid", "kinds"])
    for worker in heartbeat.recent():
        seen.add_metric([worker.host, str(worker.pid), worker.kinds], worker.seconds_ago)
    return (seen,)


def periodic_families():
    """The periodic jobs the cluster runs once (escalation sweep, connector poll,
    digests, ...), from their ``periodic_runs`` rows: when each last ran, how long
    that took, and when one last ended without an error."""
    now = clock.now()
    duration = GaugeMetricFamily(
        "forum_periodic_job_duration_seconds", "How long the last run of each periodic "
        "job took (the escalation sweep: job=\"agent_bridge.sweep\").", labels=["job"])
    last_run = GaugeMetricFamily("forum_periodic_job_last_run_age_seconds", "Seconds since "
                                 "each periodic job last started.", labels=["job"])
    succeeded = GaugeMetricFamily("forum_periodic_job_last_success_age_seconds", "Seconds "
                                  "since a run of each periodic job last ended without an "
                                  "error.", labels=["job"])
    cluster_jobs = {name for name, job in outbox.periodic_jobs().items() if not job.each_worker}
    for row in db.session.scalars(select(PeriodicRun).where(PeriodicRun.name.in_(cluster_jobs))
                                  .order_by(PeriodicRun.name)):
        if row.last_duration_seconds is not None:
            duration.add_metric([row.name], row.last_duration_seconds)
        if row.last_run_at is not None:
            last_run.add_metric([row.name], max(0.0, (now - row.last_run_at).total_seconds()))
        if row.last_succeeded_at is not None:
            succeeded.add_metric([row.name],
                                 max(0.0, (now - row.last_succeeded_at).total_seconds()))
    return duration, last_run, succeeded


def feature_families():
    families = {}
    for collect in hooks.registered("metrics.collect"):
        for reading in collect():
            labels = sorted(reading.labels)
            kind = CounterMetricFamily if reading.type == "counter" else GaugeMetricFamily
            family = families.setdefault(reading.name, kind(reading.name, reading.doc,
                                                            labels=labels))
            family.add_metric([str(reading.labels[name]) for name in labels], reading.value)
    return families.values()


def init_app(app):
    def start():
        g.metrics_started = time.perf_counter()

    def count(response):
        endpoint = request.url_rule.endpoint if request.url_rule else "unmatched"
        REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
        if "metrics_started" in g:
            LATENCY.labels(endpoint).observe(time.perf_counter() - g.metrics_started)
        return response

    app.before_request_funcs.setdefault(None, []).insert(0, start)
    app.after_request_funcs.setdefault(None, []).insert(0, count)
