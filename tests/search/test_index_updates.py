"""The index follows every change (Whoosh: through the outbox and the worker;
PostgreSQL: in the transaction of the change), and never shows what a person may not
see."""
from datetime import timedelta

import pytest
from whoosh import index as whoosh_index

from community import clock, events, hooks, outbox
from community.extensions import db
from community.models import OutboxMessage
from community.services import threads
from search.engine import backends, index
from search.services import documents, updates

from .helpers import only_backend, result_ids, snippets, titles


@pytest.fixture
def hold_marked_posts(app):
    """Posts containing "[hold]" wait for review, as moderation's pre-moderation does it
    (through the core's ``write.visibility`` hook)."""
    def policy(user, category, thread, title, body):
        return "pending" if "[hold]" in f"{title} {body}" else None
    hooks.add(app, "write.visibility", policy)


def pending_search_rows():
    return db.session.scalar(db.select(db.func.count(OutboxMessage.id)).where(
        OutboxMessage.kind == updates.KIND, OutboxMessage.status == "pending"))


@only_backend("whoosh")
def test_a_new_thread_is_found_once_the_worker_ran(search, make_thread, worker):
    make_thread(title="Voicemail PIN forgotten")
    assert pending_search_rows() == 1          # written with the thread, in its transaction
    assert titles(search("voicemail")) == []
    worker()
    assert pending_search_rows() == 0
    assert titles(search("voicemail")) == ["Voicemail PIN forgotten"]


@only_backend("postgres")
def test_with_postgres_a_new_thread_is_found_at_once(search, make_thread):
    make_thread(title="Voicemail PIN forgotten")
    assert pending_search_rows() == 0          # no outbox row: the index row came with it
    assert titles(search("voicemail")) == ["Voicemail PIN forgotten"]


def test_replies_edits_and_retitling_are_followed(search, make_user, make_thread, make_reply,
                                                  worker):
    asker, helper = make_user(), make_user()
    thread = make_thread(author=asker, title="Phone line crackles", body="Noise on the line.")
    reply = make_reply(thread, author=helper, body="Swap the TAE cable.")
    worker()
    assert titles(search("TAE cable")) == ["Phone line crackles"]
    threads.edit_post(helper, reply, "Try another splitter.")
    question = db.session.get(type(reply), thread.first_post_id)
    threads.edit_post(asker, question, "Static on the landline.", title="Landline static")
    db.session.commit()
    worker()
    assert titles(search("TAE")) == []
    assert titles(search("splitter")) == ["Landline static"]
    assert titles(search("crackles")) == []
    assert titles(search("landline")) == ["Landline static"]


def test_a_post_hidden_by_a_moderator_disappears_from_results(search, make_thread, make_reply,
                                                              moderator, worker, backend):
    thread = make_thread(title="Internet is slow", body="Downloads crawl since yesterday.")
    reply = make_reply(thread, body="Restart the fritzbox, that fixed it for me.")
    worker()
    assert snippets(search("fritzbox")) == ["Restart the fritzbox, that fixed it for me."]
    threads.set_post_visibility(moderator, reply, "hidden")
    db.session.commit()
    if backend == "whoosh":
        # Before the worker ran the index still has the words, but no hidden text is shown.
        assert snippets(search("fritzbox")) == ["Downloads crawl since yesterday."]
    worker()
    assert titles(search("fritzbox")) == []
    threads.set_post_visibility(moderator, reply, "visible")   # restored
    db.session.commit()
    worker()
    assert titles(search("fritzbox")) == ["Internet is slow"]


def test_a_hidden_or_deleted_question_takes_its_thread_out(search, make_thread, moderator,
                                                           worker):
    hidden = make_thread(title="Roaming charges in Norway")
    deleted = make_thread(title="Roaming in Switzerland")
    worker()
    assert len(titles(search("roaming"))) == 2
    for thread, visibility in ((hidden, "hidden"), (deleted, "deleted")):
        threads.set_post_visibility(moderator, threads.get_post(thread.first_post_id),
                                    visibility)
    db.session.commit()
    assert titles(search("roaming")) == []        # the database has the last word at once
    worker()
    assert titles(search("roaming")) == []
    assert backends.current().check().indexed == 0


def test_pending_content_of_one_member_is_not_found_by_another(
        testapp, browser, search, make_user, make_thread, make_reply, hold_marked_posts, worker):
    alice, bob = make_user(name="Alice Asker"), make_user(name="Bob Browser")
    held = make_thread(author=alice, title="Satellite dish alignment [hold]")
    open_thread = make_thread(title="Satellite TV has no signal")
    make_reply(open_thread, author=alice, body="Check the LNB cable [hold] please.")
    worker()
    assert held.visibility == "pending"
    for session in (browser(bob), browser(), browser(alice)):
        assert titles(search("satellite", session=session)) == ["Satellite TV has no signal"]
        assert titles(search("alignment", session=session)) == []
        assert titles(search("LNB", session=session)) == []
        api = session.get("/api/v1/search", {"q": "LNB alignment satellite"})
        assert result_ids(api) == [open_thread.id]
        assert "LNB" not in api.text


def test_accepting_moving_and_merging_update_the_index(app, search, make_category, make_user,
                                                       make_thread, make_reply, moderator,
                                                       worker):
    first, second = make_category(name="Mobile"), make_category(name="Landline")
    asker = make_user()
    thread = make_thread(author=asker, category=first, title="eSIM activation fails")
    answer = make_reply(thread, body="Scan the QR code again.")
    other = make_thread(category=first, title="eSIM profile missing")
    worker()
    assert titles(search("esim", status="solved")) == []
    threads.accept_answer(asker, answer)
    db.session.commit()
    worker()
    assert titles(search("esim", status="solved")) == ["eSIM activation fails"]

    # A move (moderation's thread tool changes the category and tells the core's event).
    thread.category_id = second.id
    events.thread_updated.send(app, thread=thread, user=moderator,
                               changes={"category": (first.id, second.id)})
    db.session.commit()
    worker()
    assert titles(search("esim", category=second.slug)) == ["eSIM activation fails"]
    assert titles(search("esim", category=first.slug)) == ["eSIM profile missing"]

    # A merge: the source's question is deleted, the target told it gained replies.
    threads.set_post_visibility(moderator, threads.get_post(other.first_post_id), "deleted")
    events.thread_updated.send(app, thread=thread, user=moderator,
                               changes={"merged_from": (None, other.id)})
    db.session.commit()
    worker()
    assert titles(search("esim")) == ["eSIM activation fails"]


@only_backend("whoosh")
def test_an_update_waits_while_another_process_writes_and_is_not_lost(
        search, make_thread, worker, monkeypatch):
    make_thread(title="Fax to e-mail service")
    monkeypatch.setattr(index, "LOCK_TIMEOUT", 0.1)
    with index.write_lock():               # a rebuild or another worker is writing
        worker()
    row = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.kind == updates.KIND))
    assert row.status == "pending" and "another process" in row.last_error
    assert titles(search("fax")) == []
    clock.travel(timedelta(seconds=10))
    worker()
    assert titles(search("fax")) == ["Fax to e-mail service"]
    assert outbox.pending_count() == 0


@only_backend("whoosh")
def test_the_worker_applies_every_due_update_in_one_index_commit_each_thread_once(
        search, make_thread, make_reply, worker, monkeypatch):
    make_thread(title="Router question")
    worker()                                   # the index exists
    generation = whoosh_index.open_dir(str(index.live_generation())).latest_generation()
    asked = [make_thread(title=f"Fibre question {n}") for n in range(5)]
    for thread in asked:
        make_reply(thread, body="Same here, since Monday.")
    assert pending_search_rows() == 10         # two changes of each thread
    loaded = []
    load = documents.load
    monkeypatch.setattr(documents, "load", lambda ids, *a, **k: loaded.append(list(ids))
                        or load(ids, *a, **k))
    worker()
    assert pending_search_rows() == 0
    [ids] = loaded                             # one read, each thread once
    assert sorted(ids) == [t.id for t in asked]
    assert whoosh_index.open_dir(str(index.live_generation())).latest_generation() \
        == generation + 1                      # one commit for all ten rows
    assert len(titles(search("fibre monday"))) == 5
