"""The worker keeps up with many writes: one run applies every due index update in one
Whoosh commit, each thread once, with a number of SQL statements that does not grow
with the batch, and the index keeps few segments (issue 15, point 4)."""
from whoosh import index as whoosh_index

from community.extensions import db
from community.models import OutboxMessage
from community.outbox_claims import BATCH
from search.engine import index
from search.services import documents, updates

from .helpers import only_backend, titles


def live_index():
    return whoosh_index.open_dir(str(index.live_generation()), readonly=True)


def search_rows(status):
    return db.session.scalar(db.select(db.func.count(OutboxMessage.id)).where(
        OutboxMessage.kind == updates.KIND, OutboxMessage.status == status))


def queue(thread_ids, times):
    """``times`` index updates of each thread, each in a transaction of its own (as
    replies from many members would queue them)."""
    for _ in range(times):
        for thread_id in thread_ids:
            updates.enqueue(thread_id)
            db.session.commit()


@only_backend("whoosh")
def test_one_run_applies_every_due_row_in_one_commit_each_thread_once(
        make_thread, worker, monkeypatch):
    ids = [make_thread(title=f"Router number {n} reboots").id for n in range(6)]
    worker()
    queue(ids, times=3)
    assert search_rows("pending") == 18
    loaded = []
    load = documents.load
    monkeypatch.setattr(documents, "load", lambda thread_ids, *a, **k: (
        loaded.append(list(thread_ids)), load(thread_ids, *a, **k))[1])
    before = live_index().latest_generation()
    worker()
    assert search_rows("pending") == 0
    assert live_index().latest_generation() == before + 1     # one Whoosh commit
    assert [sorted(batch) for batch in loaded] == [sorted(ids)]   # each thread once


@only_backend("whoosh")
def test_the_sql_of_a_batch_does_not_grow_with_its_rows(make_thread, worker, count_queries):
    ids = [make_thread(title=f"Modem number {n} blinks").id for n in range(12)]
    worker()
    counts = []
    # 4 rows of 4 threads, then 36 rows of 12: both fill the worker's first claim
    # (the oldest index row, and BATCH more)
    for threads, times in ((ids[:BATCH + 1], 1), (ids, 3)):
        queue(threads, times)
        with count_queries() as q:
            worker()
        assert search_rows("pending") == 0
        counts.append(q.count)
    assert counts[0] == counts[1], counts


@only_backend("whoosh")
def test_replaced_segments_are_merged_away(make_thread, worker, search):
    ids = [make_thread(title=f"Hotspot number {n} drops").id for n in range(4)]
    worker()
    for _ in range(3 * index.MAX_SEGMENTS):
        queue(ids[:1], times=1)          # one thread, again and again: a segment per run
        worker()
    ix = live_index()
    # The segment of each run is replaced by the next one and merged away at once.
    assert len(ix._segments()) <= 2
    assert ix.doc_count() == 4
    assert ix.doc_count_all() <= 5
    assert len(titles(search("hotspot"))) == 4


@only_backend("whoosh")
def test_segments_stay_few_however_many_runs(make_thread, worker):
    ids = [make_thread(title=f"Repeater number {n} loses pairing").id
           for n in range(3 * index.MAX_SEGMENTS)]
    worker()
    for thread_id in ids:                # a segment of one new version per run
        queue([thread_id], times=1)
        worker()
    ix = live_index()
    assert len(ix._segments()) <= index.MAX_SEGMENTS
    assert ix.doc_count() == len(ids)


def test_each_stem_is_looked_up_once_per_batch():
    class Reader:
        asked = 0

        def doc_frequency(self, field, text):
            self.asked += 1
            return 1 if text == "rechnung" else 0

    reader = Reader()
    known = index.vocabulary_lookup(reader)
    for _ in range(50):
        assert known("rechnung") and not known("adress")
    assert reader.asked == 3     # rechnung: title; adress: title and body


@only_backend("whoosh")
def test_an_update_copies_at_most_the_merge_budget(make_thread, worker, monkeypatch):
    ids = [make_thread(title=f"Splitter number {n} hums").id for n in range(6)]
    worker()                             # one segment of 6 threads
    monkeypatch.setattr(index, "MERGE_BUDGET", 2)
    queue(ids[:3], times=1)              # half of it replaced: 3 live documents to copy
    worker()
    ix = live_index()
    assert len(ix._segments()) == 2      # more than the budget: left as it is
    assert ix.doc_count() == 6 and ix.doc_count_all() == 9
    queue(ids[3:4], times=1)             # 2 live documents left in it: within the budget
    worker()
    ix = live_index()
    assert len(ix._segments()) <= 2
    assert ix.doc_count() == 6 and ix.doc_count_all() <= 8
