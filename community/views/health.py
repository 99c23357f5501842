"""Probes and metrics for operators and load balancers: ``/healthz`` (the process
is up; no database call), ``/readyz`` (this host may take traffic: see
``community/health.py``) and ``/metrics`` (Prometheus, from ``FORUM_METRICS_ALLOW``
only). Nothing here needs a login; what names hosts (the workers, the metrics) is
shown to the allowed addresses only."""
from flask import Blueprint, Response, jsonify, request

from .. import health, metrics
from ..extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    ready, report = health.readiness()
    if not metrics.allowed(request.remote_addr):
        report.pop("workers")
    db.session.rollback()   # nothing to commit; a failed check may have left a transaction
    return jsonify(report), 200 if ready else 503


@bp.get("/metrics")
def metrics_page():
    if not metrics.allowed(request.remote_addr):
        return Response("Metrics are readable from the addresses in FORUM_METRICS_ALLOW only.\n",
                        status=403, mimetype="text/plain")
    from prometheus_client import CONTENT_TYPE_LATEST
    return Response(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)
