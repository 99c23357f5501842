"""A member leaves for good (Art. 17 GDPR): from the settings page with their password,
by an admin from the member's page, or by an operator with the command line. After it
the old name and e-mail address appear nowhere: on no page any role can see, in the
API, feeds, the sitemap, search, revisions, others' notifications and e-mails, the
outbox, the desk; the threads still read; the record says who erased whom and why."""
import json

import pytest
from sqlalchemy import select

from community.extensions import db
from community.models import Category, Post, PostRevision, User
from community.notifications.mail import html_part, text_part
from community.notifications.models import MailMessage
from community.services import privacy
from tests.community import privacy_world
from tests.community.privacy_world import ANNA, ANNA_DETAIL, BOB, drain
from tests.conftest import PASSWORD
from tests.search.helpers import result_ids, titles

world = privacy_world.world
OLD = (ANNA["name"], ANNA["email"], "Quellmalz")


def pages(w):
    """What each role can open: every page that showed Anna or her posts before."""
    anna_id = w.anna.id
    slug = db.session.get(Category, w.thread.category_id).slug
    public = ["/", f"/t/{w.thread.id}", f"/t/{w.bob_thread.id}", f"/u/{anna_id}",
              f"/c/{slug}", f"/c/{slug}/feed.atom", "/sitemap.xml",
              f"/api/v1/threads/{w.thread.id}", f"/api/v1/threads/{w.bob_thread.id}",
              f"/api/v1/posts/{w.anna_reply.id}", f"/api/v1/posts/{w.bob_reply.id}",
              "/search?q=router", "/api/v1/search?q=router",
              "/api/v1/similar?title=Router+restarts+every+night"]
    staff = [f"/mod/users/{anna_id}", f"/mod/posts/{w.anna_reply.id}",
             f"/mod/posts/{w.thread.first_post_id}", f"/mod/threads/{w.thread.id}", "/mod",
             "/mod/audit", f"/admin/privacy/members/{anna_id}"]
    desk = ["/desk", f"/desk/tickets/{w.ticket.id}"]
    admin = ["/admin/mailbox", "/admin/privacy"]
    return {"visitor": public, "bob": public + ["/notifications"],
            "moderator": public + staff, "agent": public + desk,
            "admin": public + staff + desk + admin}


def assert_nobody_finds_the_name(w, browser):
    """Search, its API and the moderators' member search (pages that repeat the query)."""
    for old in OLD:
        assert titles(browser().get(f"/search?q={old}")) == []
        assert result_ids(browser().get(f"/api/v1/search?q={old}")) == []
        members = browser(w.moderator).get(f"/mod/users?q={old}")
        assert "Nobody found." in members.text


def assert_gone_from_every_page(w, browser):
    sessions = {"visitor": browser(), "bob": browser(w.bob), "moderator": browser(w.moderator),
                "agent": browser(w.agent), "admin": browser(w.admin)}
    for role, paths in pages(w).items():
        for path in paths:
            answer = sessions[role].get(path, expect_errors=True).maybe_follow()
            assert answer.status_int < 400, (role, path, answer.status)
            for old in OLD:
                assert old.lower() not in answer.text.lower(), (role, path, old)
    # Every mail's links lead to pages that render for their recipient.
    for mail in db.session.scalars(select(MailMessage)):
        for old in OLD:
            assert old not in text_part(mail.raw) + html_part(mail.raw) + mail.subject, mail.id
        answer = sessions["admin"].get(f"/admin/mailbox/{mail.id}")
        assert ANNA["name"] not in answer.text


def assert_gone_from_the_database():
    """No column of any table holds the old name or address (e-mails are decoded)."""
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()).mappings():
            for column, value in row.items():
                text = value if isinstance(value, str) else json.dumps(value, default=str,
                                                                       ensure_ascii=False)
                if table.name == "mail_messages" and column == "raw":
                    text = text_part(value) + html_part(value)
                for old in OLD:
                    assert old not in text, (table.name, column, old)


def delete_own_account(session, password=PASSWORD, delete_posts=False):
    page = session.get("/settings").click(linkid="delete-account-link")
    form = page.forms["delete-account-form"]
    form["password"] = password
    form["confirm"] = True
    form["delete_posts"] = delete_posts
    return form.submit(expect_errors=True)


def test_a_member_deletes_their_account_and_their_name_is_gone_everywhere(world, testapp,
                                                                          browser):
    assert sorted(titles(browser().get("/search?q=Quellmalz"))) == [
        "Router restarts every night at three", "Slow line in the evening"]
    answer = delete_own_account(testapp)
    assert answer.status_int == 302
    home = answer.follow()
    assert "Your account was deleted" in home.text
    assert "Log in" in home.text  # logged out
    drain()

    anna = db.session.get(User, world.anna.id)
    assert anna.name == f"Former member {anna.id}" and privacy.is_erased(anna)
    assert anna.password_hash is None
    assert_gone_from_every_page(world, browser)
    assert_nobody_finds_the_name(world, browser)
    assert_gone_from_the_database()

    # Posts stay, under the new name, and the mention in Bob's answer follows it.
    thread = browser().get(f"/t/{world.thread.id}").maybe_follow()
    assert "My router restarts every night at three o&#39;clock sharp." in thread.text
    assert f"Former member {anna.id}" in thread.text
    assert f"@Former member {anna.id}" in thread.text
    assert db.session.get(Post, world.bob_reply.id).body.startswith(
        f"Hello @[Former member {anna.id}]")
    assert db.session.get(Post, world.anna_reply.id).body == (
        f"Same here, since the last update. Greetings, Former member {anna.id}")
    # Her private details are gone from the desk; the timeline says why.
    desk = browser(world.agent).get(f"/desk/tickets/{world.ticket.id}")
    assert ANNA_DETAIL not in desk.text and "[removed: personal data]" in desk.text
    assert "account was erased" in desk.text
    # She cannot log in again, nor use her token.
    assert testapp.get("/api/v1/me/export", headers=world.anna_api, status=401)
    login_page = testapp.get("/login").forms["login-form"]
    login_page["email"], login_page["password"] = ANNA["email"], PASSWORD
    assert login_page.submit(status=422)


def test_the_password_and_the_confirmation_are_required(world, testapp):
    answer = delete_own_account(testapp, password="not my password at all")
    assert answer.status_int == 422 and "This is not your password." in answer.text
    form = testapp.get("/settings/privacy/delete").forms["delete-account-form"]
    form["password"] = PASSWORD
    answer = form.submit(expect_errors=True)
    assert answer.status_int == 422 and "Please confirm that you understand this." in answer.text
    assert db.session.get(User, world.anna.id).email == ANNA["email"]


def test_also_deleting_the_posts_leaves_tombstones_and_no_revisions(world, testapp, browser):
    delete_own_account(testapp, delete_posts=True)
    drain()
    question = db.session.get(Post, world.thread.first_post_id)
    assert question.body == privacy.TOMBSTONE
    assert db.session.get(Post, world.anna_reply.id).body == privacy.TOMBSTONE
    assert not db.session.scalars(select(PostRevision).where(
        PostRevision.post_id == question.id)).all()
    page = browser().get(f"/t/{world.thread.id}").maybe_follow()
    assert privacy.TOMBSTONE_TITLE in page.text and "three o&#39;clock" not in page.text
    assert "switch off the update window" in page.text  # Bob's answer stays
    bob_thread = browser().get(f"/t/{world.bob_thread.id}").maybe_follow()
    assert "Same here, since the last update." not in bob_thread.text
    assert browser().get("/search?q=three+o%27clock").text.count("Router restarts") == 0
    assert_gone_from_the_database()


def test_an_admin_erases_a_spam_account_from_the_members_page(world, browser):
    admin = browser(world.admin)
    moderation = admin.get(f"/mod/users/{world.anna.id}")
    page = moderation.click(linkid="privacy-member-link")
    assert "203.0.113.x" in page.text and "203.0.113.7" not in page.text  # masked
    form = page.forms["erase-form"]
    form["reason"] = "Spam account posting adverts"
    form["spam"] = True
    form["confirm"] = True
    page = form.submit().follow()
    assert f"Former member {world.anna.id}" in page.text
    assert "erase-form" not in page.forms
    drain()
    assert db.session.get(Post, world.anna_reply.id).body == privacy.TOMBSTONE
    audit = admin.get("/mod/audit?action=member.erase")
    assert "Spam account posting adverts" in audit.text
    entry = db.session.scalars(select(privacy.PrivacyLog).where(
        privacy.PrivacyLog.action == "erasure")).one()
    assert (entry.actor_id, entry.details["mode"]) == (world.admin.id, "spam")
    assert_gone_from_the_database()


@pytest.mark.parametrize("role", ["moderator", "agent", "customer"])
def test_only_admins_may_erase_others(world, browser, make_user, role):
    session = browser(make_user(role=role))
    answer = session.post(f"/admin/privacy/members/{world.anna.id}/erase",
                          {"reason": "because", "confirm": "y"}, expect_errors=True)
    assert answer.status_int in (400, 403)
    assert db.session.get(User, world.anna.id).email == ANNA["email"]
    if role == "customer":
        assert session.get(f"/admin/privacy/members/{world.anna.id}", status=403)


def test_an_operator_erases_with_the_command_line(world, app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "erase", ANNA["email"], "--reason",
                                 "Written request of 3 March", "--yes"])
    assert result.exit_code == 0, result.output
    assert f"Former member {world.anna.id}" in result.output
    drain()
    assert_gone_from_the_database()
    again = runner.invoke(args=["users", "erase", ANNA["email"], "--reason", "again", "--yes"])
    assert again.exit_code != 0 and "No user" in again.output
    missing = runner.invoke(args=["users", "erase", BOB["email"], "--yes"])
    assert missing.exit_code != 0  # --reason is required


def test_the_last_admin_cannot_be_erased(app, make_user):
    admin = make_user(role="admin")
    result = app.test_cli_runner().invoke(args=["users", "erase", admin.email, "--reason",
                                                "leaving", "--yes"])
    assert result.exit_code != 0 and "last admin" in result.output


def test_others_keep_their_data(world, testapp, browser):
    delete_own_account(testapp)
    drain()
    bob = db.session.get(User, world.bob.id)
    assert (bob.name, bob.email) == (BOB["name"], BOB["email"])
    session = browser(bob)
    assert BOB["name"] in session.get(f"/t/{world.bob_thread.id}").maybe_follow().text
    assert session.get("/api/v1/me/export", headers=world.bob_api).status_int == 200
