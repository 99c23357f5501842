"""Thread tools: pin, lock, close and reopen, move, rename, duplicate, merge, accepted answers."""
from datetime import timedelta

import pytest

from community import clock
from community.services import threads
from community.extensions import db
from community.models import Post, Thread

from .helpers import audit_entries, category_counters, row_counts, thread_path


def tools(session, thread):
    return session.get(f"/mod/threads/{thread.id}")


def status(session, thread, action, reason=""):
    form = tools(session, thread).forms["status-form"]
    form["status-reason"] = reason
    return form.submit("status-action", value=action).follow()


def test_thread_tools_link_is_shown_to_moderators_only(browser, make_thread, make_user, moderator):
    thread = make_thread()
    assert f"/mod/threads/{thread.id}" in browser(moderator).get(thread_path(thread)).text
    assert f"/mod/threads/{thread.id}" not in browser(make_user()).get(thread_path(thread)).text


def test_pin_and_unpin(browser, make_category, make_thread, moderator, fresh):
    category = make_category()
    pinned, other = make_thread(category=category), make_thread(category=category)
    mod = browser(moderator)
    assert "The thread is pinned." in status(mod, pinned, "pin").text
    assert fresh(pinned).pinned
    listing = browser().get(f"/c/{category.slug}").text
    assert listing.index(pinned.title) < listing.index(other.title)
    status(mod, pinned, "unpin")
    assert not fresh(pinned).pinned
    assert [e.action for e in audit_entries()] == ["thread.pin", "thread.unpin"]


def test_close_reopen_and_lock(browser, make_thread, make_reply, make_user, moderator, fresh):
    author = make_user()
    thread = make_thread(author=author)
    answer = make_reply(thread)
    mod, asker, other = browser(moderator), browser(author), browser(make_user())
    status(mod, thread, "close", "Solved elsewhere")
    assert fresh(thread).status == "closed"
    page = other.get(thread_path(thread))
    assert "reply-form" not in page.forms and "closed for new replies" in page.text
    assert f"/p/{answer.id}/helpful" in page.text  # closed: voting still works
    assert f"/p/{thread.first_post_id}/edit" in asker.get(thread_path(thread)).text
    status(mod, thread, "reopen")
    assert fresh(thread).status == "open"
    status(mod, thread, "lock", "Heated discussion")
    page = other.get(thread_path(thread))
    assert "This thread is locked: no new replies, edits or votes." in page.text
    assert f"/p/{answer.id}/helpful" not in page.text
    page = asker.get(thread_path(thread))
    assert f"/p/{thread.first_post_id}/edit" not in page.text
    assert f"/p/{answer.id}/accept" not in page.text
    assert asker.get(f"/p/{thread.first_post_id}/edit", expect_errors=True).status_int == 403
    assert "reply-form" in mod.get(thread_path(thread)).forms  # staff may still answer
    status(mod, thread, "unlock")
    assert fresh(thread).status == "open"
    assert f"/p/{answer.id}/helpful" in other.get(thread_path(thread)).text
    assert [e.action for e in audit_entries()] == [
        "thread.close", "thread.reopen", "thread.lock", "thread.unlock"]
    assert audit_entries()[0].reason == "Solved elsewhere"


def test_move_keeps_both_categories_counters_right(browser, make_category, make_thread,
                                                    make_reply, make_user, moderator, fresh):
    source, target = make_category(name="Mobile"), make_category(name="Internet")
    moving = make_thread(category=source, title="Fibre router shows a red light")
    staying = make_thread(category=source)
    make_thread(category=target)
    for _ in range(2):
        make_reply(moving)
    clock.travel(timedelta(minutes=5))
    answer = make_reply(moving)  # the moved thread is the source's latest
    threads.accept_answer(db.session.get(type(moderator), moving.author_id), answer)
    db.session.commit()
    form = tools(browser(moderator), moving).forms["move-form"]
    form["move-category"] = str(target.id)
    page = form.submit().follow()
    assert "The thread was moved." in page.text
    assert fresh(moving).category_id == target.id
    for category in (source, target):
        stored, computed = category_counters(category)
        assert stored == computed
    assert fresh(source).last_thread_id == staying.id
    assert fresh(target).last_thread_id == moving.id
    assert fresh(target).solved_count == 1 and fresh(source).solved_count == 0
    assert "Fibre router" in browser().get(f"/c/{target.slug}").text
    assert "Fibre router" not in browser().get(f"/c/{source.slug}").text
    [entry] = audit_entries()
    assert entry.details == {"before": source.id, "after": target.id}


def test_rename_and_retag_keep_the_old_title(browser, make_thread, moderator, fresh):
    thread = make_thread(title="help!!! internet broken", tags=["foo"])
    form = tools(browser(moderator), thread).forms["rename-form"]
    form["rename-title"] = "Internet drops every evening since the update"
    form["rename-tags"] = "dsl, router"
    form["rename-reason"] = "Clearer title"
    form.submit().follow()
    thread = fresh(thread)
    assert thread.title == "Internet drops every evening since the update"
    assert [t.name for t in threads.load_tags(thread)] == ["dsl", "router"]
    page = browser().get(f"/t/{thread.id}")
    assert "Internet drops every evening" in page.follow().text
    [entry] = audit_entries()
    assert entry.action == "thread.rename"
    assert entry.details["before"] == {"title": "help!!! internet broken", "tags": ["foo"]}
    from community.models import PostRevision
    [revision] = db.session.scalars(db.select(PostRevision))
    assert revision.title == "help!!! internet broken"


def test_mark_as_duplicate_closes_with_a_visible_link(browser, make_thread, moderator, fresh):
    original = make_thread(title="Roaming charges in Switzerland")
    duplicate = make_thread(title="Why was I charged roaming in Zurich?")
    form = tools(browser(moderator), duplicate).forms["duplicate-form"]
    form["duplicate-target"] = f"http://localhost/t/{original.id}-{original.slug}"
    form.submit().follow()
    assert fresh(duplicate).status == "closed"
    page = browser().get(thread_path(duplicate))
    assert "Closed as a duplicate of" in page.text
    assert f'href="/t/{original.id}-{original.slug}"' in page.text
    form = tools(browser(moderator), duplicate).forms["duplicate-form"]
    form["duplicate-target"] = str(duplicate.id)
    page = form.submit(status=422)
    assert page.status_int == 422 and "Choose another thread." in page.text


def test_merge_moves_posts_in_order_with_authors_and_redirects(browser, make_category,
                                                               make_thread, make_user, moderator,
                                                               fresh):
    category = make_category()
    alice, bob, carol = (make_user(name=n) for n in ("Alice", "Bob", "Carol"))
    target = make_thread(category=category, title="Router loses sync at night")
    source = make_thread(category=category, title="DSL disconnects every evening")
    written = []
    for thread, author, text in ((target, alice, "First answer in the target."),
                                 (source, bob, "Answer written second, in the source."),
                                 (target, carol, "Third answer, in the target."),
                                 (source, alice, "Fourth answer, in the source.")):
        clock.travel(timedelta(minutes=1))
        written.append(threads.reply(author, thread, text))
        db.session.commit()
    threads.accept_answer(db.session.get(type(alice), source.author_id), written[1])
    db.session.commit()
    before = row_counts()
    form = tools(browser(moderator), source).forms["merge-form"]
    form["merge-target"] = str(target.id)
    page = form.submit().follow()
    assert page.request.path == f"/mod/threads/{target.id}"
    db.session.expire_all()
    posts = list(db.session.scalars(db.select(Post).where(Post.thread_id == target.id)
                                    .order_by(Post.number)))
    assert [(p.number, p.author_id) for p in posts[1:]] == [
        (2, alice.id), (3, bob.id), (4, carol.id), (5, alice.id)]
    assert [p.id for p in posts[1:]] == [w.id for w in written]
    target, source = fresh(target), db.session.get(Thread, source.id)
    assert target.reply_count == 4 and target.accepted_post_id == written[1].id
    assert source.visibility == "deleted" and source.reply_count == 0
    stored, computed = category_counters(category)
    assert stored == computed
    assert row_counts() == before
    page = browser().get(thread_path(source))
    assert page.status_int == 301 and page.location.endswith(f"/t/{target.id}-{target.slug}")
    assert "Answer written second" in page.follow().text
    assert [e.action for e in audit_entries()] == ["thread.merge"]
    from .helpers import post_action
    page = post_action(browser(moderator), db.session.get(Post, source.first_post_id), "restore")
    assert page.status_int == 422 and "was merged into another thread" in page.text


def test_moderator_accepting_in_someone_elses_thread_is_audited(browser, make_thread, make_reply,
                                                                 moderator, make_user):
    author = make_user()
    thread = make_thread(author=author)
    answer, better = make_reply(thread), make_reply(thread, body="A better answer, it seems.")
    mod = browser(moderator)

    def button(post, action):
        page = mod.get(thread_path(thread))
        return next(f for f in page.forms.values() if f.action.endswith(f"/p/{post.id}/{action}"))
    button(answer, "accept").submit()
    button(better, "accept").submit()  # change the accepted answer
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).accepted_post_id == better.id
    button(better, "unaccept").submit()
    browser(author).get(thread_path(thread))  # the asker's own accepting is not moderation
    threads.accept_answer(author, db.session.get(Post, answer.id))
    db.session.commit()
    entries = audit_entries()
    assert [e.action for e in entries] == ["thread.accept_answer", "thread.accept_answer",
                                          "thread.remove_answer"]
    assert entries[1].details == {"post_id": better.id, "previous_post_id": answer.id}


def test_duplicate_banner_escapes_titles_and_hides_a_hidden_original(browser, make_thread,
                                                                    moderator):
    original = make_thread(title="Why </p><script>alert(1)</script> happens?")
    duplicate = make_thread()
    from moderation.services import threadtools
    threadtools.mark_duplicate(moderator, duplicate, original)
    db.session.commit()
    page = browser().get(thread_path(duplicate))
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    threads.set_post_visibility(moderator, db.session.get(Post, original.first_post_id), "hidden")
    db.session.commit()
    page = browser().get(thread_path(duplicate))
    assert "Closed as a duplicate of" not in page.text and "alert(1)" not in page.text
    assert "Closed as a duplicate of" in browser(moderator).get(thread_path(duplicate)).text


def test_two_moderators_using_thread_tools_at_once(browser, make_thread, make_reply, make_user,
                                                   fresh):
    source, target = make_thread(), make_thread()
    make_reply(source, body="The only answer of the source thread.")
    first = browser(make_user(role="moderator", name="Max First"))
    second = browser(make_user(role="moderator", name="Sue Second"))
    close_first = tools(first, target).forms["status-form"]
    close_second = tools(second, target).forms["status-form"]
    merge_first = tools(first, source).forms["merge-form"]
    merge_second = tools(second, source).forms["merge-form"]
    close_first.submit("status-action", value="close").follow()
    page = close_second.submit("status-action", value="close").follow()
    assert "Nothing was changed: the thread already was like this." in page.text
    assert "Max First" in page.text  # the thread's history shows who did it
    for form in (merge_first, merge_second):
        form["merge-target"] = str(target.id)
    merge_first.submit().follow()
    page = merge_second.submit().follow()
    assert "Already merged by Max First into thread" in page.text
    assert fresh(target).reply_count == 1
    assert [e.action for e in audit_entries()] == ["thread.close", "thread.merge"]


def test_merging_into_a_thread_merged_away_meanwhile_is_refused(browser, make_thread, make_reply,
                                                                make_user, moderator, fresh,
                                                                monkeypatch):
    """Two moderators merge two threads into each other at once. The second merge's
    target was loaded before the first one committed; under the lock it is a merged
    thread, and merging into it would have merged it into itself."""
    from community.services import thread_moves
    from community.errors import ValidationError
    from moderation.models import ThreadState
    from moderation.services import threadtools
    first, second = make_thread(), make_thread()
    make_reply(first), make_reply(second)
    other = browser(make_user(role="moderator"))
    lock = thread_moves.lock_threads

    def other_moderator_merges_first(*to_lock):  # commits just before this merge locks
        monkeypatch.setattr(thread_moves, "lock_threads", lock)
        form = tools(other, first).forms["merge-form"]
        form["merge-target"] = str(second.id)
        form.submit().follow()
        lock(*to_lock)
    monkeypatch.setattr(thread_moves, "lock_threads", other_moderator_merges_first)
    with pytest.raises(ValidationError):
        threadtools.merge(moderator, second, first)
    db.session.rollback()
    marks = {row.thread_id: row.merged_into_id
             for row in db.session.scalars(db.select(ThreadState))}
    assert marks == {first.id: second.id}
    assert fresh(second).reply_count == 2 and second.visibility == "visible"
    assert [e.action for e in audit_entries()] == ["thread.merge"]
