"""Moderation must not make pages cost more queries as they grow: one statement on the
thread page (its marks and the reader's sanction), a fixed number on the queue."""
from community.extensions import db
from moderation.services import flags, sanctions, threadtools

from .helpers import thread_path


def moderation_statements(q):
    return [s for s in q.statements if "mod_" in s]


def test_thread_page_costs_one_moderation_query(browser, make_user, make_thread, make_reply,
                                                count_queries):
    users = [make_user() for _ in range(5)]
    small, large = make_thread(), make_thread()
    for n in range(2):
        make_reply(small, author=users[n])
    for n in range(60):
        make_reply(large, author=users[n % 5])
    for session in (browser(), browser(users[0])):
        for thread in (small, large):
            session.get(thread_path(thread))  # warm up
        with count_queries() as q_small:
            session.get(thread_path(small))
        with count_queries() as q_large:
            session.get(thread_path(large))
        assert q_small.count == q_large.count
        assert len(moderation_statements(q_small)) == len(moderation_statements(q_large)) == 1


def test_marked_threads_and_sanctioned_readers_do_not_grow_either(
        browser, make_user, make_thread, make_reply, moderator, count_queries):
    users = [make_user() for _ in range(5)]
    original, small, large = make_thread(), make_thread(), make_thread()
    for n in range(2):
        make_reply(small, author=users[n])
    for n in range(60):
        make_reply(large, author=users[n % 5])
    for thread in (small, large):
        threadtools.mark_duplicate(moderator, thread, original)
        threadtools.set_status(moderator, thread, "lock")
    reader = make_user()
    sanctions.impose(moderator, reader, "silence", 3, "spam")
    db.session.commit()
    session = browser(reader)
    for thread in (small, large):
        session.get(thread_path(thread))
    with count_queries() as q_small:
        page = session.get(thread_path(small))
    with count_queries() as q_large:
        session.get(thread_path(large))
    assert "Closed as a duplicate of" in page.text and "You can read but not post" in page.text
    assert q_small.count == q_large.count
    # The combined statement, then the sanction's row; the original thread has no mod_ table.
    assert len(moderation_statements(q_small)) == 2


def test_queue_page_queries_do_not_grow_with_items(browser, make_user, make_thread, make_reply,
                                                   moderator, count_queries):
    mod = browser(moderator)
    flagger = make_user()

    def add_items(n):
        for _ in range(n):
            post = make_reply(make_thread(author=make_user()), author=make_user())
            flags.flag_post(flagger, post, "spam")
        db.session.commit()

    add_items(2)
    mod.get("/mod")
    with count_queries() as q_few:
        mod.get("/mod")
    add_items(15)
    with count_queries() as q_many:
        page = mod.get("/mod")
    assert "17 items wait." in page.text
    assert q_few.count == q_many.count
