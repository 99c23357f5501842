"""Sanctions: silence (read-only) and suspension (no login), expiry, lifting early."""
from datetime import timedelta

from community import clock
from community.extensions import db
from community.models import Post
from tests.conftest import PASSWORD, csrf_token

from .helpers import audit_entries, notices_for, reply, thread_path


def sanction(session, member, kind, duration="3", reason_code="abusive", reason=""):
    form = session.get(f"/mod/users/{member.id}").forms["sanction-form"]
    form["sanction-kind"], form["sanction-duration"] = kind, duration
    form["sanction-reason_code"], form["sanction-reason"] = reason_code, reason
    return form.submit(expect_errors=True)


def try_login(session, user):
    form = session.get("/login").forms["login-form"]
    form["email"], form["password"] = user.email, PASSWORD
    return form.submit(expect_errors=True)


def test_silenced_member_reads_but_cannot_write_until_it_expires(
        browser, make_user, make_thread, make_reply, moderator, make_category):
    member = make_user(name="Sid Silenced")
    thread = make_thread()
    own = make_reply(thread, author=member)
    other = make_reply(thread)
    session = browser(member)
    page = sanction(browser(moderator), member, "silence", "3", "abusive",
                    "Insulted other members twice.").follow()
    assert "The sanction applies now" in page.text
    page = session.get(thread_path(thread))
    assert "You can read but not post until" in page.text
    assert "Insulted other members twice." in page.text
    assert "reply-form" not in page.forms
    assert f"/p/{other.id}/helpful" not in page.text and f"/p/{own.id}/edit" not in page.text
    assert f"/mod/flag/{other.id}" not in page.text
    token = csrf_token(session)
    page = session.post(f"/t/{thread.id}/reply", {"body": "Trying to post anyway.",
                                                 "csrf_token": token}, expect_errors=True)
    assert page.status_int == 403
    assert session.get("/ask").forms  # the form shows, asking is refused
    page = session.post("/ask", {"csrf_token": token, "category": make_category().slug,
                                 "title": "A question while silenced", "body": "Body text here."},
                        expect_errors=True)
    assert page.status_int == 403
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 3
    clock.travel(timedelta(days=3, minutes=1))
    assert reply(session, thread, "Back again, with a calm answer.").status_int == 302
    [entry] = audit_entries()
    assert (entry.action, entry.reason_code, entry.reason, entry.details["days"]) == (
        "member.silence", "abusive", "Insulted other members twice.", 3)
    assert [n.kind for n in notices_for(member)] == ["silenced"]


def test_suspended_member_is_logged_out_and_sees_why_at_login(browser, make_user, moderator):
    member = make_user()
    session = browser(member)
    assert session.get("/settings").status_int == 200
    sanction(browser(moderator), member, "suspend", "7", "spam", "Advertising links.")
    assert session.get("/settings").status_int == 302  # the session ended
    page = try_login(browser(), member)
    assert page.status_int == 403
    assert "Your account is suspended until" in page.text and "Advertising links." in page.text
    clock.travel(timedelta(days=7, minutes=1))
    assert try_login(browser(), member).status_int == 302


def test_permanent_suspension_and_lifting_early(browser, make_user, moderator):
    member = make_user()
    mod = browser(moderator)
    sanction(mod, member, "suspend", "permanent", "spam")
    page = try_login(browser(), member)
    assert "Your account is suspended permanently" in page.text
    clock.travel(timedelta(days=4000))
    assert try_login(browser(), member).status_int == 403
    page = mod.get(f"/mod/users/{member.id}")
    form = [f for k, f in page.forms.items() if str(k).startswith("lift-form-")][0]
    form["lift-reason"] = "Promised to stop"
    page = form.submit().follow()
    assert "The sanction was lifted." in page.text
    assert try_login(browser(), member).status_int == 302
    assert [e.action for e in audit_entries()] == ["member.suspend", "member.lift"]
    assert [n.kind for n in notices_for(member)] == ["suspended", "sanction_lifted"]


def test_moderators_cannot_sanction_staff_or_admins_themselves(browser, make_user, moderator,
                                                               admin):
    other_mod = make_user(role="moderator")
    mod = browser(moderator)
    assert "sanction-form" not in mod.get(f"/mod/users/{other_mod.id}").forms
    assert mod.post(f"/mod/users/{admin.id}/sanctions",
                    {"csrf_token": csrf_token(mod), "sanction-kind": "suspend",
                     "sanction-duration": "1", "sanction-reason_code": "other"},
                    expect_errors=True).status_int == 403
    boss = browser(admin)
    assert "sanction-form" in boss.get(f"/mod/users/{other_mod.id}").forms
    assert "sanction-form" not in boss.get(f"/mod/users/{admin.id}").forms


def test_sanction_needs_a_kind_and_a_reason(browser, make_user, moderator):
    member = make_user()
    page = sanction(browser(moderator), member, "silence", "1", reason_code="")
    assert page.status_int == 422 and "Please choose a reason." in page.text
    assert audit_entries() == []
