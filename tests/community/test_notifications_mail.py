"""E-mail through a real SMTP server on loopback: headers, both parts, language,
links followed through the app, one-click unsubscribe, retries, permanent
failures, folding within the window and the daily digest."""
import socket
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from webtest import TestApp

from community import clock, hooks, outbox, outbox_claims
from community.services import threads
from community.extensions import db
from community.models import MailMessage, Notification, OutboxMessage, Post
from community.notifications import digest, links, preferences
from tests.conftest import login

from .smtp_server import Mailbox, SmtpServer, free_port, write_certificate

BASE = "http://localhost"


@pytest.fixture
def server():
    with SmtpServer(Mailbox()) as running:
        yield running


@pytest.fixture
def app(make_app, server):
    """The app sending to the loopback server (no TLS, no login: a local relay)."""
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_TLS="none",
                   BASE_URL=BASE, MAIL_FROM="community@example.com")
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def asker(make_user):
    return make_user(name="Anna Asker", email="anna@example.com")


@pytest.fixture
def thread(make_thread, asker):
    return make_thread(author=asker, title="How do I activate my eSIM?")


def path_of(url):
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == BASE
    return parts.path + (f"?{parts.query}" if parts.query else "")


def to(server, address):
    return [mail for mail in server.messages if mail.recipients == [address]]


def run_mail():
    """Run what is due, as the worker does; returns how many rows of the mail's
    outbox work (compose, send, digest) completed. Other features queue their own."""
    before = _mail_rows_done()
    outbox.drain()
    return _mail_rows_done() - before


def _mail_rows_done():
    db.session.expire_all()
    return OutboxMessage.query.filter(OutboxMessage.kind.like("notifications.%"),
                                      OutboxMessage.status == "done").count()


def links_in(text):
    return [word for word in text.split() if word.startswith(BASE)]


def test_a_reply_reaches_the_asker_by_mail_with_threading_and_unsubscribe_headers(
        server, testapp, thread, make_reply, make_user):
    helper = make_user(name="Hans Helper")
    reply = make_reply(thread, author=helper, body="Open the app, then Contract and eSIM.")
    assert run_mail() == 2  # compose, then send
    [mail] = server.messages
    assert mail.recipients == ["anna@example.com"] and mail.sender == "community@example.com"
    assert mail.header("To") == "Anna Asker <anna@example.com>"
    assert mail.header("From") == "Customer Community <community@example.com>"
    assert mail.header("Subject") == "[Customer Community] How do I activate my eSIM?"
    reference = mail.header("In-Reply-To")
    assert reference.startswith(f"<thread-{thread.id}.") and reference.endswith("@localhost>")
    assert mail.header("References") == reference
    assert mail.header("Message-ID").endswith("@localhost>")
    assert mail.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert mail.header("List-Unsubscribe").startswith(f"<{BASE}/unsubscribe/")
    assert mail.header("Content-Language") == "en"
    assert mail.message.get_content_type() == "multipart/alternative"
    for part in (mail.text, mail.html):
        assert "Hello Anna Asker," in part
        assert "Hans Helper answered in “How do I activate my eSIM?”" in part
        assert "Open the app, then Contract and eSIM." in part
    # The link leads to the answer, for anyone, without logging in.
    [answer_link, settings_link, unsubscribe_link] = links_in(mail.text)
    assert answer_link == f"{BASE}/p/{reply.id}"
    page = testapp.get(path_of(answer_link)).follow()
    assert f'id="post-{reply.id}"' in page.text
    assert f'href="{answer_link}"' in mail.html
    assert testapp.get(path_of(settings_link)).status_int == 302  # to the login page
    assert unsubscribe_link == mail.header("List-Unsubscribe")[1:-1]
    db.session.expire_all()
    assert MailMessage.query.one().status == "sent"


def test_a_german_member_gets_the_mail_in_german(server, testapp, make_thread, make_reply,
                                                 make_user):
    asker = make_user(name="Greta Gruber", locale="de")
    thread = make_thread(author=asker, title="Wie aktiviere ich meine eSIM?")
    make_reply(thread, author=make_user(name="Hans Helper"), body="In der App unter Vertrag.")
    outbox.drain()
    [mail] = server.messages
    assert mail.header("Content-Language") == "de"
    for part in (mail.text, mail.html):
        assert "Hallo Greta Gruber," in part
        assert "Hans Helper hat in „Wie aktiviere ich meine eSIM?“ geantwortet" in part
        assert "Hello" not in part and "answered in" not in part
    assert "Auf der Website öffnen" in mail.text
    assert "Keine E-Mails dieser Art mehr erhalten:" in mail.text


def test_one_click_unsubscribe_works_without_login_and_only_for_its_owner(
        server, testapp, thread, asker, make_reply, make_user):
    make_reply(thread, body="A first answer that helps.")
    outbox.drain()
    [mail] = server.messages
    url = mail.header("List-Unsubscribe")[1:-1]
    token = url.rsplit("/", 1)[1]
    # Tampered tokens, or a token re-signed for another member, lead nowhere.
    other = make_user()
    forged = links._serializer().dumps({"u": other.id, "k": ["reply"]})[:-2] + "xx"
    for bad in (token[:-2] + ("aa" if not token.endswith("aa") else "bb"), forged, "nonsense"):
        testapp.get(f"/unsubscribe/{bad}", status=404)
        testapp.post(f"/unsubscribe/{bad}", {"List-Unsubscribe": "One-Click"}, status=404)
    db.session.expire_all()
    assert preferences.preferences(asker)["reply"] == "immediately"
    # GET only asks (link scanners must not unsubscribe anybody).
    page = testapp.get(path_of(url))
    assert "Stop these e-mails?" in page.text and "a…@example.com" in page.text
    assert preferences.preferences(asker)["reply"] == "immediately"
    # The mail client's one-click POST: no session, no CSRF token.
    testapp.post(path_of(url), {"List-Unsubscribe": "One-Click"})
    db.session.expire_all()
    assert preferences.preferences(asker)["reply"] == "never"
    assert preferences.preferences(other)["reply"] == "immediately"
    make_reply(thread, body="A second answer, after unsubscribing.")
    clock.travel(timedelta(hours=1))
    outbox.drain()
    assert len(to(server, "anna@example.com")) == 1
    assert Notification.query.filter_by(user_id=asker.id).count() == 2  # still in the app


def test_the_confirm_page_unsubscribes_with_its_button(server, testapp, thread, asker,
                                                       make_reply):
    make_reply(thread)
    outbox.drain()
    url = server.messages[0].header("List-Unsubscribe")[1:-1]
    page = testapp.get(path_of(url)).forms["unsubscribe-form"].submit()
    assert "You will not get these e-mails any more." in page.text
    db.session.expire_all()
    assert preferences.preferences(asker)["reply"] == "never"


def test_a_temporary_refusal_is_retried_with_backoff_and_delivered_once(
        server, thread, make_reply):
    server.handler.refuse_first = 2
    make_reply(thread)
    assert run_mail() == 1  # composed; sending was refused
    send = OutboxMessage.query.filter_by(kind="notifications.send").one()
    assert send.status == "pending" and send.attempts == 1 and "451" in send.last_error
    assert run_mail() == 0  # not before the backoff
    clock.travel(timedelta(seconds=5))
    assert run_mail() == 0  # refused again
    clock.travel(timedelta(seconds=10))
    assert run_mail() == 1
    assert len(server.messages) == 1 and server.handler.refused == 2
    clock.travel(timedelta(hours=2))
    assert run_mail() == 0
    assert len(server.messages) == 1
    db.session.expire_all()
    assert MailMessage.query.one().status == "sent"


def test_mail_waits_while_the_server_is_down_and_goes_out_when_it_is_back(
        app, thread, make_reply):
    port = free_port()
    app.config["SMTP_PORT"] = port  # nothing listens there yet
    make_reply(thread)
    outbox.drain()
    send = OutboxMessage.query.filter_by(kind="notifications.send").one()
    assert send.status == "pending" and "Connection refused" in send.last_error
    with SmtpServer(Mailbox(), port=port) as back:
        clock.travel(timedelta(seconds=5))
        assert run_mail() == 1
        assert len(back.messages) == 1


def test_a_rejected_recipient_is_recorded_for_admins_and_not_retried(
        server, testapp, make_user, make_thread, make_reply):
    server.handler.reject = {"gone@example.com"}
    asker = make_user(email="gone@example.com")
    make_reply(make_thread(author=asker))
    assert run_mail() == 2  # the send row is done: nothing to retry
    mail = MailMessage.query.one()
    assert mail.status == "failed" and mail.error.startswith("550")
    clock.travel(timedelta(hours=3))
    assert run_mail() == 0 and server.messages == []
    admin = make_user(role="admin")
    login(testapp, admin)
    page = testapp.get("/admin/mailbox")
    assert "gone@example.com" in page.text and "Refused for good" in page.text
    assert "550 5.1.1 No such user here" in page.text


def test_later_events_in_the_window_are_folded_into_one_mail(server, thread, make_reply,
                                                              make_user):
    make_reply(thread, author=make_user(name="First Helper"), body="Try a restart first.")
    outbox.drain()
    assert len(to(server, "anna@example.com")) == 1  # the first one goes out at once
    clock.travel(timedelta(minutes=2))
    make_reply(thread, author=make_user(name="Second Helper"), body="Check the APN settings.")
    clock.travel(timedelta(minutes=3))
    make_reply(thread, author=make_user(name="Third Helper"), body="Reinstall the profile.")
    outbox.drain()
    assert len(to(server, "anna@example.com")) == 1  # still inside the 10-minute window
    clock.travel(timedelta(minutes=5))
    outbox.drain()
    first, folded = to(server, "anna@example.com")
    assert "Second Helper answered" in folded.text and "Third Helper answered" in folded.text
    assert "Try a restart first." not in folded.text
    assert folded.header("References") == first.header("References")
    assert folded.header("Message-ID") != first.header("Message-ID")
    clock.travel(timedelta(hours=1))
    outbox.drain()
    assert len(to(server, "anna@example.com")) == 2


def test_each_event_reaches_each_person_once(server, thread, asker, make_user, make_reply):
    moderator = make_user(role="moderator")
    reply = make_reply(thread)
    outbox.drain()
    # The answer is held and shown again: no second notification, no second mail.
    threads.set_post_visibility(moderator, reply, "pending")
    threads.set_post_visibility(moderator, reply, "visible")
    db.session.commit()
    clock.travel(timedelta(hours=1))
    outbox.drain()
    assert len(server.messages) == 1
    assert Notification.query.filter_by(user_id=asker.id).count() == 1


def test_message_ids_are_deterministic(app):
    from community.notifications import mail
    moment = datetime(2026, 11, 23, 9, 0)
    assert mail.message_id("notifications.compose:7", moment) == \
        mail.message_id("notifications.compose:7", moment)
    assert mail.message_id("notifications.compose:7", moment) != \
        mail.message_id("notifications.compose:8", moment)


def test_the_daily_digest_comes_once_a_day_at_the_digest_hour(server, thread, make_reply,
                                                               make_user):
    # 06:00 in Berlin (05:00 UTC): before the digest hour (08:00).
    clock.freeze(datetime(2026, 11, 23, 5, 0))
    helper = make_user(name="Hans Helper", email="hans@example.com")
    answer = make_reply(thread, author=helper, body="The answer that helped.")
    outbox.drain()
    server.messages.clear()  # the asker's mail about the reply
    for voter in (make_user(name="Vera Voter"), make_user(name="Walt Voter")):
        threads.toggle_helpful(voter, answer)
    db.session.commit()
    assert run_mail() == 0  # "helpful" is a digest kind by default
    assert digest.queue_due_digests() == 0
    clock.travel(timedelta(hours=2, minutes=1))  # 08:01 in Berlin
    outbox.run_periodic(force=True)
    assert run_mail() == 2
    [mail] = server.messages
    assert mail.recipients == ["hans@example.com"]
    assert mail.header("Subject") == "[Customer Community] Your daily summary"
    assert mail.header("In-Reply-To") is None
    assert "Vera Voter found your answer" in mail.text and "Walt Voter found" in mail.text
    # Later the same day: nothing new goes out, even with new digest items.
    threads.toggle_helpful(make_user(name="Xena Voter"), answer)
    db.session.commit()
    clock.travel(timedelta(hours=3))
    outbox.run_periodic(force=True)
    outbox.drain()
    assert len(server.messages) == 1
    # The next morning the new item comes.
    clock.travel(timedelta(hours=21))
    outbox.run_periodic(force=True)
    outbox.drain()
    assert len(server.messages) == 2 and "Xena Voter found" in server.messages[1].text


def test_a_held_post_notifies_nobody_until_approved(app, server, testapp, thread, asker,
                                                   make_user):
    moderator = make_user(role="moderator")
    newcomer = make_user(name="Nina Newcomer")
    hooks.add(app, "write.visibility", _hold_everything)
    post = threads.reply(newcomer, thread, "My secret draft with @[Anna Asker] in it.")
    db.session.commit()
    assert post.visibility == "pending"
    outbox.drain()
    assert server.messages == [] and Notification.query.count() == 0
    login(testapp, asker)
    assert "badge-unread" not in testapp.get("/").text
    threads.set_post_visibility(moderator, post, "visible")
    db.session.commit()
    outbox.drain()
    [notification] = Notification.query.filter_by(user_id=asker.id).all()
    assert notification.kind == "mention"  # one notification per post: the mention wins
    [mail] = server.messages
    assert "Nina Newcomer mentioned you" in mail.text and "My secret draft" in mail.text


def _hold_everything(user, category, thread, title, body):
    return "pending"


def test_a_post_hidden_before_the_mail_goes_out_is_not_mailed(server, testapp, thread, asker,
                                                               make_reply, make_user):
    moderator = make_user(role="moderator")
    reply = make_reply(thread, body="Call me at +49 170 1234567, here is my address.",
                       confirmed={"public_data"})
    threads.set_post_visibility(moderator, reply, "hidden")
    db.session.commit()
    outbox.drain()
    assert server.messages == []
    assert Notification.query.one().email_state == "dropped"
    login(testapp, asker)
    page = testapp.get("/notifications")
    assert "This content is no longer available." in page.text
    assert "+49 170" not in page.text and "answered in" not in page.text


# --- TLS, login and timeouts ------------------------------------------------------

@pytest.fixture
def certificate(tmp_path, monkeypatch):
    """The loopback server's certificate, trusted like an operator's private CA."""
    files = write_certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(files[0]))
    return files


@pytest.mark.parametrize("tls", ["starttls", "ssl"])
def test_mail_goes_out_over_tls_with_a_login(make_app, make_thread, make_reply, make_user,
                                              certificate, tls):
    users = {"community": "s3cret pass"}
    with SmtpServer(Mailbox(), tls=tls, certificate=certificate, users=users) as tls_server:
        app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=tls_server.port, SMTP_TLS=tls,
                       SMTP_USER="community", SMTP_PASSWORD="s3cret pass", BASE_URL=BASE,
                       MAIL_FROM="community@example.com")
        with app.app_context():
            make_reply(make_thread(author=make_user(email="anna@example.com")))
            assert run_mail() == 2
            [mail] = tls_server.messages
            assert mail.tls and mail.login == "community"
            assert mail.recipients == ["anna@example.com"]
            assert MailMessage.query.one().status == "sent"
            db.session.remove()


def test_a_wrong_password_or_an_untrusted_certificate_is_retried_and_shown_to_admins(
        make_app, make_thread, make_reply, make_user, certificate, monkeypatch):
    users = {"community": "right"}
    with SmtpServer(Mailbox(), tls="starttls", certificate=certificate,
                    users=users) as tls_server:
        app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=tls_server.port, SMTP_TLS="starttls",
                       SMTP_USER="community", SMTP_PASSWORD="wrong", BASE_URL=BASE)
        with app.app_context():
            make_reply(make_thread(author=make_user(email="anna@example.com")))
            outbox.drain()
            send = OutboxMessage.query.filter_by(kind="notifications.send").one()
            assert send.status == "pending" and "535" in send.last_error
            testapp = TestApp(app, extra_environ={"HTTP_HOST": "localhost"})
            login(testapp, make_user(role="admin"))
            page = testapp.get("/admin/mailbox")
            assert "Waiting" in page.text and "Attempt 1 failed, next try" in page.text
            assert "535" in page.text
            # The admin fixes the password, but the certificate is not trusted here.
            app.config["SMTP_PASSWORD"] = "right"
            monkeypatch.delenv("SSL_CERT_FILE")
            clock.travel(timedelta(seconds=5))
            assert run_mail() == 0
            db.session.expire_all()
            assert "CERTIFICATE_VERIFY_FAILED" in send.last_error and send.attempts == 2
            monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
            clock.travel(timedelta(seconds=10))
            assert run_mail() == 1
            assert len(tls_server.messages) == 1 and tls_server.messages[0].login == "community"
            db.session.remove()


def test_a_server_that_does_not_answer_times_out_and_is_retried(app, thread, make_reply):
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never speaks
        app.config.update(SMTP_PORT=silent.getsockname()[1], SMTP_TIMEOUT=0.2)
        make_reply(thread)
        assert run_mail() == 1  # composed; the send timed out
    send = OutboxMessage.query.filter_by(kind="notifications.send").one()
    assert send.status == "pending" and send.attempts == 1
    assert "timed out" in send.last_error
    assert MailMessage.query.one().status == "queued"


def test_delivery_is_given_up_after_the_last_attempt_and_admins_see_it(
        make_app, testapp, make_thread, make_reply, make_user):
    app = make_app(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_TLS="none",
                   OUTBOX_MAX_ATTEMPTS=2, BASE_URL=BASE)
    with app.app_context():
        make_reply(make_thread(author=make_user(email="anna@example.com")))
        outbox.drain()
        clock.travel(timedelta(seconds=5))
        outbox.drain()
        assert OutboxMessage.query.filter_by(kind="notifications.send").one().status == "failed"
        testapp = TestApp(app, extra_environ={"HTTP_HOST": "localhost"})
        login(testapp, make_user(role="admin"))
        page = testapp.get("/admin/mailbox")
        assert "Given up after 2 attempts:" in page.text and "Connection refused" in page.text
        db.session.remove()


# --- A repeated send after a worker crash -------------------------------------------

def test_a_worker_crash_after_the_server_accepted_repeats_the_same_message(
        server, thread, make_reply):
    make_reply(thread)
    for held in outbox_claims.claim(10):  # the worker's steps, one by one
        outbox.run(held)  # the mail is composed and its sending queued
    [send] = [held for held in outbox_claims.claim(10)
              if db.session.get(OutboxMessage, held.id).kind == "notifications.send"]
    assert outbox_claims.start(send)
    from community.notifications import mail as mail_module
    mail_module.send(dict(db.session.get(OutboxMessage, send.id).payload))  # the server
    db.session.rollback()  # accepts the message, and the worker dies before it records that
    assert len(server.messages) == 1
    clock.travel(timedelta(seconds=outbox_claims.LEASE_SECONDS + 1))
    assert run_mail() == 1  # another worker takes the row over
    first, again = server.messages
    assert again.header("Message-ID") == first.header("Message-ID")
    assert again.message.as_bytes() == first.message.as_bytes()
    clock.travel(timedelta(hours=1))
    assert run_mail() == 0 and len(server.messages) == 2


# --- What other packages send through notify -----------------------------------------

def test_a_moderation_decision_is_mailed_with_its_reason_in_the_members_language(
        server, testapp, make_user, make_thread, make_reply):
    from community import notifications
    author = make_user(name="Greta Gruber", email="greta@example.com", locale="de")
    moderator = make_user(role="moderator", name="Mia Moderator")
    thread = make_thread(title="Wie aktiviere ich meine eSIM?")
    post = make_reply(thread, author=author, body="Ruf mich an: 0170 1234567, Musterweg 1.",
                      confirmed={"public_data"})
    threads.set_post_visibility(moderator, post, "hidden")
    notifications.notify(author, notifications.MODERATION, thread=thread, post=post,
                         actor=moderator, key="moderation.notice:1",
                         data={"decision": "post_hidden", "url": "/mod/notices",
                               "reason": "Bitte keine Telefonnummern posten."})
    db.session.commit()
    outbox.drain()
    [mail] = [m for m in server.messages if m.recipients == ["greta@example.com"]]
    assert mail.header("Subject") == "[Customer Community] Wie aktiviere ich meine eSIM?"
    for part in (mail.text, mail.html):
        assert "Ein Moderator hat Ihren Beitrag ausgeblendet" in part
        assert "Grund: Bitte keine Telefonnummern posten." in part
        assert "0170" not in part  # the hidden post itself is not copied into the mail
    assert f"{BASE}/mod/notices" in links_in(mail.text)


def test_a_notice_about_a_thread_the_member_may_not_see_does_not_name_it(
        server, make_user, make_thread):
    from community import notifications
    flagger = make_user(email="flo@example.com")
    moderator = make_user(role="moderator")
    thread = make_thread(title="Selling my neighbour's phone number")
    threads.set_post_visibility(moderator, db.session.get(Post, thread.first_post_id), "hidden")
    notifications.notify(flagger, notifications.MODERATION, thread=thread, actor=moderator,
                         data={"decision": "flag_upheld"}, key="moderation.notice:2")
    db.session.commit()
    outbox.drain()
    [mail] = server.messages
    assert mail.header("Subject") == \
        "[Customer Community] A moderator acted on your report. Thank you!"
    raw = mail.message.as_string()
    assert "neighbour" not in raw and "Selling" not in raw
    assert f"/t/{thread.id}" not in raw


def test_a_changed_choice_applies_to_mail_still_waiting(server, testapp, thread, asker,
                                                       make_reply, make_user):
    make_reply(thread, body="A first answer that helps.")
    outbox.drain()
    clock.travel(timedelta(minutes=1))
    make_reply(thread, body="A second answer inside the window.")
    outbox.drain()
    login(testapp, asker)
    form = testapp.get("/settings").forms["notifications-form"]
    form["ntf-email_reply"] = "never"
    form.submit().follow()
    clock.travel(timedelta(minutes=15))
    outbox.drain()
    assert len(to(server, "anna@example.com")) == 1
    db.session.expire_all()
    assert [n.email_state for n in Notification.query.filter_by(user_id=asker.id)
            .order_by(Notification.id)] == ["sent", "dropped"]


# --- Command line -------------------------------------------------------------------

def test_the_test_mail_command_checks_the_smtp_settings(app, server):
    result = app.test_cli_runner().invoke(args=["notifications", "test-mail", "ops@example.com"])
    assert result.exit_code == 0 and "Sent to ops@example.com." in result.output
    [mail] = server.messages
    assert mail.recipients == ["ops@example.com"] and "SMTP test" in mail.header("Subject")
    app.config["SMTP_PORT"] = free_port()  # nobody listens there
    result = app.test_cli_runner().invoke(args=["notifications", "test-mail", "ops@example.com"])
    assert result.exit_code != 0 and "Not sent: ConnectionRefusedError" in result.output


def test_the_test_mail_command_without_smtp(make_app):
    runner = make_app().test_cli_runner()
    result = runner.invoke(args=["notifications", "test-mail", "ops@example.com"])
    assert result.exit_code != 0 and "FORUM_SMTP_HOST is not set" in result.output


def test_the_digest_command_sends_todays_digests(app, server, thread, make_reply, make_user):
    clock.freeze(datetime(2026, 11, 23, 9, 0))  # 10:00 in Berlin, after the digest hour
    helper = make_user(name="Hans Helper", email="hans@example.com")
    answer = make_reply(thread, author=helper)
    outbox.drain()
    threads.toggle_helpful(make_user(name="Vera Voter"), answer)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert result.exit_code == 0 and "1 digests queued." in result.output
    assert "Vera Voter found your answer" in to(server, "hans@example.com")[0].text
