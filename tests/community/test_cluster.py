"""Several hosts on one PostgreSQL, as an operator runs them: gunicorn "hosts" (each its
own instance folder, the same database and key, deploy/gunicorn.conf.py), `db upgrade`
run on every host at once, and a host whose database is gone.

Needs PostgreSQL (FORUM_TEST_DATABASE_URL); each module run creates its own database.
"""
import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from community import config
from tests.conftest import POSTGRES_URL

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL: set "
                                                          "FORUM_TEST_DATABASE_URL")]

ROOT = Path(__file__).resolve().parent.parent.parent
KEY = "cluster-test-key-" + "k" * 40
PASSWORD = "correct horse battery"
MIGRATION_LOCK_KEY = 7_310_442_001   # migrations/env.py
STARTUP_SECONDS = 90


def _admin_engine():
    return create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="module")
def database_url():
    """A database of its own, empty: `db upgrade` builds it as on a real deploy."""
    url = make_url(POSTGRES_URL)
    url = url.set(database=f"{url.database}_cluster")
    engine = _admin_engine()
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    yield url.render_as_string(hide_password=False)
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    engine.dispose()


def _env(tmp, name, database_url, **extra):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("FORUM_", "PROMETHEUS_"))}
    env.update(FORUM_DATABASE_URL=database_url, FORUM_SECRET_KEY=KEY,
               FORUM_INSTANCE_PATH=str(tmp / name / "instance"), FORUM_LOG_FORMAT="json",
               FORUM_BASE_URL="http://community.test")
    env.update(extra)
    return env


def _flask(env, *args, check=True):
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "community", *args],
                            env=env, cwd=ROOT, capture_output=True, text=True, timeout=180,
                            check=False)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def _waiting_for_lock(engine):
    with engine.connect() as conn:
        return conn.scalar(text(
            "SELECT count(*) FROM pg_locks JOIN pg_database ON pg_database.oid = database "
            "WHERE locktype = 'advisory' AND NOT granted AND datname = current_database()"))


@pytest.fixture(scope="module")
def upgraded(database_url, tmp_path_factory):
    """Two hosts run `db upgrade` at once on the empty database (the deploy of
    deploy/customer-community-web.service does so on every host)."""
    tmp = tmp_path_factory.mktemp("upgrade")
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")  # locks are per database
    # Hold the migration lock ourselves until both upgrades wait for it, so they
    # really start together.
    holder = engine.connect()
    holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    runs = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "community", "db",
                              "upgrade"], env=_env(tmp, name, database_url), cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for name in ("host-a", "host-b")]
    deadline = time.monotonic() + STARTUP_SECONDS
    while _waiting_for_lock(engine) < 2:
        assert time.monotonic() < deadline, "the upgrades never waited for the lock"
        assert all(run.poll() is None for run in runs), [run.communicate() for run in runs]
        time.sleep(0.1)
    holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
    holder.close()
    outputs = [run.communicate(timeout=180) for run in runs]
    engine.dispose()
    return [(run.returncode, out + err) for run, (out, err) in zip(runs, outputs)]


def test_db_upgrade_on_every_host_at_once_applies_each_migration_once(upgraded, database_url):
    assert [code for code, _ in upgraded] == [0, 0], [output for _, output in upgraded]
    applied = [line.split("Running upgrade", 1)[1].strip() for _, output in upgraded
               for line in output.splitlines() if "Running upgrade" in line]
    revisions = sorted(p.stem for p in (ROOT / "migrations" / "versions").glob("0*.py"))
    assert len(applied) == len(revisions) == len(set(applied))
    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == revisions[-1]
    engine.dispose()


# --- Two web hosts ---------------------------------------------------------------------------------

def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Host:
    """A gunicorn web host started from deploy/gunicorn.conf.py."""

    def __init__(self, tmp, name, database_url, workers=2):
        self.name, self.port = name, _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = _env(tmp, name, database_url)
        self.log = tmp / f"{name}.log"
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                 "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)],
                env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)

    def wait_until_up(self):
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:   # not listening yet, or its workers still starting
                pass
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, f"{self.name} did not start"
            time.sleep(0.2)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)

    def json_log(self):
        return [json.loads(line) for line in self.log.read_text().splitlines()
                if line.startswith("{")]


class Browser:
    """One person's browser; its cookies go to every host, as behind a load balancer."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, url, data=None, headers=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(urllib.request.Request(url, body, headers or {}),
                                  timeout=30) as answer:
                return answer.status, answer.geturl(), answer.read().decode(), answer.headers
        except urllib.error.HTTPError as error:
            return error.code, url, error.read().decode(), error.headers

    def form(self, url, form_id):
        """(action, fields, options of each select) of the form on the page at ``url``."""
        status, _, page, _ = self.request(url)
        assert status == 200, page
        form = BeautifulSoup(page, "html.parser").find("form", id=form_id)
        fields = {field["name"]: field.get("value", "") for field in form.find_all("input")
                  if field.get("name") and field.get("type") not in ("checkbox", "submit")}
        options = {select["name"]: {o.text.strip(): o["value"] for o in select.find_all("option")}
                   for select in form.find_all("select")}
        return form.get("action") or urllib.parse.urlsplit(url).path, fields, options


@pytest.fixture(scope="module")
def hosts(upgraded, database_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hosts")
    started = {"a": Host(tmp, "host-a", database_url), "b": Host(tmp, "host-b", database_url),
               # A host whose database is gone (nothing listens on port 9).
               "c": Host(tmp, "host-c", database_url.replace(
                   f":{make_url(database_url).port or 5432}/", ":9/"), workers=1)}
    try:
        for host in started.values():
            host.wait_until_up()
        yield started
    finally:
        for host in started.values():
            host.stop()


@pytest.fixture(scope="module")
def member(hosts):
    env = hosts["a"].env
    _flask(env, "users", "create", "--email", "hanna@example.com", "--name", "Hanna Hosts",
           "--role", "customer", "--password", PASSWORD)
    _flask(env, "categories", "create", "--name", "Billing")
    return "hanna@example.com"


def test_both_hosts_are_ready_and_a_host_without_its_database_is_not(hosts):
    for name in ("a", "b"):
        status, _, body, _ = Browser().request(hosts[name].url + "/readyz")
        assert (status, json.loads(body)["status"]) == (200, "ready"), body
    status, _, body, _ = Browser().request(hosts["c"].url + "/readyz")
    report = json.loads(body)
    assert status == 503 and report["status"] == "not ready"
    assert report["checks"]["database"]["ok"] is False
    assert Browser().request(hosts["c"].url + "/healthz")[0] == 200


def test_a_member_logs_in_on_one_host_and_asks_on_the_other(hosts, member):
    a, b = hosts["a"].url, hosts["b"].url
    browser = Browser()
    action, fields, _ = browser.form(a + "/login", "login-form")
    fields.update(email=member, password=PASSWORD)
    status, _, page, _ = browser.request(a + action, fields)
    assert status == 200 and "Hanna Hosts" in page

    status, _, page, _ = browser.request(b + "/notifications")   # the session, on host B
    assert status == 200 and "Hanna Hosts" in page

    # The ask form (and its CSRF token) from host A, sent to host B.
    action, fields, options = browser.form(a + "/ask", "ask-form")
    fields.update(title="Is my invoice sent by post or e-mail?",
                  category=options["category"]["Billing"], body="I never got the one for March.")
    status, url, page, _ = browser.request(b + action, fields, headers={"X-Request-Id": "lb-4711"})
    assert status == 200 and url.startswith(b + "/t/"), (url, page[:500])
    assert "Is my invoice sent by post or e-mail?" in page
    assert browser.request(a + urllib.parse.urlsplit(url).path)[0] == 200

    # Host B's JSON log has the question's request, by whom, under the proxy's id.
    [asked] = [line for line in hosts["b"].json_log()
               if line.get("request_id") == "lb-4711" and line.get("method") == "POST"]
    assert asked["endpoint"] == "threads.ask" and asked["status"] == 302
    assert isinstance(asked["user_id"], int) and asked["duration_ms"] > 0


def test_an_unsubscribe_link_made_on_one_host_works_on_the_other(hosts, member):
    # As host A's worker makes it for a mail (the same functions, host A's settings).
    made = subprocess.run([sys.executable, "-c", "\n".join([
        "from community import create_app",
        "from community.models import User",
        "from community.notifications import links",
        "with create_app().app_context():",
        f"    user = User.query.filter_by(email={member!r}).one()",
        "    print(links.site_path('notifications.unsubscribe',",
        "                          token=links.unsubscribe_token(user, ['reply'])))"])],
        env=hosts["a"].env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert made.returncode == 0, made.stderr
    path = made.stdout.strip().splitlines()[-1]
    assert path.startswith("/unsubscribe/")
    browser = Browser()
    status, _, page, _ = browser.request(hosts["b"].url + path)
    assert status == 200 and "unsubscribe-form" in page
    status, _, page, _ = browser.request(hosts["b"].url + path, {})
    assert status == 200 and "You will not get these e-mails any more." in page


def test_every_host_lists_the_workers_of_every_host(hosts):
    _flask(hosts["a"].env, "worker", "--once")
    _flask(hosts["b"].env, "worker", "--once", "--kinds", "bridge.*")
    _, _, body, _ = Browser().request(hosts["b"].url + "/readyz")
    workers = json.loads(body)["workers"]
    assert sorted(w["kinds"] for w in workers) == ["*", "bridge.*"]
    assert len({w["pid"] for w in workers}) == 2 and all(w["alive"] for w in workers)


def test_metrics_add_up_every_gunicorn_worker_of_the_host(hosts, member):
    for _ in range(6):   # spread over both workers of host A
        Browser().request(hosts["a"].url + "/healthz")
    status, _, text_, _ = Browser().request(hosts["a"].url + "/metrics")
    assert status == 200
    [count] = [float(line.rsplit(" ", 1)[1]) for line in text_.splitlines()
               if line.startswith('forum_http_requests_total{endpoint="health.healthz"')]
    assert count >= 6
    assert "forum_outbox_backlog{" in text_ and "forum_database_up 1.0" in text_


def test_a_statement_longer_than_the_timeout_is_cancelled(tmp_path):
    settings = config.load({"FORUM_INSTANCE_PATH": str(tmp_path), "FORUM_SECRET_KEY": KEY,
                            "FORUM_DATABASE_URL": POSTGRES_URL,
                            "FORUM_DB_STATEMENT_TIMEOUT": "0.2"})
    engine = create_engine(POSTGRES_URL, **settings["SQLALCHEMY_ENGINE_OPTIONS"])
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT 1")) == 1
            with pytest.raises(OperationalError, match="statement timeout"):
                conn.execute(text("SELECT pg_sleep(2)"))
    finally:
        engine.dispose()
