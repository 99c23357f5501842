"""The rules behind the phone-first pages (issue 14, points 5, 8 and 9), through HTTP:
staff names, coming back after registering, notifications read by reading the
thread, the language and theme switches, "Helpful" for the page's script, the
accepted answer shown once, one search box, and the support banner's times.
(How it looks and feels is tested in real Chromium: tests/e2e/test_phone_first.py.)"""
import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest

from community import clock
from community.extensions import db
from community.models import Notification, User
from community.notifications import service as notifications
from community.services import threads
from tests.conftest import PASSWORD, csrf_token, login


def bell(page):
    badge = page.html.select_one(".notifications-bell .badge-unread")
    return int(re.match(r"\d+", badge.get_text()).group()) if badge else 0


def register_form(testapp, path="/register", name="Nina Newcomer", email="nina@example.com"):
    form = testapp.get(path).forms["register-form"]
    form["email"], form["name"], form["password"] = email, name, PASSWORD
    return form


# --- Staff names ---------------------------------------------------------------

@pytest.mark.parametrize("taken", ["Sarah Support", "sarah support", "  SARAH   Support ",
                                   "SarahSupport"])
def test_a_customer_cannot_register_with_a_staff_members_name(testapp, make_user, taken):
    make_user(role="agent", name="Sarah Support")
    page = register_form(testapp, name=taken).submit(status=422)
    assert "This name belongs to our staff" in page.html.select_one("#name-help").text
    assert page.forms["register-form"]["email"].value == "nina@example.com"   # text kept
    assert db.session.scalar(db.select(User).where(User.email == "nina@example.com")) is None


def test_a_customer_cannot_rename_to_a_staff_name_but_to_others(testapp, make_user):
    make_user(role="moderator", name="Mia Moderator")
    customer = make_user(name="Carl Customer")
    login(testapp, customer)
    form = testapp.get("/settings").forms["name-form"]
    form["name-name"] = "mia  MODERATOR"
    page = form.submit(status=422)
    assert "This name belongs to our staff" in page.text
    form = page.forms["name-form"]
    assert form["name-name"].value == "mia  MODERATOR"              # text kept
    form["name-name"] = "Carl the Customer"
    assert "Your display name is saved." in form.submit().follow().text
    db.session.expire_all()
    assert db.session.get(User, customer.id).name == "Carl the Customer"


def test_staff_may_keep_and_share_their_own_names(testapp, make_user):
    """The rule protects staff from customers; staff accounts are made by admins."""
    make_user(role="agent", name="Sarah Support")
    agent = make_user(role="agent", name="sarah support")
    login(testapp, agent)
    form = testapp.get("/settings").forms["name-form"]
    form["name-name"] = "Sarah Support"
    form.submit().follow()


# --- Coming back after registering ----------------------------------------------

def test_registering_from_a_thread_returns_to_it(testapp, make_thread):
    thread = make_thread()
    path = f"/t/{thread.id}-{thread.slug}"
    page = testapp.get(path)
    register_link = page.html.select_one(".reply-box a[href^='/register']")["href"]
    assert register_link == f"/register?next={path}"
    page = register_form(testapp, register_link).submit()
    assert page.location.endswith(path)
    assert "Welcome, Nina Newcomer!" in page.follow().text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                    "/\\evil.example", "/\t/evil.example", "javascript:alert(1)"])
def test_register_never_leaves_the_site(testapp, target):
    page = register_form(testapp, "/register?" + urlencode({"next": target})).submit()
    assert page.location in ("/", "http://localhost/")


# --- Notifications read by reading the thread ----------------------------------------

def test_reading_a_thread_reads_its_notifications_and_only_those(
        testapp, make_user, make_thread, make_reply, count_queries):
    asker = make_user()
    thread = make_thread(author=asker)
    other = make_thread(author=asker)
    make_reply(thread)
    make_reply(thread)
    make_reply(other)
    notifications.notify(asker, "moderation", thread=thread, data={"decision": "post_hidden"})
    db.session.commit()
    login(testapp, asker)
    assert bell(testapp.get("/")) == 4
    page = testapp.get(f"/t/{thread.id}-{thread.slug}")
    assert bell(page) == 2              # the other thread's answer and the moderation notice
    unread = db.session.scalars(db.select(Notification.kind).where(
        Notification.user_id == asker.id, Notification.read_at.is_(None))).all()
    assert sorted(unread) == ["moderation", "reply"]
    assert testapp.get("/notifications/count").json == {"unread": 2}
    # Nothing unread at all: the page costs no statement for it.
    testapp.post("/notifications/read", {"csrf_token": csrf_token(testapp)})
    with count_queries() as q:
        testapp.get(f"/t/{thread.id}-{thread.slug}")
    assert not any("UPDATE notifications" in s for s in q.statements)


def test_the_bell_count_needs_a_member(testapp):
    assert testapp.get("/notifications/count").status_int == 302


def test_one_notifications_entry_and_the_notices_page_reachable_from_it(testapp, make_user):
    login(testapp, make_user())
    page = testapp.get("/")
    entries = [a for a in page.html.select("header a") if "/notifications" in a["href"]
               or "/mod/notices" in a["href"]]
    assert [a["href"] for a in entries] == ["/notifications"]
    assert testapp.get("/notifications").html.select_one("a[href='/mod/notices']")


# --- Language and theme ----------------------------------------------------------------

def test_a_visitor_switches_language_and_it_is_kept_in_a_cookie(testapp, make_thread):
    thread = make_thread()
    path = f"/t/{thread.id}-{thread.slug}"
    page = testapp.get(path)
    assert '<html lang="en">' in page.text
    form = next(f for f in page.forms.values() if f.action == "/language")
    page = form.submit("locale", index=1)      # the second button: Deutsch
    assert page.location.endswith(path)
    [cookie] = [v for k, v in page.headerlist if k == "Set-Cookie" and v.startswith("lang=")]
    assert cookie.startswith("lang=de;") and "Max-Age=31536000" in cookie
    page = page.follow()
    assert '<html lang="de">' in page.text and "Ihre Antwort" in page.text
    assert '<html lang="de">' in testapp.get("/").text
    # A refused choice is an error, not a silent default.
    testapp.post("/language", {"csrf_token": csrf_token(testapp), "locale": "xx"}, status=422)
    testapp.post("/language", {"locale": "en"}, status=400)          # no CSRF token


def test_a_member_switches_language_in_the_menu_and_it_is_their_setting(testapp, make_user):
    member = make_user()
    login(testapp, member)
    testapp.post("/language", {"csrf_token": csrf_token(testapp), "locale": "de",
                               "next": "/settings"}).follow()
    db.session.expire_all()
    assert db.session.get(User, member.id).locale == "de"
    testapp.reset()                      # another device, no cookie: the setting counts
    assert '<html lang="de">' in login(testapp, member).text


def test_the_theme_switch_keeps_the_choice_and_auto_forgets_it(testapp):
    assert "data-theme" not in testapp.get("/").text.split("<head>")[0]
    token = csrf_token(testapp)
    response = testapp.post("/theme", {"csrf_token": token, "theme": "dark", "next": "/c/x"})
    assert response.location.endswith("/c/x")
    assert any(v.startswith("theme=dark;") for k, v in response.headerlist if k == "Set-Cookie")
    assert '<html lang="en" data-theme="dark">' in testapp.get("/").text
    response = testapp.post("/theme", {"csrf_token": token, "theme": "auto"},
                            headers={"Accept": "application/json"}, status=204)
    assert any(v.startswith("theme=;") for k, v in response.headerlist if k == "Set-Cookie")
    testapp.post("/theme", {"csrf_token": token, "theme": "pink"}, status=422)
    assert testapp.post("/theme", {"csrf_token": token, "theme": "dark",
                                   "next": "https://evil.example/"}).location in ("/", "http://localhost/")


# --- Helpful, accepted answer, search box ------------------------------------------------

def test_helpful_answers_the_pages_script_with_the_new_state(testapp, make_user, make_thread,
                                                            make_reply):
    thread = make_thread()
    post = make_reply(thread)
    login(testapp, make_user())
    page = testapp.get(f"/t/{thread.id}-{thread.slug}")
    form = next(f for f in page.forms.values() if f.action.endswith(f"/p/{post.id}/helpful"))
    json = {"Accept": "application/json"}
    answer = testapp.post(form.action, {"csrf_token": form["csrf_token"].value}, headers=json)
    assert answer.json["voted"] is True and answer.json["count"] == 1
    assert answer.json["label"] == "Undo helpful"
    assert answer.json["count_text"] == "1 person found this helpful"
    answer = testapp.post(form.action, {"csrf_token": form["csrf_token"].value}, headers=json)
    assert (answer.json["voted"], answer.json["count"]) == (False, 0)
    testapp.post(form.action, {}, headers=json, status=400)


def test_the_accepted_answer_is_shown_once_with_its_label(testapp, make_user, make_thread,
                                                         make_reply):
    asker = make_user()
    thread = make_thread(author=asker)
    make_reply(thread, body="First idea.")
    answer = make_reply(thread, body="Switch the profile to 17a.")
    threads.accept_answer(asker, answer)
    db.session.commit()
    login(testapp, asker)
    page = testapp.get(f"/t/{thread.id}-{thread.slug}")
    bodies = [p.get_text() for p in page.html.select("article .post-body")]
    assert sum("Switch the profile to 17a." in body for body in bodies) == 1
    assert len(page.html.select(f"#post-{answer.id}")) == 1
    assert page.html.select_one(".accepted-answer .badge-accepted").get_text(strip=True) == \
        "Accepted answer"
    assert len(page.html.select("form[action$='/unaccept']")) == 1
    stub = page.html.select_one("section.replies .accepted-stub a")
    assert stub["href"] == "#accepted-answer"


def test_one_search_box_on_every_page(testapp):
    for path in ("/", "/search?q=router", "/register"):
        page = testapp.get(path)
        assert len(page.html.select("input[type=search]")) == 1, path


# --- The support banner's times ------------------------------------------------------------

def test_the_banner_shows_when_the_official_answer_was_given(app, testapp, make_user,
                                                             make_category):
    """An imported (or demo) thread and answer keep their own times in the banner."""
    customer = make_user()
    agent = make_user(role="agent", name="Tim Support")
    asked = clock.now() - timedelta(days=33)
    thread = threads.create_thread(customer, make_category(), "Internet outage since Monday",
                                   "There is an outage in my street.", created_at=asked,
                                   imported=True)
    threads.reply(agent, thread, "The outage is fixed.", is_official=True, imported=True,
                  created_at=asked + timedelta(hours=4))
    db.session.commit()
    page = testapp.get(f"/t/{thread.id}-{thread.slug}")
    times = {li.get_text(" ", strip=True).split(":")[0]: li.time["datetime"]
             for li in page.html.select(".support-times li")}
    assert times["Passed to the support team"] == asked.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert times["Official answer given"] == (asked + timedelta(hours=4)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
