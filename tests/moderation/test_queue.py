"""The review queue: context, decisions, statements of reasons, concurrency, nothing lost."""
import pytest

from community.services import threads
from community.extensions import db
from community.models import Post, PostRevision, User

from .helpers import (audit_entries, decide, flag, notices_for, open_item, post_action,
                      queue_form, row_counts, thread_path)


@pytest.fixture
def held(make_user, make_category, make_thread):
    """A reply by a new member waiting in a pre-moderated category."""
    from moderation.models import CategorySettings
    category = make_category(name="Contracts")
    thread = make_thread(category=category, title="How do I cancel my contract early?")
    db.session.add(CategorySettings(category_id=category.id, mode="new_members"))
    author = make_user(name="Nico New")
    post = threads.reply(author, thread, "You can cancel within 14 days, see your contract.")
    db.session.commit()
    return post


def test_queue_shows_thread_context_author_history_and_reasons(browser, held, moderator):
    page = browser(moderator).get("/mod")
    assert "How do I cancel my contract early?" in page.text
    assert "Question: I have a question about this." in page.text
    assert "Nico New" in page.text and "New member" in page.text
    assert "0 visible posts, 1 waiting" in page.text and "flags received: 0" in page.text
    assert "New member: first posts are reviewed" in page.text
    assert "1 item waits." in page.text


def test_approve_publishes_and_tells_the_author(browser, held, moderator, fresh):
    mod = browser(moderator)
    page = decide(mod, open_item(held).id, "approve").follow()
    assert "Approved." in page.text and "Nothing waits for review" in page.text
    assert fresh(held).visibility == "visible"
    [entry] = audit_entries()
    assert (entry.actor_id, entry.action, entry.target_type, entry.target_id) == (
        moderator.id, "post.approve", "post", held.id)
    assert [n.kind for n in notices_for(held.author_id)] == ["post_approved"]


def test_reject_needs_a_reason_which_the_author_reads(browser, held, moderator, fresh):
    mod = browser(moderator)
    item = open_item(held)
    page = decide(mod, item.id, "reject")
    assert page.status_int == 422 and "Please choose a reason" in page.text
    assert fresh(held).visibility == "pending" and audit_entries() == []
    decide(mod, item.id, "reject", "off_topic", "Please ask this in the Billing category.")
    assert fresh(held).visibility == "hidden"
    [notice] = notices_for(held.author_id)
    assert (notice.kind, notice.reason_code, notice.appealable) == (
        "post_rejected", "off_topic", True)
    author = browser(db.session.get(User, held.author_id))
    page = author.get("/mod/notices")
    assert "Your post was not published." in page.text
    assert "Off-topic — Please ask this in the Billing category." in page.text
    assert "You can cancel within 14 days" in page.text  # their own text, still theirs


def test_hide_delete_restore_from_the_queue_and_post_tools(browser, make_thread, make_reply,
                                                           make_user, moderator, fresh):
    thread = make_thread()
    post = make_reply(thread, body="Visit my casino site for free spins every day!")
    flag(browser(make_user()), post, "spam")
    mod = browser(moderator)
    before = row_counts()
    decide(mod, open_item(post).id, "hide", "spam").follow()
    assert fresh(post).visibility == "hidden" and fresh(thread).reply_count == 0
    assert [n.kind for n in notices_for(post.author_id)] == ["post_hidden"]
    page = post_action(mod, post, "restore").follow()
    assert "The post is visible again." in page.text
    assert fresh(post).visibility == "visible" and fresh(thread).reply_count == 1
    post_action(mod, post, "delete", "spam").follow()
    assert fresh(post).visibility == "deleted"
    assert "free spins" not in browser().get(thread_path(thread)).text
    assert "free spins" in mod.get(thread_path(thread)).text  # moderators still see it
    post_action(mod, post, "restore").follow()
    assert fresh(post).visibility == "visible" and fresh(thread).reply_count == 1
    assert row_counts() == before  # nothing was removed
    assert [e.action for e in audit_entries()] == [
        "post.hide", "post.restore", "post.delete", "post.restore"]


def test_dismissing_flags_brings_an_auto_hidden_post_back_and_tells_flaggers(
        browser, make_thread, make_reply, make_user, moderator, fresh):
    post = make_reply(make_thread(), body="Honest answer that some people did not like.")
    flaggers = [make_user() for _ in range(3)]
    for flagger in flaggers:
        flag(browser(flagger), post, "abusive")
    assert fresh(post).visibility == "hidden"
    decide(browser(moderator), open_item(post).id, "dismiss").follow()
    assert fresh(post).visibility == "visible"
    for flagger in flaggers:
        assert [n.kind for n in notices_for(flagger)] == ["flag_dismissed"]
    assert "kept it" in browser(flaggers[0]).get("/mod/notices").text
    assert [e.action for e in audit_entries()] == ["post.auto_hide", "flags.dismiss"]


def test_escalate_sends_the_core_event_for_the_agent_bridge(app, browser, make_thread,
                                                          make_reply, make_user, moderator):
    from community import events
    received = []

    def listener(sender, thread, user, reason, urgent):
        received.append((thread.id, user.id, reason, urgent))
    events.escalation_requested.connect(listener)
    try:
        thread = make_thread()
        post = make_reply(thread, body="The outage in Berlin is still not fixed, any news?")
        flag(browser(make_user()), post, "needs_official_answer")
        mod = browser(moderator)
        form = queue_form(mod, open_item(post).id)
        form[f"item-{open_item(post).id}-urgent"] = True
        decide(mod, open_item(post).id, "escalate", reason="Customers wait for a statement",
               form=form).follow()
    finally:
        events.escalation_requested.disconnect(listener)
    assert received == [(thread.id, moderator.id, "Customers wait for a statement", True)]
    assert open_item(post) is None
    assert [e.action for e in audit_entries()] == ["thread.escalate"]


def test_moderator_edit_keeps_the_revision_and_tells_the_author(browser, held, moderator, fresh):
    mod = browser(moderator)
    item_version = open_item(held).version
    page = mod.get("/mod").click(href=f"/p/{held.id}/edit")
    form = page.forms["edit-form"]
    form["body"] = "You can cancel within 14 days. [personal data removed]"
    form["reason"] = "Removed a phone number"
    form.submit("submit").follow()
    assert fresh(held).body.endswith("[personal data removed]")
    [revision] = db.session.scalars(db.select(PostRevision).where(PostRevision.post_id == held.id))
    assert revision.body == "You can cancel within 14 days, see your contract."
    [entry] = audit_entries()
    assert (entry.action, entry.reason) == ("post.edit", "Removed a phone number")
    assert entry.details["before"]["body"] == revision.body
    assert entry.details["after"]["body"].endswith("[personal data removed]")
    assert [n.kind for n in notices_for(held.author_id)] == ["post_edited"]
    assert open_item(held).version == item_version + 1
    decide(mod, open_item(held).id, "approve").follow()
    page = browser(db.session.get(User, held.author_id)).get(f"/p/{held.id}").follow()
    assert "Edited by a moderator: Removed a phone number" in page.text


def test_two_moderators_at_once_only_the_first_decides(browser, held, make_user, fresh):
    first = browser(make_user(role="moderator", name="Max First"))
    second = browser(make_user(role="moderator", name="Sue Second"))
    item = open_item(held)
    form_first, form_second = queue_form(first, item.id), queue_form(second, item.id)
    decide(first, item.id, "approve", form=form_first).follow()
    page = decide(second, item.id, "reject", "spam", form=form_second).follow()
    assert "Already handled: Max First approved this post" in page.text
    assert "Nothing was changed by your click." in page.text
    assert fresh(held).visibility == "visible"
    assert [e.action for e in audit_entries()] == ["post.approve"]
    assert [n.kind for n in notices_for(held.author_id)] == ["post_approved"]


def test_post_tools_refuse_a_stale_page(browser, make_thread, make_reply, make_user, fresh):
    post = make_reply(make_thread())
    first = browser(make_user(role="moderator", name="Max First"))
    second = browser(make_user(role="moderator", name="Sue Second"))
    stale = second.get(f"/mod/posts/{post.id}").forms["post-action-form"]
    post_action(first, post, "hide", "abusive")
    stale["reason_code"] = "spam"
    page = stale.submit("action", value="delete").follow()
    assert "changed meanwhile (by Max First)" in page.text
    assert fresh(post).visibility == "hidden"
    assert [e.action for e in audit_entries()] == ["post.hide"]


def test_nothing_is_ever_hard_deleted(browser, held, make_thread, make_reply, make_user,
                                      moderator):
    mod = browser(moderator)
    before = row_counts()
    decide(mod, open_item(held).id, "reject", "spam")
    post = make_reply(make_thread())
    for _ in range(3):
        flag(browser(make_user()), post, "spam")
    before = row_counts()
    decide(mod, open_item(post).id, "delete", "spam")
    post_action(mod, post, "restore")
    post_action(mod, post, "hide", "abusive")
    after = row_counts()
    assert after == before
    assert db.session.get(Post, post.id).body == "Here is an answer that helps."


def test_hiding_the_accepted_answer_unsolves_the_thread_with_one_entry(browser, make_thread,
                                                                      make_reply, make_user,
                                                                      moderator, fresh):
    asker = make_user()
    thread = make_thread(author=asker)
    answer = make_reply(thread)
    threads.accept_answer(asker, answer)
    db.session.commit()
    post_action(browser(moderator), answer, "hide", "private_data", "Contained an IBAN")
    assert fresh(thread).accepted_post_id is None
    assert [e.action for e in audit_entries()] == ["post.hide"]
    post_action(browser(moderator), answer, "restore")
    assert fresh(answer).visibility == "visible"
