"""In-app notifications: subscriptions and watch buttons, the bell and the list,
the kinds of notification, mentions, settings and the mailbox without SMTP."""
import logging
import re

import pytest

from community import hooks, outbox
from community.services import threads
from community.extensions import db
from community.models import MailMessage, Notification, Post, ThreadSubscription, User
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
    assert "/watch" not in testapp.get(f"/c/{category.slug}").text  # visitors: no button
    reader = make_user()
    login(testapp, reader)
    page = testapp.get(f"/c/{category.slug}")
    form = next(f for f in page.forms.values() if f.action.endswith(f"/c/{category.slug}/watch"))
    page = form.submit().follow()
    assert "You are watching this category" in page.text and "Stop watching" in page.text
    make_thread(category=category, author=make_user(name="Quinn Question"),
                title="Roaming in Switzerland?")
    [notification] = notifications_of(reader)
    assert notification.kind == "new_thread"
    listing = testapp.get("/notifications")
    assert "Quinn Question asked “Roaming in Switzerland?”" in listing.text
    form = next(f for f in page.forms.values()
                if f.action.endswith(f"/c/{category.slug}/unwatch"))
    page = form.submit().follow()
    assert "You no longer watch this category." in page.text
    make_thread(category=category)
    assert len(notifications_of(reader)) == 1


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
    # Reading the thread read both answers' notifications (issue 14, point 5).
    assert bell(answer) == 0
    make_reply(thread, author=make_user(name="Jo Later"), body="Or ask the shop.")
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

def _click(testapp, page, action):
    form = next(f for f in page.forms.values() if (f.action or "").endswith(action))
    return form.submit().follow().follow()


def test_accepted_helpful_and_official_answers(testapp, thread, asker, make_user, make_reply):
    helper = make_user(name="Hans Helper")
    answer = make_reply(thread, author=helper)
    voter = make_user(name="Vera Voter")
    login(testapp, voter)
    _click(testapp, testapp.get(thread_path(thread)), f"/p/{answer.id}/helpful")
    testapp.post("/logout", {"csrf_token": csrf_token(testapp)})
    login(testapp, asker)
    _click(testapp, testapp.get(thread_path(thread)), f"/p/{answer.id}/accept")
    agent = make_user(role="agent", name="Sam Support")
    threads.reply(agent, thread, "We have switched your eSIM on.", is_official=True)
    db.session.commit()
    assert [n.kind for n in notifications_of(helper)] == ["helpful", "accepted", "official"]
    assert [n.kind for n in notifications_of(asker)] == ["reply", "official"]
    testapp.post("/logout", {"csrf_token": csrf_token(testapp)})
    login(testapp, helper)
    page = testapp.get("/notifications")
    assert bell(page) == 3
    for text in ("Vera Voter found your answer in “How do I activate my eSIM?” helpful",
                 "Anna Asker accepted your answer in “How do I activate my eSIM?”",
                 "Sam Support from the support team answered in “How do I activate my eSIM?”"):
        assert text in page.text
    # Taking the vote back and voting again tells nobody twice.
    threads.toggle_helpful(db.session.get(User, voter.id), answer)
    threads.toggle_helpful(db.session.get(User, voter.id), answer)
    db.session.commit()
    assert len(notifications_of(helper)) == 3


def test_a_mention_links_the_profile_and_tells_the_member(testapp, thread, asker, make_user):
    bert = make_user(name="Bert Brecht")
    clara = make_user(name="Clara Zetkin")
    login(testapp, make_user(name="Hans Helper"))
    form = testapp.get(thread_path(thread)).forms["reply-form"]
    form["body"] = ("Ask @BertBrecht or @[clara zetkin], not `@AnnaAsker` in code.\n\n"
                    "> @AnnaAsker wrote this in a quote")
    page = form.submit("submit").follow().follow()
    links = page.html.select("a.mention")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("@Bert Brecht", f"/u/{bert.id}-bert-brecht"),
        ("@Clara Zetkin", f"/u/{clara.id}-clara-zetkin")]
    profile = page.click(href=f"/u/{bert.id}-bert-brecht")
    assert "Bert Brecht" in profile.html.select_one("h1").get_text()
    # The people linked are the people told; code and quotes do not mention.
    assert [n.kind for n in notifications_of(bert)] == ["mention"]
    assert [n.kind for n in notifications_of(clara)] == ["mention"]
    assert [n.kind for n in notifications_of(asker)] == ["reply"]
    testapp.post("/logout", {"csrf_token": csrf_token(testapp)})
    login(testapp, bert)
    page = testapp.get("/")
    assert bell(page) == 1
    page = page.click(href="/notifications$")
    assert "Hans Helper mentioned you in “How do I activate my eSIM?”" in page.text


def test_a_name_several_members_share_links_and_tells_nobody(thread, make_user, make_reply):
    inside, outside = make_user(name="Max Muster"), make_user(name="Max Muster")
    make_reply(thread, author=inside, body="I have the same problem here.")
    post = make_reply(thread, body="@MaxMuster did the restart help? Ask @Nobody Known.")
    assert "<a" not in post.body_html and "@MaxMuster" in post.body_html
    assert notifications_of(outside) == []
    assert [n.kind for n in notifications_of(inside)] == ["reply"]


def test_a_forged_mention_link_tells_nobody(thread, make_user, make_reply):
    target = make_user(name="Tina Target")
    post = make_reply(thread, body=f'<a class="mention" href="/u/{target.id}">@x</a> and '
                                   f'[@Tina](/u/{target.id}) are no mentions.')
    assert 'class="mention"' not in post.body_html
    assert mentions.mentioned_user_ids(post.body_html) == []
    assert notifications_of(target) == []


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
        outbox.drain()
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


# --- Held posts --------------------------------------------------------------------

def test_a_held_question_reaches_category_watchers_only_when_approved(
        app, testapp, make_category, make_user):
    category = make_category(name="Mobile")
    watcher, moderator = make_user(name="Wanda Watcher"), make_user(role="moderator")
    service.watch_category(watcher, category)
    bert = make_user(name="Bert Brecht")
    hooks.add(app, "write.visibility", _hold_everything)
    thread = threads.create_thread(make_user(name="Nina Newcomer"), category,
                                   "My contract number is 4711, help?",
                                   "Please call @BertBrecht about contract 4711.")
    db.session.commit()
    assert Notification.query.count() == 0
    login(testapp, watcher)
    page = testapp.get("/notifications")
    assert bell(page) == 0 and "4711" not in page.text
    threads.set_post_visibility(moderator, db.session.get(Post, thread.first_post_id),
                                "visible")
    db.session.commit()
    assert [n.kind for n in notifications_of(watcher)] == ["new_thread"]
    assert [n.kind for n in notifications_of(bert)] == ["mention"]
    assert "Nina Newcomer asked “My contract number is 4711, help?”" in \
        testapp.get("/notifications").text


def _hold_everything(user, category, thread, title, body):
    return "pending"
