"""Logs: plain text by default; with ``FORUM_LOG_FORMAT=json`` one JSON object per
line, for a log collector that gathers the lines of every host.

Every request gets an id, taken from the ``X-Request-Id`` header a proxy or load
balancer sent (when it looks like one) or made here, and echoed in the response's
``X-Request-Id``. Each log line written while a request runs carries that id, the
user id and the endpoint; in JSON mode each request also ends with one line saying
its method, path, status and duration. The worker's lines carry the outbox row's
kind and key (``outbox_row``).
"""
import contextvars
import json
import logging
import re
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

from flask import g, has_request_context, request, session

log = logging.getLogger("community.requests")

HEADER = "X-Request-Id"
# What we accept from a proxy: short, and nothing that could forge a log line.
GIVEN_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_outbox_row = contextvars.ContextVar("forum_outbox_row", default=None)


@contextmanager
def outbox_row(kind, key):
    """While running one outbox row: every log line says which (``kind``, ``key``)."""
    token = _outbox_row.set({"kind": kind, "key": key})
    try:
        yield
    finally:
        _outbox_row.reset(token)


def _user_id():
    """The user of the request, without loading it: a log line must never query."""
    user = g.get("api_user") or g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        return user.id
    user_id = session.get("_user_id")
    return int(user_id) if isinstance(user_id, str) and user_id.isdigit() else user_id


def context():
    """What a log line written now should carry besides its message."""
    fields = {}
    if has_request_context():
        fields["request_id"] = g.get("request_id")
        fields["endpoint"] = request.endpoint
        fields["user_id"] = _user_id()
    row = _outbox_row.get()
    if row:
        fields.update(row)
    return fields


class ContextFilter(logging.Filter):
    def filter(self, record):
        record.forum = context()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {"time": datetime.fromtimestamp(record.created, UTC)
                 .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                 "level": record.levelname, "logger": record.name,
                 "message": record.getMessage()}
        entry.update({k: v for k, v in getattr(record, "forum", {}).items() if v is not None})
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(app):
    """The root logger's handler for this process (not for tests, unless JSON is asked
    for); installed once, replaced when another app of the process configures again."""
    json_format = app.config["LOG_FORMAT"] == "json"
    if (app.debug or app.testing) and not json_format:
        return
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "forum_handler", False)]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.forum_handler = True
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter() if json_format else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def init_app(app):
    json_format = app.config["LOG_FORMAT"] == "json"

    def start_request():
        given = request.headers.get(HEADER, "")
        g.request_id = given if GIVEN_ID.fullmatch(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    def end_request(response):
        if "request_id" not in g:   # refused before start_request ran
            start_request()
        response.headers[HEADER] = g.request_id
        if json_format:
            duration = (time.perf_counter() - g.request_started) * 1000
            log.info("%s %s %s", request.method, request.path, response.status_code,
                     extra={"fields": {"method": request.method, "path": request.path,
                                       "status": response.status_code,
                                       "duration_ms": round(duration, 1)}})
        return response

    # First of all, and last of all (after_request functions run in reverse): even the
    # input layer's refusals carry the id, and the duration includes the commit.
    app.before_request_funcs.setdefault(None, []).insert(0, start_request)
    app.after_request_funcs.setdefault(None, []).insert(0, end_request)
