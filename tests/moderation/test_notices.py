"""Statements of reasons: notices for members, told through the core's notifications
(the bell and e-mail), and appeals."""
from community import outbox
from community.services import threads
from community.extensions import db
from community.models import MailMessage, Post, User

from tests.conftest import csrf_token

from .helpers import audit_entries, decide, flag, notices_for, open_item, post_action


def test_decisions_reach_members_through_notifications_and_e_mail(
        browser, make_thread, make_reply, make_user, moderator):
    author = make_user(name="Paula Poster")
    thread = make_thread(title="Which router works with fibre?")
    post = make_reply(thread, author=author, body="My cousin sells routers, call 0170 1234567.",
                      confirmed={"public_data"})
    flaggers = [make_user(name=f"Flagger {n}") for n in range(2)]
    for flagger in flaggers:
        flag(browser(flagger), post, "private_data")
    decide(browser(moderator), open_item(post).id, "hide", "private_data",
           "Please do not post phone numbers.")
    [notice] = notices_for(author)
    session = browser(author)
    page = session.get("/notifications")
    assert "A moderator hid your post" in page.text
    assert "Please do not post phone numbers." in page.text
    assert "Mona Moderator" not in page.text  # the decision is the platform's
    page = page.click(href=r"/notifications/\d+$").follow()
    assert page.request.path == "/mod/notices"
    assert f'id="notice-{notice.id}"' in page.text and f"appeal-form-{notice.id}" in page.forms
    for flagger in flaggers:
        page = browser(flagger).get("/notifications")
        assert "A moderator acted on your report. Thank you!" in page.text
        assert "0170 1234567" not in page.text
    outbox.drain()
    mail = db.session.scalar(db.select(MailMessage).where(MailMessage.user_id == author.id))
    assert "A moderator hid your post" in mail.raw.replace("=\r\n", "")
    assert "0170 1234567" not in mail.raw  # the hidden text never leaves in an e-mail


def test_sanctions_reach_the_member_through_notifications(browser, make_user, moderator):
    from .test_sanctions import sanction
    member = make_user()
    sanction(browser(moderator), member, "silence", "7", "abusive", "Insulted a member.")
    page = browser(member).get("/notifications")
    assert "You cannot post for a while" in page.text and "Insulted a member." in page.text
    assert "Until:" in page.text
    page = page.click(href=r"/notifications/\d+$").follow()
    assert "You can read but not post." in page.text and "Insulted a member." in page.text


def test_member_appeals_once_and_the_appeal_lands_in_the_queue(browser, make_thread,
                                                                make_reply, make_user,
                                                                moderator, fresh):
    author = make_user(name="Anton Author")
    post = make_reply(make_thread(), author=author, body="Our router model is terrible, avoid.")
    mod = browser(moderator)
    post_action(mod, post, "hide", "abusive", "Please stay constructive.")
    session = browser(author)
    page = session.get("/mod/notices")
    assert "Your post was hidden." in page.text and "Please stay constructive." in page.text
    [notice] = notices_for(author)
    form = page.forms[f"appeal-form-{notice.id}"]
    form[f"appeal-{notice.id}-text"] = "short"
    page = form.submit(expect_errors=True)
    assert page.status_int == 422 and "Please explain in 10 to 2000 characters." in page.text
    form = session.get("/mod/notices").forms[f"appeal-form-{notice.id}"]
    form[f"appeal-{notice.id}-text"] = "It was criticism of a product, not of a person."
    page = form.submit().follow()
    assert "Your appeal was sent." in page.text
    assert f"appeal-form-{notice.id}" not in page.forms and "You appealed on" in page.text
    queue = mod.get("/mod")
    assert "It was criticism of a product" in queue.text and "Appeals" in queue.text
    item = open_item(post)
    assert item.kind == "appeal"
    decide(mod, item.id, "grant", reason="Fair point, criticism is allowed.").follow()
    assert fresh(post).visibility == "visible"
    assert [n.kind for n in notices_for(author)] == ["post_hidden", "appeal_granted"]
    assert [e.action for e in audit_entries()] == ["post.hide", "appeal.grant"]


def test_appeal_against_a_silence_and_deny(browser, make_user, moderator):
    from .test_sanctions import sanction
    member = make_user()
    mod = browser(moderator)
    sanction(mod, member, "silence", "30", "spam")
    session = browser(member)
    [notice] = notices_for(member)
    form = session.get("/mod/notices").forms[f"appeal-form-{notice.id}"]
    form[f"appeal-{notice.id}-text"] = "I only posted my own shop once, sorry."
    form.submit()
    item_id = mod.get("/mod").html.find("form", id=lambda v: v and v.startswith("item-form-"))[
        "id"].removeprefix("item-form-")
    page = decide(mod, int(item_id), "deny", reason_code="spam", reason="Three times, in fact.")
    assert "Appeal denied." in page.follow().text
    assert [n.kind for n in notices_for(member)] == ["silenced", "appeal_denied"]


def test_notices_of_others_and_appeals_twice_are_refused(browser, make_thread, make_reply,
                                                          make_user, moderator):
    post = make_reply(make_thread())
    post_action(browser(moderator), post, "delete", "spam")
    [notice] = notices_for(post.author_id)
    stranger = browser(make_user())
    assert stranger.post(f"/mod/notices/{notice.id}/appeal", {"csrf_token": csrf_token(stranger)},
                         expect_errors=True).status_int == 404
    author = browser(db.session.get(User, post.author_id))
    form = author.get("/mod/notices").forms[f"appeal-form-{notice.id}"]
    form[f"appeal-{notice.id}-text"] = "This was not spam at all, please check."
    form.submit()
    prefix = f"appeal-{notice.id}-"
    again = author.post(f"/mod/notices/{notice.id}/appeal",
                        {prefix + "csrf_token": form[prefix + "csrf_token"].value,
                         prefix + "text": "Second try with enough text."}, expect_errors=True)
    assert again.status_int == 403
    assert threads.get_post(post.id).visibility == "deleted"
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 2
