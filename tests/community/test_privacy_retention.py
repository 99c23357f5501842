"""Retention: each kind of data is deleted (or cut down) by a periodic job of the worker
once it is older than its setting, and nothing younger or of another kind goes.
Time moves by the clock, never by sleeping. Admins see the rules, what is held and
how old it is; operators get the same from ``flask --app community privacy report``."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community import clock, outbox
from community.extensions import db
from community.models import LoginAttempt, MailMessage
from community.models.accounts import Registration
from community.privacy.models import DataExport
from community.services import privacy
from tests.conftest import PASSWORD, login


def worker():
    """What the worker does every so often: its periodic jobs that are due."""
    ran = outbox.run_periodic()
    db.session.expire_all()
    return ran


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def register(session, email):
    form = session.get("/register").forms["register-form"]
    form["email"], form["name"], form["password"] = email, "Carl Newcomer", PASSWORD
    return form.submit()


def failed_login(session, email):
    session.reset()
    form = session.get("/login").forms["login-form"]
    form["email"], form["password"] = email, "not the password"
    form.submit(expect_errors=True)


@pytest.fixture
def start():
    clock.freeze()
    return clock.now()


def test_logins_registrations_and_addresses_go_after_30_days(start, testapp, browser,
                                                             make_user):
    member = make_user()
    failed_login(testapp, member.email)       # 203.0.113.7
    login(testapp, member)
    register(browser(), "carl@example.org")   # 198.51.100.9
    worker()
    clock.travel(timedelta(days=20))
    failed_login(testapp, member.email)       # a younger one
    clock.travel(timedelta(days=9, hours=23))
    worker()
    assert count(LoginAttempt) == 3 and count(Registration) == 1

    clock.travel(timedelta(hours=2))          # 30 days and an hour after the first ones
    assert "privacy.retention.login_addresses" in worker()
    assert count(LoginAttempt, LoginAttempt.succeeded.is_(False)) == 1  # the younger one
    assert count(Registration) == 0
    success = db.session.scalars(select(LoginAttempt).where(LoginAttempt.succeeded)).one()
    assert success.ip == "203.0.113.0/24"     # the network only; the login itself stays

    clock.travel(timedelta(days=336))
    worker()
    assert count(LoginAttempt, LoginAttempt.succeeded) == 0


def test_sent_emails_go_after_30_days_and_waiting_ones_stay(start, make_user, make_thread,
                                                             make_reply):
    asker = make_user()
    make_reply(make_thread(author=asker))
    outbox.drain()                            # composed and "sent" (logged: no SMTP server)
    outbox.drain()
    waiting = MailMessage(user_id=asker.id, kind="notice", recipient=asker.email,
                          subject="Waiting", message_id="<waiting@localhost>", raw="",
                          status="queued", created_at=clock.now())
    db.session.add(waiting)
    db.session.commit()
    assert count(MailMessage) == 2
    clock.travel(timedelta(days=29))
    worker()
    assert count(MailMessage) == 2
    clock.travel(timedelta(days=2))
    worker()
    assert [m.subject for m in db.session.scalars(select(MailMessage))] == ["Waiting"]


def test_exports_go_when_their_link_ends(start, testapp, make_user, browser):
    member = make_user()
    login(testapp, member)
    testapp.get("/settings").forms["export-form"].submit()
    outbox.drain()
    link = testapp.get("/settings").click(linkid="export-download").request.path
    clock.travel(timedelta(days=6, hours=23))
    worker()
    assert testapp.get(link).status_int == 200
    clock.travel(timedelta(hours=2))
    worker()
    assert count(DataExport) == 0
    assert testapp.get(link, status=404)


def test_private_details_are_cut_out_90_days_after_the_ticket_closed(start, make_user,
                                                                      make_thread, browser):
    from agent_bridge.services import escalation, tickets
    from agent_bridge.services import privacy as details
    agent = make_user(role="agent")
    done, still_open = (make_thread(author=make_user()) for _ in range(2))
    for thread, text in ((done, "Kundennummer 1111-2222"), (still_open, "Kundennummer 3333-4444")):
        escalation.escalate(agent, thread, "", source="desk")
        details.send_privately(db.session.get(type(agent), thread.author_id), thread, text)
    tickets.set_status(tickets.ticket_for_thread(done.id), "solved", actor=agent)
    db.session.commit()
    clock.travel(timedelta(days=89))
    worker()
    desk = browser(agent)
    assert "Kundennummer 1111-2222" in desk.get(
        f"/desk/tickets/{tickets.ticket_for_thread(done.id).id}").text
    clock.travel(timedelta(days=2))
    worker()
    page = desk.get(f"/desk/tickets/{tickets.ticket_for_thread(done.id).id}").text
    assert "Kundennummer 1111-2222" not in page and privacy.MARKER in page
    assert "Kundennummer 3333-4444" in desk.get(
        f"/desk/tickets/{tickets.ticket_for_thread(still_open.id).id}").text


def test_admins_see_the_rules_and_what_is_held(start, browser, admin, make_user, testapp):
    failed_login(testapp, "somebody@example.org")
    clock.travel(timedelta(days=3))
    page = browser(admin).get("/").click(href="/admin/privacy")
    rule = page.html.select_one("#rule-login_addresses").get_text(" ", strip=True)
    assert "30 days" in rule and "3 days old" in rule
    assert "90 days" in page.html.select_one("#rule-private_details").get_text()
    assert "7 days" in page.html.select_one("#rule-exports").get_text()
    assert "14 days" in page.html.select_one("#rule-outbox").get_text()
    assert browser(make_user(role="moderator")).get("/admin/privacy", status=403)


def test_the_report_and_the_purge_command(start, app, testapp):
    failed_login(testapp, "somebody@example.org")
    clock.travel(timedelta(days=31))
    runner = app.test_cli_runner()
    report = runner.invoke(args=["privacy", "report"])
    assert report.exit_code == 0, report.output
    line = next(line for line in report.output.splitlines() if line.startswith("Failed logins"))
    assert line.split()[-5:] == ["1", "31", "d", "30", "d"]  # rows, oldest, kept
    assert "Private details customers gave" in report.output
    purge = runner.invoke(args=["privacy", "purge"])
    assert "login_addresses: 1 rows" in purge.output
    assert count(LoginAttempt) == 0
