"""community/services/thread_moves.py: moving a thread into another category, replies into
another thread, and merging two threads keep every stored counter equal to a count
of the rows it stands for, keep post numbers and accepted answers right, and send
the core's events."""
import os
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community import clock, events
from community.services import thread_moves, threads
from community.extensions import db
from community.models import Category, Post, Thread, Vote


def wrong_bookkeeping():
    """Every stored counter, number and pointer that differs from what the rows say:
    [(what, stored, counted)]; empty when all is right."""
    db.session.expire_all()
    wrong = []

    def check(what, stored, counted):
        if stored != counted:
            wrong.append((what, stored, counted))

    for post in db.session.scalars(select(Post)):
        check(("post", post.id, "helpful_count"), post.helpful_count, db.session.scalar(
            select(func.count()).select_from(Vote).where(Vote.post_id == post.id)))
    for thread in db.session.scalars(select(Thread).order_by(Thread.id)):
        key = ("thread", thread.id)
        posts = list(db.session.scalars(select(Post).where(Post.thread_id == thread.id)
                                        .order_by(Post.number)))
        check(key + ("numbers",), [p.number for p in posts], list(range(1, len(posts) + 1)))
        check(key + ("first_post_id",), thread.first_post_id, posts[0].id)
        check(key + ("visibility",), thread.visibility, posts[0].visibility)
        visible = [p for p in posts[1:] if p.visibility == "visible"]
        check(key + ("reply_count",), thread.reply_count, db.session.scalar(
            select(func.count()).select_from(Post).where(
                Post.thread_id == thread.id, Post.number > 1, Post.visibility == "visible")))
        check(key + ("helpful_count",), thread.helpful_count, db.session.scalar(
            select(func.count()).select_from(Vote).join(Post, Post.id == Vote.post_id).where(
                Post.thread_id == thread.id, Post.number > 1, Post.visibility == "visible")))
        last = visible[-1] if visible else posts[0]
        check(key + ("last",), (thread.last_post_id, thread.last_author_id,
                                thread.last_activity_at),
              (last.id, last.author_id, last.created_at))
        if thread.accepted_post_id is not None:
            check(key + ("accepted",), thread.accepted_post_id,
                  thread.accepted_post_id if thread.accepted_post_id in {p.id for p in visible}
                  else "not a visible reply of this thread")
        check(key + ("accepted_by",), thread.accepted_by_id is None,
              thread.accepted_post_id is None)
    for category in db.session.scalars(select(Category).order_by(Category.id)):
        key = ("category", category.id)
        shown = select(Thread.id).where(Thread.category_id == category.id,
                                        Thread.visibility == "visible")
        check(key + ("thread_count",), category.thread_count, db.session.scalar(
            select(func.count()).select_from(shown.subquery())))
        check(key + ("post_count",), category.post_count, db.session.scalar(
            select(func.count()).select_from(Post).where(
                Post.thread_id.in_(shown), Post.visibility == "visible")))
        check(key + ("solved_count",), category.solved_count, db.session.scalar(
            select(func.count()).select_from(Thread).where(
                Thread.id.in_(shown), Thread.accepted_post_id.is_not(None))))
        latest = db.session.execute(
            select(Thread.id, Thread.last_activity_at).where(Thread.id.in_(shown))
            .order_by(Thread.last_activity_at.desc(), Thread.id.desc()).limit(1)).first()
        check(key + ("latest",), (category.last_thread_id, category.last_activity_at),
              tuple(latest) if latest else (None, None))
    return wrong


@pytest.fixture
def sent():
    """The core's events sent during the test: [(signal name, thread id, kwargs)]."""
    seen = []
    signals = (events.thread_updated, events.answer_accepted, events.post_visibility_changed,
               events.thread_status_changed)

    def receiver(signal):
        def receive(sender, thread, **kwargs):
            seen.append((signal.name, thread.id, kwargs))
        return receive
    receivers = [(signal, receiver(signal)) for signal in signals]
    for signal, receive in receivers:
        signal.connect(receive)
    yield seen
    for signal, receive in receivers:
        signal.disconnect(receive)


def later(minutes=1):
    clock.travel(timedelta(minutes=minutes))


def vote(post, *voters):
    for voter in voters:
        threads.toggle_helpful(voter, post)
    db.session.commit()


@pytest.fixture
def forum(make_user, make_category, make_thread, make_reply, moderator):
    """Two categories. In "mobile": ``roaming`` (three answers, two with votes, the
    second accepted, one hidden) and ``sim``; in "internet": ``router`` (two answers,
    one accepted) and ``fibre`` (a question held for review). Written a minute apart,
    ``roaming``'s last answer last of all."""
    mobile, internet = make_category(name="Mobile"), make_category(name="Internet")
    asker, helper, other = make_user(name="Asker"), make_user(name="Helper"), make_user()
    voters = [make_user() for _ in range(3)]
    made = {}
    later()
    made["sim"] = make_thread(category=mobile, title="SIM card not recognised")
    later()
    made["router"] = make_thread(author=asker, category=internet, title="Router loses sync")
    later()
    made["roaming"] = make_thread(author=asker, category=mobile, title="Roaming in Austria")
    later()
    made["router_answers"] = [make_reply(made["router"], author=helper)]
    later()
    made["roaming_answers"] = [make_reply(made["roaming"], author=helper)]
    later()
    made["router_answers"].append(make_reply(made["router"], author=other))
    later()
    made["roaming_answers"].append(make_reply(made["roaming"], author=other))
    later()
    made["fibre"] = make_thread(category=internet, title="Fibre installation date")
    threads.set_post_visibility(moderator, db.session.get(Post, made["fibre"].first_post_id),
                                "pending")
    later()
    made["roaming_answers"].append(make_reply(made["roaming"], author=helper))
    threads.set_post_visibility(moderator, made["roaming_answers"][2], "hidden")
    later()
    made["roaming_answers"].append(make_reply(made["roaming"], author=other))
    vote(made["roaming_answers"][0], *voters)
    vote(made["roaming_answers"][1], voters[0])
    vote(made["router_answers"][0], voters[1])
    threads.accept_answer(asker, made["roaming_answers"][1])
    threads.accept_answer(asker, made["router_answers"][1])
    db.session.commit()
    made.update(mobile=mobile, internet=internet, asker=asker)
    assert wrong_bookkeeping() == []
    return made


def thread_of(post_id):
    return db.session.get(Post, post_id).thread_id


# --- move_thread ------------------------------------------------------------------------------

def test_move_thread_moves_every_count_and_the_latest_thread(forum, moderator, sent):
    roaming, mobile, internet = forum["roaming"], forum["mobile"], forum["internet"]
    old = thread_moves.move_thread(moderator, roaming, internet)
    db.session.commit()
    assert old.id == mobile.id
    assert wrong_bookkeeping() == []
    mobile, internet = db.session.get(Category, mobile.id), db.session.get(Category, internet.id)
    assert (mobile.thread_count, mobile.post_count, mobile.solved_count) == (1, 1, 0)
    assert mobile.last_thread_id == forum["sim"].id
    assert (internet.thread_count, internet.post_count, internet.solved_count) == (2, 7, 2)
    assert internet.last_thread_id == roaming.id
    assert sent == [("thread-updated", roaming.id,
                     {"user": moderator, "changes": {"category": (mobile.id, internet.id)}})]


def test_move_thread_into_its_own_category_changes_nothing(forum, moderator, sent):
    assert thread_moves.move_thread(moderator, forum["sim"], forum["mobile"]) is None
    db.session.commit()
    assert wrong_bookkeeping() == [] and sent == []


def test_a_thread_held_for_review_moves_without_being_counted(forum, moderator):
    fibre, mobile = forum["fibre"], forum["mobile"]
    before = (mobile.thread_count, mobile.post_count, mobile.last_thread_id)
    thread_moves.move_thread(moderator, fibre, mobile)
    db.session.commit()
    assert wrong_bookkeeping() == []
    mobile = db.session.get(Category, mobile.id)
    assert (mobile.thread_count, mobile.post_count, mobile.last_thread_id) == before
    threads.set_post_visibility(moderator, db.session.get(Post, fibre.first_post_id), "visible")
    db.session.commit()
    assert wrong_bookkeeping() == []


# --- move_posts -------------------------------------------------------------------------------

def test_move_posts_takes_the_accepted_answer_to_a_thread_without_one(forum, moderator, sent):
    roaming, sim = forum["roaming"], forum["sim"]
    answers = forum["roaming_answers"]
    accepted = answers[1]
    later()
    clock.freeze()
    moved = thread_moves.move_posts(moderator, [answers[0], accepted, answers[2]], sim)
    db.session.commit()
    assert moved == 3
    assert wrong_bookkeeping() == []
    roaming, sim = db.session.get(Thread, roaming.id), db.session.get(Thread, sim.id)
    assert roaming.accepted_post_id is None and roaming.reply_count == 1
    assert (sim.accepted_post_id, sim.accepted_by_id, sim.accepted_at) == (
        accepted.id, moderator.id, clock.now())
    assert (sim.reply_count, sim.helpful_count) == (2, 4)  # the hidden one moved, uncounted
    numbers = dict(db.session.execute(select(Post.id, Post.number)
                                      .where(Post.thread_id.in_([roaming.id, sim.id]))).all())
    assert [numbers[a.id] for a in answers] == [2, 3, 4, 2]
    assert [(name, thread, kwargs.get("post") and kwargs["post"].id) for name, thread, kwargs
            in sent] == [("answer-accepted", roaming.id, None),
                         ("answer-accepted", sim.id, accepted.id),
                         ("thread-updated", roaming.id, None), ("thread-updated", sim.id, None)]
    assert sent[2][2]["changes"] == {"moved_posts": (roaming.id, sim.id)}


def test_move_posts_into_a_solved_thread_leaves_its_answer_accepted(forum, moderator):
    roaming, router = forum["roaming"], forum["router"]
    accepted, kept = forum["roaming_answers"][1], forum["router_answers"][1]
    thread_moves.move_posts(moderator, [accepted, forum["roaming_answers"][3]], router)
    db.session.commit()
    assert wrong_bookkeeping() == []
    assert db.session.get(Thread, router.id).accepted_post_id == kept.id
    assert db.session.get(Thread, roaming.id).accepted_post_id is None
    mobile = db.session.get(Category, forum["mobile"].id)
    assert (mobile.solved_count, mobile.last_thread_id) == (0, roaming.id)


def test_moving_a_threads_latest_answer_away_finds_the_categorys_latest_again(
        forum, moderator, make_thread):
    later()
    newer = make_thread(category=forum["mobile"])
    later()
    sim = forum["sim"]
    answer = threads.reply(moderator, sim, "The latest answer in the category, for a while.")
    db.session.commit()
    assert db.session.get(Category, forum["mobile"].id).last_thread_id == sim.id
    thread_moves.move_posts(moderator, [answer], forum["router"])
    db.session.commit()
    assert wrong_bookkeeping() == []
    assert db.session.get(Category, forum["mobile"].id).last_thread_id == newer.id
    assert db.session.get(Category, forum["internet"].id).last_thread_id == forum["router"].id


def test_move_posts_refuses_questions_and_replies_of_two_threads(forum, moderator):
    roaming, router = forum["roaming"], forum["router"]
    question = db.session.get(Post, roaming.first_post_id)
    with pytest.raises(ValueError):
        thread_moves.move_posts(moderator, [question], router)
    db.session.rollback()
    with pytest.raises(ValueError):
        thread_moves.move_posts(moderator, [forum["roaming_answers"][0],
                                            forum["router_answers"][0]], forum["sim"])
    db.session.rollback()
    assert thread_moves.move_posts(moderator, forum["router_answers"], router) == 0
    assert thread_moves.move_posts(moderator, [], router) == 0
    db.session.commit()
    assert wrong_bookkeeping() == []


# --- merge_threads ----------------------------------------------------------------------------

def test_merge_threads_across_categories(forum, moderator, sent):
    roaming, router = forum["roaming"], forum["router"]
    moved = thread_moves.merge_threads(moderator, roaming, router)
    db.session.commit()
    assert moved == 4
    assert wrong_bookkeeping() == []
    roaming, router = db.session.get(Thread, roaming.id), db.session.get(Thread, router.id)
    assert (roaming.visibility, roaming.status, roaming.reply_count) == ("deleted", "closed", 0)
    assert router.accepted_post_id == forum["router_answers"][1].id  # it had one: kept
    replies = db.session.scalars(select(Post.id).where(Post.thread_id == router.id,
                                                       Post.number > 1).order_by(Post.number))
    ra, rr = forum["roaming_answers"], forum["router_answers"]
    assert list(replies) == [p.id for p in (rr[0], ra[0], rr[1], ra[1], ra[2], ra[3])]
    mobile = db.session.get(Category, forum["mobile"].id)
    internet = db.session.get(Category, forum["internet"].id)
    assert (mobile.thread_count, mobile.post_count, mobile.solved_count) == (1, 1, 0)
    assert (internet.thread_count, internet.post_count, internet.solved_count) == (1, 6, 1)
    assert (mobile.last_thread_id, internet.last_thread_id) == (forum["sim"].id, router.id)
    assert [(name, thread) for name, thread, _ in sent] == [
        ("answer-accepted", roaming.id), ("post-visibility-changed", roaming.id),
        ("thread-status-changed", roaming.id), ("thread-updated", router.id)]
    assert sent[-1][2]["changes"] == {"merged_from": (None, roaming.id)}


def test_merge_threads_carries_the_accepted_answer_and_votes(forum, moderator, sent):
    roaming, sim = forum["roaming"], forum["sim"]
    thread_moves.merge_threads(moderator, roaming, sim)
    db.session.commit()
    assert wrong_bookkeeping() == []
    sim = db.session.get(Thread, sim.id)
    assert (sim.accepted_post_id, sim.accepted_by_id) == (forum["roaming_answers"][1].id,
                                                          moderator.id)
    assert (sim.reply_count, sim.helpful_count) == (3, 4)
    assert sim.last_post_id == forum["roaming_answers"][3].id
    mobile = db.session.get(Category, forum["mobile"].id)
    assert (mobile.thread_count, mobile.post_count, mobile.solved_count,
            mobile.last_thread_id) == (1, 4, 1, sim.id)
    accepted = [(thread, kwargs["post"] and kwargs["post"].id) for name, thread, kwargs in sent
                if name == "answer-accepted"]
    assert accepted == [(roaming.id, None), (sim.id, forum["roaming_answers"][1].id)]


def test_merge_threads_refuses_a_thread_into_itself(forum, moderator):
    with pytest.raises(ValueError):
        thread_moves.merge_threads(moderator, forum["sim"], forum["sim"])


# --- Locking ----------------------------------------------------------------------------------

def test_moves_lock_the_lower_thread_id_first(forum, moderator, monkeypatch):
    locked = []
    lock = thread_moves._lock_thread
    monkeypatch.setattr(thread_moves, "_lock_thread",
                        lambda thread: locked.append(thread.id) or lock(thread))
    low, high = sorted((forum["router"], forum["roaming"]), key=lambda t: t.id)
    thread_moves.move_posts(moderator, [forum["roaming_answers"][0]], forum["router"])
    thread_moves.move_posts(moderator, [forum["router_answers"][0]], forum["roaming"])
    thread_moves.merge_threads(moderator, high, low)
    assert locked[:6] == [low.id, high.id] * 3
    db.session.commit()
    assert wrong_bookkeeping() == []


POSTGRES_URL = os.environ.get("FORUM_TEST_DATABASE_URL")


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES_URL, reason="needs FORUM_TEST_DATABASE_URL: SQLite lets one "
                                             "writer in at a time, so nothing can deadlock")
def test_moves_in_opposite_directions_at_once_do_not_deadlock(app, forum, moderator):
    """Two sessions move a reply from each thread into the other, round after round,
    released at the same moment: each waits for the other's commit, none deadlocks."""
    first, second = forum["roaming"].id, forum["router"].id
    moderator_id, rounds = moderator.id, 6
    barrier = threading.Barrier(2)
    db.session.commit()  # the test's own transaction holds no locks meanwhile

    def mover(source_id, target_id):
        failures = []
        with app.app_context():
            for _ in range(rounds):
                barrier.wait(timeout=60)
                try:
                    reply = db.session.scalar(select(Post).where(
                        Post.thread_id == source_id, Post.number > 1).limit(1))
                    if reply is not None:
                        thread_moves.move_posts(db.session.get(type(moderator), moderator_id),
                                                [reply], db.session.get(Thread, target_id))
                    db.session.commit()
                except Exception as error:  # a deadlock, say: counted, not raised
                    db.session.rollback()
                    failures.append(type(error).__name__)
            db.session.remove()
        return failures

    results = []
    workers = [threading.Thread(target=lambda s=s, t=t: results.append(mover(s, t)))
               for s, t in ((first, second), (second, first))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert results == [[], []]
    assert wrong_bookkeeping() == []
