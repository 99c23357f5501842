"""In-app notifications: subscriptions and watch buttons, the bell and the list,
the kinds of notification, mentions, settings and the mailbox without SMTP."""
import logging
import re

import pytest

from community import outbox, threads
from community.extensions import db
from community.models import MailMessage, Notification, ThreadSubscription, User
from community.notifications import mentions, preferences, service
from tests.conftest import csrf_token, login


@pytest.fixture
def asker(make_user):
    return make_user(name="Anna Asker")


@pytest.fixture
def thread(make_thread, asker):
    return make_thread(author=asker, title="How do I activate my eSIM?")


def thread_path(thread):
    return f"/t/{thread.id}-{thread.slug}"


def notifications_of(user):
    return Notification.query.filter_by(user_id=user.id).order_by(Notification.id).all()


def bell(page):
    badge = page.html.select_one(".notifications-bell .badge-unread")
    return int(re.match(r"\d+", badge.get_text()).group()) if badge else 0


def fresh(user):
    db.session.expire_all()
    return db.session.get(User, user.id)


# --- Subscriptions -----------------------------------------------------------

def test_askers_and_repliers_watch_their_threads(thread, asker, make_reply, make_user):
    helper = make_user()
    make_reply(thread, author=helper)
    watchers = {u.id for u in service.thread_watchers(thread)}
    assert watchers == {asker.id, helper.id}
    make_reply(thread)
    assert [n.kind for n in notifications_of(asker)] == ["reply", "reply"]
    assert [n.kind for n in notifications_of(helper)] == ["reply"]


def test_members_can_turn_automatic_watching_off(testapp, make_user, make_thread, make_reply):
    quiet = make_user()
    login(testapp, quiet)
    form = testapp.get("/settings").forms["notifications-form"]
    assert form["ntf-auto_subscribe"].checked
    form["ntf-auto_subscribe"] = False
    form["ntf-email_reply"] = "digest"
    page = form.submit().follow()
    assert "Your notification settings are saved." in page.text
    assert fresh(quiet).auto_subscribe is False
    assert preferences.preferences(quiet)["reply"] == "digest"
    thread = make_thread(author=db.session.get(User, quiet.id))
    make_reply(thread)
    assert quiet.id not in {u.id for u in service.thread_watchers(thread)}
    assert notifications_of(quiet) == []


def test_watch_and_stop_watching_a_thread_with_its_button(testapp, thread, asker, make_user,
                                                          make_reply):
    reader = make_user()
    login(testapp, reader)
    page = testapp.get(thread_path(thread))
    form = next(f for f in page.forms.values() if f.action.endswith(f"/t/{thread.id}/watch"))
    page = form.submit().follow()
    assert "You are watching this question" in page.text and "Stop watching" in page.text
    make_reply(thread)
    assert [n.kind for n in notifications_of(reader)] == ["reply"]
    form = next(f for f in page.forms.values() if f.action.endswith(f"/t/{thread.id}/unwatch"))
    form.submit().follow()
    make_reply(thread)
    assert len(notifications_of(reader)) == 1
    # Answering later does not sign them up again: they said no.
    make_reply(thread, author=db.session.get(User, reader.id))
    make_reply(thread)
    assert len(notifications_of(reader)) == 1


def test_watch_buttons_need_the_csrf_token(testapp, thread, make_category, make_user):
    login(testapp, make_user())
    testapp.post(f"/t/{thread.id}/watch", status=400)
    category = make_category()
    testapp.post(f"/c/{category.slug}/watch", status=400)
    assert ThreadSubscription.query.count() == 1  # the asker's own


def test_visitors_see_no_watch_button_and_no_bell(testapp, thread):
    page = testapp.get(thread_path(thread))
    assert "/watch" not in page.text and "notifications-bell" not in page.text


def test_watching_a_category_tells_about_new_questions(testapp, make_category, make_thread,
                                                       make_user):
    category = make_category(name="Mobile")
    reader = make_user()
    login(testapp, reader)
    token = csrf_token(testapp, "/notifications")
    testapp.post(f"/c/{category.slug}/watch", {"csrf_token": token}).follow()
    assert service.is_watching_category(reader, category)
    thread = make_thread(category=category, author=make_user(name="Quinn Question"),
                         title="Roaming in Switzerland?")
    [notification] = notifications_of(reader)
    assert notification.kind == "new_thread"
    page = testapp.get("/notifications")
    assert "Quinn Question asked “Roaming in Switzerland?”" in page.text
    testapp.post(f"/c/{category.slug}/unwatch", {"csrf_token": token}).follow()
    make_thread(category=category)
    assert len(notifications_of(reader)) == 1
    assert thread.id


def test_the_category_watch_button_template(app, make_category, make_user):
    category = make_category()
    reader = make_user()
    template = app.jinja_env.get_template("community/notifications/_watch_category.html")
    with app.test_request_context("/"):
        assert template.render(category=category).strip() == ""  # visitors: nothing
    from flask_login import login_user
    with app.test_request_context("/"):
        login_user(reader)
        html = template.render(category=category)
        assert f'action="/c/{category.slug}/watch"' in html and "csrf_token" in html


# --- The bell and the list ---------------------------------------------------

def test_the_bell_counts_unread_and_the_list_marks_them_read(testapp, thread, asker,
                                                             make_reply, make_user):
    login(testapp, asker)
    assert bell(testapp.get("/")) == 0
    first = make_reply(thread, author=make_user(name="Hans Helper"), body="Restart the phone.")
    make_reply(thread, author=make_user(name="Ida Idea"), body="Check the settings.")
    page = testapp.get("/")
    assert bell(page) == 2
    page = page.click(href="/notifications$")
    assert "Hans Helper answered in “How do I activate my eSIM?”" in page.text
    assert "Ida Idea answered in" in page.text
    # Opening one marks it read and leads to the answer.
    [link] = [a["href"] for a in page.html.select("a.notification-link")
              if "Hans Helper" in a.get_text()]
    answer = testapp.get(link).follow().follow()
    assert f'id="post-{first.id}"' in answer.text
    assert bell(answer) == 1
    page = testapp.get("/notifications")
    form = next(f for f in page.forms.values() if f.action == "/notifications/read")
    page = form.submit().follow()  # "Mark all as read"
    assert "All notifications are marked as read." in page.text and bell(page) == 0
    assert all(n.read_at for n in notifications_of(asker))
    assert fresh(asker).unread_notifications == 0


def test_mark_one_read(testapp, thread, asker, make_reply):
    make_reply(thread)
    make_reply(thread)
    login(testapp, asker)
    page = testapp.get("/notifications")
    form = next(f for f in page.forms.values() if f.action.endswith("/read")
                and f.action != "/notifications/read")
    page = form.submit().follow()
    assert bell(page) == 1


def test_nobody_opens_another_members_notification(testapp, thread, asker, make_reply,
                                                   make_user):
    make_reply(thread)
    [notification] = notifications_of(asker)
    login(testapp, make_user())
    testapp.get(f"/notifications/{notification.id}", status=404)
    testapp.post(f"/notifications/{notification.id}/read",
                 {"csrf_token": csrf_token(testapp)}).follow()
    db.session.expire_all()
    assert notifications_of(asker)[0].read_at is None


def test_the_bell_costs_no_query(testapp, thread, asker, make_reply, count_queries):
    make_reply(thread)
    login(testapp, asker)
    testapp.get("/")
    with count_queries() as q:
        page = testapp.get("/")
    assert bell(page) == 1
    assert not any("FROM notifications" in s for s in q.statements)


def test_the_list_page_does_not_grow_with_notifications(testapp, thread, asker, make_reply,
                                                        count_queries):
    login(testapp, asker)
    make_reply(thread)
    testapp.get("/notifications")
    with count_queries() as few:
        testapp.get("/notifications")
    for _ in range(12):
        make_reply(thread)
    with count_queries() as many:
        testapp.get("/notifications")
    assert few.count == many.count <= 4


# --- Kinds -------------------------------------------------------------------

def test_accepted_helpful_and_official_answers(thread, asker, make_user, make_reply):
    helper = make_user(name="Hans Helper")
    answer = make_reply(thread, author=helper)
    threads.toggle_helpful(make_user(name="Vera Voter"), answer)
    threads.accept_answer(asker, answer)
    agent = make_user(role="agent", name="Sam Support")
    threads.reply(agent, thread, "We have switched your eSIM on.", is_official=True)
    db.session.commit()
    assert [n.kind for n in notifications_of(helper)] == ["helpful", "accepted", "official"]
    assert [n.kind for n in notifications_of(asker)] == ["reply", "official"]
    # Taking the vote back and voting again tells nobody twice.
    voter = User.query.filter_by(name="Vera Voter").one()
    threads.toggle_helpful(voter, answer)
    threads.toggle_helpful(voter, answer)
    db.session.commit()
    assert len(notifications_of(helper)) == 3


def test_mentions_by_name_without_spaces_or_in_brackets(thread, asker, make_user, make_reply):
    bert = make_user(name="Bert Brecht")
    clara = make_user(name="Clara Zetkin")
    make_reply(thread, body="Ask @BertBrecht or @[clara zetkin], not `@AnnaAsker` in code.")
    assert [n.kind for n in notifications_of(bert)] == ["mention"]
    assert [n.kind for n in notifications_of(clara)] == ["mention"]
    assert [n.kind for n in notifications_of(asker)] == ["reply"]  # code does not count


def test_an_ambiguous_mention_reaches_the_participant_or_nobody(thread, make_user, make_reply):
    inside, outside = make_user(name="Max Muster"), make_user(name="Max Muster")
    make_reply(thread, author=inside, body="I have the same problem here.")
    make_reply(thread, body="@MaxMuster did the restart help?")
    assert [n.kind for n in notifications_of(inside)] == ["mention"]  # not also "reply"
    assert notifications_of(outside) == []
    lonely = make_user(name="Eva Eins")
    make_user(name="Eva Eins")
    make_reply(thread, body="Maybe @[Eva Eins] knows this one?")
    assert notifications_of(lonely) == []


def test_mention_names():
    html = "<p>Hi @Jürgen, @[Anna Asker] and mail@example.com</p><pre>@Code</pre>" \
           "<blockquote><p>@Quoted</p></blockquote>"
    assert mentions.mentioned_names(html) == ["jürgen", "annaasker"]


def test_a_mention_added_by_an_edit_is_told_after_the_commit(thread, make_user, make_reply):
    bert = make_user(name="Bert Brecht")
    reply = make_reply(thread, body="A plain answer without names.")
    threads.edit_post(db.session.get(User, reply.author_id), reply,
                      "A plain answer, and @BertBrecht knows more.")
    db.session.commit()
    assert notifications_of(bert) == []
    outbox.drain()
    assert [n.kind for n in notifications_of(bert)] == ["mention"]


def test_moderation_and_support_team_reach_members_through_notify(testapp, thread, asker,
                                                                  make_user):
    moderator, agent = make_user(role="moderator"), make_user(role="agent")
    service.notify(asker, "moderation", thread=thread, actor=moderator,
                   data={"decision": "post_hidden", "reason": "Please stay constructive."},
                   key="notice:1")
    service.notify(asker.id, "moderation", thread=thread, actor=moderator,
                   data={"decision": "post_hidden"}, key="notice:1")  # the same event again
    service.notify(asker, "sanction", data={"decision": "silenced", "reason": "Spam",
                                            "until": "2026-12-01T10:00:00"})
    service.notify(asker, "support_request", thread=thread, actor=agent,
                   data={"message": "Please send us your contract number.",
                         "url": "https://evil.example.com/phish"})
    db.session.commit()
    assert [n.kind for n in notifications_of(asker)] == ["moderation", "sanction",
                                                         "support_request"]
    login(testapp, asker)
    page = testapp.get("/notifications")
    assert "A moderator hid your post" in page.text and "Please stay constructive." in page.text
    assert "You cannot post for a while" in page.text and "Dec 1, 2026" in page.text
    assert "Please send us your contract number." in page.text
    assert "evil.example.com" not in page.text
    with pytest.raises(ValueError):
        service.notify(asker, "no-such-kind")


def test_support_requests_are_not_copied_into_e_mails(thread, asker, make_user):
    service.notify(asker, "support_request", thread=thread, actor=make_user(role="agent"),
                   data={"message": "Your IBAN DE02 1203 0000 0000 2020 51 is wrong."})
    db.session.commit()
    outbox.drain()
    mail = MailMessage.query.one()
    assert "IBAN" not in mail.raw and "DE02" not in mail.raw
    assert "we do not send it by e-mail" in mail.raw.replace("=\r\n", "")


# --- Without SMTP: the admins' mailbox ---------------------------------------

def test_without_smtp_mail_is_logged_and_shown_to_admins_only(testapp, thread, asker,
                                                              make_reply, make_user, caplog):
    make_reply(thread, author=make_user(name="Hans Helper"), body="Restart the phone, please.")
    with caplog.at_level(logging.INFO, logger="community.notifications.mail"):
        assert outbox.drain() == 2
    mail = MailMessage.query.one()
    assert mail.status == "logged" and mail.recipient == asker.email
    assert "Hans Helper answered" in caplog.text and "Restart the phone" in caplog.text
    login(testapp, asker)
    testapp.get("/admin/mailbox", status=403)
    testapp.get(f"/admin/mailbox/{mail.id}", status=403)
    testapp.post("/logout", {"csrf_token": csrf_token(testapp)})
    login(testapp, make_user(role="admin"))
    page = testapp.get("/")
    page = page.click(href="/admin/mailbox")
    assert "No SMTP server is configured" in page.text
    assert "Kept here (no SMTP server)" in page.text and asker.email in page.text
    page = page.click(href=f"/admin/mailbox/{mail.id}$")
    assert "Restart the phone, please." in page.text and "List-Unsubscribe:" in page.text
    html = testapp.get(f"/admin/mailbox/{mail.id}/html")
    assert "sandbox" in html.headers["Content-Security-Policy"]
    assert "Restart the phone, please." in html.text
