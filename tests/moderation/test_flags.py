"""Flags: reasons, one per member and post, hiding after enough flaggers, urgent first."""
from community.extensions import db
from community.models import Post
from moderation.models import Flag

from .helpers import audit_entries, flag, open_item, thread_path


def test_member_flags_a_post_from_the_link_under_it(browser, make_user, make_thread,
                                                     make_reply, moderator):
    thread = make_thread()
    post = make_reply(thread, body="Buy cheap followers at my shop, best prices!")
    member = browser(make_user(name="Fiona Flagger"))
    page = member.get(thread_path(thread))
    assert f'href="/mod/flag/{post.id}"' in page.text
    form = page.click(href=f"/mod/flag/{post.id}").forms["flag-form"]
    form["reason"] = "spam"
    page = form.submit().follow().follow()
    assert "Thank you. The moderators will look at this post." in page.text
    queue = browser(moderator).get("/mod")
    assert "Buy cheap followers" in queue.text
    assert "Spam or advertising" in queue.text and "Fiona Flagger" in queue.text
    # Flagging is not a moderator action: no audit entry, and the post stays visible.
    assert audit_entries() == [] and post.visibility == "visible"


def test_one_flag_per_member_and_post(browser, make_user, make_thread, make_reply):
    post = make_reply(make_thread())
    member = browser(make_user())
    flag(member, post, "off_topic").follow()
    page = member.get(f"/mod/flag/{post.id}")
    assert "You flagged this post on" in page.text and "flag-form" not in page.forms
    assert db.session.scalar(db.select(db.func.count(Flag.id))) == 1


def test_other_needs_a_text_and_the_reason_must_be_known(browser, make_user, make_thread,
                                                         make_reply):
    post = make_reply(make_thread())
    member = browser(make_user())
    page = flag(member, post, "other", text="")
    assert page.status_int == 422 and "Please tell the moderators what is wrong." in page.text
    form = member.get(f"/mod/flag/{post.id}").forms["flag-form"]
    page = member.post(f"/mod/flag/{post.id}", {"csrf_token": form["csrf_token"].value,
                                                 "reason": "boring"}, expect_errors=True)
    assert page.status_int == 422
    page = flag(member, post, "other", text="Contains a phone number in the signature")
    assert page.status_int == 302


def test_three_distinct_flaggers_hide_the_post_until_reviewed(browser, make_user, make_thread,
                                                               make_reply, fresh):
    thread = make_thread()
    post = make_reply(thread, body="You are all idiots and this company is a scam.")
    for _ in range(2):
        flag(browser(make_user()), post, "abusive")
    assert fresh(post).visibility == "visible"
    flag(browser(make_user()), post, "abusive")
    assert fresh(post).visibility == "hidden"
    assert fresh(thread).reply_count == 0
    assert "this company is a scam" not in browser().get(thread_path(thread)).text
    [entry] = audit_entries()
    assert (entry.actor_id, entry.action, entry.target_id, entry.details) == (
        None, "post.auto_hide", post.id, {"flags": 3})
    assert open_item(post).auto_hidden


def test_urgent_reasons_go_to_the_top_of_the_queue(browser, make_user, make_thread, make_reply,
                                                   moderator):
    thread = make_thread()
    older = make_reply(thread, body="An off-topic answer about football results.")
    newer = make_reply(thread, body="Call me, my customer number is 12345678.",
                       confirmed={"public_data"})
    newest = make_reply(thread, body="Is the outage in Hamburg fixed yet? Nobody answers.")
    flag(browser(make_user()), older, "off_topic")
    flag(browser(make_user()), newer, "private_data")
    flag(browser(make_user()), newest, "needs_official_answer")
    text = browser(moderator).get("/mod").text
    assert (text.index("customer number is 12345678") < text.index("outage in Hamburg")
            < text.index("football results"))
    assert text.count("Urgent") >= 2 and "Private data exposed" in text
    assert "Needs an official answer" in text


def test_no_flags_on_own_hidden_or_unknown_posts(browser, make_user, make_thread, make_reply,
                                                 moderator):
    author = make_user()
    post = make_reply(make_thread(), author=author)
    session = browser(author)
    assert f"/mod/flag/{post.id}" not in session.get(f"/p/{post.id}").follow().text
    assert session.get(f"/mod/flag/{post.id}", expect_errors=True).status_int == 403
    from community.services import threads
    threads.set_post_visibility(moderator, post, "hidden")
    db.session.commit()
    other = browser(make_user())
    assert other.get(f"/mod/flag/{post.id}", expect_errors=True).status_int == 404
    assert other.get("/mod/flag/999999", expect_errors=True).status_int == 404
    assert browser().get(f"/mod/flag/{post.id}").status_int == 302  # to the login


def test_flag_form_needs_the_csrf_token(browser, make_user, make_thread, make_reply):
    post = make_reply(make_thread())
    member = browser(make_user())
    assert member.post(f"/mod/flag/{post.id}", {"reason": "spam"},
                       expect_errors=True).status_int == 400
    assert db.session.scalar(db.select(db.func.count(Flag.id))) == 0
    assert db.session.get(Post, post.id).visibility == "visible"
