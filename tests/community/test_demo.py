"""The demo community (``demo seed``) and the bulk generator (``demo generate``)."""
import statistics
from datetime import timedelta

from sqlalchemy import func, select

from community import clock, markup
from community.services import accounts, threads
from community.demo import content
from community.demo.generate import thread_sizes
from community.extensions import db
from community.models import Category, Post, Tag, Thread, User, Vote, thread_tags
from tests.conftest import login


def run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    db.session.expire_all()
    return result


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def assert_counters_consistent():
    """Every denormalized counter equals what a COUNT over the rows gives."""
    posts = {}
    for row in db.session.execute(select(Post.thread_id, Post.id, Post.number, Post.author_id,
                                         Post.created_at, Post.helpful_count, Post.visibility)
                                  .order_by(Post.thread_id, Post.number)):
        posts.setdefault(row.thread_id, []).append(row)
    votes = dict(db.session.execute(select(Vote.post_id, func.count())
                                    .group_by(Vote.post_id)).all())
    for thread in db.session.scalars(select(Thread)):
        rows = posts[thread.id]
        assert [r.number for r in rows] == list(range(1, len(rows) + 1)), thread.id
        assert [r.created_at for r in rows] == sorted(r.created_at for r in rows), thread.id
        visible = [r for r in rows if r.visibility == "visible"]
        replies = [r for r in visible if r.number > 1]
        assert thread.reply_count == len(replies), thread.id
        assert thread.helpful_count == sum(r.helpful_count for r in replies), thread.id
        assert thread.first_post_id == rows[0].id
        assert thread.visibility == rows[0].visibility
        last = visible[-1]
        assert (thread.last_post_id, thread.last_author_id, thread.last_activity_at) == (
            last.id, last.author_id, last.created_at), thread.id
        for r in rows:
            assert r.helpful_count == votes.get(r.id, 0), r.id
        if thread.accepted_post_id is not None:
            accepted = next(r for r in rows if r.id == thread.accepted_post_id)
            assert accepted.number > 1 and accepted.visibility == "visible"
            assert thread.accepted_by_id is not None
            assert thread.accepted_at >= accepted.created_at
        else:
            assert thread.accepted_by_id is None and thread.accepted_at is None
    for category in db.session.scalars(select(Category)):
        mine = list(db.session.scalars(select(Thread).where(Thread.category_id == category.id,
                                                            Thread.visibility == "visible")))
        assert category.thread_count == len(mine), category.name
        assert category.post_count == sum(t.reply_count + 1 for t in mine), category.name
        assert category.solved_count == sum(t.accepted_post_id is not None for t in mine)
        if mine:
            newest = max(t.last_activity_at for t in mine)
            assert category.last_activity_at == newest
            assert db.session.get(Thread, category.last_thread_id).last_activity_at == newest
        else:
            assert category.last_thread_id is None
    # Nobody voted for their own post, nobody twice.
    assert db.session.scalar(select(func.count()).select_from(Vote).join(
        Post, Post.id == Vote.post_id).where(Vote.user_id == Post.author_id)) == 0


# ------------------------------------------------------------------ seed

def test_seed_loads_a_bilingual_community_with_one_account_per_role(app, testapp):
    result = run(app, "demo", "seed")
    assert result.exit_code == 0, result.output
    for spec in content.ACCOUNTS:
        assert spec["email"] in result.output and spec["password"] in result.output
        assert accounts.password_problem(spec["password"], spec["email"], spec["name"]) is None
    roles = set(db.session.scalars(select(User.role)))
    assert roles == {"customer", "moderator", "agent", "admin"}
    titles = {u.staff_title for u in db.session.scalars(select(User).where(User.role == "agent"))}
    assert titles == {"Kundenservice", "Support team"}

    assert count(Category) == len(content.CATEGORIES) >= 4
    all_threads = list(db.session.scalars(select(Thread)))
    assert len(all_threads) == len(content.THREADS) >= 40
    assert all(t.visibility == "visible" for t in all_threads)
    solved = [t for t in all_threads if t.accepted_post_id]
    unanswered = [t for t in all_threads if t.reply_count == 0]
    assert len(solved) >= 15 and len(unanswered) >= 5
    assert count(Vote) > 30 and count(Tag) > 20
    assert db.session.scalar(select(func.count()).select_from(Post)
                             .where(Post.is_official.is_(True))) >= 10
    repliers = db.session.scalar(select(func.count(func.distinct(Post.author_id)))
                                 .where(Post.number > 1))
    assert repliers >= 8
    created = [t.created_at for t in all_threads]
    now = clock.now()
    assert min(created) < now - timedelta(days=30) and max(created) < now
    assert max(t.last_activity_at for t in all_threads) <= now
    # Markdown: lists, code blocks and links, rendered and sanitized at write time.
    html = " ".join(db.session.scalars(select(Post.body_html)))
    assert "<pre><code>" in html and "<ol>" in html and "<ul>" in html
    assert 'rel="nofollow ugc noopener"' in html
    assert_counters_consistent()

    home = testapp.get("/")
    names = [a.text for a in home.html.select(".category-card h3 a")]
    assert names == [spec["name"] for spec in content.CATEGORIES]
    assert "Kündigung" in home.text or "Roaming" in home.text
    thread = next(t for t in solved if t.external_id == "demo:dsl-evening")
    page = testapp.get(f"/t/{thread.id}-{thread.slug}")
    assert "Internet bricht abends regelmäßig ab" in page.text
    assert "Accepted answer" in page.text and "Störabstand" in page.text

    moderator = accounts.find_by_email("katrin.vogel@example.com")
    page = login(testapp, moderator, password="demo-moderator-1")
    assert "Katrin Vogel" in page.text


def test_seed_writes_an_example_imprint_and_privacy_policy_in_both_languages(app, testapp,
                                                                               make_user):
    from community.privacy import pages

    admin = make_user(role="admin")
    pages.save(admin, "imprint", "en", "Our own imprint, written before the demo.")
    db.session.commit()
    assert run(app, "demo", "seed").exit_code == 0
    assert "Our own imprint" in testapp.get("/imprint").text       # an admin's text stays
    german = testapp.get("/imprint", headers={"Accept-Language": "de"})
    assert "Beispiel" in german.text and "Angaben gemäß" in german.text
    policy = testapp.get("/privacy")
    assert "Example – please replace before going live." in policy.text
    assert "Art. 17 GDPR" in policy.text and "30 days" in policy.text   # and the retention


def test_seed_if_empty_is_idempotent(app):
    first = run(app, "demo", "seed", "--if-empty")
    assert first.exit_code == 0, first.output
    counts = (count(User), count(Category), count(Thread), count(Post), count(Vote))
    second = run(app, "demo", "seed", "--if-empty")
    assert second.exit_code == 0, second.output
    assert "not loaded" in second.output
    for spec in content.ACCOUNTS:  # the accounts are printed anyway
        assert spec["email"] in second.output
    assert (count(User), count(Category), count(Thread), count(Post), count(Vote)) == counts
    # Without --if-empty it adds what is missing, which is nothing.
    third = run(app, "demo", "seed")
    assert third.exit_code == 0, third.output
    assert (count(User), count(Category), count(Thread), count(Post), count(Vote)) == counts


def test_seed_if_empty_leaves_an_existing_community_alone(app, make_category):
    make_category(name="Our own category")
    result = run(app, "demo", "seed", "--if-empty")
    assert result.exit_code == 0, result.output
    assert count(Thread) == 0 and count(Category) == 1
    assert content.ACCOUNTS[0]["email"] in result.output


# ------------------------------------------------------------------ generate

def test_thread_sizes_are_long_tailed_and_exact():
    import random
    sizes = thread_sizes(random.Random(3), 2000, 20000)
    assert sum(sizes) == 20000 and min(sizes) == 1 and len(sizes) == 2000
    assert max(sizes) > 10 * statistics.median(sizes)
    assert max(sizes) <= 401
    assert 0.05 < sizes.count(1) / len(sizes) < 0.3
    assert thread_sizes(random.Random(1), 3, 3) == [1, 1, 1]
    assert sum(thread_sizes(random.Random(1), 3, 2000)) == 2000


def test_generate_yields_exact_counts_and_consistent_counters(app, testapp):
    result = run(app, "demo", "generate", "--users", "30", "--threads", "50", "--posts", "400",
                 "--seed", "7")
    assert result.exit_code == 0, result.output
    assert "Generated 30 users, 50 threads" in result.output and " s." in result.output
    assert count(User) == 30 and count(Thread) == 50 and count(Post) == 400
    roles = set(db.session.scalars(select(User.role)))
    assert {"customer", "agent", "moderator"} <= roles
    assert_counters_consistent()

    all_threads = list(db.session.scalars(select(Thread)))
    assert sum(t.accepted_post_id is not None for t in all_threads) == 20  # 40 %
    assert max(t.reply_count for t in all_threads) > 3 * statistics.median(
        t.reply_count for t in all_threads)
    assert count(Vote) > 0
    assert db.session.scalar(select(func.count()).select_from(thread_tags)) > 0
    # Both languages, and the stored HTML is exactly what markup.render makes of the source.
    bodies = list(db.session.execute(select(Post.body, Post.body_html)))
    assert all(html == markup.render(body) for body, html in bodies)
    text = " ".join(body for body, _ in bodies)
    assert any(w in text for w in ("Hallo", "Danke", "Viele Grüße"))
    assert any(w in text for w in ("Thanks", "Hi ", "Cheers"))
    now = clock.now()
    assert all(t.created_at < now and t.last_activity_at < now for t in all_threads)

    longest = max(all_threads, key=lambda t: t.reply_count)
    page = testapp.get(f"/t/{longest.id}-{longest.slug}")
    assert longest.title in page.text
    solved = next(t for t in all_threads if t.accepted_post_id)
    assert "Accepted answer" in testapp.get(f"/t/{solved.id}-{solved.slug}").text
    assert testapp.get("/").status_code == 200


def test_generate_adds_to_an_existing_community(app, make_user):
    assert run(app, "demo", "seed").exit_code == 0
    before = {model: count(model) for model in (User, Thread, Post)}
    max_post = db.session.scalar(select(func.max(Post.id)))
    result = run(app, "demo", "generate", "--users", "10", "--threads", "20", "--posts", "100")
    assert result.exit_code == 0, result.output
    assert count(User) == before[User] + 10
    assert count(Thread) == before[Thread] + 20
    assert count(Post) == before[Post] + 100
    assert db.session.scalar(select(func.min(Post.id)).where(Post.id > max_post)) == max_post + 1
    assert_counters_consistent()
    # The services keep working after it: ids continue after the generated ones.
    user = make_user()
    category = db.session.scalar(select(Category).limit(1))
    thread = threads.create_thread(user, category, "A question after generating", "Does it work?")
    threads.reply(make_user(), thread, "It does, thank you.")
    db.session.commit()
    assert thread.first_post_id > max_post + 100
    assert_counters_consistent()
    # With no new users, the members already there write the threads.
    result = run(app, "demo", "generate", "--users", "0", "--threads", "5", "--posts", "12")
    assert result.exit_code == 0, result.output
    assert count(Thread) == before[Thread] + 26
    assert_counters_consistent()


def test_generate_refuses_fewer_posts_than_threads(app):
    result = run(app, "demo", "generate", "--users", "3", "--threads", "10", "--posts", "5")
    assert result.exit_code != 0
    assert "--posts" in result.output
    assert count(Thread) == 0
