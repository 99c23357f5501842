"""SQL cost of an answer through the API (issue 15: the write path): the same number of
statements whatever the size of the thread, and no more than the rules need."""
from community.extensions import db
from tests.conftest import bearer

# Token and user, the sanctions, the thread and its category (locked in one statement),
# the next number, the moderation rules, the post, the counters, the receivers'
# rows and the search index written with the commit. Raise it only for a new rule.
# Measured with two watchers told (the asker and a replier); each further watcher adds
# its notification's rows (community/notifications), the same in a thread of any size.
ANSWER_STATEMENTS = {"sqlite": 32, "postgresql": 37}


def _answer(testapp, count_queries, thread, headers, n):
    with count_queries() as q:
        response = testapp.post_json(f"/api/v1/threads/{thread.id}/posts",
                                     {"body": f"Restart the router, then check line {n}."},
                                     headers=headers)
    assert response.status_code == 201
    assert response.json["visibility"] == "visible"
    return q


def test_an_answer_costs_the_same_statements_in_small_and_large_threads(
        app, testapp, count_queries, make_user, make_thread, make_reply):
    """Both threads have the same watchers (the asker and one replier): what grows with
    the watchers is the notifications' work, not the answer's."""
    member, asker, replier = make_user(), make_user(), make_user()
    small, large = make_thread(asker), make_thread(asker)
    make_reply(small, replier)
    for _ in range(20):
        make_reply(large, replier)
    headers = bearer(member)
    for n, thread in enumerate((small, large)):  # the token's first use is written, and
        _answer(testapp, count_queries, thread, headers, n)  # the member starts watching
    counts = [_answer(testapp, count_queries, thread, headers, n).count
              for n, thread in enumerate((small, large, small, large), start=2)]
    assert counts == [counts[0]] * 4
    assert counts[0] <= ANSWER_STATEMENTS[db.engine.dialect.name], counts


def test_an_answer_reads_its_thread_once_with_the_lock(app, testapp, count_queries, make_user,
                                                       make_thread):
    thread = make_thread()
    headers = bearer(make_user())
    _answer(testapp, count_queries, thread, headers, 0)
    q = _answer(testapp, count_queries, thread, headers, 1)
    reads = [s for s in q.statements
             if s.lstrip().upper().startswith("SELECT") and "FROM threads" in s
             and "search" not in s.lower() and "WHERE threads.id" in s]
    assert len(reads) <= 2, reads  # the lock, and the search index's own read at commit
    db.session.rollback()
