"""One cluster, one configuration: the shared secret key (required on PostgreSQL,
rotated with fallbacks), the trusted proxies, JSON logs with request ids, and static
URLs that carry their file's hash."""
import json
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
from webtest import TestApp

from community import config, outbox
from community.config import SettingError
from community.extensions import db
from community.logging_setup import outbox_row
from community.notifications import links
from tests.conftest import POSTGRES_URL, isolated, login

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# --- The secret key ------------------------------------------------------------------------------

def test_on_postgresql_the_app_refuses_to_start_without_the_secret_key(tmp_path):
    env = {**os.environ, "FORUM_INSTANCE_PATH": str(tmp_path / "host-a"),
           "FORUM_DATABASE_URL": "postgresql+psycopg://forum@127.0.0.1:9/forum"}
    env.pop("FORUM_SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "community", "config",
                             "docs"], env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode != 0
    assert "FORUM_SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "host-a" / "secret_key").exists()


def test_on_sqlite_a_key_is_made_once_and_kept_in_the_instance_folder(tmp_path):
    environ = {"FORUM_INSTANCE_PATH": str(tmp_path)}
    first = config.load(environ)["SECRET_KEY"]
    assert len(first) == 64 and (tmp_path / "secret_key").read_text() == first
    assert config.load(environ)["SECRET_KEY"] == first
    with pytest.raises(SettingError, match="FORUM_SECRET_KEY is not set"):
        config.load({**environ, "FORUM_DATABASE_URL": "postgresql+psycopg://db/forum"})


def test_the_key_and_its_fallbacks_sign_newest_last(tmp_path):
    loaded = config.load({"FORUM_INSTANCE_PATH": str(tmp_path), "FORUM_SECRET_KEY": "new",
                          "FORUM_SECRET_KEY_FALLBACKS": "previous, oldest"})
    assert loaded["SECRET_KEY_FALLBACKS"] == ("previous", "oldest")


@pytest.fixture
def hosts(make_app, tmp_path):
    """``host(key, fallbacks)``: a web host on the one database, with its own instance
    folder; the first one creates the schema."""
    shared = {} if POSTGRES_URL else {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/shared.db",
        "SQLALCHEMY_ENGINE_OPTIONS": {}}
    made = []

    def host(key, fallbacks=()):
        app = make_app(create_schema=not made, SECRET_KEY=key, SECRET_KEY_FALLBACKS=fallbacks,
                       INSTANCE_PATH=str(tmp_path / f"host-{len(made)}"), **shared)
        made.append(app)
        return app
    return host


def _browser(app, cookies=None):
    browser = TestApp(isolated(app), extra_environ={"REMOTE_ADDR": "203.0.113.7",
                                                    "HTTP_HOST": "localhost"})
    for name, value in (cookies or {}).items():
        browser.set_cookie(name, value)
    return browser


def _member(app):
    from community.services import accounts
    with app.app_context():
        user = accounts.create_user("rita@example.com", "Rita Rotation", "correct horse battery")
        db.session.commit()
        return user.id, user.email, links.unsubscribe_token(user, ["reply"])


def test_a_rotated_key_keeps_members_logged_in_and_old_links_working(hosts, make_category):
    old = hosts("the old key, used until today")
    _, email, token = _member(old)
    with old.app_context():
        make_category(name="Billing")
    before = _browser(old)
    login(before, SimpleNamespace(email=email), remember=True)
    ask = before.get("/ask").forms["ask-form"]     # a form left open across the rotation

    new = hosts("the new key", fallbacks=("the old key, used until today",))
    after = _browser(new, before.cookies)
    assert "Rita Rotation" in after.get("/").text
    ask["title"] = "Does my contract renew by itself?"
    ask["body"] = "It ends in May and I did not cancel it."
    ask["category"].select(text="Billing")
    after_ask = after.post(ask.action, dict(ask.submit_fields()))
    assert after_ask.status_int == 302
    assert "Does my contract renew by itself?" in after_ask.follow().text

    # Only the "keep me logged in" cookie is left (the browser was closed): it is
    # accepted and comes back signed with the new key.
    remembered = _browser(new, {"remember_token": before.cookies["remember_token"]})
    page = remembered.get("/")
    assert "Rita Rotation" in page.text
    renewed = remembered.cookies["remember_token"]
    assert renewed != before.cookies["remember_token"]
    assert "Rita Rotation" in _browser(hosts("the new key"), {"remember_token": renewed}).get(
        "/").text

    page = _browser(new).get(f"/unsubscribe/{token}")
    assert page.forms["unsubscribe-form"]


def test_without_the_old_key_among_the_fallbacks_its_signatures_are_refused(hosts):
    old = hosts("the old key, used until today")
    _, email, token = _member(old)
    before = _browser(old)
    login(before, SimpleNamespace(email=email), remember=True)
    new = hosts("the new key")
    assert "Rita Rotation" not in _browser(new, before.cookies).get("/").text
    _browser(new).get(f"/unsubscribe/{token}", status=404)


def test_links_are_signed_with_the_current_key(hosts):
    new = hosts("the new key", fallbacks=("the old key",))
    _, _, token = _member(new)
    _browser(hosts("the new key")).get(f"/unsubscribe/{token}", status=200)


# --- Proxies ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("settings, proto, secure", [
    ({"FORUM_PROXY_COUNT": "1"}, "https", True),
    ({"FORUM_PROXY_FIX": "true"}, "https", True),       # the older name means one proxy
    ({"FORUM_PROXY_COUNT": "2"}, "https, http", True),  # the load balancer saw https
    ({"FORUM_PROXY_COUNT": "2"}, "https", False),       # only one proxy said anything
    ({}, "https", False),
])
def test_the_scheme_is_taken_from_the_trusted_proxies(make_app, monkeypatch, settings, proto,
                                                     secure):
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    app = make_app()
    _, email, _ = _member(app)
    browser = TestApp(isolated(app), extra_environ={
        "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "localhost",
        "HTTP_X_FORWARDED_PROTO": proto, "HTTP_X_FORWARDED_FOR": "203.0.113.7, 10.0.0.2"})
    form = browser.get("/login").forms["login-form"]
    form["email"], form["password"] = email, "correct horse battery"
    cookie = form.submit().headers["Set-Cookie"]
    assert ("; Secure" in cookie) is secure


# --- Logs ------------------------------------------------------------------------------------------

def _json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_json_logs_carry_the_request_id_user_endpoint_and_duration(make_app, capsys,
                                                                  monkeypatch):
    import logging
    monkeypatch.setenv("FORUM_LOG_FORMAT", "json")
    app = make_app()
    try:
        user_id, email, _ = _member(app)
        browser = _browser(app)
        login(browser, SimpleNamespace(email=email))
        capsys.readouterr()
        page = browser.get("/notifications", headers={"X-Request-Id": "lb-7f3a.42"})
        assert page.headers["X-Request-Id"] == "lb-7f3a.42"
        [line] = [e for e in _json_lines(capsys.readouterr().err)
                  if e["logger"] == "community.requests"]
        assert line["request_id"] == "lb-7f3a.42" and line["user_id"] == user_id
        assert line["endpoint"] == "notifications.index" and line["status"] == 200
        assert line["method"] == "GET" and line["path"] == "/notifications"
        assert line["duration_ms"] >= 0 and line["level"] == "INFO"

        # Not an id (a forged log line, too long): one is made instead.
        page = browser.get("/", headers={"X-Request-Id": "x\" y"})
        made = page.headers["X-Request-Id"]
        assert len(made) == 32 and made.isalnum()
        assert [e["request_id"] for e in _json_lines(capsys.readouterr().err)] == [made]

        with app.app_context(), outbox_row("notifications.send", "mail:17"):
            logging.getLogger("community.notifications.smtp").warning("SMTP server busy")
        [line] = _json_lines(capsys.readouterr().err)
        assert line == {**line, "kind": "notifications.send", "key": "mail:17",
                        "message": "SMTP server busy", "level": "WARNING"}

        # The worker names the row it runs on every line, its handler's and its failure's.
        def flaky(payload):
            logging.getLogger("community.tests").warning("helpdesk slow for %s", payload["n"])
            raise ConnectionError("helpdesk unreachable")
        with app.app_context():
            outbox.register_handler(app, "tests.flaky", flaky)
            outbox.enqueue("tests.flaky", {"n": 7}, key="flaky:7")
            db.session.commit()
            capsys.readouterr()
            outbox.drain()
        lines = [e for e in _json_lines(capsys.readouterr().err) if e.get("kind")]
        assert [e["message"] for e in lines][0] == "helpdesk slow for 7"
        assert len(lines) >= 2 and all(e["kind"] == "tests.flaky" and e["key"] == "flaky:7"
                                       for e in lines)
    finally:
        root = logging.getLogger()
        for handler in [h for h in root.handlers if getattr(h, "forum_handler", False)]:
            root.removeHandler(handler)


def test_every_answer_carries_a_request_id(testapp):
    first = testapp.get("/healthz").headers["X-Request-Id"]
    assert first != testapp.get("/healthz").headers["X-Request-Id"]
    refused = testapp.post("/login", status=400)   # no CSRF token: refused before the view
    assert refused.headers["X-Request-Id"]


# --- Static files ----------------------------------------------------------------------------------

def test_static_urls_carry_the_files_hash_and_are_cached_for_a_year(testapp):
    import hashlib
    page = testapp.get("/")
    css = page.html.select_one("link[rel=stylesheet]")["href"]
    with open(os.path.join(ROOT, "community", "static", "forum.css"), "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()[:12]
    assert css == f"/static/forum.css?v={digest}"
    answer = testapp.get(css)
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for stale in ("/static/forum.css", "/static/forum.css?v=0123456789ab"):
        assert testapp.get(stale).headers["Cache-Control"] == "no-cache"


def test_database_settings_become_the_pool_on_postgresql(tmp_path):
    environ = {"FORUM_INSTANCE_PATH": str(tmp_path), "FORUM_SECRET_KEY": "k",
               "FORUM_DATABASE_URL": "postgresql+psycopg://db/forum", "FORUM_DB_POOL_SIZE": "8",
               "FORUM_DB_MAX_OVERFLOW": "2", "FORUM_DB_POOL_TIMEOUT": "5",
               "FORUM_DB_POOL_RECYCLE": "600", "FORUM_DB_STATEMENT_TIMEOUT": "2.5",
               "FORUM_DB_CONNECT_TIMEOUT": "3"}
    options = config.load(environ)["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options == {"pool_pre_ping": True, "pool_size": 8, "max_overflow": 2,
                       "pool_timeout": 5.0, "pool_recycle": 600,
                       "connect_args": {"connect_timeout": 3,
                                        "options": "-c statement_timeout=2500"}}
    sqlite = config.load({"FORUM_INSTANCE_PATH": str(tmp_path), "FORUM_DB_POOL_SIZE": "8"})
    assert sqlite["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}
