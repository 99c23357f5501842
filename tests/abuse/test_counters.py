"""Issue 12.7, counters race: every stored counter (a post's and a thread's helpful
count, a thread's replies, a category's threads, posts and solved threads) equals a
count of the rows it stands for, however requests interleave, and no interleaving
ends in a 500."""
import os
import random
import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select
from webtest import TestApp

from community import clock
from community.services import threads
from community.extensions import db
from community.models import Category, Post, Thread, Vote
from tests.conftest import bearer, isolated

POSTGRES_URL = os.environ.get("FORUM_TEST_DATABASE_URL")
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="needs FORUM_TEST_DATABASE_URL: SQLite serialises all writers, "
                             "so only PostgreSQL shows concurrent transactions")


def stored_and_counted():
    """Each counter as stored, and the same keys as counted from the rows."""
    db.session.expire_all()
    posts = db.session.scalars(select(Post)).all()
    votes = Counter(db.session.scalars(select(Vote.post_id)))
    all_threads = db.session.scalars(select(Thread)).all()
    stored, counted = {}, {}

    def check(key, value, rows):
        stored[key], counted[key] = value, rows

    by_id = {post.id: post for post in posts}
    replies = {t.id: [p for p in posts if p.thread_id == t.id and p.number > 1
                      and p.visibility == "visible"] for t in all_threads}
    for post in posts:
        check(("post", post.id, "helpful_count"), post.helpful_count, votes[post.id])
    for thread in all_threads:
        check(("thread", thread.id, "visibility"), thread.visibility,
              by_id[thread.first_post_id].visibility)
        check(("thread", thread.id, "reply_count"), thread.reply_count, len(replies[thread.id]))
        check(("thread", thread.id, "helpful_count"), thread.helpful_count,
              sum(votes[p.id] for p in replies[thread.id]))
        if thread.accepted_post_id:  # only a visible reply of its own thread can be accepted
            check(("thread", thread.id, "accepted"), thread.accepted_post_id,
                  thread.accepted_post_id if by_id[thread.accepted_post_id] in replies[thread.id]
                  else None)
    for category in db.session.scalars(select(Category)):
        shown = [t for t in all_threads if t.category_id == category.id
                 and t.visibility == "visible"]
        check(("category", category.id, "thread_count"), category.thread_count, len(shown))
        check(("category", category.id, "post_count"), category.post_count,
              sum(1 + len(replies[t.id]) for t in shown))
        check(("category", category.id, "solved_count"), category.solved_count,
              sum(1 for t in shown if t.accepted_post_id))
    return stored, counted


def assert_counters_match_rows():
    stored, counted = stored_and_counted()
    assert {k: v for k, v in stored.items() if counted[k] != v} == \
        {k: v for k, v in counted.items() if stored[k] != v}


# --- One transaction's view of another (any database) ---------------------------------------------

@contextmanager
def meanwhile(statement, sql, after=False):
    """Run ``sql`` as another client's finished write would land: once, on the same
    connection, just before (or ``after``) the first SQL statement matching the
    regex ``statement``. Deterministic stand-in for an interleaving that real
    concurrency produces only by chance (and SQLite never)."""
    pattern, done = re.compile(statement, re.IGNORECASE | re.DOTALL), []

    def interleave(conn, cursor, text, *_):
        if not done and pattern.match(text.lstrip()):
            done.append(text)
            other = cursor.connection.cursor()
            for part in sql:
                other.execute(part)
            other.close()

    hook = "after_cursor_execute" if after else "before_cursor_execute"
    event.listen(db.engine, hook, interleave)
    try:
        yield done
    finally:
        event.remove(db.engine, hook, interleave)


@pytest.fixture
def answered(make_user, make_category, make_thread, make_reply):
    """A question with two answers in a fresh category, and a voter's API token."""
    asker, voter = make_user(), make_user()
    thread = make_thread(author=asker, category=make_category())
    first, second = make_reply(thread), make_reply(thread)
    return thread, first, second, bearer(asker), bearer(voter), voter


def toggled_meanwhile(thread, answer, voter, statement):
    """The same user's other request toggled this vote (its row and both counts) just
    before this request's ``statement`` (INSERT or DELETE) on the votes table."""
    if statement == "INSERT":
        sign, change = "+", (f"INSERT INTO votes (post_id, user_id, created_at) "
                             f"VALUES ({answer.id}, {voter.id}, CURRENT_TIMESTAMP)")
    else:
        sign, change = "-", (f"DELETE FROM votes "
                             f"WHERE post_id = {answer.id} AND user_id = {voter.id}")
    return meanwhile(rf"{statement} (INTO|FROM) votes\b", [
        change,
        f"UPDATE posts SET helpful_count = helpful_count {sign} 1 WHERE id = {answer.id}",
        f"UPDATE threads SET helpful_count = helpful_count {sign} 1 WHERE id = {thread.id}"])


@pytest.mark.parametrize("statement", ["INSERT", "DELETE"])
def test_a_vote_toggled_meanwhile_by_the_same_user_is_no_500_and_counted_once(
        testapp, answered, statement):
    thread, answer, _, _, voter_token, voter = answered
    path = f"/api/v1/posts/{answer.id}/helpful"
    if statement == "DELETE":
        testapp.post(path, headers=voter_token)  # this request comes to take the vote back
    with toggled_meanwhile(thread, answer, voter, statement) as hit:
        response = testapp.post(path, headers=voter_token, expect_errors=True)
    assert hit and response.status_int == 200
    # Either way the vote stands, counted once: one the other request made is not
    # inserted again, one it took back is not taken back twice (to -1).
    assert (response.json["helpful"], response.json["helpful_count"]) == (True, 1)
    assert_counters_match_rows()
    response = testapp.post(path, headers=voter_token)
    assert (response.json["helpful"], response.json["helpful_count"]) == (False, 0)
    assert_counters_match_rows()


def hidden_meanwhile(thread, answer, loaded):
    """A moderator's request hid ``answer`` (and counted that) right after this
    request had loaded the ``loaded`` table's row by id."""
    return meanwhile(rf"SELECT\b.*\sFROM {loaded}\s+WHERE {loaded}\.id =", [
        f"UPDATE posts SET visibility = 'hidden' WHERE id = {answer.id}",
        f"UPDATE threads SET reply_count = reply_count - 1 WHERE id = {thread.id}",
        f"UPDATE categories SET post_count = post_count - 1 WHERE id = {thread.category_id}"],
        after=True)


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_accepting_counts_from_the_thread_as_committed_not_as_loaded(testapp, answered, method):
    thread, first, second, asker_token, _, _ = answered
    if method == "DELETE":
        testapp.post(f"/api/v1/posts/{first.id}/accept", headers=asker_token)
    with hidden_meanwhile(thread, second, loaded="threads") as hit:
        response = testapp.request(f"/api/v1/posts/{first.id}/accept", method=method,
                                   headers=asker_token, expect_errors=True)
    assert hit and response.status_int == 200
    assert_counters_match_rows()


def test_an_answer_hidden_meanwhile_is_not_accepted(testapp, answered):
    thread, first, _, asker_token, _, _ = answered
    with hidden_meanwhile(thread, first, loaded="posts") as hit:
        response = testapp.post(f"/api/v1/posts/{first.id}/accept", headers=asker_token,
                                expect_errors=True)
    assert hit and response.status_int == 409
    assert response.json["error"]["code"] == "not_acceptable"
    assert_counters_match_rows()


# --- Real concurrent clients (PostgreSQL) ---------------------------------------------------------

def run_clients(app, work):
    """Run each ``job(client, line_up)`` of ``work`` in its own thread with its own WSGI
    client (every request gets its own app context, session and connection); returns
    their results. ``line_up()`` waits until all jobs reach it, then lets them go at once.
    Jobs get plain ids and headers: ORM objects belong to the test's session."""
    barrier = threading.Barrier(len(work))

    def run(job):
        client = TestApp(isolated(app), extra_environ={"HTTP_HOST": "localhost"})
        return job(client, lambda: barrier.wait(timeout=60))

    db.session.commit()  # the test's own transaction holds no locks meanwhile
    with ThreadPoolExecutor(len(work)) as pool:
        return [future.result() for future in [pool.submit(run, job) for job in work]]


def send(client, method, path, headers, body=None):
    """One request's status; a server exception (TESTING propagates it) by its name."""
    try:
        if body is not None:
            return client.post_json(path, body, headers=headers, expect_errors=True).status_int
        return client.request(path, method=method, headers=headers,
                              expect_errors=True).status_int
    except Exception as error:  # each one is a 500 to count, not to stop at
        return type(error).__name__


@pytest.mark.postgres
@needs_postgres
def test_one_token_toggling_at_once_keeps_count_equal_to_votes(app, answered):
    _, answer, _, _, voter_token, _ = answered
    clients, rounds, path = 8, 20, f"/api/v1/posts/{answer.id}/helpful"

    def toggler(client, line_up):
        results = []
        for _ in range(rounds):
            line_up()
            results.append(send(client, "POST", path, voter_token))
        return results

    outcomes = Counter(s for res in run_clients(app, [toggler] * clients) for s in res)
    assert outcomes == {200: clients * rounds}
    assert_counters_match_rows()
    # An even number of toggles per round: the vote is gone and so is its count.
    assert db.session.get(Post, answer.id).helpful_count == 0


@pytest.mark.postgres
@needs_postgres
def test_many_clients_replying_voting_and_accepting_keep_every_counter_true(
        app, make_user, make_category, moderator):
    category, asker = make_category(), make_user()
    members = [make_user() for _ in range(10)]
    questions = [threads.create_thread(asker, category, f"Question {n} about the router",
                                       "The router drops the line every evening.")
                 for n in range(3)]
    answers = []  # (thread id, post id, author id)
    for member in members:
        for question in questions[:2]:
            post = threads.reply(member, question, f"{member.name} on {question.id}: reboot it.")
            answers.append((question.id, post.id, member.id))
    db.session.commit()
    clock.travel(timedelta(days=2))  # established members now, past the newcomers' rate limit
    question_ids = [q.id for q in questions]
    rounds = 5

    def member_client(member_id, token, seed):
        votable = [post for _, post, author in answers if author != member_id]

        def work(client, line_up):
            pick, results = random.Random(seed), []
            for n in range(rounds):
                line_up()
                results.append(send(client, "POST",
                                    f"/api/v1/threads/{pick.choice(question_ids)}/posts", token,
                                    {"body": f"Round {n}: member {member_id} adds a detail."}))
                for post in pick.sample(votable, 3):
                    results.append(send(client, "POST", f"/api/v1/posts/{post}/helpful", token))
            return results
        return work

    def accepter(token, seed):
        def work(client, line_up):
            pick, results = random.Random(seed), []
            for _ in range(rounds):
                line_up()
                for question in question_ids[:2]:
                    post = pick.choice([p for q, p, _ in answers if q == question])
                    method = pick.choice(["POST", "POST", "DELETE"])
                    results.append(send(client, method, f"/api/v1/posts/{post}/accept", token))
            return results
        return work

    work = [member_client(m.id, bearer(m), seed) for seed, m in enumerate(members)]
    work += [accepter(bearer(asker), 100), accepter(bearer(moderator), 101)]
    outcomes = Counter(s for res in run_clients(app, work) for s in res)
    assert set(outcomes) <= {200, 201}, outcomes
    assert_counters_match_rows()
