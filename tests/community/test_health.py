"""What an operator's probes and monitoring see: /healthz, /readyz, the workers'
heartbeats (also on /admin/connectors) and /metrics, only from allowed addresses."""
from datetime import timedelta

import pytest
from flask_migrate import stamp

from community import clock, outbox
from community.extensions import db
from tests.conftest import login

LOOPBACK = {"REMOTE_ADDR": "127.0.0.1"}
UNREACHABLE = "postgresql+psycopg://forum@127.0.0.1:9/forum"   # nothing listens on port 9


@pytest.fixture
def search_backend():
    """As configured (``auto``: PostgreSQL's own on PostgreSQL); a test may ask for one."""
    return "auto"


@pytest.fixture
def app(make_app, search_backend):
    app = make_app(SEARCH_BACKEND=search_backend)
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def at_head(app):
    """The schema as `flask --app community db upgrade` leaves it (tests build it with
    create_all, which records no revision)."""
    stamp()
    db.session.commit()
    return app


def test_healthz_answers_without_asking_the_database(make_app):
    from webtest import TestApp
    app = make_app(create_schema=False, SQLALCHEMY_DATABASE_URI=UNREACHABLE,
                   SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}})
    client = TestApp(app, extra_environ=LOOPBACK)
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz", status=503).json
    assert ready["status"] == "not ready"
    assert ready["checks"]["database"] == {"ok": False,
                                           "problem": "database check failed (OperationalError)"}
    assert ready["checks"]["migrations"] == {"ok": False,
                                             "problem": "the database cannot be reached"}
    assert ready["checks"]["outbox"]["ok"] is False
    # The address of the database is the operator's business, not the probe's.
    assert "127.0.0.1" not in client.get("/readyz", status=503).text


def test_readyz_is_ready_at_the_migrations_head_and_lists_each_check(testapp, at_head):
    ready = testapp.get("/readyz", extra_environ=LOOPBACK).json
    assert ready["status"] == "ready"
    assert ready["checks"] == {"database": {"ok": True}, "migrations": {"ok": True},
                               "outbox": {"ok": True}, "search": {"ok": True}}
    assert ready["workers"] == []


def test_a_database_behind_the_code_is_not_ready(testapp, app):
    """New code on a host whose deploy has not run `db upgrade` yet."""
    from alembic.script import ScriptDirectory
    script = ScriptDirectory(app.extensions["migrate"].directory)
    [head] = script.get_heads()
    previous = script.get_revision(head).down_revision
    stamp(revision=previous)
    db.session.commit()
    problem = testapp.get("/readyz", status=503).json["checks"]["migrations"]["problem"]
    assert problem == (f"the database is at {previous}, the code at {head}: run "
                       "`flask --app community db upgrade`")


def test_an_outbox_row_due_too_long_makes_the_host_not_ready(testapp, at_head):
    clock.freeze()
    outbox.enqueue("search.index", {"thread_ids": []}, key="probe-1")
    db.session.commit()
    clock.travel(timedelta(seconds=599))
    assert testapp.get("/readyz").json["checks"]["outbox"] == {"ok": True}
    clock.travel(timedelta(seconds=2))
    check = testapp.get("/readyz", status=503).json["checks"]["outbox"]
    assert check["ok"] is False and "due for 601 s (limit 600 s)" in check["problem"]
    outbox.drain()
    assert testapp.get("/readyz").json["status"] == "ready"


def test_the_outbox_check_can_be_switched_off(make_app):
    from webtest import TestApp
    app = make_app(READY_OUTBOX_MAX_AGE=0)
    with app.app_context():
        stamp()
        outbox.enqueue("search.index", {"thread_ids": []}, key="probe-2")
        db.session.commit()
    clock.travel(timedelta(days=1))
    assert TestApp(app).get("/readyz").json["checks"]["outbox"] == {"ok": True}


@pytest.mark.parametrize("search_backend", ["whoosh"])  # an index per host
def test_a_search_index_missing_on_this_host_is_not_ready(testapp, at_head, make_thread, app):
    make_thread()   # visible, but this host never built an index
    check = testapp.get("/readyz", status=503).json["checks"]["search"]
    assert check == {"ok": False, "problem": "no search index on this host: run "
                                             "`flask --app community search reindex`"}
    app.test_cli_runner().invoke(args=["search", "reindex"])
    assert testapp.get("/readyz").json["checks"]["search"] == {"ok": True}


def test_each_worker_reports_its_heartbeat_on_readyz_and_the_connectors_page(
        testapp, at_head, app, make_user):
    clock.freeze()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["worker", "--once", "--exclude-kinds", "bridge.*"])
    assert result.exit_code == 0, result.output
    [worker] = testapp.get("/readyz", extra_environ=LOOPBACK).json["workers"]
    assert worker["kinds"] == "* not bridge.*" and worker["alive"] is True
    assert worker["seconds_ago"] == 0 and worker["pid"] > 0 and worker["host"]
    # Hosts and process ids are for the operator's addresses only.
    assert "workers" not in testapp.get("/readyz").json

    login(testapp, make_user(role="admin"))
    row = testapp.get("/admin/connectors").html.select_one("#workers tr.worker")
    assert worker["host"] in row.text and "* not bridge.*" in row.text
    assert "worker-alive" in row["class"]

    clock.travel(timedelta(minutes=5))   # the worker stopped: its row stops moving
    [worker] = testapp.get("/readyz", extra_environ=LOOPBACK).json["workers"]
    assert worker["alive"] is False and worker["seconds_ago"] == 300
    row = testapp.get("/admin/connectors").html.select_one("#workers tr.worker")
    assert "worker-silent" in row["class"] and "silent" in row.text

    clock.travel(timedelta(days=2))
    assert "No worker has reported in the last day" in testapp.get("/admin/connectors").text


def test_metrics_are_refused_to_addresses_not_allowed(testapp):
    page = testapp.get("/metrics", status=403)
    assert "FORUM_METRICS_ALLOW" in page.text


def test_metrics_show_requests_and_the_outbox_by_kind(testapp, at_head, app):
    clock.freeze()
    testapp.get("/healthz")
    outbox.enqueue("search.index", {"thread_ids": []}, key="metrics-1")
    db.session.commit()
    clock.travel(timedelta(seconds=90))
    text = testapp.get("/metrics", extra_environ=LOOPBACK).text
    samples = dict(line.rsplit(" ", 1) for line in text.splitlines()
                   if line and not line.startswith("#"))
    assert float(samples['forum_http_requests_total{endpoint="health.healthz",method="GET",'
                         'status="200"}']) >= 1
    assert 'forum_http_request_duration_seconds_count{endpoint="health.healthz"}' in samples
    assert samples['forum_outbox_backlog{kind="search.index"}'] == "1.0"
    assert samples['forum_outbox_oldest_age_seconds{kind="search.index"}'] == "90.0"
    # Every kind the app runs has its series, also when nothing waits.
    assert samples['forum_outbox_backlog{kind="bridge.deliver"}'] == "0.0"
    assert samples['forum_outbox_failed{kind="search.index"}'] == "0.0"
    assert samples["forum_database_up"] == "1.0"


@pytest.mark.parametrize("proxies, forwarded_for, allowed", [
    (0, "198.51.100.20", True),             # no proxy: the header is ignored, the peer counts
    (1, "198.51.100.20", False),            # nginx forwards an outside client
    (1, "198.51.100.20, 127.0.0.1", True),  # ... and the operator's scrape on the host
    (1, "127.0.0.1, 198.51.100.20", False),  # a client put loopback before nginx's entry
    (2, "127.0.0.1, 10.0.0.2", True),       # load balancer and nginx: second from the end
    (2, "127.0.0.1, 198.51.100.20, 10.0.0.2", False),
])
def test_metrics_see_the_client_behind_the_trusted_proxies(make_app, monkeypatch, proxies,
                                                           forwarded_for, allowed):
    from webtest import TestApp
    monkeypatch.setenv("FORUM_PROXY_COUNT", str(proxies))
    client = TestApp(make_app(), extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    client.get("/metrics", headers={"X-Forwarded-For": forwarded_for},
               status=200 if allowed else 403)


def test_metrics_allow_networks(make_app, monkeypatch):
    from webtest import TestApp
    monkeypatch.setenv("FORUM_METRICS_ALLOW", "10.1.0.0/16, ::1")
    app = make_app()
    TestApp(app, extra_environ={"REMOTE_ADDR": "10.1.200.3"}).get("/metrics", status=200)
    TestApp(app, extra_environ={"REMOTE_ADDR": "10.2.0.1"}).get("/metrics", status=403)
    TestApp(app, extra_environ={"REMOTE_ADDR": "127.0.0.1"}).get("/metrics", status=403)
