"""Every state a member is in shows where they would write, before they type: a silenced
member finds the reason, the end and the appeal link instead of the ask, reply and edit
forms; members whose posts are reviewed first, or who used up the new members' rate,
read why and until when above the form. A refusal after sending keeps the text."""
from datetime import timedelta

from sqlalchemy import func, select

from community import clock
from community.extensions import db
from community.models import Post, Thread
from community.services import threads
from moderation.services import categories as admin_categories
from moderation.services import sanctions, threadtools, trust
from tests.conftest import PASSWORD

from .helpers import thread_path

ANSWER = "Switch the router to the fixed profile 17a, that fixed it for me."


def notice(page):
    found = page.html.select(".write-notice")
    assert len(found) == 1, page.text[:3000]
    return found[0]


def count(model):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_silenced_member_reads_why_until_when_and_where_to_appeal_instead_of_forms(
        browser, make_user, make_thread, make_reply, moderator):
    member = make_user()
    thread = make_thread(author=member)
    sanctions.impose(moderator, member, "silence", 3, "abusive", "Insulted other members twice.")
    db.session.commit()
    ends = clock.now() + timedelta(days=3)
    session = browser(member)
    for path, form_id, status in (("/ask", "ask-form", 200),
                                  (thread_path(thread), "reply-form", 200),
                                  (f"/p/{thread.first_post_id}/edit", "edit-form", 403)):
        page = session.get(path, status=status)
        box = notice(page)
        text = box.get_text(" ", strip=True)
        assert "Your account is read-only until" in text, path
        assert str(ends.day) in text and "Insulted other members twice." in text, path
        assert box.find("a", string="Details and appeal")["href"] == "/mod/notices"
        assert form_id not in page.forms, path
    # Without an explanation the reason code's words are shown, never the code.
    other = make_user()
    sanctions.impose(moderator, other, "silence", None, "off_topic")
    db.session.commit()
    text = notice(browser(other).get("/ask")).get_text(" ", strip=True)
    assert "permanently" in text and "Off-topic" in text and "off_topic" not in text


def test_a_member_silenced_while_writing_gets_the_text_back_with_the_notice(
        browser, make_user, make_category, make_thread, moderator):
    member, category = make_user(), make_category()
    thread = make_thread(author=member, category=category)
    session = browser(member)
    ask = session.get("/ask").forms["ask-form"]
    ask["category"], ask["title"], ask["body"] = category.slug, "Is the line down?", ANSWER
    reply = session.get(thread_path(thread)).forms["reply-form"]
    reply["body"] = ANSWER
    edit = session.get(f"/p/{thread.first_post_id}/edit").forms["edit-form"]
    edit["body"] = ANSWER
    sanctions.impose(moderator, member, "silence", 1, "spam")
    db.session.commit()
    for form, form_id in ((ask, "ask-form"), (reply, "reply-form"), (edit, "edit-form")):
        page = form.submit("submit", status=403)
        assert page.forms[form_id]["body"].value == ANSWER, form_id
        assert page.html.select_one(f"#{form_id} [role=alert]"), form_id
        assert "Your account is read-only until" in notice(page).get_text(), form_id
    assert (count(Thread), count(Post)) == (1, 1)
    assert threads.get_post(thread.first_post_id).body != ANSWER


def test_a_member_suspended_while_writing_reads_why_at_the_login_and_keeps_the_text(
        browser, make_user, make_thread, moderator):
    member, thread = make_user(), make_thread()
    session = browser(member)
    form = session.get(thread_path(thread)).forms["reply-form"]
    form["body"] = ANSWER
    sanctions.impose(moderator, member, "suspend", 7, "spam", "Advertising links.")
    db.session.commit()
    page = form.submit("submit", status=401)  # the suspension ended the session
    login = page.forms["login-form"]
    login["email"], login["password"] = member.email, PASSWORD
    page = login.submit(status=403)
    assert "Your account is suspended until" in page.text and "Advertising links." in page.text
    assert page.forms["login-form"]["carry-body"].value == ANSWER


def test_a_locked_thread_gives_an_edit_back_with_the_reason(browser, make_user, make_thread,
                                                            moderator):
    member = make_user()
    thread = make_thread(author=member)
    session = browser(member)
    form = session.get(f"/p/{thread.first_post_id}/edit").forms["edit-form"]
    form["body"] = ANSWER
    threadtools.set_status(moderator, thread, "lock")
    db.session.commit()
    page = form.submit("submit", status=403)
    assert page.forms["edit-form"]["body"].value == ANSWER
    assert page.html.select_one("#edit-form [role=alert] li")


def test_members_whose_posts_are_reviewed_first_read_why_and_until_when(
        browser, make_user, make_category, make_thread, admin):
    reviewed, newcomers = make_category(name="Billing"), make_category(name="Devices")
    make_category(name="Open talk")
    admin_categories.update_category(admin, reviewed, reviewed.name, "", "all")
    admin_categories.update_category(admin, newcomers, newcomers.name, "", "new_members")
    db.session.commit()
    member = make_user()
    session = browser(member)

    text = notice(session.get("/ask")).get_text(" ", strip=True)
    assert "a moderator reads your question before it appears: Billing, Devices." in text
    assert "For new members that ends after 2 more approved posts" in text
    text = notice(session.get(f"/ask?category={reviewed.slug}")).get_text(" ", strip=True)
    assert "A moderator reads every post in this category before it appears" in text
    page = session.get(thread_path(make_thread(author=admin, category=newcomers)))
    text = notice(page).get_text(" ", strip=True)
    assert "As a new member, your posts here appear once a moderator has approved them." in text
    assert "After 2 more approved posts they appear at once." in text
    assert "reply-form" in page.forms  # they may still write
    make_thread(author=member)  # in an open category: approved, one more to go
    page = session.get(thread_path(make_thread(author=admin, category=newcomers)))
    assert "After 1 more approved post they appear at once." in notice(page).get_text()
    # Trusted members, staff and open categories: nothing to say.
    trust.set_trust(admin, member, "trusted")
    db.session.commit()
    assert not session.get(thread_path(make_thread(author=admin, category=newcomers))).html.select(
        ".write-notice")
    assert not browser(admin).get("/ask").html.select(".write-notice")


def test_a_new_member_who_used_up_the_rate_reads_when_they_can_post_again(
        app, browser, make_user, make_thread):
    app.config["MOD_NEW_MEMBER_MIN_HOURS"] = 24  # the rate of an account's first day
    member = make_user()
    thread = make_thread()
    session = browser(member)
    assert not session.get(thread_path(thread)).html.select(".write-notice")
    posts = app.config["MOD_NEW_MEMBER_RATE_POSTS"]
    for n in range(posts):
        threads.reply(member, thread, f"{ANSWER} Number {n}.")
        clock.travel(timedelta(minutes=1))
    db.session.commit()
    first = db.session.scalar(select(func.min(Post.created_at)).where(Post.author_id == member.id))
    again = first + timedelta(minutes=app.config["MOD_NEW_MEMBER_RATE_MINUTES"])
    page = session.get(thread_path(thread))
    box = notice(page)
    assert f"New members can write {posts} posts within" in box.get_text()
    assert box.find("time")["datetime"] == again.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert notice(session.get("/ask")).find("time")["datetime"] == box.find("time")["datetime"]
    form = page.forms["reply-form"]
    form["body"] = "One more answer, sent anyway."
    page = form.submit("submit", status=429)
    assert page.forms["reply-form"]["body"].value == "One more answer, sent anyway."
    clock.travel(again - clock.now() + timedelta(seconds=1))
    assert not session.get(thread_path(thread)).html.select(".write-notice")
