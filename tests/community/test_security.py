"""Security of every response: headers, cookie flags, and CSRF on every form.

The CSRF test collects the forms a visitor, a customer, a moderator and an admin see on
the pages of the core and of the loaded features (everything linked from the header),
checks that each POST form carries a token, sends each one without a token and with a
forged one, and checks that the answer is 400 and that not one row in the database
changed."""
import re

import pytest
from sqlalchemy import select
from webtest import TestApp

from community.services import accounts, threads
from community.extensions import db
from community.text import slugify
from tests.conftest import PASSWORD, isolated, login


def _browser(app, https=False, **environ):
    extra = {"REMOTE_ADDR": "203.0.113.9", "HTTP_HOST": "localhost", **environ}
    if https:
        extra["wsgi.url_scheme"] = "https"
    return TestApp(isolated(app), extra_environ=extra)


# --- Headers ---------------------------------------------------------------------------------

def _csp(response):
    policy = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        policy[name] = values
    return policy


def test_every_kind_of_response_has_the_security_headers(testapp, make_category, make_thread):
    category = make_category(name="Mobile")
    thread = make_thread(category=category)
    responses = [testapp.get("/"), testapp.get(f"/t/{thread.id}-{thread.slug}"),
                 testapp.get("/login"), testapp.get("/nowhere", status=404),
                 testapp.get("/api/v1/categories"), testapp.get("/api/v1/nowhere", status=404),
                 testapp.get("/static/forum.css"), testapp.get("/sitemap.xml"),
                 testapp.get("/robots.txt"), testapp.get("/c/mobile/feed.atom"),
                 testapp.get(f"/t/{thread.id}"), testapp.post("/logout", status=400)]
    for response in responses:
        where = response.request.path
        policy = _csp(response)
        assert policy["script-src"] == ["'self'"], where  # no inline script, no eval
        assert policy["object-src"] == ["'none'"], where
        assert policy["frame-ancestors"] == ["'none'"], where
        assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"], where
        assert response.headers["X-Content-Type-Options"] == "nosniff", where
        assert response.headers["X-Frame-Options"] == "DENY", where
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", where
        assert "Strict-Transport-Security" not in response.headers, where  # plain HTTP


def test_pages_have_no_inline_script_or_style(testapp, make_user, make_thread, make_reply):
    """The CSP forbids them, so a page that used them would break in browsers."""
    asker = make_user()
    thread = make_thread(author=asker)
    make_reply(thread)
    login(testapp, asker)
    for path in ("/", f"/t/{thread.id}-{thread.slug}", "/ask", "/settings",
                 f"/p/{thread.first_post_id}/edit", f"/u/{asker.id}-{slugify(asker.name)}",
                 "/nowhere"):
        page = testapp.get(path, status=[200, 404])
        for script in page.html.find_all("script"):
            if script.get("type") == "application/ld+json":
                continue
            assert script.get("src", "").startswith("/") and not script.string, (path, script)
        assert not page.html.find_all(style=True), path
        assert not page.html.find_all("style"), path
        assert not re.search(r"\son[a-z]+=", page.text), path


def test_https_adds_hsts(app):
    response = _browser(app, https=True).get("/")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


# --- Cookies ---------------------------------------------------------------------------------

def _login_cookies(browser, user, remember=True):
    """The Set-Cookie headers of the login page and of logging in, by cookie name."""
    page = browser.get("/login")
    cookies = {c.split("=", 1)[0]: c for k, c in page.headerlist if k == "Set-Cookie"}
    form = page.forms["login-form"]
    form["email"], form["password"], form["remember"] = user.email, PASSWORD, remember
    # Sent by hand: WebTest, like a browser, keeps Secure cookies away from http:// URLs.
    # Over HTTPS, Flask-WTF also wants a same-site Referer, as browsers send it.
    session = cookies["session"].split(";", 1)[0]
    response = form.submit(status=302, headers={"Referer": "https://localhost/login",
                                                "Cookie": session})
    cookies.update({c.split("=", 1)[0]: c for k, c in response.headerlist if k == "Set-Cookie"})
    return cookies


def test_cookies_are_httponly_and_samesite_and_not_secure_on_plain_http(app, make_user):
    cookies = _login_cookies(_browser(app), make_user())
    assert set(cookies) == {"session", "remember_token"}
    for name, cookie in cookies.items():
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
        assert "Secure" not in cookie, cookie


@pytest.mark.parametrize("how", ["https", "proxy", "setting"])
def test_cookies_are_secure_over_https(make_app, make_user, how):
    """Served over HTTPS directly, behind a proxy that terminates HTTPS (with
    FORUM_PROXY_FIX), or always with FORUM_SECURE_COOKIES."""
    config = {"https": {}, "proxy": {"FORUM_PROXY_FIX": True},
              "setting": {"FORUM_SECURE_COOKIES": True}}[how]
    app = make_app(**config)
    with app.app_context():
        user = accounts.create_user("secure@example.com", "Sam Secure", PASSWORD)
        db.session.commit()
        environ = {"HTTP_X_FORWARDED_PROTO": "https"} if how == "proxy" else {}
        browser = _browser(app, https=how == "https", **environ)
        cookies = _login_cookies(browser, user)
    assert set(cookies) == {"session", "remember_token"}
    for cookie in cookies.values():
        assert "; Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_forwarded_proto_is_ignored_without_proxy_fix(app, make_user):
    """Without FORUM_PROXY_FIX nobody may claim HTTPS through a header."""
    cookies = _login_cookies(_browser(app, HTTP_X_FORWARDED_PROTO="https"), make_user())
    assert not any("Secure" in c for c in cookies.values())


# --- CSRF ------------------------------------------------------------------------------------

def _database_rows():
    """Every row of every table, to prove that a refused request changed nothing."""
    db.session.expire_all()
    rows = {}
    for table in db.metadata.sorted_tables:
        query = select(table)
        if table.primary_key.columns:
            query = query.order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(r) for r in db.session.execute(query)]
    db.session.rollback()
    return rows


def _post_forms(page):
    forms = [form for key, form in page.forms.items() if isinstance(key, int)]
    return [form for form in forms if form.method.upper() == "POST"]


def _is_token(name):
    return name == "csrf_token" or name.endswith("-csrf_token")


@pytest.fixture
def world(app, make_user, make_category, make_thread, make_reply):
    asker = make_user(name="Asker")
    helper = make_user(name="Helper")
    category = make_category(name="Billing")
    thread = make_thread(author=asker, category=category, title="Why was I charged twice?")
    answer = make_reply(thread, author=helper, body="Because of the roaming package.")
    other = make_reply(thread, author=make_user(), body="Look at your itemised bill.")
    threads.accept_answer(asker, answer)
    accounts.create_token(asker, "My app")
    db.session.commit()
    return {"asker": asker, "helper": helper, "moderator": make_user(role="moderator"),
            "admin": make_user(role="admin"), "thread": thread, "answer": answer,
            "other": other, "category": category}


def _pages_for(browser, world, who):
    thread = world["thread"]
    paths = ["/", f"/c/{world['category'].slug}", f"/t/{thread.id}-{thread.slug}"]
    if who is None:
        return paths + ["/login", "/register"]
    paths += ["/ask", "/settings", f"/u/{world['asker'].id}-asker"]
    if who == "asker":
        paths.append(f"/p/{thread.first_post_id}/edit")
    if who == "helper":
        paths.append(f"/p/{world['answer'].id}/edit")
    # Whatever the header links to for this member (features add their pages there).
    header = browser.get("/").html.select(".site-header a[href^='/']")
    paths += [a["href"] for a in header if not a["href"].startswith("/static/")]
    return list(dict.fromkeys(paths))


def test_every_form_has_a_csrf_token_and_is_refused_without_it(app, world):
    seen_ids, checked = set(), 0
    for who in (None, "asker", "helper", "moderator", "admin"):
        browser = _browser(app)
        if who:
            login(browser, world[who])
        for path in _pages_for(browser, world, who):
            page = browser.get(path, status="*")
            if page.status_int != 200 or "text/html" not in page.content_type:
                continue
            for form in _post_forms(page):
                where = f"{who}: {form.action or path} ({form.id}) on {path}"
                fields = form.submit_fields()
                assert any(_is_token(name) and value for name, value in fields), where
                target = form.action or path
                before = _database_rows()
                without = [(n, v) for n, v in fields if not _is_token(n)]
                forged = without + [(n, "forged." + v[7:]) for n, v in fields if _is_token(n)]
                for data in (without, forged):
                    response = browser.post(target, data, status="*")
                    assert response.status_int == 400, (where, response.status)
                    assert "This form has expired" in response.text, where
                assert _database_rows() == before, where
                seen_ids.add(form.id or target.rsplit("/", 1)[-1])
                checked += 1
    expected = {"login-form", "register-form", "ask-form", "reply-form", "edit-form",
                "password-form", "language-form", "token-form", "helpful", "unaccept",
                "accept", "revoke"}
    assert expected <= seen_ids, expected - seen_ids
    assert checked >= 40
