"""The page caches: after every kind of change a visitor gets the page an uncached
server renders for them, and a page whose version did not move costs the cache's one
query; a member gets a thread page made of the skeleton kept for every reader and
their own parts (community/reader_parts.py), the same HTML as an uncached render for
them, without the posts' texts being read again.

Two apps share one database, as two hosts do: ``app`` caches, ``uncached`` renders
every page (FORUM_PAGE_CACHE_MB=0). Members and moderators act through the cached
app's pages; a visitor and two members (the asker, and the helper whose answers carry
their own edit buttons) read from both and see the same HTML (CSRF tokens aside).
"""
import re
from datetime import timedelta

import pytest
from webtest import TestApp

from community import clock
from community.extensions import db
from community.models import Post, Thread
from tests.conftest import POSTGRES_URL, isolated, login
from tests.moderation.helpers import post_action, reply, thread_path

ENVIRON = {"REMOTE_ADDR": "203.0.113.7", "HTTP_HOST": "localhost"}
TOKEN = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+(")')


@pytest.fixture
def app(make_app, tmp_path):
    """The caching app, on a database a second app can open (a file on SQLite)."""
    url = POSTGRES_URL or f"sqlite:///{tmp_path}/shared.db"
    app = make_app(SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS={})
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def uncached(app, make_app):
    return make_app(create_schema=False, SQLALCHEMY_DATABASE_URI=app.config[
        "SQLALCHEMY_DATABASE_URI"], SQLALCHEMY_ENGINE_OPTIONS={}, PAGE_CACHE_MB=0)


@pytest.fixture
def visitor(app, uncached, count_queries, forum):
    """``visitor(path)``: the page from the caching app, checked against the uncached
    app's render; read a second time, it comes from the cache (one version query, and
    the moderation feature's own on thread pages). The asker and the helper read it
    too, each checked the same way (``read_as_member``)."""
    cached_browser = TestApp(isolated(app), extra_environ=ENVIRON)
    plain_browser = TestApp(isolated(uncached), extra_environ=ENVIRON)
    members = [(member(app, forum[name]), member(uncached, forum[name]))
               for name in ("asker", "helper")]

    def visit(path, language="en"):
        headers = {"Accept-Language": language}
        page = cached_browser.get(path, headers=headers)
        expected = plain_browser.get(path, headers=headers)
        assert page.status_int == expected.status_int == 200, path
        assert _same(page.text) == _same(expected.text), path
        with count_queries() as q:
            again = cached_browser.get(path, headers=headers)
        assert _same(again.text) == _same(page.text)
        assert q.count <= 2, (path, q.statements)
        for cached_member, plain_member in members:
            read_as_member(cached_member, plain_member, path, count_queries)
        return page.text
    return visit


def read_as_member(cached_browser, plain_browser, path, count_queries):
    """A member reads ``path`` on both apps: the same page. Reading marks what they saw
    (notifications, where they stopped), so the page compared is the second reading on
    the caching app, after the uncached one; on a thread page it comes from the kept
    skeleton: the posts' texts are not read."""
    cached_browser.get(path)
    expected = plain_browser.get(path)
    with count_queries() as q:
        page = cached_browser.get(path)
    assert _same(page.text) == _same(expected.text), path
    if path.startswith("/t/"):
        assert not [s for s in q.statements if "body_html" in s], path
    else:  # a list: the threads it shows are not read again, only the member's marks
        assert not [s for s in q.statements if "FROM threads" in s], path
    return page.text


def test_a_member_sees_new_replies_marked_on_kept_lists(app, uncached, forum, count_queries):
    """The lists are kept for every reader; "New replies" is the member's own mark."""
    asker = member(app, forum["asker"]), member(uncached, forum["asker"])
    paths = pages(forum)[1:]
    for path in paths:
        assert "New replies" not in read_as_member(*asker, path, count_queries)
    asker[0].get(thread_path(forum["thread"]))   # read: the mark moves to the last reply
    clock.travel(timedelta(minutes=5))
    reply(member(app, forum["helper"]), forum["thread"], "One more idea: restart the box.")
    db.session.expire_all()
    internet, mobile, home = (read_as_member(*asker, path, count_queries) for path in paths)
    assert "New replies" in internet and "New replies" in home
    assert "New replies" not in mobile
    # The same kept page, read by the helper: their own marks, as an uncached render.
    helper = member(app, forum["helper"]), member(uncached, forum["helper"])
    read_as_member(*helper, paths[0], count_queries)


def _same(html):
    return TOKEN.sub(r"\1csrf\2", html)


@pytest.fixture
def forum(make_category, make_user, make_thread, make_reply, moderator):
    """Two categories; a thread with two answers in the first, another thread beside it."""
    internet, mobile = make_category(name="Internet"), make_category(name="Mobile")
    asker, helper = make_user(name="Asker"), make_user(name="Helper")
    thread = make_thread(category=internet, author=asker, title="Router drops the line at night")
    clock.travel(timedelta(minutes=1))
    first = make_reply(thread, author=helper, body="Try another DSL filter, please.")
    second = make_reply(thread, body="Update the router's firmware first.")
    other = make_thread(category=internet, title="Invoice shows a roaming charge")
    make_thread(category=mobile, title="SIM card not recognised after update")
    return {"internet": internet, "mobile": mobile, "thread": thread, "first": first,
            "second": second, "other": other, "asker": asker, "helper": helper}


def member(app, user):
    browser = TestApp(isolated(app), extra_environ=ENVIRON)
    login(browser, user)
    return browser


def pages(forum, thread=None):
    thread = db.session.get(Thread, (thread or forum["thread"]).id)
    return [thread_path(thread), f"/c/{forum['internet'].slug}", f"/c/{forum['mobile'].slug}",
            "/"]


def seen(visitor, paths):
    return [visitor(path) for path in paths]


def changed(visitor, paths, before, where=(0,)):
    """Read ``paths`` again (each checked against the uncached render) and check the
    pages at the positions ``where`` show something new."""
    db.session.expire_all()
    after = seen(visitor, paths)
    for n in where:
        assert _same(after[n]) != _same(before[n]), paths[n]
    return after


def tools(browser, thread):
    return browser.get(f"/mod/threads/{thread.id}")


def test_a_reply_an_edit_and_a_vote(app, visitor, forum):
    paths = pages(forum)
    before = seen(visitor, paths)
    helper = member(app, forum["helper"])
    reply(helper, forum["thread"], "Here is one more idea: a new cable.")
    before = changed(visitor, paths, before, where=(0, 1, 3))
    form = helper.get(f"/p/{forum['first'].id}/edit").forms["edit-form"]
    form["body"] = "Try another DSL filter, and a shorter cable."
    form.submit("submit")
    before = changed(visitor, paths, before, where=(0,))
    asker = member(app, forum["asker"])
    page = asker.get(thread_path(forum["thread"]))
    page.forms[_form_index(page, f"/p/{forum['first'].id}/helpful")].submit()
    changed(visitor, paths, before, where=(0, 1))


def test_accepting_an_answer(app, visitor, forum):
    paths = pages(forum)
    before = seen(visitor, paths)
    asker = member(app, forum["asker"])
    page = asker.get(thread_path(forum["thread"]))
    page.forms[_form_index(page, f"/p/{forum['first'].id}/accept")].submit()
    changed(visitor, paths, before, where=(0, 1, 3))


def test_hiding_and_restoring_a_post(app, visitor, forum, moderator):
    paths = pages(forum)
    before = seen(visitor, paths)
    mod = member(app, moderator)
    post_action(mod, forum["second"], "hide", "spam")
    before = changed(visitor, paths, before, where=(0, 1))
    question = db.session.get(Post, forum["other"].first_post_id)
    post_action(mod, question, "hide", "spam")  # a whole thread leaves the lists
    before = changed(visitor, paths, before, where=(1, 3))
    post_action(mod, forum["second"], "restore")
    changed(visitor, paths, before, where=(0, 1))


def test_moving_a_thread_and_pinning(app, visitor, forum, moderator):
    paths = pages(forum)
    before = seen(visitor, paths)
    mod = member(app, moderator)
    form = tools(mod, forum["thread"]).forms["move-form"]
    form["move-category"] = str(forum["mobile"].id)
    form.submit()
    before = changed(visitor, paths, before, where=(0, 1, 2, 3))
    form = tools(mod, forum["other"]).forms["status-form"]
    form.submit("status-action", value="pin")  # a feature's write: no core event
    changed(visitor, paths, before, where=(1,))


def test_merging_threads(app, visitor, forum, moderator):
    target = forum["other"]
    paths = pages(forum) + [thread_path(target)]
    before = seen(visitor, paths)
    form = tools(member(app, moderator), forum["thread"]).forms["merge-form"]
    form["merge-target"] = str(target.id)
    form.submit()
    db.session.expire_all()
    # The merged thread's address now leads to the target (a redirect, not cached).
    assert TestApp(isolated(app), extra_environ=ENVIRON).get(
        paths[0]).status_int == 301
    changed(visitor, paths[1:], before[1:], where=(0, 3))


def test_language_and_a_staff_title(app, visitor, forum, admin):
    paths = pages(forum)
    english = seen(visitor, paths)
    german = [visitor(path, language="de") for path in paths]
    assert all('lang="de"' in page for page in german)
    assert all(e != g for e, g in zip(english, german))
    assert [_same(p) for p in seen(visitor, paths)] == [_same(p) for p in english]
    # A member's staff title is shown on every page with their posts.
    form = member(app, admin).get(f"/mod/users/{forum['helper'].id}").forms["staff-form"]
    form["staff-role"], form["staff-staff_title"] = "agent", "Support team Berlin"
    form.submit()
    after = changed(visitor, paths, english, where=(0,))
    assert "Support team Berlin" in after[0]


def _form_index(page, action):
    return next(key for key, form in page.forms.items() if form.action.endswith(action))


def test_a_member_with_a_pending_reply_gets_their_own_page(app, uncached, forum, moderator,
                                                           count_queries):
    """The kept skeleton is the one every reader sees: a reply of the helper waiting for
    review is on their page, and on nobody else's."""
    from community.services import threads
    path = thread_path(forum["thread"])
    asker = member(app, forum["asker"]), member(uncached, forum["asker"])
    helper = member(app, forum["helper"]), member(uncached, forum["helper"])
    read_as_member(*asker, path, count_queries)  # the skeleton is kept now
    pending = threads.reply(forum["helper"], db.session.get(Thread, forum["thread"].id),
                            "My second idea still waits for a moderator.")
    db.session.commit()
    threads.set_post_visibility(moderator, pending, "pending")
    db.session.commit()
    helper[0].get(path)
    expected = helper[1].get(path)
    page = helper[0].get(path)
    assert _same(page.text) == _same(expected.text)
    assert "My second idea still waits" in page.text and "post-pending" in page.text
    assert "My second idea still waits" not in read_as_member(*asker, path, count_queries)
